// Wait until the lab is converged (expect.ts), polling with a bound. Routers that are done are not
// asked again; at most a few queries run at once, and a round stops at the first router not done
// (the others are most likely not done either), so a 1,000-node lab costs about one query per
// router and one per round while it converges. Routes are asked of the kernel (what zebra
// installed: `ip` answers in ~6 ms where vtysh takes ~30 ms and zebra's JSON of a big table ~0.2 s);
// a BGP route through a session proves it Established, and bgpd is asked only about the others.
import {OperationError} from '../io/errors.js'
import type {LabPlan} from '../plan/plan.js'
import {mapLimit, mapWhile} from '../util/pool.js'
import {sleep} from '../util/sleep.js'
import {plural} from '../util/text.js'
import type {NodeExecutor} from '../io/executor.js'
import {BGP_NEIGHBORS, BGP_SUMMARY, FRR_QUERY_TIMEOUT_MS, OSPF_NEIGHBORS} from './commands.js'
import {KERNEL_IPV4_ROUTES, parseKernelTable} from '../linux/iproute.js'
import {parseBgpNeighbors} from './json.js'
import type {Progress} from '../io/progress.js'
import {convergenceExpectations, routesMissingInKernel, sessionsNotUp, sessionsWithoutRoutes, type RouteShortfall, type RouterExpectation, type SessionSeen} from './expect.js'

const POLL_CONCURRENCY = 3
const FIRST_POLL_MS = 100
const MAX_POLL_MS = 200 // a round costs one `ip` while waiting: polling often shortens the wait, not the CPU

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
  let converged = 0
  options.progress?.count?.(0, expectations.length)

  // The kernel first: cheap, it fails while the router converges, and its BGP routes vouch for the
  // sessions they go through; bgpd is asked only about the other sessions (all of them when
  // `thorough`: the last look before a timeout, whose message names every session not up).
  const check = async (expectation: RouterExpectation, thorough = false): Promise<boolean> => {
    const progress = state.get(expectation.node)!
    const routes = await executor.exec(expectation.node, KERNEL_IPV4_ROUTES, {timeoutMs: FRR_QUERY_TIMEOUT_MS, signal: options.signal})
    const table = parseKernelTable(routes.stdout)
    progress.routesMissing = routesMissingInKernel(expectation, table)
    const unproven = thorough ? expectation.sessions : sessionsWithoutRoutes(expectation, table)
    if (progress.routesMissing.length > 0 && !thorough) return false
    progress.sessionsDown = []
    if (unproven.length > 0) {
      const summary = await executor.exec(expectation.node, expectation.protocol === 'ospf' ? OSPF_NEIGHBORS : BGP_SUMMARY, {timeoutMs: FRR_QUERY_TIMEOUT_MS, signal: options.signal})
      progress.sessionsDown = sessionsNotUp({...expectation, sessions: unproven}, summary.stdout)
    }
    if (progress.sessionsDown.length > 0 || progress.routesMissing.length > 0) return false
    progress.done = true
    options.progress?.count?.(++converged, expectations.length)
    options.progress?.detail(`${expectation.node}: ${plural(expectation.sessions.length, 'session')} up, ${expectation.routes.length} routes (${Math.round((Date.now() - started) / 100) / 10} s)`)
    return true
  }

  for (;;) {
    options.signal.throwIfAborted()
    const pending = expectations.filter((e) => !state.get(e.node)!.done)
    if (pending.length === 0) break
    await mapWhile(pending, POLL_CONCURRENCY, (e) => check(e))
    if (expectations.every((e) => state.get(e.node)!.done)) break
    if (Date.now() + delay > deadline) {
      // Rounds stop early: ask every router once more so the explanation covers all of them.
      await mapLimit(expectations.filter((e) => !state.get(e.node)!.done), POLL_CONCURRENCY, (e) => check(e, true))
      if (expectations.every((e) => state.get(e.node)!.done)) break
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
