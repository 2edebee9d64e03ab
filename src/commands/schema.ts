import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {exerciseJsonSchema} from '../exercise/schema.js'
import {CHECK_SPECS} from '../kinds/checks/index.js'
import {FAULT_SPECS} from '../kinds/faults/index.js'
import {topologyJsonSchema} from '../topology/schema.js'

export default class Schema extends BaseCommand<typeof Schema> {
  static summary = 'Print the JSON Schema of topology files (schema/topology.schema.json), or of exercise files (--exercise)'
  static hidden = false
  static flags = {exercise: Flags.boolean({description: 'the schema of exercise files (published as schema/exercise.schema.json)'})}

  async run(): Promise<unknown> {
    const schema = this.flags.exercise ? exerciseJsonSchema(CHECK_SPECS, FAULT_SPECS) : topologyJsonSchema()
    if (!this.jsonEnabled()) this.log(JSON.stringify(schema, null, 2))
    return schema
  }
}
