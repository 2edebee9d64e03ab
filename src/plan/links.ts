// Links and ports: each link oriented with the end that numbers links first (the leaf), ordered by
// that end and its port so subnets follow the fabric's shape; addressed by its kind; two MACs each.
import {linkSpec} from '../kinds/links/index.js'
import type {LinkAddressing} from '../kinds/links/spec.js'
import {roleSpec} from '../kinds/roles/index.js'
import type {Topology} from '../topology/model.js'
import {naturalCompare} from '../util/natural-sort.js'
import {formatIpv4, formatPrefix, parsePrefix, subnetAt, type Ipv4Prefix} from './ip.js'
import type {PlannedInterface, PlannedLink, PlannedLinkEnd} from './plan.js'
import {linuxLinkPlanner, type LinuxLinkPlanner} from './linux-links.js'

/** Locally administered MAC from a per-lab endpoint number: 02:4c:41 ("LA") + 24 bits. */
export function endpointMac(serial: number): string {
  const bytes = [0x02, 0x4c, 0x41, (serial >> 16) & 0xff, (serial >> 8) & 0xff, serial & 0xff]
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')
}

export function planLinks(topology: Topology): {links: PlannedLink[]; interfaces: Map<string, PlannedInterface[]>; linux: LinuxLinkPlanner} {
  const roleOf = new Map(topology.nodes.map((n) => [n.name, n.role]))
  const nodeOrder = new Map(topology.nodes.map((n, i) => [n.name, i]))
  const oriented = topology.links.map((link) => (roleSpec(roleOf.get(link.a.node)!).numbersLinks ? link : {...link, a: link.b, b: link.a}))
  oriented.sort((x, y) => nodeOrder.get(x.a.node)! - nodeOrder.get(y.a.node)! || naturalCompare(x.a.port, y.a.port))

  const addressing = linkAddressing(topology)
  const linux = linuxLinkPlanner(topology, addressing)
  const interfaces = new Map<string, PlannedInterface[]>(topology.nodes.map((n) => [n.name, []]))
  const links = oriented.map((link, index): PlannedLink => {
    // Bonds and VLANs (plan/linux-links.ts): addresses on the bond or VLAN interfaces, not the ports.
    const special = linux.address(link)
    const {subnet, a, b} = special ?? linkSpec(link.kind).address(roleSpec(roleOf.get(link.b.node)!).endpoint, addressing, link.subnet)
    const onPort = {a: special?.aOnPort ?? true, b: special?.bOnPort ?? true}
    const mtu = linux.mtu(link) ?? link.mtu ?? topology.addressing.mtu
    const aEnd: PlannedLinkEnd = {node: link.a.node, port: link.a.port, mac: endpointMac(index * 2 + 1), ...(a && {ipv4: a})}
    const bEnd: PlannedLinkEnd = {node: link.b.node, port: link.b.port, mac: endpointMac(index * 2 + 2), ...(b && {ipv4: b})}
    for (const [self, other, side] of [[aEnd, bEnd, 'a'], [bEnd, aEnd, 'b']] as const) {
      const port: PlannedInterface = {name: self.port, mac: self.mac, mtu, ...(self.ipv4 && onPort[side] && {ipv4: self.ipv4}), peer: {node: other.node, port: other.port, role: roleOf.get(other.node)!}, link: index}
      interfaces.get(self.node)!.push(port)
    }
    return {index, ...(link.kind !== 'p2p' && {kind: link.kind}), a: aEnd, b: bEnd, ...(subnet && {subnet}), ...(link.subnet && {ownSubnet: true as const}), network: `lab-${topology.name}-link${index + 1}`}
  })
  for (const ports of interfaces.values()) ports.sort((x, y) => naturalCompare(x.name, y.name))
  return {links, interfaces, linux}
}

/** The pools' next subnets, drawn in link order. */
function linkAddressing(topology: Topology): LinkAddressing {
  const {addressing, routing} = topology
  const hostPool = parsePrefix(addressing.hosts)!
  const p2pPool = parsePrefix(addressing.p2p)!
  let hostSubnets = 0
  let p2pSubnets = 0
  const ends = (prefix: Ipv4Prefix, first: number, second: number) => ({
    subnet: formatPrefix(prefix),
    first: `${formatIpv4(prefix.network + first)}/${prefix.length}`,
    second: `${formatIpv4(prefix.network + second)}/${prefix.length}`,
  })
  return {
    hostSubnet: () => ends(subnetAt(hostPool, addressing.hostPrefixLength, hostSubnets++)!, 1, 2),
    p2pSubnet: () => ends(subnetAt(p2pPool, 31, p2pSubnets++)!, 0, 1),
    unnumbered: routing.mode === 'unnumbered',
    ownSubnet(text, toEndpoint) {
      const prefix = parsePrefix(text)!
      if (prefix.length < 31) {
        const {subnet, first, second} = ends(prefix, 1, 2)
        return {subnet, a: first, b: second}
      }
      // A /31: the numbering end on the odd address of a fabric link (as the pool does), the even one towards a host.
      const {subnet, first, second} = ends(prefix, 0, 1)
      return toEndpoint ? {subnet, a: first, b: second} : {subnet, a: second, b: first}
    },
  }
}
