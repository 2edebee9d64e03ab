// What a link kind is: its form under `links:`, and how the plan addresses it. Providers build each
// kind their own way (netns: a veth pair; VMs: a NIC pair on one network), keyed by the kind, so a
// new kind fails to compile until every provider knows it.
import type {z as Zod} from 'zod'

/** Addresses a link kind may draw for a link, in plan order (the plan keeps the counters). */
export interface LinkAddressing {
  /** The next host subnet (leaf .1, host .2). */
  hostSubnet(): {subnet: string; first: string; second: string}
  /** The next /31 of the point-to-point pool (even address first). */
  p2pSubnet(): {subnet: string; first: string; second: string}
  /** BGP over IPv6 link-local: fabric links carry no IPv4 subnet. */
  unnumbered: boolean
  /** A link's own `subnet`: the numbering end gets the first usable address (.1, or .0 of a /31), the other the next. */
  ownSubnet(subnet: string, toEndpoint: boolean): {subnet: string; a: string; b: string}
}

/** What the long form may set for one link. */
export interface LinkOptions {
  subnet?: string
  mtu?: number
  /** Host links (docs/linux-links.md): the 802.3ad bond this link is a member of. */
  bond?: string
  /** Access port in this VLAN (untagged; the switch's port joins the VLAN's bridge). */
  vlan?: number
  /** Trunk: these VLANs tagged, a subinterface `<port>.<id>` each on both ends. */
  vlans?: number[]
}

export interface LinkSpec<K extends string = string> {
  readonly kind: K
  readonly summary: string
  /** Its form under `links:` (zod handed in, as for check kinds). */
  raw(z: typeof Zod): Zod.ZodType
  /** Whether a raw entry under `links:` is of this kind. */
  matches(raw: unknown): boolean
  /** The two "node:port" endpoints of a raw link of this kind. */
  endpoints(raw: unknown): [string, string]
  /** Its own subnet and MTU, when the long form sets them. */
  options(raw: unknown): LinkOptions
  /**
   * The subnet on the wire and each end's address, for a link oriented with `a` at the end that
   * numbers links (the leaf); `toEndpoint` says `b` is a host.
   */
  address(toEndpoint: boolean, addressing: LinkAddressing, subnet?: string): {subnet?: string; a?: string; b?: string}
}

export function defineLink<K extends string>(spec: LinkSpec<K>): LinkSpec<K> {
  return spec
}
