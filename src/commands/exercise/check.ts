import {Flags} from '@oclif/core'
import {writeReportFile} from '../../io/report-file.js'
import {BaseCommand} from '../../cli/base-command.js'
import {formatScore} from '../../cli/exercise-output.js'
import {labArg} from '../../cli/flags.js'
import type {ExerciseResult} from '../../exercise/grade.js'
import {UsageError} from '../../io/errors.js'
import {checkExercise} from '../../lab/exercise.js'
import {resolveLab} from '../../providers/registry.js'
import {formatJunit} from '../../verify/report/junit.js'

export default class ExerciseCheck extends BaseCommand<typeof ExerciseCheck> {
  static summary = "Grade a lab's exercise: the score, each check's status, hints for what fails"
  static needsRoot = true
  static description = 'Reads state only. A check whose `needs` do not pass is blocked, not failed. Exit code 0 only at full score, 1 otherwise.'
  static examples = ['<%= config.bin %> exercise check', '<%= config.bin %> exercise check alice --json', '<%= config.bin %> exercise check --junit grade.xml']
  static args = {lab: labArg}
  static flags = {
    wait: Flags.integer({description: 'seconds to keep retrying failing checks while state settles', default: 5, min: 0, max: 600}),
    junit: Flags.string({description: 'also write a JUnit XML report to this file'}),
  }

  async run(): Promise<ExerciseResult> {
    const {lab, dir, provider} = await resolveLab(this.args.lab, (lab) => `lab exercise check ${lab}`)
    if (!(await provider.labs()).includes(lab)) throw new UsageError(`lab ${lab} is not up`, `lab exercise start <exercise> --name ${lab}`)
    const result = await checkExercise(lab, dir, provider.executor(lab, dir), {waitMs: this.flags.wait * 1000})
    if (this.flags.junit) this.writeJunit(this.flags.junit, result, provider.name)
    if (!this.jsonEnabled()) this.log(formatScore(result))
    if (result.score < result.max) process.exitCode = 1
    return result
  }

  private writeJunit(file: string, result: ExerciseResult, providerName: string): void {
    const checks = result.checks.map((c) => ({kind: c.kind, name: c.name, status: c.status === 'blocked' ? ('skip' as const) : c.status, detail: c.hint ? `${c.detail} (hint: ${c.hint})` : c.detail, durationMs: c.durationMs}))
    const failed = checks.filter((c) => c.status === 'fail').length
    const xml = formatJunit({lab: result.lab, provider: providerName, passed: checks.length - failed, failed, skipped: checks.filter((c) => c.status === 'skip').length, durationMs: checks.reduce((s, c) => s + c.durationMs, 0), checks})
    writeReportFile(file, xml)
  }
}
