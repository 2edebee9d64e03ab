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

/**
 * Stopping and starting one FRR daemon of a node (the `daemon` fault). Provider-specific (netns: by
 * recorded PID; a VM: systemd), so providers that can offer it do, through Provider.daemonControl.
 */
export interface DaemonControl {
  /** Resolves to false when it was not running. */
  stop(node: string, daemon: string): Promise<boolean>
  /** Starts it with the node's current FRR config (the last edited copy, else the rendered one); false when it already ran. */
  start(node: string, daemon: string): Promise<boolean>
}
