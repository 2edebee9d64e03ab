// BGP sessions of one router as `lab status` shows them: each planned session with FRR's state,
// asked through the node executor (any provider).
import type {NodeExecutor} from '../io/executor.js'
import {neighborKey, type PlannedNode} from '../plan/plan.js'
import {BGP_SUMMARY, FRR_QUERY_TIMEOUT_MS} from './commands.js'
import {parseBgpSummary} from './json.js'

export interface SessionStatus {
  neighbor: string
  peer: string
  state: string
  /** The peer's advertised hostname, as FRR shows it (spine1(swp51)). */
  peerHostname?: string
  /** How long it has been Established (only then: FRR's peerUptime of an Idle session is its time down). */
  uptime?: string
  /** How long a session that is not Established has been in its state. */
  inStateFor?: string
  prefixesReceived?: number
}

export interface RouterStatus {
  node: string
  sessions: SessionStatus[]
  /** Why sessions are unknown (e.g. bgpd not running). */
  problem?: string
}

/** A router's planned sessions as its bgpd sees them; `problem` says why they could not be read. */
export async function routerSessions(executor: NodeExecutor, router: PlannedNode, bgpdRunning: boolean): Promise<RouterStatus> {
  const neighbors = router.bgp?.neighbors ?? []
  if (!bgpdRunning) return {node: router.name, sessions: neighbors.map((n) => ({neighbor: neighborKey(n), peer: n.peer, state: 'unknown'})), problem: 'bgpd is not running'}
  const result = await executor.exec(router.name, BGP_SUMMARY, {timeoutMs: FRR_QUERY_TIMEOUT_MS})
  const summary = parseBgpSummary(result.stdout)
  if (!summary) return {node: router.name, sessions: [], problem: `bgpd did not answer: ${result.stderr.trim()}`}
  const peers = summary.peers ?? {}
  return {
    node: router.name,
    sessions: neighbors.map((n) => {
      const key = neighborKey(n)
      const peer = peers[key]
      return {
        neighbor: key,
        peer: n.peer,
        state: peer?.state ?? 'not configured',
        ...(peer?.hostname && {peerHostname: peer.hostname}),
        ...(peer?.peerUptime && (peer.state === 'Established' ? {uptime: peer.peerUptime} : {inStateFor: peer.peerUptime})),
        ...(peer?.pfxRcd !== undefined && {prefixesReceived: peer.pfxRcd}),
      }
    }),
  }
}
