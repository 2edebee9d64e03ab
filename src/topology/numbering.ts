// The address and ASN pools: valid, not overlapping, large enough for the lab, and ASN ranges that
// keep every eBGP neighbour in its own AS. Clashes point at the setting the file really writes.
import type {Diagnostic} from './diagnostics.js'
import type {Role} from '../kinds/roles/index.js'
import type {Topology, TopologyLink, TopologyNode} from './model.js'
import {parsePrefix, prefixesOverlap, prefixSize} from '../plan/ip.js'

export function checkNumbering(
  nodes: TopologyNode[],
  links: TopologyLink[],
  routing: Topology['routing'],
  addressing: Topology['addressing'],
  error: (path: Diagnostic['path'], message: string, fix?: string) => void,
  writtenRoutingKeys: string[],
  writtenAddressingKeys: string[],
): void {
  // Point an ASN clash at the first of the clashing settings the file actually writes.
  const asnPath = (...keys: string[]) => ['routing', ...keys.filter((k) => writtenRoutingKeys.includes(k)).slice(0, 1)]
  const pools = {loopbacks: parsePrefix(addressing.loopbacks), hosts: parsePrefix(addressing.hosts), p2p: parsePrefix(addressing.p2p)}
  for (const [key, pool] of Object.entries(pools)) {
    if (!pool) error(['addressing', key], `addressing.${key} "${addressing[key as keyof typeof pools]}" is not a valid IPv4 network`, 'write a network address with no host bits set, e.g. 10.0.0.0/16')
  }
  const entries = Object.entries(pools).filter((e): e is [string, NonNullable<(typeof e)[1]>] => Boolean(e[1]))
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      if (!prefixesOverlap(entries[i][1], entries[j][1])) continue
      // Blame the pool the file sets (a default is never the one the user can see to change).
      const [blamed, other] = writtenAddressingKeys.includes(entries[j][0]) || !writtenAddressingKeys.includes(entries[i][0]) ? [entries[j][0], entries[i][0]] : [entries[i][0], entries[j][0]]
      const value = (key: string) => `${addressing[key as keyof typeof pools]}${writtenAddressingKeys.includes(key) ? '' : ' (the default)'}`
      error(['addressing', blamed], `addressing.${blamed} ${value(blamed)} overlaps addressing.${other} ${value(other)}`, 'give each pool its own range')
    }
  }
  const count = (role: Role, bgpOnly = false) => nodes.filter((n) => n.role === role && (!bgpOnly || n.routing === 'bgp')).length
  const needLoopbacks = nodes.filter((n) => n.role !== 'host' || n.routing === 'bgp').filter((n) => !n.loopback).length
  if (pools.loopbacks && needLoopbacks > prefixSize(pools.loopbacks) - 2) {
    error(['addressing', 'loopbacks'], `addressing.loopbacks ${addressing.loopbacks} holds ${prefixSize(pools.loopbacks) - 2} loopbacks; ${needLoopbacks} are needed`, 'use a larger pool')
  }
  const hostPorts = links.filter((l) => !l.subnet && [l.a, l.b].some((e) => nodes.find((n) => n.name === e.node)?.role === 'host')).length
  if (pools.hosts) {
    const capacity = addressing.hostPrefixLength < pools.hosts.length ? 0 : 2 ** (addressing.hostPrefixLength - pools.hosts.length)
    if (hostPorts > capacity) error(['addressing', 'hosts'], `addressing.hosts ${addressing.hosts} holds ${capacity} /${addressing.hostPrefixLength} host subnets; ${hostPorts} are needed`, 'use a larger pool or a longer host_prefix_length')
  }
  if (routing.mode === 'numbered' && pools.p2p) {
    const fabricLinks = links.filter((l) => !l.subnet).length - hostPorts
    if (fabricLinks > prefixSize(pools.p2p) / 2) error(['addressing', 'p2p'], `addressing.p2p ${addressing.p2p} holds ${prefixSize(pools.p2p) / 2} /31 links; ${fabricLinks} are needed`, 'use a larger pool')
  }
  const leaves = count('leaf')
  const hosts = count('host', true)
  const inRange = (asn: number, base: number, n: number) => asn >= base && asn < base + n
  const leafEnd = routing.leafAsnBase + leaves
  const hostEnd = routing.hostAsnBase + hosts
  if (inRange(routing.spineAsn, routing.leafAsnBase, leaves)) error(asnPath('leaf_asn_base', 'spine_asn'), `leaf ASNs ${routing.leafAsnBase}–${routing.leafAsnBase + leaves - 1} include the spine ASN ${routing.spineAsn}`, 'move leaf_asn_base or spine_asn')
  if (inRange(routing.spineAsn, routing.hostAsnBase, hosts)) error(asnPath('host_asn_base', 'spine_asn'), `host ASNs ${routing.hostAsnBase}–${hostEnd - 1} include the spine ASN ${routing.spineAsn}`, 'move host_asn_base or spine_asn')
  if (leaves > 0 && hosts > 0 && routing.leafAsnBase < hostEnd && routing.hostAsnBase < leafEnd) {
    error(asnPath('host_asn_base', 'leaf_asn_base'), `host ASNs ${routing.hostAsnBase}–${hostEnd - 1} overlap leaf ASNs ${routing.leafAsnBase}–${leafEnd - 1}`, `move host_asn_base to ${leafEnd} or above`)
  }
  const MAX_ASN = 4294967294 // 4294967295 is reserved (RFC 7300)
  if (leafEnd - 1 > MAX_ASN) error(asnPath('leaf_asn_base'), `leaf ASNs ${routing.leafAsnBase}–${leafEnd - 1} run past ${MAX_ASN}, the largest usable ASN`, `lower leaf_asn_base to ${MAX_ASN - leaves + 1} or less`)
  if (hostEnd - 1 > MAX_ASN) error(asnPath('host_asn_base'), `host ASNs ${routing.hostAsnBase}–${hostEnd - 1} run past ${MAX_ASN}, the largest usable ASN`, `lower host_asn_base to ${MAX_ASN - hosts + 1} or less`)
}
