import {Args} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {classDown} from '../../lab/class.js'

export default class ClassDown extends BaseCommand<typeof ClassDown> {
  static summary = "Take down every student's lab of an exercise"
  static teacherOnly = true
  static examples = ['<%= config.bin %> class down wrong-asn']
  static args = {exercise: Args.string({description: 'exercise id (in exercises/) or path to a YAML file', required: true})}

  async run(): Promise<{removed: string[]}> {
    const removed = await classDown(this.args.exercise)
    this.say(removed.length > 0 ? `removed ${removed.length} labs: ${removed.join(', ')}` : 'no lab runs this exercise; nothing to remove')
    return {removed}
  }
}
