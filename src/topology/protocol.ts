// What an OSPF lab cannot have: BGP's keys (ASNs, routing on the host, unnumbered BGP sessions). Each
// is reported where the file writes it, so nothing is silently ignored.
import type {TopologyNode} from './model.js'
import type {Report} from './report.js'
import type {RawTopology} from './schema.js'

const BGP_ROUTING_KEYS = ['spine_asn', 'leaf_asn_base', 'host_asn_base', 'super_spine_asn', 'router_asn_base'] as const

export function checkProtocolKeys(raw: RawTopology, written: unknown, nodes: readonly TopologyNode[], report: Report): void {
  if (raw.routing?.protocol !== 'ospf') return
  const fix = 'remove it: an OSPF lab has no BGP (or use routing: { protocol: bgp })'
  const writtenRouting = ((written as Record<string, unknown> | undefined)?.routing ?? {}) as Record<string, unknown>
  for (const key of BGP_ROUTING_KEYS) {
    if (key in writtenRouting) report.error(['routing', key], `routing.${key} is a BGP setting; this lab runs OSPF`, fix, true)
  }
  if (writtenRouting.mode === 'unnumbered') report.error(['routing', 'mode'], 'routing.mode unnumbered is BGP over IPv6 link-local; OSPF runs over numbered /31 links', 'remove mode (OSPF labs are numbered)')
  const writtenFabric = ((written as Record<string, unknown> | undefined)?.fabric ?? {}) as Record<string, unknown>
  if (writtenFabric.host_routing === 'bgp') report.error(['fabric', 'host_routing'], 'fabric.host_routing bgp is routing on the host over BGP; this lab runs OSPF', 'remove host_routing (hosts in an OSPF lab are plain)')
  if ('pod_asn_base' in writtenFabric) report.error(['fabric', 'pod_asn_base'], 'fabric.pod_asn_base is a BGP setting; this lab runs OSPF', fix, true)
  for (const node of nodes) {
    const declared = raw.nodes?.[node.name]
    if (declared?.asn !== undefined) report.error([...node.origin, 'asn'], `${node.name} sets asn, a BGP setting; this lab runs OSPF`, fix, true)
    if (declared?.routing === 'bgp') report.error([...node.origin, 'routing'], `${node.name} has routing: bgp (routing on the host over BGP); this lab runs OSPF`, 'remove it: hosts in an OSPF lab are plain (address + default route)')
  }
}
