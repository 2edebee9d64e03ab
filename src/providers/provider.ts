// What every provider offers. Kept to a handful of methods (containerlab's lesson: not a 40-method Node).
import type {LabPlan} from '../core/plan.js'

export interface ExecResult {
  stdout: string
  stderr: string
  exitCode: number
}

export interface ExecOptions {
  timeoutMs?: number
  signal?: AbortSignal
}

/** "Run this on node X": the one interface verification uses (netns: in the namespace; vagrant: over SSH). */
export interface NodeExecutor {
  /** argv is passed as-is, never through a shell. */
  exec(node: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult>
}

export interface Progress {
  /** A step starts (e.g. "namespaces", "frr"). */
  step(title: string): void
  /** Something finished inside the current step (per node where it helps). */
  detail(message: string): void
}

export interface UpOptions {
  labDir: string
  signal: AbortSignal
  progress: Progress
  /** Bound on the convergence wait. */
  timeoutMs: number
}

export interface UpResult {
  lab: string
  provider: string
  nodes: number
  links: number
  sessions: number
  buildMs: number
  convergenceMs: number
}

export interface Provider {
  readonly name: string
  /** Check the machine can run the lab; throws UsageError with the fix. Creates nothing. */
  preflight(plan: LabPlan): Promise<void>
  up(plan: LabPlan, options: UpOptions): Promise<UpResult>
  down(lab: string, labDir: string): Promise<{removed: string[]}>
  executor(lab: string, labDir: string): NodeExecutor
}
