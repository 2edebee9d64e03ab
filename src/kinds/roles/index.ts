// Every node role, once, top tier first. The schema's `role:` values, resolve's link and port rules,
// the plan's order and the renderers read this list: a new role is one file plus one line here.
import {hostRole} from './host.js'
import {leafRole} from './leaf.js'
import type {RoleSpec} from './spec.js'
import {spineRole} from './spine.js'
import {routerRole} from './router.js'
import {superSpineRole} from './super-spine.js'

export const ROLE_SPECS = [superSpineRole, spineRole, routerRole, leafRole, hostRole] as const

export type Role = (typeof ROLE_SPECS)[number]['name']

export const ROLES = ROLE_SPECS.map((spec) => spec.name) as [Role, ...Role[]]

const byName = new Map<string, RoleSpec>(ROLE_SPECS.map((spec) => [spec.name, spec]))

export function roleSpec(role: Role): RoleSpec<Role> {
  return byName.get(role) as RoleSpec<Role>
}

/** Whether a node of this role, with this `routing:`, runs FRR (BGP, or OSPF in an OSPF lab). */
export function runsBgp(node: {role: Role; routing: string}): boolean {
  return roleSpec(node.role).routing === 'always' || node.routing === 'bgp'
}
