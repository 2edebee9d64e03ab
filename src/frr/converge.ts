// Wait until the lab is converged (expect.ts), polling FRR's JSON with a bound. Routers that are
// done are not asked again; at most a few vtysh run at once so polling does not slow convergence.
import {OperationError} from '../io/errors.js'
import type {LabPlan} from '../plan/plan.js'
import {mapLimit} from '../util/pool.js'
import {sleep} from '../util/sleep.js'
import {plural} from '../util/text.js'
import type {NodeExecutor} from '../io/executor.js'
import {BGP_NEIGHBORS, BGP_SUMMARY, FRR_QUERY_TIMEOUT_MS, IPV4_ROUTES, OSPF_NEIGHBORS} from './commands.js'
import {parseBgpNeighbors} from './json.js'
import type {Progress} from '../io/progress.js'
import {convergenceExpectations, routesMissing, sessionsNotUp, type RouteShortfall, type RouterExpectation, type SessionSeen} from './expect.js'

const POLL_CONCURRENCY = 3
const FIRST_POLL_MS = 100
const MAX_POLL_MS = 500

export interface RouterProgress {
  node: string
  protocol?: 'bgp' | 'ospf'
  sessionsDown: SessionSeen[]
  routesMissing: RouteShortfall[]
  done: boolean
}

export interface ConvergenceResult {
  converged: boolean
  elapsedMs: number
  sessions: number
  routers: RouterProgress[]
}

export async function waitConverged(plan: LabPlan, executor: NodeExecutor, options: {timeoutMs: number; signal: AbortSignal; progress?: Progress}): Promise<ConvergenceResult> {
  const started = Date.now()
  const deadline = started + options.timeoutMs
  const expectations = convergenceExpectations(plan)
  const state = new Map<string, RouterProgress>(expectations.map((e) => [e.node, {node: e.node, protocol: e.protocol, sessionsDown: e.sessions.map((s) => ({...s, state: 'not checked'})), routesMissing: [], done: false}]))
  const sessions = expectations.reduce((sum, e) => sum + e.sessions.length, 0)
  let delay = FIRST_POLL_MS

  const check = async (expectation: RouterExpectation) => {
    const progress = state.get(expectation.node)!
    const summary = await executor.exec(expectation.node, expectation.protocol === 'ospf' ? OSPF_NEIGHBORS : BGP_SUMMARY, {timeoutMs: FRR_QUERY_TIMEOUT_MS, signal: options.signal})
    progress.sessionsDown = sessionsNotUp(expectation, summary.stdout)
    if (progress.sessionsDown.length > 0) return
    const routes = await executor.exec(expectation.node, IPV4_ROUTES, {timeoutMs: FRR_QUERY_TIMEOUT_MS, signal: options.signal})
    progress.routesMissing = routesMissing(expectation, routes.stdout)
    if (progress.routesMissing.length > 0) return
    progress.done = true
    options.progress?.detail(`${expectation.node}: ${plural(expectation.sessions.length, 'session')} up, ${expectation.routes.length} routes (${Math.round((Date.now() - started) / 100) / 10} s)`)
  }

  for (;;) {
    options.signal.throwIfAborted()
    const pending = expectations.filter((e) => !state.get(e.node)!.done)
    if (pending.length === 0) break
    await mapLimit(pending, POLL_CONCURRENCY, check)
    if (expectations.every((e) => state.get(e.node)!.done)) break
    if (Date.now() + delay > deadline) {
      return {converged: false, elapsedMs: Date.now() - started, sessions, routers: [...state.values()]}
    }
    await sleep(delay, options.signal)
    delay = Math.min(Math.round(delay * 1.5), MAX_POLL_MS)
  }
  return {converged: true, elapsedMs: Date.now() - started, sessions, routers: [...state.values()]}
}

/** For a timeout message: why each session is not up (state, last reset reason, last error). */
export async function explainSessions(executor: NodeExecutor, routers: RouterProgress[], signal?: AbortSignal): Promise<string[]> {
  const lines: string[] = []
  await mapLimit(routers.filter((r) => !r.done), POLL_CONCURRENCY, async (router) => {
    if (router.sessionsDown.length === 0) {
      const missing = router.routesMissing.slice(0, 5).map((r) => `${r.prefix} (${r.installed}/${r.expected} paths)`)
      lines.push(`${router.node}: sessions up, routes missing: ${missing.join(', ')}${router.routesMissing.length > 5 ? ` and ${router.routesMissing.length - 5} more` : ''}`)
      return
    }
    if (router.protocol === 'ospf') {
      for (const session of router.sessionsDown) lines.push(`${router.node} ${session.neighbor} -> ${session.peer}: ${session.state}`)
      return
    }
    // bgpd not answering: the state from the summary is all there is.
    const result = await executor.exec(router.node, BGP_NEIGHBORS, {timeoutMs: FRR_QUERY_TIMEOUT_MS, signal}).catch(() => undefined)
    const details = parseBgpNeighbors(result?.stdout ?? '')
    for (const session of router.sessionsDown) {
      const detail = details[session.neighbor]
      const why = [detail?.lastResetDueTo && `last reset: ${detail.lastResetDueTo}`, detail?.lastErrorCodeSubcode && `last error: ${detail.lastErrorCodeSubcode}`, detail?.lastNotificationReason && `notification: ${detail.lastNotificationReason}`]
        .filter(Boolean)
        .join(', ')
      const now = detail?.bgpState
      const state = now && now !== session.state ? `${session.state} at the deadline (now ${now})` : session.state
      lines.push(`${router.node} ${session.neighbor} -> ${session.peer}: ${state}${why ? `; ${why}` : ''}`)
    }
  })
  return lines.sort()
}

/** BGP did not converge in time: the lab stays up so it can be inspected (and fixed: exercises). */
export class NotConvergedError extends OperationError {}

/** The error for a convergence wait that ran out: every session not up, with FRR's reasons. */
export async function notConverged(plan: LabPlan, executor: NodeExecutor, result: ConvergenceResult, timeoutMs: number, signal?: AbortSignal): Promise<NotConvergedError> {
  const reasons = await explainSessions(executor, result.routers, signal)
  return new NotConvergedError(
    `lab ${plan.name} did not converge within ${Math.round(timeoutMs / 1000)} s; it is left up so you can look:\n${reasons.map((r) => `  ${r}`).join('\n')}`,
    `lab status ${plan.name}; lab exec <node> -- vtysh -c '${plan.protocol === 'ospf' ? 'show ip ospf neighbor' : 'show bgp summary'}'; lab down ${plan.name}`,
  )
}
