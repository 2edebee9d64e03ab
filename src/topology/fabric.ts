// `fabric:` → spineN, leafN, hostN and the links between them: leaf uplinks swp51… (to spine 1, 2, …),
// leaf host ports swp1…, spine ports swpN for leaf N, host port eth1; hosts numbered across the fabric.
import type {Role} from '../kinds/roles/index.js'
import type {HostRouting, TopologyLink, TopologyNode} from './model.js'
import type {RawTopology} from './schema.js'

export type MakeNode = (name: string, role: Role, routing: HostRouting, origin: TopologyNode['origin']) => TopologyNode

export function expandFabric(fabric: NonNullable<RawTopology['fabric']>, nodes: Map<string, TopologyNode>, links: TopologyLink[], makeNode: MakeNode): void {
  const origin = ['fabric']
  for (let s = 1; s <= fabric.spines; s++) nodes.set(`spine${s}`, makeNode(`spine${s}`, 'spine', 'bgp', origin))
  for (let l = 1; l <= fabric.leaves; l++) {
    nodes.set(`leaf${l}`, makeNode(`leaf${l}`, 'leaf', 'bgp', origin))
    for (let s = 1; s <= fabric.spines; s++) links.push({kind: 'p2p', a: {node: `leaf${l}`, port: `swp${50 + s}`}, b: {node: `spine${s}`, port: `swp${l}`}, origin})
  }
  for (let l = 1; l <= fabric.leaves; l++) {
    for (let h = 1; h <= fabric.hosts_per_leaf; h++) {
      const name = `host${(l - 1) * fabric.hosts_per_leaf + h}`
      nodes.set(name, makeNode(name, 'host', fabric.host_routing, origin))
      links.push({kind: 'p2p', a: {node: name, port: 'eth1'}, b: {node: `leaf${l}`, port: `swp${h}`}, origin})
    }
  }
}
