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

/** Every signal that would otherwise end lab mid-build: Ctrl-C, kill, a dropped ssh session (HUP), Ctrl-\\ (QUIT). */
const CANCELLING_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']

/**
 * Run work with an AbortSignal that those signals trip. The handlers stay installed until the work
 * (including its teardown) settles, so a second Ctrl-C cannot kill lab halfway through cleaning up,
 * and a terminal that went away (EIO/EPIPE on stdout or stderr) cannot crash it there either.
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
  const ignoreClosedOutput = () => {}
  for (const signal of CANCELLING_SIGNALS) process.on(signal, onSignal)
  process.stdout.on('error', ignoreClosedOutput)
  process.stderr.on('error', ignoreClosedOutput)
  try {
    return await work(controller.signal)
  } catch (error) {
    // Interrupted before the provider had built anything (it reports its own teardown otherwise).
    if (controller.signal.aborted && !(error instanceof OperationError)) {
      throw new OperationError(`interrupted (${(controller.signal.reason as Error).message}) before anything was built`, 'run lab up again')
    }
    throw error
  } finally {
    for (const signal of CANCELLING_SIGNALS) process.off(signal, onSignal)
    process.stdout.off('error', ignoreClosedOutput)
    process.stderr.off('error', ignoreClosedOutput)
  }
}
