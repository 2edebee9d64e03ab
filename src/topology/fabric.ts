// `fabric:` → spineN, leafN, hostN and the links between them: leaf uplinks swp51… (to spine 1, 2, …),
// leaf host ports swp1…, spine ports swpN for leaf N, host port eth1; hosts numbered across the fabric.
// With `super_spines` (and `pods`): a 5-stage Clos. Each pod has `spines` spines and `leaves` leaves
// (numbered across pods); pod N's spines share ASN pod_asn_base + N − 1; superK links to every spine
// (spine uplink swp5K, super-spine port swpJ for spine J).
import type {Role} from '../kinds/roles/index.js'
import type {HostRouting, TopologyLink, TopologyNode} from './model.js'
import type {RawTopology} from './schema.js'

export type MakeNode = (name: string, role: Role, routing: HostRouting, origin: TopologyNode['origin'], explicit?: {asn?: number}) => TopologyNode

/** Ports swp1…swp50 face down, swp51… face up: a spine with more leaves than that has no room for uplinks. */
export const MAX_LEAVES_UNDER_SUPER_SPINES = 50

export function expandFabric(fabric: NonNullable<RawTopology['fabric']>, nodes: Map<string, TopologyNode>, links: TopologyLink[], makeNode: MakeNode): void {
  const origin = ['fabric']
  const pods = fabric.super_spines ? (fabric.pods ?? 1) : 1
  const link = (a: string, aPort: string, b: string, bPort: string) => links.push({kind: 'p2p', a: {node: a, port: aPort}, b: {node: b, port: bPort}, origin})
  for (let k = 1; k <= (fabric.super_spines ?? 0); k++) nodes.set(`super${k}`, makeNode(`super${k}`, 'super-spine', 'bgp', origin))
  for (let p = 0; p < pods; p++) {
    for (let s = 1; s <= fabric.spines; s++) {
      const spine = `spine${p * fabric.spines + s}`
      nodes.set(spine, makeNode(spine, 'spine', 'bgp', origin, fabric.super_spines ? {asn: fabric.pod_asn_base + p} : {}))
      // Too many leaves per pod is reported by the caller; no uplink is generated onto a leaf's port.
      if (fabric.leaves <= MAX_LEAVES_UNDER_SUPER_SPINES) for (let k = 1; k <= (fabric.super_spines ?? 0); k++) link(spine, `swp${50 + k}`, `super${k}`, `swp${p * fabric.spines + s}`)
    }
    for (let l = 1; l <= fabric.leaves; l++) {
      const leaf = `leaf${p * fabric.leaves + l}`
      nodes.set(leaf, makeNode(leaf, 'leaf', 'bgp', origin))
      for (let s = 1; s <= fabric.spines; s++) link(leaf, `swp${50 + s}`, `spine${p * fabric.spines + s}`, `swp${l}`)
    }
  }
  const leaves = pods * fabric.leaves
  for (let l = 1; l <= leaves; l++) {
    for (let h = 1; h <= fabric.hosts_per_leaf; h++) {
      const name = `host${(l - 1) * fabric.hosts_per_leaf + h}`
      nodes.set(name, makeNode(name, 'host', fabric.host_routing, origin))
      link(name, 'eth1', `leaf${l}`, `swp${h}`)
    }
  }
}
