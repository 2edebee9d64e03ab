// A router's BGP: one session per link to another BGP speaker (over the interface when unnumbered,
// to the peer's address when numbered), hosts in their own peer group, and the prefixes it
// originates: its loopback and `announce` prefixes, plus the subnet of every link to an endpoint (a leaf's host subnets).
import {roleSpec, runsBgp} from '../kinds/roles/index.js'
import type {RoutingMode, TopologyNode} from '../topology/model.js'
import {PEER_GROUP_FABRIC, PEER_GROUP_HOSTS, type BgpNeighbor, type PlannedBgp, type PlannedInterface, type PlannedLink} from './plan.js'

export interface BgpInputs {
  ports: PlannedInterface[]
  loopback: string
  asn: number
  mode: RoutingMode
  nodes: Map<string, TopologyNode>
  interfaces: Map<string, PlannedInterface[]>
  links: PlannedLink[]
  announce: string[]
}

export function planBgp({ports, loopback, asn, mode, nodes, interfaces, links, announce}: BgpInputs): PlannedBgp {
  const neighbors: BgpNeighbor[] = []
  const localPrefixes = [`${loopback}/32`, ...announce]
  for (const port of ports) {
    const peer = nodes.get(port.peer.node)!
    const endpoint = roleSpec(peer.role).endpoint
    // A bond's second link has no subnet of its own; hosts of one VLAN share one.
    const subnet = links[port.link].subnet
    if (endpoint && subnet && !localPrefixes.includes(subnet)) localPrefixes.push(subnet)
    if (!runsBgp(peer)) continue
    const peerPort = interfaces.get(peer.name)!.find((p) => p.link === port.link)!
    // Host links always carry a subnet; in unnumbered mode BGP still runs over link-local there.
    neighbors.push({
      peerGroup: endpoint ? PEER_GROUP_HOSTS : PEER_GROUP_FABRIC,
      // A link with its own subnet is numbered in an unnumbered lab too (mixed sessions).
      ...(mode === 'numbered' || links[port.link].ownSubnet ? {address: peerPort.ipv4!.split('/')[0]} : {interface: port.name}),
      peer: peer.name,
      peerPort: peerPort.name,
    })
  }
  return {
    asn,
    routerId: loopback,
    peerGroups: [PEER_GROUP_FABRIC, PEER_GROUP_HOSTS].filter((g) => neighbors.some((n) => n.peerGroup === g)),
    neighbors,
    localPrefixes,
    raInterfaces: neighbors.filter((n) => n.interface).map((n) => n.interface!),
  }
}
