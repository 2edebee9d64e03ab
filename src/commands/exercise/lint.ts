import {Args} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {lintExercise} from '../../io/exercise-file.js'

export default class ExerciseLint extends BaseCommand<typeof ExerciseLint> {
  static summary = 'Check an exercise file: every problem with file:line:column; exit 2 if invalid'
  static description = 'Checks the file, its topology, every check and fault against the topology, needs, and each value of each variable.'
  static examples = ['<%= config.bin %> exercise lint wrong-asn', '<%= config.bin %> exercise lint ./my-exercise.yaml']
  static args = {exercise: Args.string({description: 'exercise id (in exercises/) or path to a YAML file', required: true})}

  async run(): Promise<{exercise: string; valid: true; checks: number; points: number; faults: number}> {
    const exercise = lintExercise(this.args.exercise)
    const points = exercise.checks.reduce((sum, c) => sum + c.points, 0)
    this.say(`${exercise.file}: valid: ${exercise.id}, ${exercise.faults.length} faults, ${exercise.checks.length} checks worth ${points} points, ${exercise.solution.length} solution steps`)
    return {exercise: exercise.id, valid: true, checks: exercise.checks.length, points, faults: exercise.faults.length}
  }
}
