import {BaseCommand} from '../../cli/base-command.js'
import {lintExercise, shippedExercises} from '../../io/exercise-file.js'

export default class ExerciseList extends BaseCommand<typeof ExerciseList> {
  static summary = 'The shipped exercises: id, title, topology and points'
  static examples = ['<%= config.bin %> exercise list', '<%= config.bin %> exercise list --json']

  async run(): Promise<{exercises: {id: string; title: string; topology: string; checks: number; points: number}[]}> {
    const exercises = shippedExercises().map(({id, file}) => {
      const exercise = lintExercise(file)
      return {id, title: exercise.title, topology: exercise.topologyFile, checks: exercise.checks.length, points: exercise.checks.reduce((sum, c) => sum + c.points, 0)}
    })
    const width = Math.max(2, ...exercises.map((e) => e.id.length))
    for (const e of exercises) this.say(`${e.id.padEnd(width)}  ${e.title}  (${e.checks} checks, ${e.points} points)`)
    return {exercises}
  }
}
