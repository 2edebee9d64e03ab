// `node:port`, how link and netem faults (and lab link/impair/capture) name one end of a link.
import {OperationError} from '../../io/errors.js'
import type {ExecResult} from '../../io/executor.js'

export function splitEndpoint(text: string): {node: string; port: string} {
  const [node, port] = text.split(':')
  return {node, port}
}

/** The body key every endpoint fault uses, described once. */
export const ENDPOINT_PATTERN = /^[a-z][a-z0-9-]*:[^:\s]+$/

/** A command a fault ran on a node that failed: the command and what it printed, as one error. */
export function failedOn(node: string, argv: readonly string[], result: ExecResult, fix?: string): OperationError {
  const output = (result.stderr || result.stdout).trim() || 'no output'
  return new OperationError(`${node}: \`${argv.join(' ')}\` failed (exit ${result.exitCode}): ${output}`, fix)
}
