// What `lab up` reports after it tore down a failed or interrupted build, on every provider.
import {OperationError} from '../io/errors.js'

/** The error to throw: an interruption says so; a failure keeps its own message; anything left behind is named. */
export function errorAfterTeardown(error: unknown, lab: string, signal: AbortSignal, leftovers: readonly string[]): unknown {
  const left = leftovers.length > 0 ? ` (could not remove: ${leftovers.join('; ')})` : ''
  if (signal.aborted) {
    return new OperationError(`interrupted (${String(signal.reason instanceof Error ? signal.reason.message : signal.reason)}): lab ${lab} was torn down${left}`, 'run lab up again')
  }
  if (error instanceof Error && left) error.message += left
  return error
}
