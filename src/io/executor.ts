// "Run this on node X": the one way anything outside a provider reaches a node (netns: inside its
// namespaces; VMs: over SSH). Convergence, status, verify and faults all go through it.

export interface ExecResult {
  stdout: string
  stderr: string
  exitCode: number
}

export interface ExecOptions {
  timeoutMs?: number
  signal?: AbortSignal
}

export interface NodeExecutor {
  /** argv is passed as-is, never through a shell. */
  exec(node: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult>
}
