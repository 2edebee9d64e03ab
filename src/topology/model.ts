// The resolved topology: fabric expanded, links parsed, defaults applied. Still no addresses.
import type {YamlPath} from './diagnostics.js'
import type {Check} from '../kinds/checks/index.js'
import type {LinkKind} from '../kinds/links/index.js'
import type {Role} from '../kinds/roles/index.js'
import type {ContainerMode} from './containers-schema.js'

export type {ContainerMode}

export type HostRouting = 'static' | 'bgp'
export type RoutingMode = 'unnumbered' | 'numbered'

export interface TopologyNode {
  name: string
  role: Role
  /** Hosts: static (address + default route) or bgp (routing on the host). Switches always run BGP. */
  routing: HostRouting
  image: string
  memory: number
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
  origin: YamlPath
}

export type {Check}

/** A host's containers (`containers:`): nodes of their own, named `<host>-c1 …`. */
export interface ContainerGroup {
  host: string
  mode: ContainerMode
  /** ipvlan-l3: the range the containers are addressed from and the host announces. */
  subnet?: string
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
  routing: {mode: RoutingMode; spineAsn: number; leafAsnBase: number; hostAsnBase: number}
  addressing: {loopbacks: string; hosts: string; hostPrefixLength: number; p2p: string; mtu: number}
  checks: Check[]
  containers: ContainerGroup[]
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
