import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {providerFlag} from '../../cli/flags.js'
import {OperationError} from '../../io/errors.js'
import {lintExercise} from '../../io/exercise-file.js'
import {createProgress, withCancellation} from '../../io/progress.js'
import {checkCapacity, CLASS_CONCURRENCY, classUp, readStudents, type ClassStart} from '../../lab/class.js'
import {exercisePlan} from '../../lab/exercise.js'
import {defaultProviderName, providerSpec} from '../../providers/registry.js'
import {seconds} from '../../util/text.js'

export default class ClassUp extends BaseCommand<typeof ClassUp> {
  static summary = 'One lab per student for an exercise: up, converged and faulted, a few at a time'
  static teacherOnly = true
  static description = "Each student's lab is named after the student and seeded with the name, so neighbours get their own variables. Refuses, with the numbers, a class the machine cannot hold (memory, the kernel's neighbour table)."
  static examples = ['<%= config.bin %> class up wrong-asn --students class.txt']
  static args = {exercise: Args.string({description: 'exercise id (in exercises/) or path to a YAML file', required: true})}
  static flags = {
    students: Flags.string({description: 'file with one student name per line', required: true}),
    provider: providerFlag(`provider (default: ${defaultProviderName()} here)`, false),
    timeout: Flags.integer({description: "seconds to wait for each lab's BGP to converge", default: 120, min: 1}),
    parallel: Flags.integer({description: 'labs brought up at once', default: CLASS_CONCURRENCY, min: 1, max: 32}),
  }

  async run(): Promise<{exercise: string; labs: ClassStart[]; durationMs: number}> {
    const started = Date.now()
    const exercise = lintExercise(this.args.exercise)
    const students = readStudents(this.flags.students)
    const spec = providerSpec(this.flags.provider ?? defaultProviderName())
    checkCapacity(exercisePlan(exercise, students[0], spec), students.length)
    const progress = createProgress(this.jsonEnabled())
    progress.step(`bringing up ${students.length} labs of ${exercise.id}`)
    const labs = await withCancellation((signal) => classUp(this.args.exercise, students, {spec, progress, signal, timeoutMs: this.flags.timeout * 1000, parallel: this.flags.parallel}))
    const failed = labs.filter((l) => !l.ok)
    const durationMs = Date.now() - started
    if (failed.length > 0) {
      throw new OperationError(`${failed.length} of ${students.length} labs did not start: ${failed.map((f) => `${f.student}: ${f.error?.split('\n')[0]}`).join('; ')}`, `lab class down ${exercise.id}, then lab class up again; or start one with lab exercise start ${exercise.id} --name <student>`)
    }
    progress.done(`${students.length} labs of ${exercise.id} up and faulted in ${seconds(durationMs)}`)
    return {exercise: exercise.id, labs, durationMs}
  }
}
