// The Linux link kinds in the plan (docs/linux-links.md). Host links with `bond`, `vlan` or `vlans`
// form lanes (a bond's links are one lane): a routed bond takes the next host subnet (switch .1,
// host .2) on its bond interfaces; VLAN N takes one subnet for the whole lab, the switches carrying
// it .1, .2 … in node order (each switch's bridge br<N> holds its address, the gateway of its hosts),
// the hosts the next addresses in link order. A VLAN on two or more switches gets a VXLAN device on
// each (VNI N, head-end replication to the others' loopbacks) and an MTU 50 bytes under the lab's.
// Macvlans take the addresses after their host in its port's subnet; dummies their own.
import {VXLAN_OVERHEAD, VXLAN_PORT} from '../kinds/links/vxlan.js'
import type {LinkAddressing} from '../kinds/links/spec.js'
import type {Topology, TopologyLink} from '../topology/model.js'
import {bridgeName, hostEnds, vxlanName} from '../topology/linux-links.js'
import {formatIpv4, formatPrefix, parseIpv4, parsePrefix} from './ip.js'
import type {PlannedInterface, PlannedLink, PlannedNode, PlannedVirtual} from './plan.js'

/** Virtual interfaces' MACs: 02:4c:42 ("LB") + a per-lab number, apart from link (41) and container (43) MACs. */
export function virtualMac(serial: number): string {
  return [0x02, 0x4c, 0x42, (serial >> 16) & 0xff, (serial >> 8) & 0xff, serial & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':')
}

/** The network of an address with its length: 192.0.2.10/24 → 192.0.2.0/24. */
function networkOf(text: string): string {
  const [address, length] = text.split('/')
  const size = 2 ** (32 - Number(length))
  const value = parseIpv4(address)!
  return formatPrefix({network: value - (value % size), length: Number(length)})
}

interface Lane {
  host: string
  sw: string
  /** The lane's port on each end: the bond, or the one link's port. */
  hostPort: string
  swPort: string
  bond?: string
  members: {host: string; sw: string}[]
  mtu: number
  /** Routed (no VLAN): the subnet and both addresses, on the lane's ports. */
  routed?: {subnet: string; sw: string; host: string}
  access?: number
  trunk?: number[]
  /** Per VLAN: the host's address in it. */
  hostAddresses: Map<number, string>
}

interface Vlan {
  id: number
  subnet?: {network: number; length: number}
  switches: string[]
  nextHost: number
  mtu: number
}

export interface LinuxLinkPlanner {
  /** Addresses of a link oriented switch first; undefined for a plain link. `onPorts`: the physical ends carry a and b. */
  address(link: TopologyLink): {subnet?: string; a?: string; b?: string; aOnPort: boolean; bOnPort: boolean} | undefined
  /** The link's MTU when its VLAN is carried by VXLAN. */
  mtu(link: TopologyLink): number | undefined
  /** Once every link is planned: each node's virtual interfaces, the ports' masters. */
  finish(nodes: PlannedNode[], links: PlannedLink[]): void
  /** A plain host's default route when its first port is in a lane. */
  gateway(host: string, port: string): {address: string; interface: string} | undefined
  /** Prefixes a switch announces besides its host links': its bridges' subnets and dummies. */
  prefixes(node: string): string[]
}

export function linuxLinkPlanner(topology: Topology, addressing: LinkAddressing): LinuxLinkPlanner {
  return new LinuxLinks(topology, addressing)
}

const at = (prefix: {network: number; length: number}, n: number) => `${formatIpv4(prefix.network + n)}/${prefix.length}`

class LinuxLinks implements LinuxLinkPlanner {
  private readonly vlans = new Map<number, Vlan>()
  private readonly lanes = new Map<string, Lane>()
  private readonly laneOfPort = new Map<string, Lane>()
  private readonly roleOf: (name: string) => string | undefined

  constructor(
    private readonly topology: Topology,
    private readonly addressing: LinkAddressing,
  ) {
    this.roleOf = (name) => topology.nodes.find((n) => n.name === name)?.role
    const order = new Map(topology.nodes.map((n, i) => [n.name, i]))
    for (const link of topology.links) {
      const ends = hostEnds(link, this.roleOf)
      for (const id of link.vlans ?? (link.vlan !== undefined ? [link.vlan] : [])) {
        const vlan = this.vlans.get(id) ?? {id, switches: [], nextHost: 0, mtu: topology.addressing.mtu}
        if (ends && !vlan.switches.includes(ends.sw.node)) vlan.switches.push(ends.sw.node)
        this.vlans.set(id, vlan)
      }
    }
    for (const vlan of this.vlans.values()) {
      vlan.switches.sort((x, y) => order.get(x)! - order.get(y)!)
      vlan.nextHost = vlan.switches.length + 1
      if (vlan.switches.length > 1) vlan.mtu = topology.addressing.mtu - VXLAN_OVERHEAD
    }
  }

  /** VLAN subnets are drawn from the host pool when first used, in link order. */
  private subnet(vlan: Vlan): {network: number; length: number} {
    if (!vlan.subnet) vlan.subnet = parsePrefix(this.addressing.hostSubnet().subnet)!
    return vlan.subnet
  }

  private swAddress(vlan: Vlan, sw: string): string {
    return at(this.subnet(vlan), vlan.switches.indexOf(sw) + 1)
  }

  private hostAddress(vlan: Vlan): string {
    return at(this.subnet(vlan), vlan.nextHost++)
  }

  private lane(link: TopologyLink): {lane: Lane; first: boolean} {
    const ends = hostEnds(link, this.roleOf)!
    const key = link.bond !== undefined ? `${ends.host.node}\0${link.bond}` : `${ends.host.node}\0${ends.host.port}`
    let lane = this.lanes.get(key)
    const first = !lane
    if (!lane) {
      lane = {host: ends.host.node, sw: ends.sw.node, hostPort: link.bond ?? ends.host.port, swPort: link.bond ?? ends.sw.port, ...(link.bond && {bond: link.bond}), members: [], mtu: link.mtu ?? this.topology.addressing.mtu, hostAddresses: new Map(), ...(link.vlan !== undefined && {access: link.vlan}), ...(link.vlans && {trunk: link.vlans})}
      this.lanes.set(key, lane)
    }
    lane.members.push({host: ends.host.port, sw: ends.sw.port})
    this.laneOfPort.set(`${ends.host.node}:${ends.host.port}`, lane)
    return {lane, first}
  }

  address(link: TopologyLink): ReturnType<LinuxLinkPlanner['address']> {
    if (link.bond === undefined && link.vlan === undefined && link.vlans === undefined) return undefined
    const {lane, first} = this.lane(link)
    if (!first) return {aOnPort: false, bOnPort: false}
    if (lane.access !== undefined) {
      const vlan = this.vlans.get(lane.access)!
      const host = this.hostAddress(vlan)
      lane.hostAddresses.set(vlan.id, host)
      lane.mtu = vlan.mtu
      return {subnet: formatPrefix(this.subnet(vlan)), a: this.swAddress(vlan, lane.sw), b: host, aOnPort: false, bOnPort: !lane.bond}
    }
    if (lane.trunk) {
      for (const id of lane.trunk) lane.hostAddresses.set(id, this.hostAddress(this.vlans.get(id)!))
      return {aOnPort: false, bOnPort: false}
    }
    const {subnet, first: sw, second: host} = this.addressing.hostSubnet()
    lane.routed = {subnet, sw, host}
    return {subnet, a: sw, b: host, aOnPort: false, bOnPort: false}
  }

  mtu(link: TopologyLink): number | undefined {
    if (link.vlan === undefined) return undefined
    const vlan = this.vlans.get(link.vlan)!
    return vlan.mtu === this.topology.addressing.mtu ? undefined : vlan.mtu
  }

  gateway(host: string, port: string): {address: string; interface: string} | undefined {
    const lane = this.laneOfPort.get(`${host}:${port}`)
    if (!lane) return undefined
    if (lane.routed) return {address: lane.routed.sw.split('/')[0], interface: lane.hostPort}
    const id = lane.access ?? lane.trunk![0]
    return {address: this.swAddress(this.vlans.get(id)!, lane.sw).split('/')[0], interface: lane.access !== undefined ? lane.hostPort : `${lane.hostPort}.${id}`}
  }

  prefixes(node: string): string[] {
    const bridged = this.sortedVlans().filter((v) => v.switches.includes(node)).map((v) => formatPrefix(this.subnet(v)))
    return [...bridged, ...Object.values(this.topology.linuxLinks?.dummies.get(node) ?? {}).map(networkOf)]
  }

  private sortedVlans(): Vlan[] {
    return [...this.vlans.values()].sort((x, y) => x.id - y.id)
  }

  finish(nodes: PlannedNode[], links: PlannedLink[]): void {
    const byName = new Map(nodes.map((n) => [n.name, n]))
    const virtual = new Map<string, PlannedVirtual[]>()
    const add = (node: string, v: PlannedVirtual) => virtual.set(node, [...(virtual.get(node) ?? []), v])
    const port = (node: string, name: string): PlannedInterface => byName.get(node)!.interfaces.find((p) => p.name === name)!
    const bridgePorts = new Map<string, string[]>()
    for (const lane of this.lanes.values()) {
      for (const v of this.laneInterfaces(lane, port)) {
        add(v.node, v.virtual)
        if (v.bridgePort) bridgePorts.set(`${lane.sw}\0${v.bridgePort.vlan}`, [...(bridgePorts.get(`${lane.sw}\0${v.bridgePort.vlan}`) ?? []), v.bridgePort.name])
      }
      if (!lane.bond && lane.access !== undefined) {
        port(lane.sw, lane.swPort).master = bridgeName(lane.access)
        bridgePorts.set(`${lane.sw}\0${lane.access}`, [...(bridgePorts.get(`${lane.sw}\0${lane.access}`) ?? []), lane.swPort])
      }
    }
    for (const vlan of this.sortedVlans()) for (const sw of vlan.switches) for (const v of this.bridgeInterfaces(vlan, sw, bridgePorts.get(`${sw}\0${vlan.id}`) ?? [], byName)) add(sw, v)
    for (const [host, macvlans] of this.topology.linuxLinks?.macvlans ?? []) {
      Object.entries(macvlans).forEach(([name, parent], i) => {
        const base = port(host, parent)
        const subnet = parsePrefix(links[base.link].subnet!)!
        add(host, {name, kind: 'macvlan', mtu: base.mtu, ipv4: at(subnet, 3 + i), subnet: formatPrefix(subnet), parent})
      })
    }
    for (const [sw, dummies] of this.topology.linuxLinks?.dummies ?? []) {
      for (const [name, text] of Object.entries(dummies)) add(sw, {name, kind: 'dummy', mtu: this.topology.addressing.mtu, ipv4: text, subnet: networkOf(text)})
    }
    let serial = 1
    for (const node of nodes) {
      const list = virtual.get(node.name)
      if (!list) continue
      // A VLAN subinterface has its parent's MAC; a dummy's is never seen (NOARP), and ifupdown2 once failed to set one on a fresh dummy, dropping its address with it.
      for (const v of list) if (!v.mac && v.kind !== 'vlan' && v.kind !== 'dummy') v.mac = virtualMac(serial++)
      node.virtual = list
    }
  }

  /** A lane's bond (members get it as master) and VLAN subinterfaces, on both ends; which of them join a bridge. */
  private laneInterfaces(lane: Lane, port: (node: string, name: string) => PlannedInterface): {node: string; virtual: PlannedVirtual; bridgePort?: {vlan: number; name: string}}[] {
    const out: {node: string; virtual: PlannedVirtual; bridgePort?: {vlan: number; name: string}}[] = []
    for (const end of [lane.host, lane.sw]) {
      const isSw = end === lane.sw
      if (lane.bond) {
        const members = lane.members.map((m) => (isSw ? m.sw : m.host))
        for (const m of members) port(end, m).master = lane.bond
        const ipv4 = lane.routed ? (isSw ? lane.routed.sw : lane.routed.host) : !isSw && lane.access !== undefined ? lane.hostAddresses.get(lane.access) : undefined
        const bridge = isSw && lane.access !== undefined ? bridgeName(lane.access) : undefined
        out.push({node: end, virtual: {name: lane.bond, kind: 'bond', mac: port(end, members[0]).mac, mtu: lane.mtu, ...(ipv4 && {ipv4}), ...(lane.routed && {subnet: lane.routed.subnet}), members, ...(bridge && {master: bridge})}, ...(bridge && {bridgePort: {vlan: lane.access!, name: lane.bond}})})
      }
      for (const id of lane.trunk ?? []) {
        const vlan = this.vlans.get(id)!
        const parent = isSw ? lane.swPort : lane.hostPort
        const name = `${parent}.${id}`
        const ipv4 = isSw ? undefined : lane.hostAddresses.get(id)
        out.push({node: end, virtual: {name, kind: 'vlan', mtu: vlan.mtu, ...(ipv4 && {ipv4, subnet: formatPrefix(this.subnet(vlan))}), parent, vlan: id, ...(isSw && {master: bridgeName(id)})}, ...(isSw && {bridgePort: {vlan: id, name}})})
      }
    }
    return out
  }

  /** A switch's bridge for a VLAN, and its VXLAN device when the VLAN is on other switches too. */
  private bridgeInterfaces(vlan: Vlan, sw: string, ports: string[], byName: Map<string, PlannedNode>): PlannedVirtual[] {
    const spans = vlan.switches.length > 1
    const bridge: PlannedVirtual = {name: bridgeName(vlan.id), kind: 'bridge', mtu: vlan.mtu, ipv4: this.swAddress(vlan, sw), subnet: formatPrefix(this.subnet(vlan)), members: [...ports, ...(spans ? [vxlanName(vlan.id)] : [])]}
    if (!spans) return [bridge]
    const loopbackOf = (name: string) => byName.get(name)!.loopback!.split('/')[0]
    return [bridge, {name: vxlanName(vlan.id), kind: 'vxlan', mtu: vlan.mtu, master: bridgeName(vlan.id), vxlan: {vni: vlan.id, local: loopbackOf(sw), remotes: vlan.switches.filter((s) => s !== sw).map(loopbackOf), port: VXLAN_PORT}}]
  }
}
