import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {formatBrief} from '../../cli/exercise-output.js'
import {providerFlag} from '../../cli/flags.js'
import {keptFromClassMember, readExercise} from '../../io/exercise-file.js'
import {createProgress, withCancellation} from '../../io/progress.js'
import {startExercise} from '../../lab/exercise.js'
import {defaultProviderName, providerSpec} from '../../providers/registry.js'

export default class ExerciseStart extends BaseCommand<typeof ExerciseStart> {
  static summary = "Start an exercise: bring its lab up, wait until it converged, apply the faults, print the brief"
  static needsRoot = true
  static description = 'The lab is named after the exercise unless --name is given (one lab per student: --name alice). The seed picks the values of the exercise\'s variables; it defaults to the lab name, so each student gets their own.'
  static examples = ['<%= config.bin %> exercise start wrong-asn', '<%= config.bin %> exercise start link-down --name alice', '<%= config.bin %> exercise start wrong-asn --seed 7']
  static args = {exercise: Args.string({description: 'exercise id (in exercises/) or path to a YAML file', required: true})}
  static flags = {
    name: Flags.string({description: 'lab name (default: the exercise id)'}),
    seed: Flags.string({description: 'picks the values of the exercise variables (default: the lab name)'}),
    provider: providerFlag(`provider (default: ${defaultProviderName()} here)`, false),
    timeout: Flags.integer({description: 'seconds to wait for BGP to converge before the faults', default: 90, min: 1}),
  }

  async run(): Promise<{exercise: string; lab: string; seed: string; faults?: string[]}> {
    // The seed defaults to the lab name, which defaults to the exercise id: known once the file is read.
    const labFor = (id: string) => this.flags.name ?? id
    const exercise = readExercise(this.args.exercise, (id) => this.flags.seed ?? labFor(id))
    const lab = labFor(exercise.id)
    const seed = this.flags.seed ?? lab
    const spec = providerSpec(this.flags.provider ?? defaultProviderName())
    const progress = createProgress(this.jsonEnabled())
    const {applied} = await withCancellation((signal) => startExercise(exercise, lab, seed, {spec, progress, signal, timeoutMs: this.flags.timeout * 1000}))
    progress.done(`${lab} is up and faulted (${applied.length} fault${applied.length === 1 ? '' : 's'})`)
    this.say(formatBrief(exercise, lab))
    // What the faults did is the answer to a teacher's exercise: not for the student who starts it.
    return {exercise: exercise.id, lab, seed, ...(!keptFromClassMember(exercise) && {faults: applied})}
  }
}
