// Which row each node is drawn in, and rows and links in drawing order, the same in every graph output.
import type {LabPlan, PlannedLink, PlannedNode} from '../../plan/plan.js'
import {roleSpec, type Role} from '../../kinds/roles/index.js'

/** A link's two ends, the upper one (nearer the spines) first, so pictures read top-down. */
export interface LinkEnds {
  upper: PlannedLink['a']
  lower: PlannedLink['b']
}

export function topDown(link: PlannedLink, roles: Map<string, Role>): LinkEnds {
  const [a, b] = [roleSpec(roles.get(link.a.node)!).tier, roleSpec(roles.get(link.b.node)!).tier]
  return b < a ? {upper: link.b, lower: link.a} : {upper: link.a, lower: link.b}
}

export const rolesOf = (plan: LabPlan): Map<string, Role> => new Map(plan.nodes.map((n) => [n.name, n.role]))

export const mean = (values: number[]): number | undefined => (values.length === 0 ? undefined : values.reduce((s, v) => s + v, 0) / values.length)

export interface Tiers {
  /** Super-spines: the row above the spines (5-stage Clos). */
  supers: PlannedNode[]
  spines: PlannedNode[]
  /** Generic routers: a row of their own between spines and leaves (their role's tier). */
  routers: PlannedNode[]
  leaves: PlannedNode[]
  hosts: PlannedNode[]
  /** Containers, a row below the hosts, in their hosts' order. */
  containers: PlannedNode[]
}

/**
 * The plan's links plus one per container, from the host port it sits on (the bridge, in bridge
 * mode) to its eth0, so every output draws containers under their hosts.
 */
export function graphLinks(plan: LabPlan): PlannedLink[] {
  const attached = plan.nodes.filter((n) => n.container).map((node, i): PlannedLink => {
    const host = plan.nodes.find((n) => n.name === node.container!.host)!
    const [port] = node.interfaces
    return {
      index: plan.links.length + i,
      a: {node: host.name, port: host.containers?.bridge ?? port.parent!, mac: host.interfaces.find((i) => i.name === port.parent)!.mac},
      b: {node: node.name, port: port.name, mac: port.mac, ...(port.ipv4 && {ipv4: port.ipv4})},
      ...(host.containers?.subnet && {subnet: host.containers.subnet}),
      network: `${node.container!.mode} on ${host.name}`,
    }
  })
  return [...plan.links.map((link) => labelled(plan, link)), ...attached, ...vxlanLinks(plan, plan.links.length + attached.length)]
}

/**
 * Linux link kinds on the picture (docs/linux-links.md): a port names the bond or bridge it is in and
 * the VLANs it carries ("swp1 · bond0 · VLANs 10,20"); every VXLAN is a link between its switches.
 */
function labelled(plan: LabPlan, link: PlannedLink): PlannedLink {
  const label = (end: PlannedLink['a']) => {
    const node = plan.nodes.find((n) => n.name === end.node)!
    const port = node.interfaces.find((i) => i.name === end.port)
    if (!port?.master && !node.virtual) return end
    const lane = port?.master ? node.virtual?.find((v) => v.name === port.master && v.kind === 'bond') : undefined
    const carrier = lane ? lane.name : end.port
    const vlans = (node.virtual ?? []).filter((v) => v.kind === 'vlan' && v.parent === carrier).map((v) => v.vlan)
    const macvlans = (node.virtual ?? []).filter((v) => v.kind === 'macvlan' && v.parent === end.port).map((v) => `macvlan ${v.name}`)
    const parts = [end.port, ...(port?.master ? [port.master] : []), ...(lane?.master ? [lane.master] : []), ...(vlans.length > 0 ? [`VLANs ${vlans.join(',')}`] : []), ...macvlans]
    return parts.length === 1 ? end : {...end, port: parts.join(' · ')}
  }
  return {...link, a: label(link.a), b: label(link.b)}
}

function vxlanLinks(plan: LabPlan, first: number): PlannedLink[] {
  const links: PlannedLink[] = []
  const tunnels = plan.nodes.flatMap((node) => (node.virtual ?? []).filter((v) => v.kind === 'vxlan').map((v) => ({node, v})))
  for (const [i, {node, v}] of tunnels.entries()) {
    for (const other of tunnels.slice(i + 1)) {
      if (other.v.vxlan!.vni !== v.vxlan!.vni) continue
      links.push({index: first + links.length, a: {node: node.name, port: `${v.name} (VNI ${v.vxlan!.vni})`, mac: v.mac ?? ''}, b: {node: other.node.name, port: other.v.name, mac: other.v.mac ?? ''}, network: `VXLAN ${v.vxlan!.vni}`})
    }
  }
  return links
}

/**
 * The rows, left to right: spines and leaves in plan order; hosts in the order of their
 * leaves (a dual-attached host between its two), then plan order.
 */
export function tiers(plan: LabPlan): Tiers {
  const spines = plan.nodes.filter((n) => n.role === 'spine')
  const leaves = plan.nodes.filter((n) => n.role === 'leaf')
  const leafIndex = new Map(leaves.map((n, i) => [n.name, i]))
  const leavesOf = new Map<string, number[]>()
  for (const link of plan.links) {
    for (const [self, other] of [[link.a, link.b], [link.b, link.a]]) {
      if (leafIndex.has(other.node)) leavesOf.set(self.node, [...(leavesOf.get(self.node) ?? []), leafIndex.get(other.node)!])
    }
  }
  const hosts = plan.nodes
    .map((node, order) => ({node, order, key: mean(leavesOf.get(node.name) ?? []) ?? leaves.length + order}))
    .filter((h) => h.node.role === 'host' && !h.node.container)
    .sort((p, q) => p.key - q.key || p.order - q.order)
    .map((h) => h.node)
  const hostIndex = new Map(hosts.map((n, i) => [n.name, i]))
  const containers = plan.nodes.filter((n) => n.container).sort((p, q) => hostIndex.get(p.container!.host)! - hostIndex.get(q.container!.host)!)
  return {supers: plan.nodes.filter((n) => n.role === 'super-spine'), spines, routers: plan.nodes.filter((n) => n.role === 'router'), leaves, hosts, containers}
}

/** The rows top to bottom, empty ones left out. */
export function rowsOf(t: Tiers): PlannedNode[][] {
  return [t.supers, t.spines, t.routers, t.leaves, t.hosts, t.containers].filter((row) => row.length > 0)
}

/** Links top-down (upper end first), ordered by tier, then left to right at both ends. */
export function orderedLinks(plan: LabPlan): LinkEnds[] {
  const roles = rolesOf(plan)
  const position = new Map(rowsOf(tiers(plan)).flat().map((n, i) => [n.name, i]))
  return graphLinks(plan)
    .map((link) => topDown(link, roles))
    .sort((p, q) => position.get(p.upper.node)! - position.get(q.upper.node)! || position.get(p.lower.node)! - position.get(q.lower.node)! || p.upper.port.localeCompare(q.upper.port, 'en', {numeric: true}))
}
