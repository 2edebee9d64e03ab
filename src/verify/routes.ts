// Reading a node's route towards a prefix, shared by the ecmp and route check kinds.
// FRR nodes answer from zebra's RIB; plain hosts from the kernel's table.
import type {ExecResult} from '../io/executor.js'
import {targetPrefix, type LabFacts} from './facts.js'
import {parsePrefix} from '../plan/ip.js'
import type {ReferenceContext} from '../kinds/checks/spec.js'
import type {Probe} from './types.js'
import {commandError, frrError, parseJson} from './probe.js'
import {forwardingRoute, type FrrRouteTable, type RouteSeen} from '../frr/json.js'
import {IPV4_ROUTES} from '../frr/commands.js'
import {mostSpecificKernelRoute, type KernelRoute} from '../linux/iproute.js'

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
    if (!table) return {error: `cannot read ${q.node}'s routes: ${frrError(result, 'zebra')}`}
    // The whole table or `show ip route <prefix> json`: either way the prefix is the key.
    return forwardingRoute(table[q.prefix])
  }
  const routes = parseJson<KernelRoute[]>(result)
  if (!routes) return {error: `cannot read ${q.node}'s routes: ${commandError(result)}`}
  return mostSpecificKernelRoute(routes)
}

export type Describe = (node: string, hop: {interface?: string; address?: string}) => string

export function describeHopWith(facts: LabFacts): Describe {
  return (node, hop) => {
    const peer = hop.interface ? facts.peerOf(node, hop.interface)?.node : undefined
    const owner = hop.address ? facts.ownerOf(hop.address) : undefined
    const who = peer ?? owner
    if (hop.interface) return who ? `${hop.interface} (${who})` : hop.interface
    return hop.address ? facts.describeAddress(hop.address) : 'directly connected'
  }
}

export const plainDescribe: Describe = (_node, hop) => hop.interface ?? hop.address ?? 'directly connected'

/** A check's target, a node name or a prefix, as the question to ask `node`. */
export function routeQuery(facts: LabFacts, node: string, target: string): RouteQuery {
  const {prefix, label} = targetPrefix(facts, target)
  return {node, prefix, label, frr: facts.runsFrr(node)}
}

/** `to:`/`prefix:` of ecmp and route checks: a node (its loopback) or an IPv4 prefix. */
export function checkRouteTarget(refs: ReferenceContext, key: string, target: string): void {
  if (!target.includes('/')) {
    if (!refs.has(target)) refs.node(key, target)
  } else if (!parsePrefix(target)) {
    refs.error(key, `${refs.where(key)}: "${target}" is not an IPv4 prefix`, 'write e.g. 10.1.0.0/24, or a node name')
  }
}
