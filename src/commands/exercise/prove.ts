import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {providerFlag} from '../../cli/flags.js'
import {assertNotKeptFromClassMember, lintExercise} from '../../io/exercise-file.js'
import {createProgress, withCancellation} from '../../io/progress.js'
import {proveExercise} from '../../lab/exercise.js'
import {defaultProviderName, providerSpec} from '../../providers/registry.js'

export default class ExerciseProve extends BaseCommand<typeof ExerciseProve> {
  static summary = 'For teachers: prove an exercise is solvable on a fresh lab'
  static needsRoot = true
  static description = 'Every check passes before the faults, at least one fails after them, and all pass after the solution. The lab (prove-<exercise>) is taken down afterwards; exit 1 with the stage and the checks that were wrong otherwise.'
  static examples = ['<%= config.bin %> exercise prove wrong-asn', '<%= config.bin %> exercise prove ./my-exercise.yaml --json']
  static args = {exercise: Args.string({description: 'exercise id (in exercises/) or path to a YAML file', required: true})}
  static flags = {
    name: Flags.string({description: 'lab name (default: prove-<exercise>)'}),
    provider: providerFlag(`provider (default: ${defaultProviderName()} here)`, false),
    timeout: Flags.integer({description: 'seconds to wait for BGP to converge', default: 90, min: 1}),
  }

  async run(): Promise<{exercise: string; proven: true; stages: {stage: string; score: number; max: number}[]}> {
    const exercise = lintExercise(this.args.exercise)
    assertNotKeptFromClassMember(exercise) // proving applies the solution in front of the student
    const lab = this.flags.name ?? `prove-${exercise.id}`.slice(0, 24).replace(/-$/, '')
    const spec = providerSpec(this.flags.provider ?? defaultProviderName())
    const progress = createProgress(this.jsonEnabled())
    const {stages} = await withCancellation((signal) => proveExercise(exercise, lab, {spec, progress, signal, timeoutMs: this.flags.timeout * 1000}))
    const summary = stages.map((s) => ({stage: s.stage, score: s.result.score, max: s.result.max}))
    progress.done(`${exercise.id} is proven: ${summary.map((s) => `${s.stage} ${s.score}/${s.max}`).join(', ')}`)
    return {exercise: exercise.id, proven: true, stages: summary}
  }
}
