// ospf: a router's OSPF adjacencies Full (all planned ones, or at least N), in an OSPF lab.
import {OSPF_NEIGHBORS} from '../../frr/commands.js'
import {parseOspfNeighbors} from '../../frr/expect-ospf.js'
import type {ExecResult} from '../../io/executor.js'
import type {LabFacts} from '../../verify/facts.js'
import {fail, frrError, pass, runSharedProbe} from '../../verify/probe.js'
import type {PreparedCheck, Verdict} from '../../verify/types.js'
import {defineCheck, NAME_FIELD, type Named} from './spec.js'

export interface OspfExpectation {
  node: string
  /** Planned adjacencies: local port and the router behind it. */
  adjacencies: Array<{port: string; peer: string}>
  /** At least this many Full; absent: every planned one. */
  full?: number
}

export function plannedAdjacencies(facts: LabFacts, node: string): OspfExpectation['adjacencies'] {
  return (facts.node(node).ospf?.interfaces ?? []).filter((i) => !i.passive).map((i) => ({port: i.name, peer: i.peer}))
}

export function evaluateOspf(expect: OspfExpectation, result: ExecResult): Verdict {
  const states = parseOspfNeighbors(result.stdout)
  if (!states) return fail(`${expect.node}: cannot read OSPF state: ${frrError(result, 'ospfd')}`)
  const state = (port: string) => states.get(port) ?? 'no adjacency'
  const full = expect.adjacencies.filter((a) => state(a.port) === 'Full')
  const seen = [...states.values()].filter((s) => s === 'Full').length
  const wanted = expect.full ?? expect.adjacencies.length
  const notFull = expect.adjacencies.filter((a) => state(a.port) !== 'Full').map((a) => `${a.port} (${a.peer}) ${state(a.port)}`)
  const counted = `${expect.full === undefined ? full.length : seen} of ${expect.full === undefined ? expect.adjacencies.length : states.size} adjacencies Full`
  if ((expect.full === undefined && notFull.length > 0) || seen < wanted) return fail(`${expect.node}: ${counted}${expect.full === undefined ? '' : ` (expected at least ${wanted})`}${notFull.length > 0 ? `; ${notFull.join('; ')}` : ''}`)
  return pass(`${expect.node}: ${counted}`)
}

export function prepareOspf(expect: OspfExpectation, name: string, key: string): PreparedCheck {
  return {
    kind: 'ospf',
    name,
    key,
    settles: true,
    async run(context) {
      return evaluateOspf(expect, await runSharedProbe(context, {node: expect.node, argv: [...OSPF_NEIGHBORS]}))
    },
  }
}

export interface OspfCheck extends Named {
  node: string
  full?: number
}

export const ospfKey = (node: string) => `ospf:${node}:all`

export const ospfCheck = defineCheck<'ospf', OspfCheck>({
  kind: 'ospf',
  summary: 'a router\'s OSPF adjacencies Full (all planned ones, or at least N), in an OSPF lab',
  body: (z) => z.object({node: z.string().min(1), full: z.number().int().min(0).optional(), name: NAME_FIELD(z)}).strict(),
  references(check, refs) {
    const node = refs.node('node', check.node)
    if (node?.role === 'host') refs.error('node', `${refs.where('node')}: ${check.node} is a host; hosts run no OSPF`, 'name a router')
  },
  prepare(check, facts) {
    const adjacencies = plannedAdjacencies(facts, check.node)
    const all = check.full === undefined || check.full === adjacencies.length
    const expect = {node: check.node, adjacencies, ...(check.full !== undefined && {full: check.full})}
    return prepareOspf(expect, check.name ?? (all ? check.node : `${check.node}: ${check.full} Full`), all ? ospfKey(check.node) : `ospf:${check.node}:${check.full}`)
  },
})
