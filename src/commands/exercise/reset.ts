import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {labArg} from '../../cli/flags.js'
import {keptFromClassMember} from '../../io/exercise-file.js'
import {createProgress, withCancellation} from '../../io/progress.js'
import {resetExercise} from '../../lab/exercise.js'
import {providerSpec, resolveLab} from '../../providers/registry.js'

export default class ExerciseReset extends BaseCommand<typeof ExerciseReset> {
  static summary = "Start a lab's exercise over: rebuilt from its plan and faulted again (same seed)"
  static needsRoot = true
  static description = 'Whatever was changed on the nodes is gone: the lab is taken down, brought up from its rendered files and the faults are applied again.'
  static examples = ['<%= config.bin %> exercise reset', '<%= config.bin %> exercise reset alice']
  static args = {lab: labArg}
  static flags = {timeout: Flags.integer({description: 'seconds to wait for BGP to converge before the faults', default: 90, min: 1})}

  async run(): Promise<{lab: string; faults?: string[]}> {
    const {lab, dir, provider} = await resolveLab(this.args.lab, (lab) => `lab exercise reset ${lab}`)
    const progress = createProgress(this.jsonEnabled())
    const spec = providerSpec(provider.name)
    const {applied, exercise} = await withCancellation((signal) => resetExercise(lab, dir, {spec, progress, signal, timeoutMs: this.flags.timeout * 1000}))
    progress.done(`${lab} is back at the start of its exercise`)
    return {lab, ...(!keptFromClassMember(exercise) && {faults: applied})}
  }
}
