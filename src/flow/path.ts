// The path a flow really took, from per-interface byte counters read on every node before and after
// it: from the source, follow the port that sent the most bytes to the node at its other end, until
// the destination. Pure: counters in, path out.
import type {LabPlan} from '../plan/plan.js'

/** Bytes each interface has sent and received, by node then interface name. */
export type Counters = Map<string, Map<string, {tx: number; rx: number}>>

export interface FlowHop {
  node: string
  port: string
  peer: string
  peerPort: string
  /** Bytes the port sent during the flow. */
  bytes: number
}

export interface FlowPath {
  /** Node names, source first; ends at the destination when `complete`. */
  path: string[]
  hops: FlowHop[]
  complete: boolean
  /** Why the walk stopped short, when it did. */
  stopped?: string
}

/** `ip -j -s link` → interface → bytes sent and received. */
export function parseCounters(text: string): Map<string, {tx: number; rx: number}> {
  const links = JSON.parse(text) as {ifname: string; stats64?: {tx?: {bytes: number}; rx?: {bytes: number}}}[]
  return new Map(links.map((l) => [l.ifname, {tx: l.stats64?.tx?.bytes ?? 0, rx: l.stats64?.rx?.bytes ?? 0}]))
}

/** A port is on the path when it sent at least this share of the flow's bytes. */
const ON_PATH_SHARE = 0.5

export function flowPath(plan: LabPlan, from: string, to: string, before: Counters, after: Counters, flowBytes: number): FlowPath {
  const nodes = new Map(plan.nodes.map((n) => [n.name, n]))
  const path = [from]
  const hops: FlowHop[] = []
  let at = from
  const target = nodes.get(to)!
  while (at !== to) {
    if (target.container?.host === at) {
      // The host hands the flow to its container on the parent port: the container's port received it.
      const port = target.interfaces[0]
      const bytes = Math.max((after.get(to)?.get(port.name)?.rx ?? 0) - (before.get(to)?.get(port.name)?.rx ?? 0), 0)
      if (bytes < flowBytes * ON_PATH_SHARE) return {path, hops, complete: false, stopped: `${to} received less than ${Math.round(ON_PATH_SHARE * 100)}% of the flow's ${flowBytes} bytes`}
      hops.push({node: at, port: port.parent!, peer: to, peerPort: port.name, bytes})
      path.push(to)
      break
    }
    const sent = nodes.get(at)!.interfaces.map((port) => ({port, bytes: delta(before, after, at, port.name)}))
    const best = sent.sort((x, y) => y.bytes - x.bytes)[0]
    if (!best || best.bytes < flowBytes * ON_PATH_SHARE) return {path, hops, complete: false, stopped: `${at} sent no port more than ${Math.round(ON_PATH_SHARE * 100)}% of the flow's ${flowBytes} bytes`}
    hops.push({node: at, port: best.port.name, peer: best.port.peer.node, peerPort: best.port.peer.port, bytes: best.bytes})
    at = best.port.peer.node
    if (path.includes(at)) return {path: [...path, at], hops, complete: false, stopped: `the walk came back to ${at}: a loop, or counters of another flow`}
    path.push(at)
  }
  return {path, hops, complete: true}
}

function delta(before: Counters, after: Counters, node: string, port: string): number {
  const end = after.get(node)?.get(port)?.tx
  const start = before.get(node)?.get(port)?.tx
  return end === undefined || start === undefined ? 0 : Math.max(end - start, 0)
}

/** Whether `via` appears in `path` in this order (other nodes may sit between). */
export function passesVia(path: readonly string[], via: readonly string[]): boolean {
  let next = 0
  for (const node of path) if (node === via[next]) next++
  return next === via.length
}
