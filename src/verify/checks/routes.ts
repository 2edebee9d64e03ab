// ecmp (how many next hops towards a prefix) and route (a node has, or must not have, a prefix).
// FRR nodes answer from zebra's RIB; plain hosts from the kernel's table.
import type {ExecResult} from '../../io/executor.js'
import {plural} from '../../util/text.js'
import type {LabFacts} from '../facts.js'
import {type PreparedCheck, type Probe, type Verdict} from '../types.js'
import {commandError, fail, parseJson, pass, runSharedProbe} from '../probe.js'
import {forwardingRoute, type FrrRouteTable, type RouteSeen} from '../../frr/json.js'
import {IPV4_ROUTES} from '../../frr/commands.js'
import {mostSpecificKernelRoute, type KernelRoute} from '../../linux/iproute.js'

export interface RouteQuery {
  node: string
  prefix: string
  /** "leaf2's loopback 10.0.0.4/32" */
  label: string
  /** FRR on the node: ask zebra; otherwise the kernel. */
  frr: boolean
}

/**
 * FRR nodes: zebra's whole IPv4 table, one answer shared by every check on the node; the prefix is
 * looked up exactly. Plain hosts: the kernel's routes, `exact` for route checks, else the most
 * specific covering route (ecmp).
 */
export function routeProbe(q: RouteQuery, exact: boolean): Probe {
  if (q.frr) return {node: q.node, argv: [...IPV4_ROUTES]}
  return {node: q.node, argv: ['ip', '-j', '-4', 'route', 'show', exact ? 'exact' : 'match', q.prefix]}
}

/** The route in the output, or a failure message when the output could not be read. */
export function readRoute(q: RouteQuery, result: ExecResult): RouteSeen | undefined | {error: string} {
  if (q.frr) {
    const table = parseJson<FrrRouteTable>(result)
    if (!table) return {error: `cannot read ${q.node}'s routes: ${commandError(result)}`}
    // The whole table or `show ip route <prefix> json`: either way the prefix is the key.
    return forwardingRoute(table[q.prefix])
  }
  const routes = parseJson<KernelRoute[]>(result)
  if (!routes) return {error: `cannot read ${q.node}'s routes: ${commandError(result)}`}
  return mostSpecificKernelRoute(routes)
}

type Describe = (node: string, hop: {interface?: string; address?: string}) => string

export function describeHopWith(facts: LabFacts): Describe {
  return (node, hop) => {
    const peer = hop.interface ? facts.peerOf(node, hop.interface)?.node : undefined
    const owner = hop.address ? facts.ownerOf(hop.address) : undefined
    const who = peer ?? owner
    if (hop.interface) return who ? `${hop.interface} (${who})` : hop.interface
    return hop.address ? facts.describeAddress(hop.address) : 'directly connected'
  }
}

const plainDescribe: Describe = (_node, hop) => hop.interface ?? hop.address ?? 'directly connected'

export function evaluateEcmp(q: RouteQuery, paths: number, result: ExecResult, describe: Describe = plainDescribe): Verdict {
  const route = readRoute(q, result)
  if (route && 'error' in route) return fail(route.error)
  if (!route) return fail(`no route to ${q.label}; expected ${plural(paths, 'equal-cost path')}`)
  const hops = route.nexthops.map((h) => describe(q.node, h)).join(', ')
  const seen = `${plural(route.nexthops.length, 'next hop')} to ${q.label}${hops ? `: ${hops}` : ''}`
  return route.nexthops.length === paths ? pass(seen) : fail(`${seen}; expected ${paths}`)
}

export function evaluateRoute(q: RouteQuery, present: boolean, result: ExecResult, describe: Describe = plainDescribe): Verdict {
  const route = readRoute(q, result)
  if (route && 'error' in route) return fail(route.error)
  if (!route) return present ? fail(`${q.node} has no route to ${q.label}`) : pass(`${q.node} has no route to ${q.label}, as expected`)
  const hops = route.nexthops.map((h) => describe(q.node, h)).join(', ')
  const seen = `${q.node} has ${route.prefix} (${route.protocol}${hops ? ` via ${hops}` : ''})`
  return present ? pass(seen) : fail(`${seen}; it must not`)
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
