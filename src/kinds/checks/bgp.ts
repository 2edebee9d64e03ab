// bgp: sessions Established (all planned ones, or at least N), optionally a minimum of prefixes received.
import {BGP_NEIGHBORS, BGP_SUMMARY} from '../../frr/commands.js'
import {lastResetReason, parseBgpNeighbors, parseBgpSummary} from '../../frr/json.js'
import {IP_LINKS, linkProblem, parseLinks} from '../../linux/iproute.js'
import {neighborKey} from '../../plan/plan.js'
import type {ExecResult} from '../../io/executor.js'
import type {LabFacts} from '../../verify/facts.js'
import {type PreparedCheck, type Probe, type Verdict} from '../../verify/types.js'
import {fail, frrError, parseJson, pass, runProbe, runSharedProbe} from '../../verify/probe.js'
import {plural} from '../../util/text.js'
import {defineCheck, NAME_FIELD, type Named} from './spec.js'

export interface PlannedSession {
  /** How FRR keys the peer: the interface (unnumbered) or the peer's address (numbered). */
  key: string
  peer: string
  /** The local port the session runs over. */
  port?: string
}

export interface BgpExpectation {
  node: string
  sessions: PlannedSession[]
  /** At least this many Established; absent: every planned session. */
  established?: number
  /** At least this many prefixes received over Established sessions, in total. */
  prefixes?: number
}

export const summaryProbe = (node: string): Probe => ({node, argv: [...BGP_SUMMARY]})
export const neighborsProbe = (node: string): Probe => ({node, argv: [...BGP_NEIGHBORS]})
export const linksProbe = (node: string): Probe => ({node, argv: [...IP_LINKS]})

export function plannedSessions(facts: LabFacts, node: string): PlannedSession[] {
  const planned = facts.node(node)
  return (planned.bgp?.neighbors ?? []).map((n) => {
    const port = n.interface ?? planned.interfaces.find((p) => p.peer.node === n.peer && p.peer.port === n.peerPort)?.name
    return {key: neighborKey(n), peer: n.peer, ...(port && {port})}
  })
}

/** Judge a node's sessions from `show bgp … summary json`; the neighbour detail and link list, when given, explain failures. */
export function evaluateBgp(expect: BgpExpectation, summary: ExecResult, neighbors?: ExecResult, links?: ExecResult): Verdict {
  const {node} = expect
  const json = parseBgpSummary(summary.stdout)
  if (!json) return fail(`${node}: cannot read BGP state: ${frrError(summary, 'bgpd')}`)
  if (!json.peers) return fail(`${node}: no BGP instance running (expected ${plural(expect.sessions.length, 'session')})`)
  const peers = json.peers
  const details = parseBgpNeighbors(neighbors?.stdout ?? '')
  const linkList = parseLinks(links?.stdout ?? '')

  const plannedKeys = new Set(expect.sessions.map((s) => s.key))
  const sessions: Array<PlannedSession & {planned: boolean}> = [
    ...expect.sessions.map((s) => ({...s, planned: true})),
    ...Object.keys(peers)
      .filter((key) => !plannedKeys.has(key))
      .map((key) => ({key, peer: peers[key].hostname ?? '?', planned: false})),
  ]
  const isUp = (key: string) => peers[key]?.state === 'Established'
  const upCount = sessions.filter((s) => isUp(s.key)).length
  const received = sessions.filter((s) => isUp(s.key)).reduce((sum, s) => sum + (peers[s.key].pfxRcd ?? 0), 0)

  const describe = (s: PlannedSession) => {
    const label = `${s.key} (${s.peer})`
    const peer = peers[s.key]
    if (!peer) return `${label} not configured`
    const words = [`${label} ${peer.state ?? 'unknown state'}`]
    const link = linkList.get(s.port ?? s.key)
    const problem = link && linkProblem(link)
    if (problem) words.push(problem)
    const reason = lastResetReason(details[s.key])
    if (reason) words.push(`last reset: ${reason}`)
    return words.join(', ')
  }

  const wanted = expect.established ?? expect.sessions.length
  const counted = `${upCount} of ${expect.established === undefined ? expect.sessions.length : sessions.length} sessions Established`
  const down = (expect.established === undefined ? sessions.filter((s) => s.planned) : sessions).filter((s) => !isUp(s.key))
  const plannedDown = expect.established === undefined ? down.length > 0 : upCount < wanted
  if (plannedDown) {
    const expected = expect.established === undefined ? '' : ` (expected at least ${wanted})`
    return fail(`${node}: ${counted}${expected}; ${down.map(describe).join('; ')}`)
  }
  const prefixes = `${plural(received, 'prefix', 'prefixes')} received`
  if (expect.prefixes !== undefined && received < expect.prefixes) {
    const perSession = sessions.filter((s) => isUp(s.key)).map((s) => `${s.key} (${s.peer}) ${peers[s.key].pfxRcd ?? 0}`)
    return fail(`${node}: ${counted}, but ${prefixes}, expected at least ${expect.prefixes}: ${perSession.join(', ')}`)
  }
  return pass(`${node}: ${counted}, ${prefixes}`)
}

export function prepareBgp(expect: BgpExpectation, name: string, key: string): PreparedCheck {
  return {
    kind: 'bgp',
    name,
    key,
    settles: true,
    async run(context) {
      const summary = await runSharedProbe(context, summaryProbe(expect.node))
      const first = evaluateBgp(expect, summary)
      if (first.status === 'pass' || !parseJson(summary)) return first
      // Only a failure is worth the detail: why each session is down.
      const [neighbors, links] = await Promise.all([runProbe(context, neighborsProbe(expect.node)), runProbe(context, linksProbe(expect.node))])
      return evaluateBgp(expect, summary, neighbors, links)
    },
  }
}

export interface BgpCheck extends Named {
  node: string
  established?: number
  prefixes?: number
}

export const bgpKey = (node: string) => `bgp:${node}:all`

export const bgpCheck = defineCheck<'bgp', BgpCheck>({
  kind: 'bgp',
  summary: 'a router\'s sessions Established (all planned ones, or at least N), optionally a minimum of prefixes received',
  body: (z) => z.object({node: z.string().min(1), established: z.number().int().min(0).optional(), prefixes: z.number().int().min(0).optional(), name: NAME_FIELD(z)}).strict(),
  references(check, refs) {
    const node = refs.node('node', check.node)
    if (node?.role === 'host' && node.routing !== 'bgp') refs.error('node', `${refs.where('node')}: ${check.node} is a host without routing: bgp`, 'name a router or a BGP host')
  },
  prepare(check, facts) {
    const sessions = plannedSessions(facts, check.node)
    const all = check.prefixes === undefined && (check.established === undefined || check.established === sessions.length)
    const words = [check.established === undefined ? 'all sessions' : `${check.established} Established`, ...(check.prefixes === undefined ? [] : [`${check.prefixes}+ prefixes`])]
    const expect = {node: check.node, sessions, ...(check.established !== undefined && {established: check.established}), ...(check.prefixes !== undefined && {prefixes: check.prefixes})}
    return prepareBgp(expect, check.name ?? (all ? check.node : `${check.node}: ${words.join(', ')}`), all ? bgpKey(check.node) : `bgp:${check.node}:${check.established}:${check.prefixes}`)
  },
})
