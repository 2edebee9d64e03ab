// What a check is, what it yields, and what `lab verify` returns (the brief's JSON shape). Types only.
import type {NodeExecutor} from '../io/executor.js'
import type {ProbeMemo} from './probe.js'


export type CheckStatus = 'pass' | 'fail' | 'skip'

/** A judge's ruling on one attempt: what was expected and what was seen, in the network's words. */
export interface Verdict {
  status: CheckStatus
  detail: string
}

export interface CheckResult {
  /** A registered check kind (src/kinds/checks). */
  kind: string
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
  /** A registered check kind (src/kinds/checks). */
  kind: string
  name: string
  /** Identifies what the check asserts; a declared check replaces a default one with the same key. */
  key: string
  /** State may still be settling (sessions, routes): retry on failure until --wait expires. */
  settles: boolean
  /** Runs alone, after the others (iperf would starve parallel checks of CPU). */
  exclusive?: boolean
  /** Spends its time waiting on the network (ping, traceroute), not on CPU: may run more at once. */
  mostlyWaits?: boolean
  /** Checks reading one shared probe (a host's fping): the runner spreads them so different probes run at once. */
  shares?: string
  run(context: RunContext): Promise<Verdict>
}
