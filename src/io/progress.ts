// Progress of long commands on stderr (stdout stays for results and --json), and Ctrl-C/SIGTERM as an AbortSignal.
import {appendFileSync} from 'node:fs'
import {OperationError} from './errors.js'
import {liveSink, plainSink, verboseSink} from './live-progress.js'

export interface Progress {
  /** A step starts (e.g. "namespaces", "frr"). */
  step(title: string): void
  /** Something finished inside the current step (per node where it helps): shown with --verbose, always in the lab's log. */
  detail(message: string): void
  /** How far the current step is, e.g. 412 of 1000 nodes started: the live line's count. */
  count?(done: number, total: number): void
  /** From now on every step and detail line also goes to this file (the lab's log). */
  logTo?(file: string): void
}

export interface CommandProgress extends Progress {
  done(message: string): void
}

export interface ProgressOptions {
  /** --json: nothing on stderr (the log file still gets every line). */
  quiet: boolean
  /** Every detail line on stderr. */
  verbose?: boolean
  /** A live line per step; default: stderr is a terminal. */
  live?: boolean
}

export function createProgress(options: boolean | ProgressOptions): CommandProgress {
  const {quiet, verbose = false, live = Boolean(process.stderr.isTTY)} = typeof options === 'boolean' ? {quiet: options} : options
  const started = Date.now()
  const stamp = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`
  const sink = quiet ? undefined : verbose ? verboseSink(stamp) : live ? liveSink(stamp) : plainSink(stamp)
  let log: string | undefined
  let title = ''
  const toLog = (line: string) => {
    if (!log) return
    try {
      appendFileSync(log, `${line}\n`)
    } catch {
      log = undefined // the lab directory went away (torn down): stop logging, never fail the command
    }
  }
  return {
    step: (line) => {
      title = line
      toLog(`${stamp()} ▸ ${line}`)
      sink?.step(line)
    },
    detail: (message) => {
      toLog(`${stamp()}     ${message}`)
      sink?.detail(message)
    },
    count: (done, total) => sink?.count(title, done, total),
    done: (message) => {
      toLog(`${stamp()} ✓ ${message}`)
      sink?.end()
      if (!quiet) process.stderr.write(`${stamp()} ✓ ${message}\n`)
    },
    logTo: (file) => {
      log = file
    },
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
