// What a check is, what it yields, and what `lab verify` returns (the brief's JSON shape).
import type {Check} from '../topology/model.js'
import type {ExecResult, NodeExecutor} from '../providers/provider.js'

export type CheckKind = Check['kind']
export const CHECK_KINDS: readonly CheckKind[] = ['bgp', 'ping', 'ecmp', 'route', 'path', 'iperf', 'exec']

export type CheckStatus = 'pass' | 'fail' | 'skip'

/** A judge's ruling on one attempt: what was expected and what was seen, in the network's words. */
export interface Verdict {
  status: CheckStatus
  detail: string
}

export interface CheckResult {
  kind: CheckKind
  name: string
  status: CheckStatus
  detail: string
  durationMs: number
}

export interface VerifyResult {
  lab: string
  provider: string
  passed: number
  failed: number
  skipped: number
  durationMs: number
  checks: CheckResult[]
}

/** One command on one node. */
export interface Probe {
  node: string
  argv: string[]
  timeoutMs?: number
}

export interface RunContext {
  executor: NodeExecutor
  signal: AbortSignal
  /** Output shared between checks that ask a node the same question (absent: nothing shared). */
  probes?: ProbeMemo
  /** Shared output counts only if its command started at or after this time (ms since epoch): a retry sees newer state. */
  notBefore?: number
}

/** A check ready to run: the glue between its probes and its pure judge. */
export interface PreparedCheck {
  kind: CheckKind
  name: string
  /** Identifies what the check asserts; a declared check replaces a default one with the same key. */
  key: string
  /** State may still be settling (sessions, routes): retry on failure until --wait expires. */
  settles: boolean
  /** Runs alone, after the others (iperf would starve parallel checks of CPU). */
  exclusive?: boolean
  /** Spends its time waiting on the network (ping, traceroute), not on CPU: may run more at once. */
  mostlyWaits?: boolean
  run(context: RunContext): Promise<Verdict>
}

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
