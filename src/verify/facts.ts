// What the checks need to know from the plan: each node's own address, who owns an address,
// and which neighbour sits behind an interface. Pure lookups over a LabPlan.
import {parsePrefix, formatPrefix} from '../plan/ip.js'
import type {LabPlan, PlannedNode} from '../plan/plan.js'

const bare = (address: string) => address.split('/')[0]

export interface LabFacts {
  plan: LabPlan
  node(name: string): PlannedNode
  /** The address a node speaks from and is reached at: the loopback on routers and BGP hosts, eth1's address on plain hosts. */
  addressOf(name: string): string
  /** Which node an address belongs to (loopbacks and interface addresses). */
  ownerOf(address: string): string | undefined
  /** "10.0.0.4 (leaf2)" when the address is known, else the address. */
  describeAddress(address: string): string
  /** The node (and its port) at the other end of a local interface. */
  peerOf(node: string, port: string): {node: string; port: string} | undefined
  /** Runs FRR (vtysh answers there). */
  runsFrr(name: string): boolean
}

export function labFacts(plan: LabPlan): LabFacts {
  const nodes = new Map(plan.nodes.map((n) => [n.name, n]))
  const owners = new Map<string, string>()
  for (const node of plan.nodes) {
    if (node.loopback) owners.set(bare(node.loopback), node.name)
    for (const port of node.interfaces) if (port.ipv4) owners.set(bare(port.ipv4), node.name)
    for (const port of node.virtual ?? []) if (port.ipv4) owners.set(bare(port.ipv4), node.name)
  }
  const node = (name: string) => {
    const found = nodes.get(name)
    if (!found) throw new Error(`node ${name} is not in lab ${plan.name}`)
    return found
  }
  return {
    plan,
    node,
    addressOf(name) {
      const planned = node(name)
      if (planned.loopback) return bare(planned.loopback)
      // A host on a bond or VLAN trunk has its address on the bond or the VLAN subinterface.
      const first = planned.interfaces.find((p) => p.ipv4) ?? planned.virtual?.find((v) => v.ipv4 && v.kind !== 'macvlan')
      if (!first) throw new Error(`node ${name} has no IPv4 address in the plan`)
      return bare(first.ipv4!)
    },
    ownerOf: (address) => owners.get(address),
    describeAddress(address) {
      const owner = owners.get(address)
      return owner ? `${address} (${owner})` : address
    },
    peerOf(name, port) {
      const found = nodes.get(name)?.interfaces.find((p) => p.name === port)
      return found && {node: found.peer.node, port: found.peer.port}
    },
    runsFrr: (name) => node(name).daemons.includes('zebra'),
  }
}

/** A check's target, a node name or a prefix, as a prefix plus the words for it.
 *  A node means its loopback, or for a plain host the subnet it sits in (what the fabric routes). */
export function targetPrefix(facts: LabFacts, target: string): {prefix: string; label: string} {
  if (target.includes('/')) {
    const parsed = parsePrefix(target)
    return {prefix: parsed ? formatPrefix(parsed) : target, label: target}
  }
  const node = facts.node(target)
  // A container: the range its host announces (what the fabric routes).
  const range = node.container && facts.node(node.container.host).containers?.subnet
  if (range) return {prefix: range, label: `${target}'s container range ${range}`}
  if (node.loopback) return {prefix: node.loopback, label: `${target}'s loopback ${node.loopback}`}
  const port = node.interfaces.find((p) => p.ipv4)
  const subnet = port ? facts.plan.links[port.link].subnet : node.virtual?.find((v) => v.ipv4 && v.subnet)?.subnet
  if (!subnet) throw new Error(`node ${target} has no loopback or subnet in the plan`)
  return {prefix: subnet, label: `${target}'s subnet ${subnet}`}
}
