// iproute2's JSON answers (`ip -j …`), read in one place: the kernel's side of what FRR says.
import type {RouteSeen} from '../frr/json.js'

/** Every link of a node, with flags and operational state. */
export const IP_LINKS = ['ip', '-j', 'link', 'show'] as const

/** One entry of `ip -j link show`. */
export interface KernelLink {
  ifname: string
  flags?: string[]
  operstate?: string
}

/** Links by name; empty when the output is not a link list (namespace gone, command failed). */
export function parseLinks(text: string): Map<string, KernelLink> {
  const links = new Map<string, KernelLink>()
  try {
    for (const link of JSON.parse(text) as KernelLink[]) links.set(link.ifname, link)
  } catch {
    // nothing to read
  }
  return links
}

/** Administratively up and with carrier: both ends of a veth or cable up. */
export function linkIsUp(link: KernelLink | undefined): boolean {
  return Boolean(link?.flags?.includes('UP') && link.flags.includes('LOWER_UP'))
}

/** Why a link carries nothing, in the network's words, or undefined when it is up. */
export function linkProblem(link: KernelLink): string | undefined {
  if (!link.flags?.includes('UP')) return 'link administratively down'
  if (link.flags.includes('NO-CARRIER') || link.operstate === 'DOWN' || link.operstate === 'LOWERLAYERDOWN') return 'link has no carrier (far end down)'
  return undefined
}

/** An entry of `ip -j -4 route show …`. */
export interface KernelRoute {
  dst: string
  dev?: string
  gateway?: string
  protocol?: string
  nexthops?: Array<{gateway?: string; dev?: string}>
}

/** The most specific of the routes listed, with its next hops. */
export function mostSpecificKernelRoute(routes: KernelRoute[]): RouteSeen | undefined {
  const length = (dst: string) => (dst === 'default' ? 0 : dst.includes('/') ? Number(dst.split('/')[1]) : 32)
  const best = [...routes].sort((a, b) => length(b.dst) - length(a.dst))[0]
  if (!best) return undefined
  const hops = best.nexthops ?? [{gateway: best.gateway, dev: best.dev}]
  return {
    prefix: best.dst.includes('/') || best.dst === 'default' ? best.dst : `${best.dst}/32`,
    protocol: best.protocol ?? 'static',
    nexthops: hops.map((h) => ({interface: h.dev, address: h.gateway})),
  }
}

/** The kernel's IPv4 table of a node: what zebra actually installed (cheaper to ask than zebra's JSON). */
export const KERNEL_IPV4_ROUTES = ['ip', '-j', '-4', 'route', 'show'] as const

export interface KernelTable {
  /** Usable next hops per prefix (`10.0.0.1` → `10.0.0.1/32`); dead or link-down hops do not count. */
  paths: Map<string, number>
  /** Interfaces and gateways that some BGP route goes through: each proves that session is up. */
  bgpVia: Set<string>
}

interface KernelHop {
  dev?: string
  gateway?: string
  via?: {host?: string}
  flags?: string[]
}

/** `ip -j -4 route show`; empty when the output is not a route list (namespace gone, command failed). */
export function parseKernelTable(text: string): KernelTable {
  const table: KernelTable = {paths: new Map(), bgpVia: new Set()}
  let routes: Array<KernelHop & {dst: string; protocol?: string; nexthops?: KernelHop[]}>
  try {
    routes = JSON.parse(text)
  } catch {
    return table
  }
  if (!Array.isArray(routes)) return table
  const usable = (hop: KernelHop) => !hop.flags?.some((f) => f === 'dead' || f === 'linkdown')
  for (const route of routes) {
    if (route.dst === 'default') continue
    const hops = (route.nexthops ?? [route]).filter(usable)
    table.paths.set(route.dst.includes('/') ? route.dst : `${route.dst}/32`, hops.length)
    if (route.protocol !== 'bgp') continue
    for (const hop of hops) {
      if (hop.dev) table.bgpVia.add(hop.dev)
      const gateway = hop.gateway ?? hop.via?.host
      if (gateway) table.bgpVia.add(gateway)
    }
  }
  return table
}
