// Loopbacks and ASNs, in plan order (super-spines, spines, routers, leaves, hosts; natural name order
// within): every router and BGP host gets its explicit `loopback`/`asn`, else the next free /32 of
// the loopback pool (also its router-id) and its role's ASN. An explicit loopback is never handed out
// by the pool to another node.
import {roleSpec, runsBgp} from '../kinds/roles/index.js'
import type {Topology} from '../topology/model.js'
import {formatIpv4, parsePrefix} from './ip.js'

export function planNumbers(topology: Topology): {loopbacks: Map<string, string>; asns: Map<string, number>} {
  const pool = parsePrefix(topology.addressing.loopbacks)!
  const loopbacks = new Map<string, string>()
  const asns = new Map<string, number>()
  const perRole = new Map<string, number>()
  const taken = new Set(topology.nodes.flatMap((n) => (n.loopback ? [n.loopback.split('/')[0]] : [])))
  let next = 1
  for (const node of topology.nodes) {
    if (!runsBgp(node)) continue
    if (node.loopback) loopbacks.set(node.name, node.loopback.split('/')[0])
    else {
      while (taken.has(formatIpv4(pool.network + next))) next++
      loopbacks.set(node.name, formatIpv4(pool.network + next++))
    }
    const index = perRole.get(node.role) ?? 0
    perRole.set(node.role, index + 1)
    if (topology.routing.protocol === 'bgp') asns.set(node.name, node.asn ?? roleSpec(node.role).asn(topology.routing, index))
  }
  return {loopbacks, asns}
}
