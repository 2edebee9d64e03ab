// A router's OSPF (area 0): every port to another router point-to-point (an adjacency), every port to
// a host passive (its subnet announced, no adjacency), the loopback and `announce` prefixes announced.
import {roleSpec, runsBgp} from '../kinds/roles/index.js'
import type {TopologyNode} from '../topology/model.js'
import type {PlannedInterface, PlannedLink, PlannedOspf} from './plan.js'

export interface OspfInputs {
  ports: PlannedInterface[]
  loopback: string
  nodes: Map<string, TopologyNode>
  links: PlannedLink[]
  announce: string[]
}

export function planOspf({ports, loopback, nodes, links, announce}: OspfInputs): PlannedOspf {
  const localPrefixes = [`${loopback}/32`, ...announce]
  const interfaces = ports.map((port) => {
    const peer = nodes.get(port.peer.node)!
    const passive = roleSpec(peer.role).endpoint || !runsBgp(peer)
    if (roleSpec(peer.role).endpoint) localPrefixes.push(links[port.link].subnet!)
    return {name: port.name, passive, peer: peer.name}
  })
  return {routerId: loopback, interfaces, localPrefixes, ...(announce.length > 0 && {announce})}
}
