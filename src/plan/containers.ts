// Containers: each a node of its own after the topology's nodes, in host order, with one interface
// (eth0) sitting on its host's uplink; the host gets what it needs to carry them.
//   ipvlan-l3: IPVLAN L3 children addressed .1, .2 … of the container range; the host has an IPVLAN
//              port of its own at the range's last address and announces the range through BGP.
//   macvlan:   macvlan children with MACs of their own, on the leaf's host subnet after the host
//              (.3, .4 …), default route via the leaf like the host.
//   bridge:    the same addresses, over veth pairs into a bridge on the host that enslaves its
//              uplink and carries the host's own address (the LXD bridged container).
import type {ContainerGroup} from '../topology/model.js'
import {formatIpv4, parsePrefix, prefixSize} from './ip.js'
import type {PlannedContainers, PlannedInterface, PlannedLink, PlannedNode} from './plan.js'

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

/** What the host carries for its containers. */
export function plannedContainers(group: ContainerGroup): PlannedContainers {
  const base = {mode: group.mode, parent: group.parent, names: group.names}
  if (group.mode === 'bridge') return {...base, bridge: HOST_BRIDGE}
  if (group.mode !== 'ipvlan-l3') return base
  const subnet = parsePrefix(group.subnet!)!
  const last = subnet.network + prefixSize(subnet) - 2
  return {...base, subnet: group.subnet!, hostPort: HOST_IPVLAN_PORT, hostAddress: `${formatIpv4(last)}/${subnet.length}`}
}

/** The container nodes of one host. `serial` numbers containers across the lab (their MACs). */
export function containerNodes(group: ContainerGroup, host: PlannedNode, links: readonly PlannedLink[], mtu: number, serial: number): PlannedNode[] {
  const parent = host.interfaces.find((p) => p.name === group.parent)!
  return group.names.map((name, i) => {
    const port: PlannedInterface = {
      name: CONTAINER_PORT,
      ...addressing(group, parent, links[parent.link], i, serial + i),
      mtu,
      parent: group.parent,
      peer: {node: host.name, port: group.parent, role: host.role},
      link: parent.link,
    }
    const gateway = group.mode !== 'ipvlan-l3' ? {address: links[parent.link].a.ipv4!.split('/')[0], interface: CONTAINER_PORT} : undefined
    return {name, role: host.role, routing: 'static', hostname: name, image: host.image, memory: host.memory, interfaces: [port], ...(gateway && {gateway}), forwarding: false, daemons: [], container: {host: host.name, mode: group.mode}}
  })
}

function addressing(group: ContainerGroup, parent: PlannedInterface, link: PlannedLink, index: number, serial: number): {mac: string; ipv4: string} {
  if (group.mode === 'ipvlan-l3') {
    const subnet = parsePrefix(group.subnet!)!
    // An IPVLAN child answers with its parent's MAC.
    return {mac: parent.mac, ipv4: `${formatIpv4(subnet.network + index + 1)}/${subnet.length}`}
  }
  const subnet = parsePrefix(link.subnet!)!
  return {mac: containerMac(serial), ipv4: `${formatIpv4(subnet.network + index + 3)}/${subnet.length}`}
}
