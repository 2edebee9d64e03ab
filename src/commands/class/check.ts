import {Args, Flags} from '@oclif/core'
import {writeFileSync} from 'node:fs'
import {BaseCommand} from '../../cli/base-command.js'
import {OperationError} from '../../io/errors.js'
import {classCheck, formatGradebook, gradebookCsv, type GradebookRow} from '../../lab/class.js'

export default class ClassCheck extends BaseCommand<typeof ClassCheck> {
  static summary = "The gradebook: every student's score for an exercise, each check's status, hints shown"
  static teacherOnly = true
  static examples = ['<%= config.bin %> class check wrong-asn', '<%= config.bin %> class check wrong-asn --csv grades.csv', '<%= config.bin %> class check wrong-asn --json']
  static args = {exercise: Args.string({description: 'exercise id (in exercises/) or path to a YAML file', required: true})}
  static flags = {
    csv: Flags.string({description: 'also write the gradebook as CSV to this file'}),
    wait: Flags.integer({description: 'seconds to keep retrying failing checks while state settles', default: 0, min: 0, max: 600}),
  }

  async run(): Promise<{exercise: string; students: GradebookRow[]}> {
    const rows = await classCheck(this.args.exercise, this.flags.wait * 1000)
    if (this.flags.csv) {
      try {
        writeFileSync(this.flags.csv, gradebookCsv(rows))
      } catch (error) {
        throw new OperationError(`cannot write ${this.flags.csv}: ${(error as Error).message}`, 'choose a writable path with --csv')
      }
    }
    if (!this.jsonEnabled()) this.log(formatGradebook(rows))
    return {exercise: rows[0]?.result.exercise ?? this.args.exercise, students: rows}
  }
}
