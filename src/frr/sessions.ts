// BGP sessions of one router as `lab status` shows them: each planned session with FRR's state,
// asked through the node executor (any provider).
import type {NodeExecutor} from '../io/executor.js'
import {neighborKey, type PlannedNode} from '../plan/plan.js'
import {BGP_SUMMARY, FRR_QUERY_TIMEOUT_MS, OSPF_NEIGHBORS} from './commands.js'
import {parseOspfNeighbors} from './expect-ospf.js'
import {mapLimit} from '../util/pool.js'
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

/** A router's planned OSPF adjacencies as its ospfd sees them (state "Full" when up). */
export async function routerAdjacencies(executor: NodeExecutor, router: PlannedNode, ospfdRunning: boolean): Promise<RouterStatus> {
  const planned = (router.ospf?.interfaces ?? []).filter((i) => !i.passive)
  const unknown = planned.map((i) => ({neighbor: i.name, peer: i.peer, state: 'unknown'}))
  if (!ospfdRunning) return {node: router.name, sessions: unknown, problem: 'ospfd is not running'}
  const result = await executor.exec(router.name, OSPF_NEIGHBORS, {timeoutMs: FRR_QUERY_TIMEOUT_MS})
  const states = parseOspfNeighbors(result.stdout)
  if (!states) return {node: router.name, sessions: [], problem: `ospfd did not answer: ${result.stderr.trim()}`}
  return {node: router.name, sessions: planned.map((i) => ({neighbor: i.name, peer: i.peer, state: states.get(i.name) ?? 'no adjacency'}))}
}

/** Each router's sessions (BGP) or adjacencies (OSPF), as `lab status` lists them; `alive` says whether a daemon runs. */
export async function routingStatus(executor: NodeExecutor, routers: PlannedNode[], running: (node: string) => boolean, alive: (node: string, daemon: string) => boolean, notRunning: string): Promise<{bgp: RouterStatus[]; ospf?: RouterStatus[]}> {
  const ask = (router: PlannedNode): Promise<RouterStatus> => {
    if (!running(router.name)) return Promise.resolve({node: router.name, sessions: [], problem: notRunning})
    return router.ospf ? routerAdjacencies(executor, router, alive(router.name, 'ospfd')) : routerSessions(executor, router, alive(router.name, 'bgpd'))
  }
  const statuses = await mapLimit(routers, 4, ask)
  const ospf = statuses.filter((_, i) => routers[i].ospf)
  return {bgp: statuses.filter((_, i) => !routers[i].ospf), ...(ospf.length > 0 && {ospf})}
}
