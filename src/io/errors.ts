// Errors that map to the brief's exit codes. Anything else is a bug and prints a stack with --debug.

/** Bad input (usage, invalid topology, unknown node): exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2
  constructor(message: string, readonly fix?: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** An operation or a check failed: exit 1. */
export class OperationError extends Error {
  readonly exitCode = 1
  constructor(message: string, readonly fix?: string) {
    super(message)
    this.name = 'OperationError'
  }
}

/** A subprocess failed; names the command and what it printed. */
export class CommandError extends OperationError {
  constructor(readonly command: readonly string[], readonly stderr: string, readonly code: number | undefined, fix?: string) {
    super(`${command.join(' ')} failed${code === undefined ? '' : ` (exit ${code})`}: ${stderr.trim() || 'no output'}`, fix)
    this.name = 'CommandError'
  }
}
