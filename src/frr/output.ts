// Reading what FRR, iproute2 and friends print. Pure.
import type {ExecResult} from '../providers/provider.js'

/** vtysh prints this when a per-node vtysh.conf is absent; it says nothing about the check. */
const VTYSH_NOISE = /^% Can't open configuration file/

/** The words a failed command left behind, without noise: "bgpd is not running". */
export function commandError(result: ExecResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !VTYSH_NOISE.test(line))
  const text = lines.slice(0, 3).join('; ')
  if (text) return text
  return result.exitCode === 0 ? 'no output' : `exit ${result.exitCode} without output`
}

/** Parse JSON output; undefined when the command failed or printed something else. */
export function parseJson<T>(result: ExecResult): T | undefined {
  const text = result.stdout.trim()
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}

/** FRR's `show ip route <prefix> json`: {"10.0.0.4/32": [entry, …]}. */
export interface FrrRouteEntry {
  prefix: string
  protocol: string
  selected?: boolean
  installed?: boolean
  nexthops?: Array<{ip?: string; interfaceName?: string; active?: boolean; fib?: boolean; directlyConnected?: boolean}>
}

export interface RouteSeen {
  prefix: string
  protocol: string
  /** Next hops in the forwarding table. */
  nexthops: Array<{interface?: string; address?: string}>
}

/** The route the node forwards with (selected and installed), from FRR's JSON. */
export function selectedFrrRoute(json: Record<string, FrrRouteEntry[]>): RouteSeen | undefined {
  for (const entries of Object.values(json)) {
    const entry = entries.find((e) => e.selected && e.installed !== false) ?? entries.find((e) => e.selected)
    if (!entry) continue
    const nexthops = (entry.nexthops ?? []).filter((n) => n.active && n.fib !== false).map((n) => ({interface: n.interfaceName, address: n.ip}))
    return {prefix: entry.prefix, protocol: entry.protocol, nexthops}
  }
  return undefined
}

/** iproute2's `ip -j -4 route show …`: the most specific route, with its next hops. */
export interface KernelRoute {
  dst: string
  dev?: string
  gateway?: string
  protocol?: string
  nexthops?: Array<{gateway?: string; dev?: string}>
}

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
