// The resolved topology: fabric expanded, links parsed, defaults applied. Still no addresses.
import type {YamlPath} from './diagnostics.js'
import type {Check} from '../kinds/checks/index.js'
import type {LinkKind} from '../kinds/links/index.js'
import type {Role} from '../kinds/roles/index.js'
import type {ContainerMode} from './containers-schema.js'

export type {ContainerMode}

export type HostRouting = 'static' | 'bgp'
export type RoutingMode = 'unnumbered' | 'numbered'
export type RoutingProtocol = 'bgp' | 'ospf'

export interface TopologyNode {
  name: string
  role: Role
  /** Hosts: static (address + default route) or bgp (routing on the host). Switches always run BGP. */
  routing: HostRouting
  image: string
  memory: number
  /** Explicit values (an explicit value always wins over the pools). */
  asn?: number
  /** Its `loopback:` as written (an address/32). */
  loopback?: string
  /** Prefixes it originates, each on its loopback. */
  announce: string[]
  /** Extra FRR lines appended to its frr.conf. */
  frr?: string
  /** BGP hosts: what its leaves accept from it beyond its own prefixes (docs/containers.md "What the leaf accepts"). */
  accept?: string[] | 'any'
  origin: YamlPath
}

export interface Endpoint {
  node: string
  port: string
}

export interface TopologyLink {
  kind: LinkKind
  a: Endpoint
  b: Endpoint
  /** The long form's own subnet and MTU. */
  subnet?: string
  mtu?: number
  /** Linux link kinds on host links (docs/linux-links.md). */
  bond?: string
  vlan?: number
  vlans?: number[]
  origin: YamlPath
}

export type {Check}

/** A host's containers (`containers:`): nodes of their own, named `<host>-c1 …`. */
export interface ContainerGroup {
  host: string
  mode: ContainerMode
  /** ipvlan-l3: the range the containers are addressed from and the host announces. */
  subnet?: string
  /** fan: the overlay /8 (`fan: {overlay}` on the host). */
  overlay?: string
  /** The host port the containers sit on (IPVLAN parent). */
  parent: string
  names: string[]
  origin: YamlPath
}

export interface Topology {
  name: string
  description: string
  nodes: TopologyNode[]
  links: TopologyLink[]
  routing: {protocol: RoutingProtocol; mode: RoutingMode; spineAsn: number; leafAsnBase: number; hostAsnBase: number; superSpineAsn: number; routerAsnBase: number}
  addressing: {loopbacks: string; hosts: string; hostPrefixLength: number; p2p: string; mtu: number}
  checks: Check[]
  containers: ContainerGroup[]
  /** Per node: `dummies` (switches) and `macvlans` (hosts), name → address / parent port. */
  linuxLinks?: {dummies: Map<string, Record<string, string>>; macvlans: Map<string, Record<string, string>>}
}

/**
 * A provider's limit on links per node (VirtualBox: 36 NICs, one for management). Checked for every
 * provider: an error for the one the lab is for (`enforced`), a warning for the others.
 */
export interface LinkPortLimit {
  maxLinkPorts: number
  /** Completes "<node> has N links; …". */
  why: string
  fix: string
  enforced: boolean
}
