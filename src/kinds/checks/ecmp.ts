// ecmp: how many equal-cost next hops a node forwards a prefix over (FRR's RIB, or a host's kernel).
import type {ExecResult} from '../../io/executor.js'
import {plural} from '../../util/text.js'
import type {LabFacts} from '../../verify/facts.js'
import {fail, pass, runSharedProbe} from '../../verify/probe.js'
import {checkRouteTarget, describeHopWith, plainDescribe, readRoute, routeProbe, routeQuery, type Describe, type RouteQuery} from '../../verify/routes.js'
import type {PreparedCheck, Verdict} from '../../verify/types.js'
import {defineCheck, NAME_FIELD, type Named} from './spec.js'

export function evaluateEcmp(q: RouteQuery, paths: number, result: ExecResult, describe: Describe = plainDescribe): Verdict {
  const route = readRoute(q, result)
  if (route && 'error' in route) return fail(route.error)
  if (!route) return fail(`no route to ${q.label}; expected ${plural(paths, 'equal-cost path')}`)
  const hops = route.nexthops.map((h) => describe(q.node, h)).join(', ')
  const seen = `${plural(route.nexthops.length, 'next hop')} to ${q.label}${hops ? `: ${hops}` : ''}`
  return route.nexthops.length === paths ? pass(seen) : fail(`${seen}; expected ${paths}`)
}

export function prepareEcmp(facts: LabFacts, q: RouteQuery, paths: number, name: string, key: string): PreparedCheck {
  return {
    kind: 'ecmp',
    name,
    key,
    settles: true,
    async run(context) {
      return evaluateEcmp(q, paths, await runSharedProbe(context, routeProbe(q, false)), describeHopWith(facts))
    },
  }
}

export interface EcmpCheck extends Named {
  node: string
  to: string
  paths: number
}

export const ecmpKey = (node: string, prefix: string, paths: number) => `ecmp:${node}:${prefix}:${paths}`

export const ecmpCheck = defineCheck<'ecmp', EcmpCheck>({
  kind: 'ecmp',
  summary: 'a node forwards towards a node\'s loopback (or a prefix) over exactly N equal-cost paths',
  body: (z) =>
    z.object({node: z.string().min(1), to: z.string().min(1).describe('node name (its loopback) or IPv4 prefix'), paths: z.number().int().min(1), name: NAME_FIELD(z)}).strict(),
  references(check, refs) {
    refs.node('node', check.node)
    checkRouteTarget(refs, 'to', check.to)
  },
  prepare(check, facts) {
    const query = routeQuery(facts, check.node, check.to)
    return prepareEcmp(facts, query, check.paths, check.name ?? `${check.node} -> ${check.to}`, ecmpKey(check.node, query.prefix, check.paths))
  },
})
