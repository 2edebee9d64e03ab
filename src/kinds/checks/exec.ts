// exec: a command on a node whose output must match a pattern (exercises' own checks).
import type {ExecResult} from '../../io/executor.js'
import {type PreparedCheck, type Probe, type Verdict} from '../../verify/types.js'
import {fail, pass, runProbe} from '../../verify/probe.js'
import {execBounded, REGEX_TIMEOUT_MS, RegexTimeout} from '../../util/regex.js'
import {defineCheck, NAME_FIELD, type Named} from './spec.js'

export interface ExecExpectation {
  node: string
  /** A string is a shell command line written by the exercise's author; a list is argv. */
  command: string | string[]
  expect: string
}

export const execProbe = (e: ExecExpectation): Probe => ({
  node: e.node,
  argv: typeof e.command === 'string' ? ['sh', '-c', e.command] : [...e.command],
  timeoutMs: 30_000,
})

const shown = (command: string | string[]) => (typeof command === 'string' ? command : command.join(' '))

function excerpt(text: string, max = 160): string {
  const flat = text.trim().replace(/\s+/g, ' ')
  return flat.length > max ? `${flat.slice(0, max)}…` : flat || '(no output)'
}

/** The pattern is matched against stdout, then stderr (multiline: ^ and $ work per line). */
export function evaluateExec(e: ExecExpectation, result: ExecResult): Verdict {
  const output = result.stderr ? `${result.stdout}\n${result.stderr}` : result.stdout
  let match: RegExpExecArray | null
  try {
    match = execBounded(e.expect, 'm', output)
  } catch (error) {
    if (!(error instanceof RegexTimeout)) throw error
    return fail(`/${e.expect}/ took over ${REGEX_TIMEOUT_MS / 1000} s on the output of \`${shown(e.command)}\` on ${e.node} and was stopped; simplify the pattern (nested repetition such as (a+)+ backtracks without end)`)
  }
  const exit = result.exitCode === 0 ? '' : ` (exit ${result.exitCode})`
  if (match) return pass(`\`${shown(e.command)}\` on ${e.node} matched /${e.expect}/: ${excerpt(match[0], 80)}${exit}`)
  return fail(`\`${shown(e.command)}\` on ${e.node}${exit} did not match /${e.expect}/; output: ${excerpt(output)}`)
}

export function prepareExec(e: ExecExpectation, name: string, key: string): PreparedCheck {
  return {
    kind: 'exec',
    name,
    key,
    settles: true,
    async run(context) {
      return evaluateExec(e, await runProbe(context, execProbe(e)))
    },
  }
}

export interface ExecCheck extends Named {
  node: string
  command: string | string[]
  expect: string
}

export const execCheck = defineCheck<'exec', ExecCheck>({
  kind: 'exec',
  summary: 'a command on a node whose output must match a regular expression',
  body: (z) =>
    z
      .object({
        node: z.string().min(1),
        command: z.union([z.string().min(1), z.array(z.string()).min(1)]),
        expect: z.string().describe('regular expression the output must match'),
        name: NAME_FIELD(z),
      })
      .strict(),
  references(check, refs) {
    refs.node('node', check.node)
    try {
      new RegExp(check.expect)
    } catch (e) {
      refs.error('expect', `${refs.where('expect')} is not a valid regular expression: ${(e as Error).message}`, 'escape special characters such as ( [ with a backslash')
    }
  },
  prepare(check) {
    const command = typeof check.command === 'string' ? check.command : check.command.join(' ')
    return prepareExec(check, check.name ?? `${check.node}: ${command.length > 40 ? `${command.slice(0, 39)}…` : command}`, `exec:${check.node}:${command}:${check.expect}`)
  },
})
