// Running subprocesses: argv arrays only (never a shell string), results as values, failures as CommandError.
import {constants} from 'node:os'
import {execa} from 'execa'
import type {ExecResult} from './executor.js'
import {CommandError} from './errors.js'

export interface RunOptions {
  input?: string
  env?: Record<string, string | undefined>
  timeoutMs?: number
  signal?: AbortSignal
}

/** Run argv and return what it printed and its exit code; a missing program is exit 127, a timeout 124. */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv
  const result = await execa(file, args, {
    reject: false,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    env: options.env,
    extendEnv: true,
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    stripFinalNewline: false,
  })
  const stdout = typeof result.stdout === 'string' ? result.stdout : ''
  let stderr = typeof result.stderr === 'string' ? result.stderr : ''
  let exitCode = result.exitCode ?? 1
  if (result.timedOut) {
    exitCode = 124
    stderr += `\n${file}: timed out after ${options.timeoutMs} ms`
  } else if (result.isCanceled) {
    exitCode = 130
    stderr += `\n${file}: cancelled`
  } else if (result.exitCode === undefined && result.signal) {
    exitCode = 128 + (signalNumber(result.signal) ?? 0)
  } else if (result.exitCode === undefined) {
    exitCode = 127
    stderr += `\n${file}: ${result.originalMessage ?? 'could not be started'}`
  }
  return {stdout, stderr: stderr.trim() ? stderr : '', exitCode}
}

/** Like run(), but a non-zero exit becomes a CommandError naming the command and its stderr. */
export async function runOk(argv: readonly string[], options: RunOptions = {}, fix?: string): Promise<ExecResult> {
  const result = await run(argv, options)
  if (result.exitCode !== 0) throw new CommandError(argv, result.stderr || result.stdout, result.exitCode, fix)
  return result
}

function signalNumber(name: string): number | undefined {
  return constants.signals[name as NodeJS.Signals]
}
