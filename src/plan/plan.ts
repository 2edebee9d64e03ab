// Topology → LabPlan: every address, ASN, MAC, peering and daemon decided once, deterministically.
import {formatIpv4, formatPrefix, parsePrefix, subnetAt} from './ip.js'
import type {Check, HostRouting, RoutingMode, Topology, TopologyNode} from '../topology/model.js'
import type {Role} from '../topology/schema.js'
import {naturalCompare} from '../util/natural-sort.js'

export const PLAN_VERSION = 1
export const PEER_GROUP_FABRIC = 'fabric'
export const PEER_GROUP_HOSTS = 'hosts'

export interface PlannedInterface {
  name: string
  mac: string
  mtu: number
  /** IPv4 address with prefix length; absent on unnumbered fabric ports. */
  ipv4?: string
  peer: {node: string; port: string; role: Role}
  link: number
}

export interface BgpNeighbor {
  peerGroup: string
  /** Unnumbered: the local interface the session runs over. */
  interface?: string
  /** Numbered: the peer's IPv4 address. */
  address?: string
  peer: string
  peerPort: string
}

/** How FRR names a session: by the local interface (unnumbered) or the peer's address (numbered). */
export function neighborKey(neighbor: BgpNeighbor): string {
  return neighbor.interface ?? neighbor.address!
}

export interface PlannedBgp {
  asn: number
  routerId: string
  peerGroups: string[]
  neighbors: BgpNeighbor[]
  /** Prefixes this node originates (redistribute connected, limited by a prefix-list). */
  localPrefixes: string[]
  /** Unnumbered ports that need router advertisements for neighbor discovery. */
  raInterfaces: string[]
}

export interface PlannedNode {
  name: string
  role: Role
  routing: HostRouting
  hostname: string
  image: string
  memory: number
  loopback?: string
  interfaces: PlannedInterface[]
  bgp?: PlannedBgp
  /** Plain hosts: next hop towards the fabric (the leaf's address in the host subnet). */
  gateway?: {address: string; interface: string}
  forwarding: boolean
  daemons: string[]
}

export interface PlannedLinkEnd {
  node: string
  port: string
  mac: string
  ipv4?: string
}

export interface PlannedLink {
  index: number
  a: PlannedLinkEnd
  b: PlannedLinkEnd
  /** The subnet on the wire (host subnets, numbered /31s); absent for unnumbered fabric links. */
  subnet?: string
  /** VirtualBox internal network: unique per lab and link. */
  network: string
}

export interface LabPlan {
  version: number
  name: string
  description: string
  routingMode: RoutingMode
  mtu: number
  /** Pools the fabric routes cover (hosts with a management NIC route these via their leaf). */
  fabricPrefixes: string[]
  nodes: PlannedNode[]
  links: PlannedLink[]
  checks: Check[]
}

/** Locally administered MAC from a per-lab endpoint number: 02:4c:41 ("LA") + 24 bits. */
export function endpointMac(serial: number): string {
  const bytes = [0x02, 0x4c, 0x41, (serial >> 16) & 0xff, (serial >> 8) & 0xff, serial & 0xff]
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')
}

export function planLab(topology: Topology): LabPlan {
  const nodesByName = new Map(topology.nodes.map((n) => [n.name, n]))
  const roleOf = (name: string) => nodesByName.get(name)!.role
  const {addressing, routing} = topology
  const loopbackPool = parsePrefix(addressing.loopbacks)!
  const hostPool = parsePrefix(addressing.hosts)!
  const p2pPool = parsePrefix(addressing.p2p)!

  // Loopbacks and ASNs in node order (spines, leaves, hosts; natural name order within).
  const loopbacks = new Map<string, string>()
  const asns = new Map<string, number>()
  let leafIndex = 0
  let hostIndex = 0
  for (const node of topology.nodes) {
    if (!runsBgp(node)) continue
    loopbacks.set(node.name, formatIpv4(loopbackPool.network + loopbacks.size + 1))
    asns.set(node.name, node.role === 'spine' ? routing.spineAsn : node.role === 'leaf' ? routing.leafAsnBase + leafIndex++ : routing.hostAsnBase + hostIndex++)
  }

  // Order links so subnets follow the fabric's shape: by the leaf (or lower-tier) end, then its port.
  const nodeOrder = new Map(topology.nodes.map((n, i) => [n.name, i]))
  const oriented = topology.links.map((link) => {
    // The "a" side is the leaf for leaf-spine links and the leaf for host-leaf links.
    const aIsLeaf = roleOf(link.a.node) === 'leaf'
    return aIsLeaf ? {a: link.a, b: link.b} : {a: link.b, b: link.a}
  })
  oriented.sort((x, y) => nodeOrder.get(x.a.node)! - nodeOrder.get(y.a.node)! || naturalCompare(x.a.port, y.a.port))

  const interfaces = new Map<string, PlannedInterface[]>(topology.nodes.map((n) => [n.name, []]))
  const links: PlannedLink[] = []
  let hostSubnets = 0
  let p2pLinks = 0
  oriented.forEach(({a, b}, index) => {
    const toHost = roleOf(b.node) === 'host'
    let subnet: string | undefined
    let aAddress: string | undefined
    let bAddress: string | undefined
    if (toHost) {
      const prefix = subnetAt(hostPool, addressing.hostPrefixLength, hostSubnets++)!
      subnet = formatPrefix(prefix)
      aAddress = `${formatIpv4(prefix.network + 1)}/${prefix.length}`
      bAddress = `${formatIpv4(prefix.network + 2)}/${prefix.length}`
    } else if (routing.mode === 'numbered') {
      const prefix = subnetAt(p2pPool, 31, p2pLinks++)!
      subnet = formatPrefix(prefix)
      // Spine end takes the even address, leaf end the odd one.
      bAddress = `${formatIpv4(prefix.network)}/31`
      aAddress = `${formatIpv4(prefix.network + 1)}/31`
    }
    const aEnd: PlannedLinkEnd = {node: a.node, port: a.port, mac: endpointMac(index * 2 + 1), ...(aAddress && {ipv4: aAddress})}
    const bEnd: PlannedLinkEnd = {node: b.node, port: b.port, mac: endpointMac(index * 2 + 2), ...(bAddress && {ipv4: bAddress})}
    links.push({index, a: aEnd, b: bEnd, ...(subnet && {subnet}), network: `lab-${topology.name}-link${index + 1}`})
    for (const [self, other] of [[aEnd, bEnd], [bEnd, aEnd]]) {
      interfaces.get(self.node)!.push({
        name: self.port,
        mac: self.mac,
        mtu: addressing.mtu,
        ...(self.ipv4 && {ipv4: self.ipv4}),
        peer: {node: other.node, port: other.port, role: roleOf(other.node)},
        link: index,
      })
    }
  })

  const nodes = topology.nodes.map((node): PlannedNode => {
    const ports = interfaces.get(node.name)!.sort((x, y) => naturalCompare(x.name, y.name))
    const loopback = loopbacks.get(node.name)
    const planned: PlannedNode = {
      name: node.name,
      role: node.role,
      routing: node.routing,
      hostname: node.name,
      image: node.image,
      memory: node.memory,
      ...(loopback && {loopback: `${loopback}/32`}),
      interfaces: ports,
      forwarding: node.role !== 'host',
      daemons: runsBgp(node) ? ['zebra', 'bgpd'] : [],
    }
    if (runsBgp(node)) planned.bgp = planBgp(node, ports, loopback!, asns.get(node.name)!, routing.mode, nodesByName, interfaces, links)
    else {
      const uplink = ports[0]
      const gateway = links[uplink.link].a.ipv4!.split('/')[0]
      planned.gateway = {address: gateway, interface: uplink.name}
    }
    return planned
  })

  return {
    version: PLAN_VERSION,
    name: topology.name,
    description: topology.description,
    routingMode: routing.mode,
    mtu: addressing.mtu,
    fabricPrefixes: [addressing.loopbacks, addressing.hosts, ...(routing.mode === 'numbered' ? [addressing.p2p] : [])],
    nodes,
    links,
    // A copy: the plan never shares (and so never lets anyone mutate) the topology's objects.
    checks: structuredClone(topology.checks),
  }
}

function runsBgp(node: TopologyNode): boolean {
  return node.role !== 'host' || node.routing === 'bgp'
}

function planBgp(
  node: TopologyNode,
  ports: PlannedInterface[],
  loopback: string,
  asn: number,
  mode: RoutingMode,
  nodesByName: Map<string, TopologyNode>,
  interfaces: Map<string, PlannedInterface[]>,
  links: PlannedLink[],
): PlannedBgp {
  const neighbors: BgpNeighbor[] = []
  const localPrefixes = [`${loopback}/32`]
  for (const port of ports) {
    const peer = nodesByName.get(port.peer.node)!
    if (peer.role === 'host') localPrefixes.push(links[port.link].subnet!)
    if (!runsBgp(peer)) continue
    const peerGroup = peer.role === 'host' ? PEER_GROUP_HOSTS : PEER_GROUP_FABRIC
    const peerPort = interfaces.get(peer.name)!.find((p) => p.link === port.link)!
    // Host links always carry a subnet; in unnumbered mode BGP still runs over link-local there.
    const byAddress = mode === 'numbered'
    neighbors.push({
      peerGroup,
      ...(byAddress ? {address: peerPort.ipv4!.split('/')[0]} : {interface: port.name}),
      peer: peer.name,
      peerPort: peerPort.name,
    })
  }
  const peerGroups = [PEER_GROUP_FABRIC, PEER_GROUP_HOSTS].filter((g) => neighbors.some((n) => n.peerGroup === g))
  return {
    asn,
    routerId: loopback,
    peerGroups,
    neighbors,
    localPrefixes,
    raInterfaces: neighbors.filter((n) => n.interface).map((n) => n.interface!),
  }
}
