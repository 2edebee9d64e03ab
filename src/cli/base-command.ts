// One base command: shared flags, --json, and the one place errors become exit codes.
import {Command, Flags, Interfaces} from '@oclif/core'
import {formatDiagnostic, TopologyError} from '../topology/diagnostics.js'
import {OperationError, UsageError} from '../io/errors.js'
import {environmentError} from '../io/environment-error.js'
import {endLiveLine} from '../io/live-progress.js'
import {plural} from '../util/text.js'
import {classMember} from '../io/acting-user.js'
import {forwardToClassHelper} from '../io/class-forward.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static enableJsonFlag = true
  static baseFlags = {
    // Declared here, not only via enableJsonFlag: a static class field does not run oclif's setter.
    json: Flags.boolean({description: 'Format output as JSON', helpGroup: 'GLOBAL'}),
    debug: Flags.boolean({description: 'Print stack traces and subprocess details', helpGroup: 'GLOBAL'}),
  }

  /** Runs as root (namespaces, the machine-wide lab state): a class member gets there through the class helper. */
  static needsRoot = false
  /** The teacher's (root's) alone, also through the class helper. */
  static teacherOnly = false

  protected flags!: BaseFlags<T>
  protected args!: Interfaces.InferredArgs<T['args']>

  public async init(): Promise<void> {
    await super.init()
    const {flags, args} = await this.parse({flags: this.ctor.flags, baseFlags: (this.ctor as typeof BaseCommand).baseFlags, args: this.ctor.args, strict: this.ctor.strict})
    this.flags = flags as BaseFlags<T>
    this.args = args as Interfaces.InferredArgs<T['args']>
    const ctor = this.ctor as typeof BaseCommand
    if (ctor.teacherOnly && classMember()) throw new UsageError(`lab ${this.id?.replace(/:/g, ' ')} is the teacher's: run it as root`, 'ask your teacher')
    // Parsed first, so a flag typo is the user's own error; then, without root, through the class helper.
    if (ctor.needsRoot && process.getuid?.() !== 0) await forwardToClassHelper(this.id?.replace(/:/g, ' ') ?? '')
  }

  /** Human output that --json silences. */
  protected say(message = ''): void {
    if (!this.jsonEnabled()) this.log(message)
  }

  protected async catch(thrown: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    const error: Error & {exitCode?: number; oclif?: {exit?: number}} = environmentError(thrown) ?? thrown
    // Read from argv (flags may not have parsed), but not past `--`: `lab exec n -- cmd --debug` is cmd's flag.
    const passThrough = this.argv.indexOf('--')
    const debug = (passThrough === -1 ? this.argv : this.argv.slice(0, passThrough)).includes('--debug')
    const exitCode = exitCodeOf(error)
    const lines = describeError(error)
    endLiveLine()
    if (this.jsonEnabled()) {
      const fix = fixOf(error)
      this.logJson({error: {message: error.message, code: exitCode, ...(fix && {fix}), ...(error instanceof TopologyError && {diagnostics: error.diagnostics})}})
    } else {
      process.stderr.write(`${lines.join('\n')}\n`)
    }
    if (debug && thrown.stack) process.stderr.write(`${thrown.stack}\n`)
    process.exitCode = exitCode
    return undefined
  }
}

function exitCodeOf(error: Error & {exitCode?: number; oclif?: {exit?: number}}): number {
  if (error instanceof TopologyError || error instanceof UsageError) return 2
  if (error instanceof OperationError) return 1
  if (error.oclif?.exit !== undefined) return error.oclif.exit === 0 ? 0 : 2 // flag and argument errors
  return 1
}

function describeError(error: Error): string[] {
  if (error instanceof TopologyError) {
    const errors = error.diagnostics.filter((d) => d.severity === 'error').length
    return [...error.diagnostics.map(formatDiagnostic), `${plural(errors, 'problem')} found; nothing was written.`]
  }
  const fix = fixOf(error)
  if (fix) return [`error: ${error.message}`, `  fix: ${fix}`]
  if (error instanceof UsageError || error instanceof OperationError || (error as {oclif?: unknown}).oclif) return [`error: ${error.message}`]
  return [`error: ${error.message}`, '  (this is a bug in lab; run again with --debug for a stack trace)']
}

/** What the user can do about it: the error's own fix; for oclif's flag and argument errors, the help. */
function fixOf(error: Error): string | undefined {
  if (error instanceof UsageError || error instanceof OperationError) return error.fix
  if ((error as {oclif?: unknown}).oclif) return 'see `lab --help` or `lab <command> --help`'
  return undefined
}
