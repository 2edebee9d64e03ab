// Progress of long commands on stderr (stdout stays for results and --json), and Ctrl-C/SIGTERM as an AbortSignal.
import {OperationError} from './errors.js'

export interface Progress {
  /** A step starts (e.g. "namespaces", "frr"). */
  step(title: string): void
  /** Something finished inside the current step (per node where it helps). */
  detail(message: string): void
}

export interface CommandProgress extends Progress {
  done(message: string): void
}

export function createProgress(quiet: boolean): CommandProgress {
  const started = Date.now()
  const stamp = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`
  const write = (line: string) => {
    if (!quiet) process.stderr.write(`${line}\n`)
  }
  return {
    step: (title) => write(`${stamp()} ▸ ${title}`),
    detail: (message) => write(`${stamp()}     ${message}`),
    done: (message) => write(`${stamp()} ✓ ${message}`),
  }
}

/**
 * Run work with an AbortSignal that SIGINT/SIGTERM trip. The handlers stay installed until the work
 * (including its teardown) settles, so a second Ctrl-C cannot kill lab halfway through cleaning up.
 */
export async function withCancellation<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      process.stderr.write(`${signal} again: still tearing down, please wait\n`)
      return
    }
    controller.abort(new Error(signal))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return await work(controller.signal)
  } catch (error) {
    // Interrupted before the provider had built anything (it reports its own teardown otherwise).
    if (controller.signal.aborted && !(error instanceof OperationError)) {
      throw new OperationError(`interrupted (${(controller.signal.reason as Error).message}) before anything was built`, 'run lab up again')
    }
    throw error
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
