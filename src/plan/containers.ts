// Containers: each a node of its own after the topology's nodes, in host order, with one interface
// (eth0) sitting on its host's uplink; the host gets what it needs to carry them.
//   ipvlan-l3: IPVLAN L3 children addressed .1, .2 … of the container range; the host has an IPVLAN
//              port of its own at the range's last address and announces the range through BGP.
//   macvlan:   macvlan children with MACs of their own, on the leaf's host subnet after the host
//              (.3, .4 …), default route via the leaf like the host.
//   bridge:    the same addresses, over veth pairs into a bridge on the host that enslaves its
//              uplink and carries the host's own address (the LXD bridged container).
//   fan:       veth pairs into a bridge of the host's own, addressed from the overlay /24 its underlay
//              address maps to (A.B.x.y => O.x.y.0/24; the host is .1), carried between hosts in IPIP.
import type {ContainerGroup} from '../topology/model.js'
import {formatIpv4, parsePrefix, prefixSize} from './ip.js'
import type {PlannedContainers, PlannedFan, PlannedInterface, PlannedLink, PlannedNode} from './plan.js'

/** The host's own IPVLAN port: without it the host could not reach its own L3 children. */
export const HOST_IPVLAN_PORT = 'ipvl0'
/** bridge mode: the host's bridge (LXD's default name would be lxdbr0; this one enslaves the uplink). */
export const HOST_BRIDGE = 'br0'
/** The container's one interface, as Docker names it. */
export const CONTAINER_PORT = 'eth0'

/** Container MACs: 02:4c:43 ("LC") + a per-lab container number, apart from link MACs (02:4c:41). */
export function containerMac(serial: number): string {
  return [0x02, 0x4c, 0x43, (serial >> 16) & 0xff, (serial >> 8) & 0xff, serial & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':')
}

/** fan: the IPIP device (Ubuntu's fan module names its tunnel ftun0). */
export const FAN_TUNNEL = 'ftun0'
/** IPv4 header of the IPIP encapsulation. */
export const IPIP_OVERHEAD = 20

/** The Fan mapping: underlay A.B.x.y onto overlay O.0.0.0/8 gives O.x.y.0/24. */
export function fanSubnet(overlay: string, underlay: string): string {
  const [, , x, y] = underlay.split('.')
  return `${overlay.split('.')[0]}.${x}.${y}.0/24`
}

/** What the host carries for its containers. `uplink` is its planned port they sit on. */
export function plannedContainers(group: ContainerGroup, uplink?: PlannedInterface): PlannedContainers {
  const base = {mode: group.mode, parent: group.parent, names: group.names}
  if (group.mode === 'bridge') return {...base, bridge: HOST_BRIDGE}
  if (group.mode === 'fan') return {...base, fan: plannedFan(group.overlay!, uplink!)}
  if (group.mode !== 'ipvlan-l3') return base
  const subnet = parsePrefix(group.subnet!)!
  const last = subnet.network + prefixSize(subnet) - 2
  return {...base, subnet: group.subnet!, hostPort: HOST_IPVLAN_PORT, hostAddress: `${formatIpv4(last)}/${subnet.length}`}
}

function plannedFan(overlay: string, uplink: PlannedInterface): PlannedFan {
  const underlay = uplink.ipv4!.split('/')[0]
  const subnet = fanSubnet(overlay, underlay)
  return {
    overlay,
    underlay,
    subnet,
    // Ubuntu's name for the overlay's bridge: fan-<first octet>.
    bridge: `fan-${overlay.split('.')[0]}`,
    address: `${subnet.split('.').slice(0, 3).join('.')}.1/24`,
    tunnel: FAN_TUNNEL,
    mtu: uplink.mtu - IPIP_OVERHEAD,
    routes: [],
  }
}

/** Each Fan host's routes: every other host of its overlay's /24 via that host's underlay address. */
export function fanRoutes(nodes: readonly PlannedNode[]): void {
  const fans = nodes.filter((n) => n.containers?.fan)
  for (const node of fans) {
    const fan = node.containers!.fan!
    fan.routes = fans.filter((o) => o !== node && o.containers!.fan!.overlay === fan.overlay).map((o) => ({to: o.containers!.fan!.subnet, via: o.containers!.fan!.underlay, host: o.name}))
  }
}

/** The container nodes of one host. `serial` numbers containers across the lab (their MACs). */
export function containerNodes(group: ContainerGroup, host: PlannedNode, links: readonly PlannedLink[], mtu: number, serial: number): PlannedNode[] {
  const parent = host.interfaces.find((p) => p.name === group.parent)!
  return group.names.map((name, i) => {
    const port: PlannedInterface = {
      name: CONTAINER_PORT,
      ...addressing(group, parent, links[parent.link], i, serial + i, host.containers?.fan),
      mtu: host.containers?.fan?.mtu ?? mtu,
      parent: group.parent,
      peer: {node: host.name, port: group.parent, role: host.role},
      link: parent.link,
    }
    const gateway = host.containers?.fan
      ? {address: host.containers.fan.address.split('/')[0], interface: CONTAINER_PORT}
      : group.mode !== 'ipvlan-l3' ? {address: links[parent.link].a.ipv4!.split('/')[0], interface: CONTAINER_PORT} : undefined
    return {name, role: host.role, routing: 'static', hostname: name, image: host.image, memory: host.memory, interfaces: [port], ...(gateway && {gateway}), forwarding: false, daemons: [], container: {host: host.name, mode: group.mode}}
  })
}

function addressing(group: ContainerGroup, parent: PlannedInterface, link: PlannedLink, index: number, serial: number, fan?: PlannedFan): {mac: string; ipv4: string} {
  // The Fan: .2, .3 … of the host's overlay /24 (the host is .1).
  if (fan) return {mac: containerMac(serial), ipv4: `${fan.subnet.split('.').slice(0, 3).join('.')}.${index + 2}/24`}
  if (group.mode === 'ipvlan-l3') {
    const subnet = parsePrefix(group.subnet!)!
    // An IPVLAN child answers with its parent's MAC.
    return {mac: parent.mac, ipv4: `${formatIpv4(subnet.network + index + 1)}/${subnet.length}`}
  }
  const subnet = parsePrefix(link.subnet!)!
  return {mac: containerMac(serial), ipv4: `${formatIpv4(subnet.network + index + 3)}/${subnet.length}`}
}
