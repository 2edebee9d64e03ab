// Running a check's commands on nodes, and reading what they printed. Every check goes through here.
import {daemonNotRunning, isVtyshNoise} from '../frr/json.js'
import type {ExecResult} from '../io/executor.js'
import type {Probe, RunContext, Verdict} from './types.js'

export const pass = (detail: string): Verdict => ({status: 'pass', detail})
export const fail = (detail: string): Verdict => ({status: 'fail', detail})

/** Run a probe; an executor failure (node missing, timeout) becomes an ExecResult the judges understand. */
export async function runProbe(context: RunContext, probe: Probe): Promise<ExecResult> {
  try {
    return await context.executor.exec(probe.node, probe.argv, {timeoutMs: probe.timeoutMs ?? 10_000, signal: context.signal})
  } catch (error) {
    return {stdout: '', stderr: error instanceof Error ? error.message : String(error), exitCode: -1}
  }
}

/**
 * One answer for many checks: every ECMP and route check on a node reads the same routing table,
 * so the table is fetched once per node and round instead of once per check.
 */
export class ProbeMemo {
  private readonly entries = new Map<string, {startedAt: number; result: Promise<ExecResult>}>()

  run(context: RunContext, probe: Probe): Promise<ExecResult> {
    const key = `${probe.node}\u0000${probe.argv.join('\u0000')}`
    const hit = this.entries.get(key)
    if (hit && hit.startedAt >= (context.notBefore ?? Number.POSITIVE_INFINITY)) return hit.result
    const entry = {startedAt: Date.now(), result: runProbe(context, probe)}
    this.entries.set(key, entry)
    return entry.result
  }
}

/** Through the memo when the runner offers one. */
export function runSharedProbe(context: RunContext, probe: Probe): Promise<ExecResult> {
  return context.probes ? context.probes.run(context, probe) : runProbe(context, probe)
}

/** The words a failed command left behind, without noise: "bgpd is not running". */
export function commandError(result: ExecResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !isVtyshNoise(line))
  const text = lines.slice(0, 3).join('; ')
  if (text) return text
  return result.exitCode === 0 ? 'no output' : `exit ${result.exitCode} without output`
}

/** Why a question to one FRR daemon (`vtysh -d <daemon>`) got no answer. */
export function frrError(result: ExecResult, daemon: string): string {
  return daemonNotRunning(`${result.stderr}\n${result.stdout}`, daemon) ?? commandError(result)
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
