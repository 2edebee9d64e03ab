// flow: an iperf3 flow between two nodes took a path through the given nodes, in order, judged from
// every node's interface byte counters during the flow (src/flow). With ECMP, naming a spine in
// `via` asserts the flow's hash put it there; naming only leaves asserts the flow crossed the fabric.
import {passesVia} from '../../flow/path.js'
import {FLOW_PORT, runFlow} from '../../flow/flow.js'
import {formatGbps} from './iperf.js'
import {fail, pass} from '../../verify/probe.js'
import {defineCheck, NAME_FIELD, type Named} from './spec.js'

export interface FlowCheck extends Named {
  from: string
  to: string
  via?: string[]
  seconds?: number
}

export const flowCheck = defineCheck<'flow', FlowCheck>({
  kind: 'flow',
  summary: 'an iperf3 flow between two nodes crossed the given nodes in order, by every node\'s byte counters',
  body: (z) =>
    z
      .object({
        from: z.string().min(1),
        to: z.string().min(1),
        via: z.array(z.string().min(1)).optional().describe('Nodes the flow must cross, in order (others may sit between)'),
        seconds: z.number().int().min(1).max(30).optional().describe('How long the flow runs (default 1)'),
        name: NAME_FIELD(z),
      })
      .strict(),
  references(check, refs) {
    refs.node('from', check.from)
    refs.node('to', check.to)
    check.via?.forEach((node, i) => refs.node(['via', i], node))
    if (check.from === check.to) refs.error('to', `${refs.where('to')}: a flow needs two different nodes`, 'name another node')
  },
  prepare(check, facts, index) {
    const via = check.via ?? []
    return {
      kind: 'flow',
      name: check.name ?? `${check.from} -> ${check.to}${via.length > 0 ? ` via ${via.join(', ')}` : ''}`,
      key: `flow:${check.from}:${check.to}:${via.join(',')}`,
      settles: false,
      exclusive: true,
      async run(context) {
        let result
        try {
          result = await runFlow(facts.plan, context.executor, {from: check.from, to: check.to, seconds: check.seconds ?? 1, port: FLOW_PORT + index, signal: context.signal})
        } catch (error) {
          return fail(error instanceof Error ? error.message : String(error))
        }
        const seen = `${result.path.join(' -> ')} at ${formatGbps(result.bitsPerSecond)}`
        if (!result.complete) return fail(`${seen}; ${result.stopped}`)
        return passesVia(result.path, via) ? pass(seen) : fail(`${seen}; expected via ${via.join(', ')}`)
      },
    }
  },
})
