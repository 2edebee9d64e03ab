// What a node box says and how it is coloured, the same in every graph output.
import type {PlannedNode} from '../../plan/plan.js'

export type Style = 'super-spine' | 'spine' | 'router' | 'leaf' | 'host' | 'bgp-host'

export const STYLES: Record<Style, {fill: string; stroke: string; legend: string}> = {
  'super-spine': {fill: '#e6def5', stroke: '#5b3f9e', legend: 'super-spine'},
  spine: {fill: '#dbe8f8', stroke: '#2f5f9e', legend: 'spine'},
  router: {fill: '#f8e0e0', stroke: '#9e2f2f', legend: 'router'},
  leaf: {fill: '#dcf0d6', stroke: '#3f7f2f', legend: 'leaf'},
  host: {fill: '#f3f3f1', stroke: '#77736a', legend: 'host (static)'},
  'bgp-host': {fill: '#fbe6cf', stroke: '#b0621a', legend: 'host (BGP, routing on the host)'},
}

export function styleOf(node: PlannedNode): Style {
  return node.role === 'host' ? (node.bgp ? 'bgp-host' : 'host') : node.role
}

/** Name, then how it routes, then its address: ["leaf1", "AS 65001", "10.0.0.3/32"]. */
export function nodeLines(node: PlannedNode): [string, string, string] {
  if (node.bgp) {
    const asn = `AS ${node.bgp.asn}`
    // Dummy interfaces' service addresses after the loopback (docs/linux-links.md).
    const dummies = (node.virtual ?? []).filter((v) => v.kind === 'dummy').map((v) => ` · ${v.name} ${v.ipv4}`).join('')
    return [node.name, node.role === 'host' ? `BGP · ${asn}` : asn, `${node.loopback ?? node.bgp.routerId}${dummies}`]
  }
  if (node.ospf) return [node.name, 'OSPF area 0', node.loopback ?? node.ospf.routerId]
  const addresses = node.interfaces.filter((i) => i.ipv4).map((i) => i.ipv4!)
  const address = addresses.length === 0 ? 'no address' : addresses.length === 1 ? addresses[0] : `${addresses[0]} +${addresses.length - 1}`
  return [node.name, node.gateway ? `static · gw ${node.gateway.address}` : 'static', address]
}
