// Every link kind, once: the schema's `links:` forms, resolve and the plan read this list.
import {p2pLink} from './p2p.js'

export const LINK_SPECS = [p2pLink] as const

export type LinkKind = (typeof LINK_SPECS)[number]['kind']

/** The kind of a raw entry the schema has accepted. */
export function linkSpecOf(raw: unknown): (typeof LINK_SPECS)[number] {
  return LINK_SPECS.find((spec) => spec.matches(raw)) ?? LINK_SPECS[0]
}

export function linkSpec(kind: LinkKind): (typeof LINK_SPECS)[number] {
  return LINK_SPECS.find((spec) => spec.kind === kind)!
}

// Kinds built on ports (docs/linux-links.md): one file each, this list.
import {bondKind} from './bond.js'
import {bridgeKind} from './bridge.js'
import {dummyKind} from './dummy.js'
import {macvlanKind} from './macvlan.js'
import {vlanKind} from './vlan.js'
import {vxlanKind} from './vxlan.js'

export const VIRTUAL_SPECS = [bondKind, vlanKind, bridgeKind, vxlanKind, macvlanKind, dummyKind] as const
export type VirtualKind = (typeof VIRTUAL_SPECS)[number]['kind']

export function virtualSpec(kind: VirtualKind): (typeof VIRTUAL_SPECS)[number] {
  return VIRTUAL_SPECS.find((spec) => spec.kind === kind)!
}
