// Loopbacks and ASNs, in plan order (spines, leaves, hosts; natural name order within): every router
// and BGP host gets the next /32 of the loopback pool (also its router-id) and its role's ASN.
import {roleSpec, runsBgp} from '../kinds/roles/index.js'
import type {Topology} from '../topology/model.js'
import {formatIpv4, parsePrefix} from './ip.js'

export function planNumbers(topology: Topology): {loopbacks: Map<string, string>; asns: Map<string, number>} {
  const pool = parsePrefix(topology.addressing.loopbacks)!
  const loopbacks = new Map<string, string>()
  const asns = new Map<string, number>()
  const perRole = new Map<string, number>()
  for (const node of topology.nodes) {
    if (!runsBgp(node)) continue
    loopbacks.set(node.name, formatIpv4(pool.network + loopbacks.size + 1))
    const index = perRole.get(node.role) ?? 0
    perRole.set(node.role, index + 1)
    asns.set(node.name, roleSpec(node.role).asn(topology.routing, index))
  }
  return {loopbacks, asns}
}
