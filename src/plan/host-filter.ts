// What a router accepts from each BGP host it peers with: the prefixes the plan has that host
// announce (its loopback, `announce` prefixes, container range with anything inside it) plus the
// host's `accept:` prefixes, as one inbound prefix-list per host. Hosts are not trusted: a host that
// announces anything else (a mistake, a stray `ip addr add`) is refused at its leaf and never reaches
// the fabric. `accept: any` leaves that host unfiltered.
import type {TopologyNode} from '../topology/model.js'
import {PEER_GROUP_HOSTS, type HostFilter, type PlannedNode} from './plan.js'

/** The prefix-list a router applies to one host's sessions. */
export function hostFilterName(host: string): string {
  return `FROM_${host}`
}

/** Fills in `bgp.hostFilters` and each host session's `prefixListIn` on every router with BGP hosts below it. */
export function filterHostRoutes(nodes: readonly PlannedNode[], topologyNodes: ReadonlyMap<string, TopologyNode>): void {
  const byName = new Map(nodes.map((n) => [n.name, n]))
  for (const router of nodes) {
    if (!router.bgp || router.role === 'host') continue
    const filters: HostFilter[] = []
    const unfiltered: string[] = []
    for (const neighbor of router.bgp.neighbors) {
      if (neighbor.peerGroup !== PEER_GROUP_HOSTS) continue
      const accept = topologyNodes.get(neighbor.peer)?.accept
      if (accept === 'any') {
        if (!unfiltered.includes(neighbor.peer)) unfiltered.push(neighbor.peer)
        continue
      }
      const name = hostFilterName(neighbor.peer)
      neighbor.prefixListIn = name
      // A host linked twice to this router: one list for both sessions.
      if (filters.some((f) => f.name === name)) continue
      filters.push({name, host: neighbor.peer, entries: hostEntries(byName.get(neighbor.peer)!, accept ?? [])})
    }
    if (filters.length > 0) router.bgp.hostFilters = filters
    if (unfiltered.length > 0) router.bgp.unfilteredHosts = unfiltered
  }
}

/** Exact for what the host originates itself; `le 32` for ranges whose addresses come and go (containers, accept:). */
function hostEntries(host: PlannedNode, accept: readonly string[]): string[] {
  const range = (prefix: string) => (prefix.endsWith('/32') ? prefix : `${prefix} le 32`)
  const entries = [...host.bgp!.localPrefixes, ...(host.bgp!.containerPrefixes ?? []).map(range), ...accept.map(range)]
  return entries.filter((entry, i) => entries.indexOf(entry) === i)
}
