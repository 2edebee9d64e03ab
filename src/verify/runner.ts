// Run prepared checks: a bounded number at once, retrying settling checks until the wait expires,
// exclusive ones (iperf) alone at the end. Never throws for a check; a check's own error is its failure.
import {setMaxListeners} from 'node:events'
import type {NodeExecutor} from '../io/executor.js'
import {mapLimit} from '../util/pool.js'
import {sleep} from '../util/sleep.js'
import {ProbeMemo} from './probe.js'
import type {CheckResult, PreparedCheck, Verdict} from './types.js'

export interface RunOptions {
  executor: NodeExecutor
  /** How many checks run at once. */
  concurrency: number
  /** Failing settling checks are retried until this long after the run started. */
  waitMs: number
  /** Pause between attempts of one check. */
  pollMs?: number
  only?: readonly string[]
  skip?: readonly string[]
  signal?: AbortSignal
  /** Called as each check finishes (progress). */
  onResult?: (result: CheckResult) => void
}

export const DEFAULT_POLL_MS = 250
/** A first attempt may use another check's answer from this recently. */
export const SHARED_FRESH_MS = 1_000
/** Checks that mostly wait (ping, traceroute) may run this many times the concurrency at once. */
export const WAITING_FACTOR = 2

export async function runChecks(checks: readonly PreparedCheck[], options: RunOptions): Promise<CheckResult[]> {
  const signal = options.signal ?? new AbortController().signal
  // Every command in flight listens on the one signal; dozens at once is expected, not a leak.
  setMaxListeners(Math.max(64, options.concurrency * (WAITING_FACTOR + 1) * 4), signal)
  const deadline = Date.now() + options.waitMs
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS
  const results: CheckResult[] = new Array(checks.length)

  const skippedBy = (kind: string) => {
    if (options.only?.length && !options.only.includes(kind)) return `not in --only ${options.only.join(',')}`
    if (options.skip?.includes(kind)) return `skipped by --skip ${options.skip.join(',')}`
    return undefined
  }

  const probes = new ProbeMemo()
  const runOne = async (index: number) => {
    const check = checks[index]
    const started = performance.now()
    let verdict: Verdict
    let notBefore = Date.now() - SHARED_FRESH_MS
    for (;;) {
      try {
        verdict = await check.run({executor: options.executor, signal, probes, notBefore})
      } catch (error) {
        verdict = {status: 'fail', detail: `could not run: ${error instanceof Error ? error.message : String(error)}`}
      }
      if (verdict.status !== 'fail' || !check.settles || signal.aborted || Date.now() + pollMs >= deadline) break
      // The retry must see state newer than what just failed.
      notBefore = Date.now()
      await sleep(pollMs, signal)
    }
    results[index] = {kind: check.kind, name: check.name, status: verdict.status, detail: verdict.detail, durationMs: Math.round(performance.now() - started)}
    options.onResult?.(results[index])
  }

  const busy: number[] = []
  const waiting: number[] = []
  const exclusive: number[] = []
  checks.forEach((check, index) => {
    const reason = skippedBy(check.kind)
    if (reason) results[index] = {kind: check.kind, name: check.name, status: 'skip', detail: reason, durationMs: 0}
    else (check.exclusive ? exclusive : check.mostlyWaits ? waiting : busy).push(index)
  })

  const limit = Math.max(1, options.concurrency)
  await Promise.all([mapLimit(busy, limit, runOne), mapLimit(spread(waiting, (i) => checks[i].shares), limit * WAITING_FACTOR, runOne)])
  for (const index of exclusive) await runOne(index)
  return results
}

/**
 * Round-robin over groups of checks that share a probe: 71 checks reading host1's fping would
 * otherwise fill every slot and wait on that one probe while no other host's ran.
 */
export function spread(indices: readonly number[], group: (index: number) => string | undefined): number[] {
  const groups = new Map<string, number[]>()
  for (const index of indices) {
    const name = group(index) ?? `#${index}`
    const queue = groups.get(name)
    if (queue) queue.push(index)
    else groups.set(name, [index])
  }
  const queues = [...groups.values()]
  const order: number[] = []
  for (let round = 0; order.length < indices.length; round++) {
    for (const queue of queues) if (round < queue.length) order.push(queue[round])
  }
  return order
}
