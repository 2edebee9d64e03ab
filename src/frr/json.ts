// FRR's JSON answers, read in one place for everyone who reads them (convergence, status, verify).
// Pure: text in, values out. The ECMP rule (which next hops count) is here and only here.

export interface BgpSummaryPeer {
  state?: string
  hostname?: string
  peerUptime?: string
  pfxRcd?: number
}

/**
 * The peers of `show bgp summary json` (every address family, IPv4 under `ipv4Unicast`) or of
 * `show bgp … ipv4 unicast summary json` (peers at the top level). Undefined when the output is not
 * JSON (bgpd did not answer); `peers` is absent when bgpd has no BGP instance.
 */
export function parseBgpSummary(text: string): {peers?: Record<string, BgpSummaryPeer>} | undefined {
  const json = parseObject<{peers?: Record<string, BgpSummaryPeer>; ipv4Unicast?: {peers?: Record<string, BgpSummaryPeer>}}>(text)
  if (!json) return undefined
  const peers = json.ipv4Unicast ? json.ipv4Unicast.peers : json.peers
  return peers ? {peers} : {}
}

/** One neighbour of `show bgp neighbors json`: what FRR remembers of why a session went down. */
export interface BgpNeighborDetail {
  bgpState?: string
  lastResetDueTo?: string
  lastErrorCodeSubcode?: string
  lastNotificationReason?: string
  connectionsDropped?: number
  hostname?: string
}

/** Neighbours by FRR's key (interface or address); empty when bgpd did not answer. */
export function parseBgpNeighbors(text: string): Record<string, BgpNeighborDetail> {
  return parseObject<Record<string, BgpNeighborDetail>>(text) ?? {}
}

/** The reason FRR gives for a session's last reset, unless it is the placeholder of a session never up. */
export function lastResetReason(detail: BgpNeighborDetail | undefined): string | undefined {
  const reason = detail?.lastResetDueTo
  if (!reason || (detail.connectionsDropped === 0 && /No AFI\/SAFI/.test(reason))) return undefined
  return reason
}

/** An entry of `show ip route [prefix] json`: {"10.0.0.4/32": [entry, …]}. */
export interface FrrRouteEntry {
  prefix: string
  protocol: string
  selected?: boolean
  installed?: boolean
  nexthops?: Array<{ip?: string; interfaceName?: string; active?: boolean; fib?: boolean; directlyConnected?: boolean}>
}

export type FrrRouteTable = Record<string, FrrRouteEntry[]>

/** Undefined when the output is not a route table (zebra did not answer). */
export function parseRouteTable(text: string): FrrRouteTable | undefined {
  return parseObject<FrrRouteTable>(text)
}

/** A route as the node forwards with it: what the ecmp and route checks and convergence compare. */
export interface RouteSeen {
  prefix: string
  protocol: string
  /** zebra has put it in the kernel (absent for kernel routes read with `ip route`). */
  installed?: boolean
  /** Next hops in the forwarding table. */
  nexthops: Array<{interface?: string; address?: string}>
}

/**
 * The ECMP rule: of a prefix's entries, the selected one (installed if FRR says so), and of its next
 * hops those that are active and not refused by the kernel. `lab up` waits for this count and
 * `lab verify` checks it, so both judge a routing table alike.
 */
export function forwardingRoute(entries: readonly FrrRouteEntry[] | undefined): RouteSeen | undefined {
  const entry = entries?.find((e) => e.selected && e.installed !== false) ?? entries?.find((e) => e.selected)
  if (!entry) return undefined
  const nexthops = (entry.nexthops ?? []).filter((n) => n.active && n.fib !== false).map((n) => ({interface: n.interfaceName, address: n.ip}))
  return {prefix: entry.prefix, protocol: entry.protocol, installed: entry.installed === true, nexthops}
}

/** Equal-cost paths a prefix is forwarded over, by the rule above: 0 until zebra has installed it. */
export function installedPaths(entries: readonly FrrRouteEntry[] | undefined): number {
  const route = forwardingRoute(entries)
  return route?.installed ? route.nexthops.length : 0
}

/**
 * `vtysh -d <daemon>` says only "failed to connect to any daemons" when that daemon is not running:
 * name the daemon instead.
 */
export function daemonNotRunning(text: string, daemon: string): string | undefined {
  return /failed to connect to any daemons/.test(text) ? `${daemon} is not running` : undefined
}

/** vtysh prints this when a per-node vtysh.conf is absent; it says nothing about the question asked. */
export function isVtyshNoise(line: string): boolean {
  return /^% Can't open configuration file/.test(line)
}

export function parseObject<T>(text: string): T | undefined {
  try {
    const json = JSON.parse(text) as unknown
    return json !== null && typeof json === 'object' ? (json as T) : undefined
  } catch {
    return undefined
  }
}
