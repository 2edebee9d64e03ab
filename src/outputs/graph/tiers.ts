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
    .filter((h) => h.node.role === 'host')
    .sort((p, q) => p.key - q.key || p.order - q.order)
    .map((h) => h.node)
  return {supers: plan.nodes.filter((n) => n.role === 'super-spine'), spines, routers: plan.nodes.filter((n) => n.role === 'router'), leaves, hosts}
}

/** The rows top to bottom, empty ones left out. */
export function rowsOf(t: Tiers): PlannedNode[][] {
  return [t.supers, t.spines, t.routers, t.leaves, t.hosts].filter((row) => row.length > 0)
}

/** Links top-down (upper end first), ordered by tier, then left to right at both ends. */
export function orderedLinks(plan: LabPlan): LinkEnds[] {
  const roles = rolesOf(plan)
  const position = new Map(rowsOf(tiers(plan)).flat().map((n, i) => [n.name, i]))
  return plan.links
    .map((link) => topDown(link, roles))
    .sort((p, q) => position.get(p.upper.node)! - position.get(q.upper.node)! || position.get(p.lower.node)! - position.get(q.lower.node)! || p.upper.port.localeCompare(q.upper.port, 'en', {numeric: true}))
}
