// A user's regular expression run on a node's output with a time bound: a pattern such as ^(a+)+$
// backtracks for minutes on a long line, and would stall everything else the command does.
import {runInNewContext} from 'node:vm'

/** The pattern found nothing in time: the caller reports it (it is the pattern's fault, not the output's). */
export class RegexTimeout extends Error {}

export const REGEX_TIMEOUT_MS = 1000

/** `new RegExp(pattern, flags).exec(text)` stopped after `timeoutMs` (V8 interrupts a running match). */
export function execBounded(pattern: string, flags: string, text: string, timeoutMs = REGEX_TIMEOUT_MS): RegExpExecArray | null {
  try {
    return runInNewContext('new RegExp(pattern, flags).exec(text)', {pattern, flags, text}, {timeout: timeoutMs}) as RegExpExecArray | null
  } catch (error) {
    if ((error as {code?: string}).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new RegexTimeout(`/${pattern}/ took over ${timeoutMs} ms`)
    throw error
  }
}
