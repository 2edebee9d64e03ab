// Topology → LabPlan: every address, ASN, MAC, peering and daemon decided once, deterministically.
// The plan's shape is here; planLab puts together numbers.ts (loopbacks, ASNs), links.ts (ports,
// subnets, MACs) and bgp.ts (sessions).
import {roleSpec, type Role} from '../kinds/roles/index.js'
import type {LinkKind, VirtualKind} from '../kinds/links/index.js'
import type {Check, ContainerMode, HostRouting, RoutingMode, RoutingProtocol, Topology, TopologyNode} from '../topology/model.js'
import {planBgp} from './bgp.js'
import {containerNodes, fanRoutes, plannedContainers} from './containers.js'
import {filterHostRoutes} from './host-filter.js'
import {announcedAddress} from './ip.js'
import {planLinks} from './links.js'
import {planNumbers} from './numbers.js'
import {planOspf} from './ospf.js'

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
  /** Index of its link in LabPlan.links. */
  link: number
  /**
   * Room for link kinds built on other interfaces (VLAN subinterfaces, bonds, bridges, VXLAN): the
   * interface this one sits on, or the members it joins. Point-to-point ports have neither.
   */
  parent?: string
  members?: string[]
  /** The bond or bridge this port is a member of (docs/linux-links.md); a member carries no address. */
  master?: string
}

/**
 * An interface built on ports (docs/linux-links.md), in a node's `virtual` list: a bond of `members`,
 * a VLAN subinterface of `parent`, a VLAN's bridge of `members`, its VXLAN device, a macvlan on
 * `parent`, a dummy. `master`: the bridge it is a port of.
 */
export interface PlannedVirtual {
  name: string
  kind: VirtualKind
  /** Set where lab chooses it (bonds: the first member's; bridges, VXLAN, macvlan: 02:4c:42:…); a VLAN subinterface has its parent's, a dummy the kernel's. */
  mac?: string
  mtu: number
  ipv4?: string
  /** The subnet its address is in (what the switch announces, what checks aim at). */
  subnet?: string
  parent?: string
  members?: string[]
  master?: string
  vlan?: number
  vxlan?: {vni: number; local: string; remotes: string[]; port: number}
}

export interface BgpNeighbor {
  peerGroup: string
  /** Unnumbered: the local interface the session runs over. */
  interface?: string
  /** Numbered: the peer's IPv4 address. */
  address?: string
  peer: string
  peerPort: string
  /** Sessions to a BGP host: the prefix-list of what this router accepts from it (plan/host-filter.ts). */
  prefixListIn?: string
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
  /** Container ranges it announces (prefix-list IPVLAN, any prefix inside them). */
  containerPrefixes?: string[]
  /** Routers with BGP hosts below: per host, what this router accepts from it. */
  hostFilters?: HostFilter[]
  /** Its BGP hosts with `accept: any`: everything they announce is taken. */
  unfilteredHosts?: string[]
}

/** One host's inbound prefix-list on its leaf: entries in FRR's words (`10.0.0.5/32`, `172.16.1.0/28 le 32`). */
export interface HostFilter {
  name: string
  host: string
  entries: string[]
}

/** A host's containers, as the host carries them. */
export interface PlannedContainers {
  mode: ContainerMode
  /** The host port they sit on. */
  parent: string
  names: string[]
  /** ipvlan-l3: the range, the host's own IPVLAN port and its address in the range. */
  subnet?: string
  hostPort?: string
  hostAddress?: string
  /** bridge: the host's bridge, enslaving `parent` and carrying the host's address. */
  bridge?: string
  /** fan: the host's Fan (docs/containers.md "The Fan"). */
  fan?: PlannedFan
}

/**
 * The Fan on one host, from plain IPIP: the containers sit on `bridge` (the host at `address`, the
 * first of `subnet`); `tunnel` is an IPIP device with `local underlay` and no remote, so each packet's
 * outer destination is its route's next hop; one route per other host of the overlay sends that host's
 * /24 to its underlay address. Nothing about the overlay is routed in the fabric.
 */
export interface PlannedFan {
  overlay: string
  /** The host's own address on the underlay (its uplink's): A.B.x.y. */
  underlay: string
  /** O.x.y.0/24. */
  subnet: string
  bridge: string
  address: string
  tunnel: string
  /** The overlay's MTU: the uplink's less the IPIP header. */
  mtu: number
  routes: {to: string; via: string; host: string}[]
}

/** OSPF area 0 on a router of an OSPF lab. */
export interface PlannedOspf {
  routerId: string
  /** Fabric ports (point-to-point, adjacencies expected) and host ports (passive: the subnet is announced, no adjacency). */
  interfaces: Array<{name: string; passive: boolean; peer: string}>
  /** Prefixes it brings into OSPF: loopback, announced prefixes, host subnets. */
  localPrefixes: string[]
  /** Its `announce` prefixes, redistributed (as external routes) so each keeps its length. */
  announce?: string[]
}

export interface PlannedNode {
  name: string
  role: Role
  routing: HostRouting
  hostname: string
  image: string
  memory: number
  loopback?: string
  /** Addresses of its `announce` prefixes, on its loopback (so each announced prefix answers). */
  loopbackAddresses?: string[]
  interfaces: PlannedInterface[]
  bgp?: PlannedBgp
  ospf?: PlannedOspf
  /** The topology's `frr:` lines, appended to its frr.conf. */
  frrExtra?: string
  /** Plain hosts: next hop towards the fabric (the leaf's address in the host subnet). */
  gateway?: {address: string; interface: string}
  forwarding: boolean
  daemons: string[]
  /** Hosts with `containers:`. */
  containers?: PlannedContainers
  /** Interfaces built on its ports: bonds, VLAN subinterfaces, bridges, VXLAN, macvlan, dummy (docs/linux-links.md). */
  virtual?: PlannedVirtual[]
  /** Container nodes: the host they run on and how they meet the network. */
  container?: {host: string; mode: ContainerMode}
}

export interface PlannedLinkEnd {
  node: string
  port: string
  mac: string
  ipv4?: string
}

export interface PlannedLink {
  index: number
  /** Its link kind; absent for the default, a point-to-point link (p2p). */
  kind?: LinkKind
  a: PlannedLinkEnd
  b: PlannedLinkEnd
  /** The subnet on the wire (host subnets, numbered /31s); absent for unnumbered fabric links. */
  subnet?: string
  /** The topology gave this link its own subnet: numbered (BGP to the peer's address) whatever the lab's mode. */
  ownSubnet?: true
  /** A name unique to this lab and link: VM providers name the link's network after it (VirtualBox intnet). */
  network: string
}

export interface LabPlan {
  version: number
  name: string
  description: string
  routingMode: RoutingMode
  /** Present for OSPF labs only (BGP is the default). */
  protocol?: Exclude<RoutingProtocol, 'bgp'>
  mtu: number
  /** Pools the fabric routes cover (hosts with a management NIC route these via their leaf). */
  fabricPrefixes: string[]
  nodes: PlannedNode[]
  links: PlannedLink[]
  checks: Check[]
}

export function planLab(topology: Topology): LabPlan {
  const {addressing, routing} = topology
  const numbers = planNumbers(topology)
  const {links, interfaces, linux} = planLinks(topology)
  const nodesByName = new Map(topology.nodes.map((n) => [n.name, n]))
  const nodes = topology.nodes.map((node): PlannedNode => {
    const ports = interfaces.get(node.name)!
    const loopback = numbers.loopbacks.get(node.name)
    const asn = numbers.asns.get(node.name)
    const planned: PlannedNode = {
      name: node.name,
      role: node.role,
      routing: node.routing,
      hostname: node.name,
      image: node.image,
      memory: node.memory,
      ...(loopback && {loopback: `${loopback}/32`}),
      ...(node.announce.length > 0 && {loopbackAddresses: node.announce.map(announcedAddress)}),
      interfaces: ports,
      forwarding: roleSpec(node.role).forwards,
      daemons: loopback === undefined ? [] : ['zebra', routing.protocol === 'ospf' ? 'ospfd' : 'bgpd'],
      ...(node.frr !== undefined && loopback !== undefined && {frrExtra: withAsn(node.frr, asn)}),
    }
    if (asn !== undefined) planned.bgp = planBgp({ports, loopback: loopback!, asn, mode: routing.mode, nodes: nodesByName, interfaces, links, announce: node.announce})
    else if (loopback !== undefined) planned.ospf = planOspf({ports, loopback, nodes: nodesByName, links, announce: node.announce})
    else planned.gateway = linux.gateway(node.name, ports[0].name) ?? {address: links[ports[0].link].a.ipv4!.split('/')[0], interface: ports[0].name}
    if (planned.bgp) for (const prefix of linux.prefixes(node.name)) if (!planned.bgp.localPrefixes.includes(prefix)) planned.bgp.localPrefixes.push(prefix)
    const group = topology.containers.find((g) => g.host === node.name)
    if (group) {
      planned.containers = plannedContainers(group, ports.find((p) => p.name === group.parent))
      if (planned.containers.bridge && planned.gateway) planned.gateway = {...planned.gateway, interface: planned.containers.bridge}
      if (planned.bgp && planned.containers.subnet) planned.bgp.containerPrefixes = [planned.containers.subnet]
    }
    return planned
  })
  linux.finish(nodes, links)
  fanRoutes(nodes)
  filterHostRoutes(nodes, nodesByName)
  let serial = 1
  for (const group of topology.containers) {
    nodes.push(...containerNodes(group, nodes.find((n) => n.name === group.host)!, links, addressing.mtu, serial))
    serial += group.names.length
  }
  return {
    version: PLAN_VERSION,
    name: topology.name,
    description: topology.description,
    routingMode: routing.mode,
    ...(routing.protocol === 'ospf' && {protocol: 'ospf' as const}),
    mtu: addressing.mtu,
    fabricPrefixes: [addressing.loopbacks, addressing.hosts, ...(routing.mode === 'numbered' ? [addressing.p2p] : [])],
    nodes,
    links,
    // A copy: the plan never shares (and so never lets anyone mutate) the topology's objects.
    checks: structuredClone(topology.checks),
  }
}

/** `router bgp` with no ASN in a node's `frr:` lines means its own instance: the ASN is filled in. */
function withAsn(text: NonNullable<TopologyNode['frr']>, asn: number | undefined): string {
  const lines = text.replace(/\s+$/, '').split('\n')
  return lines.map((line) => (asn !== undefined && /^\s*router bgp\s*$/.test(line) ? `${line.replace(/\s*$/, '')} ${asn}` : line)).join('\n')
}
