// The resolved topology: fabric expanded, links parsed, defaults applied. Still no addresses.
import type {YamlPath} from './diagnostics.js'
import type {Check} from '../kinds/checks/index.js'
import type {Role} from './schema.js'

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
  a: Endpoint
  b: Endpoint
  origin: YamlPath
}

export type {Check}

export interface Topology {
  name: string
  description: string
  nodes: TopologyNode[]
  links: TopologyLink[]
  routing: {mode: RoutingMode; spineAsn: number; leafAsnBase: number; hostAsnBase: number}
  addressing: {loopbacks: string; hosts: string; hostPrefixLength: number; p2p: string; mtu: number}
  checks: Check[]
}

export const DEFAULT_IMAGES: Record<Role, string> = {
  spine: 'CumulusCommunity/cumulus-vx',
  leaf: 'CumulusCommunity/cumulus-vx',
  host: 'ubuntu/jammy64',
}
export const DEFAULT_MEMORY: Record<Role, number> = {spine: 1024, leaf: 1024, host: 512}

/** VirtualBox gives a VM at most 36 NICs (ICH9 chipset); Vagrant's management NIC takes one. */
export const VIRTUALBOX_MAX_LINK_PORTS = 35
