// route: a node has (or must not have) a route to a prefix.
import type {ExecResult} from '../../io/executor.js'
import type {LabFacts} from '../../verify/facts.js'
import {fail, pass, runSharedProbe} from '../../verify/probe.js'
import {checkRouteTarget, describeHopWith, plainDescribe, readRoute, routeProbe, routeQuery, type Describe, type RouteQuery} from '../../verify/routes.js'
import type {PreparedCheck, Verdict} from '../../verify/types.js'
import {defineCheck, NAME_FIELD, type Named} from './spec.js'

export function evaluateRoute(q: RouteQuery, present: boolean, result: ExecResult, describe: Describe = plainDescribe): Verdict {
  const route = readRoute(q, result)
  if (route && 'error' in route) return fail(route.error)
  if (!route) return present ? fail(`${q.node} has no route to ${q.label}`) : pass(`${q.node} has no route to ${q.label}, as expected`)
  const hops = route.nexthops.map((h) => describe(q.node, h)).join(', ')
  const seen = `${q.node} has ${route.prefix} (${route.protocol}${hops ? ` via ${hops}` : ''})`
  return present ? pass(seen) : fail(`${seen}; it must not`)
}

export function prepareRoute(facts: LabFacts, q: RouteQuery, present: boolean, name: string, key: string): PreparedCheck {
  return {
    kind: 'route',
    name,
    key,
    settles: true,
    async run(context) {
      return evaluateRoute(q, present, await runSharedProbe(context, routeProbe(q, true)), describeHopWith(facts))
    },
  }
}

export interface RouteCheck extends Named {
  node: string
  prefix: string
  present: boolean
}

export const routeCheck = defineCheck<'route', RouteCheck>({
  kind: 'route',
  summary: 'a node has (present: true) or must not have (present: false) a route to a prefix or a node\'s loopback',
  body: (z) =>
    z
      .object({node: z.string().min(1), prefix: z.string().min(1).describe('IPv4 prefix or node name (its loopback)'), present: z.boolean().default(true), name: NAME_FIELD(z)})
      .strict(),
  references(check, refs) {
    refs.node('node', check.node)
    checkRouteTarget(refs, 'prefix', check.prefix)
  },
  prepare(check, facts) {
    const query = routeQuery(facts, check.node, check.prefix)
    const name = check.name ?? `${check.node} ${check.present ? 'has' : 'has no'} ${check.prefix}`
    return prepareRoute(facts, query, check.present, name, `route:${check.node}:${query.prefix}:${check.present}`)
  },
})
