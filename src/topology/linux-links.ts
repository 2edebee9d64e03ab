// The Linux link kinds' keys checked against the topology (docs/linux-links.md): `bond`, `vlan` and
// `vlans` on host links, `dummies` on switches, `macvlans` on hosts. Every problem at its key with its fix.
import {roleSpec} from '../kinds/roles/index.js'
import {portNameProblem} from '../kinds/roles/switch-ports.js'
import {VXLAN_OVERHEAD} from '../kinds/links/vxlan.js'
import {formatIpv4, parseIpv4, parsePrefix, prefixesOverlap, type Ipv4Prefix} from '../plan/ip.js'
import type {ContainerGroup, Topology, TopologyLink, TopologyNode} from './model.js'
import type {Report} from './report.js'

type Raw = Record<string, {dummies?: Record<string, string>; macvlans?: Record<string, string>}>

/** The host end and the switch end of a host link, or undefined for a link between two switches. */
export function hostEnds(link: Pick<TopologyLink, 'a' | 'b'>, roleOf: (node: string) => string | undefined): {host: TopologyLink['a']; sw: TopologyLink['a']} | undefined {
  if (roleOf(link.b.node) === 'host' && roleOf(link.a.node) !== 'host') return {host: link.b, sw: link.a}
  if (roleOf(link.a.node) === 'host' && roleOf(link.b.node) !== 'host') return {host: link.a, sw: link.b}
  return undefined
}

export const bridgeName = (vlan: number) => `br${vlan}`
export const vxlanName = (vlan: number) => `vxlan${vlan}`

export function resolveLinuxLinks(rawNodes: Raw, nodes: Map<string, TopologyNode>, links: readonly TopologyLink[], topology: Pick<Topology, 'routing' | 'addressing'>, containers: readonly ContainerGroup[], report: Report): NonNullable<Topology['linuxLinks']> {
  const roleOf = (name: string) => nodes.get(name)?.role
  const ports = new Map<string, Set<string>>()
  for (const link of links) for (const end of [link.a, link.b]) ports.set(end.node, (ports.get(end.node) ?? new Set()).add(end.port))
  const special = links.filter((l) => l.bond !== undefined || l.vlan !== undefined || l.vlans !== undefined)
  const bonds = new Map<string, TopologyLink[]>()
  for (const link of special) {
    const key = link.bond !== undefined ? link.bond : undefined
    const ends = checkHostLink(link, nodes, topology, report)
    if (!ends || key === undefined) continue
    bonds.set(`${ends.host.node}\0${key}`, [...(bonds.get(`${ends.host.node}\0${key}`) ?? []), link])
  }
  for (const members of bonds.values()) checkBond(members, roleOf, ports, report)
  checkVlans(special, roleOf, ports, topology, report)
  for (const group of containers) {
    const clash = special.find((l) => (l.a.node === group.host && l.a.port === group.parent) || (l.b.node === group.host && l.b.port === group.parent))
    if (clash) report.error(group.origin, `${group.host}'s containers sit on ${group.parent}, which is a bond member or VLAN port here`, `give ${group.host} a plain link for its containers, or remove bond/vlan from that link`, true)
  }
  const dummies = new Map<string, Record<string, string>>()
  const macvlans = new Map<string, Record<string, string>>()
  const taken: {prefix: Ipv4Prefix; owner: string}[] = []
  for (const [name, raw] of Object.entries(rawNodes)) {
    const node = nodes.get(name)
    if (!node) continue
    if (raw.dummies && checkDummies(node, raw.dummies, ports, topology, taken, report)) dummies.set(name, raw.dummies)
    if (raw.macvlans && checkMacvlans(node, raw.macvlans, ports, special, containers, report)) macvlans.set(name, raw.macvlans)
  }
  return {dummies, macvlans}
}

function checkHostLink(link: TopologyLink, nodes: Map<string, TopologyNode>, topology: Pick<Topology, 'routing'>, report: Report): ReturnType<typeof hostEnds> {
  const key = link.bond !== undefined ? 'bond' : link.vlan !== undefined ? 'vlan' : 'vlans'
  const where = [...link.origin, key]
  const ends = hostEnds(link, (n) => nodes.get(n)?.role)
  if (!ends || !roleSpec(nodes.get(ends.sw.node)!.role).numbersLinks) {
    report.error(where, `${key} applies to a link between a host and its leaf (or router); ${link.a.node}–${link.b.node} is not one`, `remove ${key} from this link`)
    return undefined
  }
  if (nodes.get(ends.host.node)!.routing !== 'static') return void report.error(where, `${key} on ${ends.host.node}'s link needs a plain host (routing: static): BGP on the host over bonds and VLANs is not supported`, `remove routing: bgp from ${ends.host.node}, or ${key} from this link`)
  if (topology.routing.protocol !== 'bgp') return void report.error(where, `${key} needs a BGP lab: OSPF labs do not announce bonds, VLANs or their bridges`, 'remove routing.protocol: ospf, or this key')
  if (link.vlan !== undefined && link.vlans !== undefined) return void report.error([...link.origin, 'vlans'], 'a link is an access port (vlan) or a trunk (vlans), not both', `keep vlans: [${[link.vlan, ...link.vlans].join(', ')}] for a trunk, or vlan: ${link.vlan} alone`)
  if (link.subnet !== undefined) return void report.error([...link.origin, 'subnet'], `a link with ${key} takes its addresses from its ${link.bond !== undefined && link.vlan === undefined && link.vlans === undefined ? 'bond (the host subnet pool)' : 'VLANs'}, not from its own subnet`, 'remove subnet')
  return ends
}

function checkBond(members: TopologyLink[], roleOf: (n: string) => string | undefined, ports: Map<string, Set<string>>, report: Report): void {
  const first = members[0]
  const ends = hostEnds(first, roleOf)!
  const name = first.bond!
  const problem = portNameProblem(name, ends.host.node)
  if (problem) return report.error([...first.origin, 'bond'], `bond "${name}": ${problem.message}`, problem.fix)
  for (const node of [ends.host.node, ends.sw.node]) {
    if (ports.get(node)?.has(name)) report.error([...first.origin, 'bond'], `bond ${name} has the name of a port of ${node}`, 'name the bond bond0, bond1 …')
  }
  if (members.length < 2) report.error([...first.origin, 'bond'], `bond ${name} of ${ends.host.node} has one member link; a bond joins two or more`, `add a second link with bond: ${name}, e.g. "- { endpoints: [${ends.host.node}:eth2, ${ends.sw.node}:<port>], bond: ${name} }"`)
  for (const link of members.slice(1)) {
    const other = hostEnds(link, roleOf)!
    if (other.sw.node !== ends.sw.node) report.error([...link.origin, 'bond'], `bond ${name} of ${ends.host.node} goes to ${ends.sw.node} and to ${other.sw.node}; an 802.3ad bond's links end on one switch`, `link every member to ${ends.sw.node}, or give this link another bond name`)
    const same = (a?: number[] | number, b?: number[] | number) => JSON.stringify(a) === JSON.stringify(b)
    if (!same(link.vlan, first.vlan) || !same(link.vlans, first.vlans) || link.mtu !== first.mtu) report.error([...link.origin, 'bond'], `the members of bond ${name} differ in vlan, vlans or mtu; the bond carries them once for all its links`, 'write the same vlan/vlans/mtu on every member (or none)')
  }
}

function checkVlans(special: readonly TopologyLink[], roleOf: (n: string) => string | undefined, ports: Map<string, Set<string>>, topology: Pick<Topology, 'addressing'>, report: Report): void {
  const switchesOf = new Map<number, Set<string>>()
  for (const link of special) {
    const ends = hostEnds(link, roleOf)
    if (!ends) continue
    const ids = link.vlans ?? (link.vlan !== undefined ? [link.vlan] : [])
    const seen = new Set<number>()
    for (const id of ids) {
      if (seen.has(id)) report.error([...link.origin, 'vlans'], `VLAN ${id} is listed twice`, 'list each VLAN once')
      seen.add(id)
      switchesOf.set(id, (switchesOf.get(id) ?? new Set()).add(ends.sw.node))
      for (const end of link.vlans ? [ends.host, ends.sw] : []) {
        const sub = `${link.bond ?? end.port}.${id}`
        if (Buffer.byteLength(sub) > 15) report.error([...link.origin, 'vlans'], `VLAN subinterface "${sub}" on ${end.node} is over Linux's 15-byte interface names`, 'use a shorter port or bond name, or a smaller VLAN id')
      }
      for (const name of [bridgeName(id), vxlanName(id)]) if (ports.get(ends.sw.node)?.has(name)) report.error([...link.origin, link.vlans ? 'vlans' : 'vlan'], `${ends.sw.node} has a port named ${name}, the name of VLAN ${id}'s ${name.startsWith('br') ? 'bridge' : 'VXLAN device'}`, 'rename that port')
    }
  }
  const spanning = [...switchesOf].filter(([, sws]) => sws.size > 1)
  if (spanning.length > 0 && topology.addressing.mtu - VXLAN_OVERHEAD < 1280) report.error(['addressing', 'mtu'], `VLANs carried by VXLAN lose ${VXLAN_OVERHEAD} bytes of MTU; ${topology.addressing.mtu} leaves less than 1280`, `raise addressing.mtu to ${1280 + VXLAN_OVERHEAD} or more`)
}

function checkDummies(node: TopologyNode, dummies: Record<string, string>, ports: Map<string, Set<string>>, topology: Pick<Topology, 'routing' | 'addressing'>, taken: {prefix: Ipv4Prefix; owner: string}[], report: Report): boolean {
  const path = ['nodes', node.name, 'dummies']
  if (roleSpec(node.role).routing !== 'always') return void report.error(path, `dummies apply to switches (routers that run BGP); ${node.name} is a ${node.role}`, 'move them to a leaf, spine or router; a host takes announce: or a macvlan', true), false
  if (topology.routing.protocol !== 'bgp') return void report.error(path, 'dummies need a BGP lab (their addresses are announced by BGP)', 'remove routing.protocol: ospf, or dummies', true), false
  const before = report.diagnostics.length
  for (const [name, text] of Object.entries(dummies)) {
    const problem = portNameProblem(name, node.name)
    if (problem) report.error([...path, name], `dummy "${name}": ${problem.message}`, problem.fix, true)
    else if (ports.get(node.name)?.has(name)) report.error([...path, name], `dummy ${name} has the name of a port of ${node.name}`, 'name it svc0, dummy0 …', true)
    const [address, length] = text.split('/')
    const value = parseIpv4(address)
    if (value === undefined || Number(length) > 32) {
      report.error([...path, name], `"${text}" is not an IPv4 address with a prefix length`, 'write e.g. 192.0.2.10/32')
      continue
    }
    const size = 2 ** (32 - Number(length))
    const prefix = {network: value - (value % size), length: Number(length)}
    for (const [key, pool] of Object.entries({loopbacks: topology.addressing.loopbacks, hosts: topology.addressing.hosts, p2p: topology.addressing.p2p})) {
      const parsed = parsePrefix(pool)
      if (parsed && prefixesOverlap(parsed, prefix)) report.error([...path, name], `${text} overlaps addressing.${key} ${pool}`, 'use a service address outside the pools, e.g. 192.0.2.10/32')
    }
    const clash = taken.find((t) => prefixesOverlap(t.prefix, prefix))
    if (clash) report.error([...path, name], `${text} overlaps ${clash.owner}'s`, 'give each dummy its own address')
    taken.push({prefix, owner: `${node.name}'s dummy ${name} (${formatIpv4(value)})`})
  }
  return report.diagnostics.length === before
}

function checkMacvlans(node: TopologyNode, macvlans: Record<string, string>, ports: Map<string, Set<string>>, special: readonly TopologyLink[], containers: readonly ContainerGroup[], report: Report): boolean {
  const path = ['nodes', node.name, 'macvlans']
  if (node.role !== 'host') return void report.error(path, `macvlans apply to hosts; ${node.name} is a ${node.role}`, 'move them to a host', true), false
  const before = report.diagnostics.length
  for (const [name, parent] of Object.entries(macvlans)) {
    const problem = portNameProblem(name, node.name)
    if (problem) report.error([...path, name], `macvlan "${name}": ${problem.message}`, problem.fix, true)
    else if (ports.get(node.name)?.has(name)) report.error([...path, name], `macvlan ${name} has the name of a port of ${node.name}`, 'name it mv0, mv1 …', true)
    const known = [...(ports.get(node.name) ?? [])]
    if (!known.includes(parent)) report.error([...path, name], `${node.name} has no port ${parent} for macvlan ${name} to sit on`, `use one of its ports: ${known.join(', ') || '(none: link it first)'}`)
    else if (special.some((l) => (l.a.node === node.name && l.a.port === parent) || (l.b.node === node.name && l.b.port === parent))) report.error([...path, name], `${parent} is a bond member or VLAN port; a macvlan sits on a plain host port`, 'choose a port without bond/vlan/vlans')
    else if (containers.some((g) => g.host === node.name && g.mode !== 'ipvlan-l3')) report.error([...path, name], `${node.name}'s ${containers.find((g) => g.host === node.name)!.mode} containers already take the addresses after the host's`, 'remove the macvlans or the containers')
  }
  return report.diagnostics.length === before
}
