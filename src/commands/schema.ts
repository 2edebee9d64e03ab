import {BaseCommand} from '../cli/base-command.js'
import {topologyJsonSchema} from '../topology/schema.js'

export default class Schema extends BaseCommand<typeof Schema> {
  static summary = 'Print the JSON Schema of topology files (published as schema/topology.schema.json)'
  static hidden = false

  async run(): Promise<unknown> {
    const schema = topologyJsonSchema()
    if (!this.jsonEnabled()) this.log(JSON.stringify(schema, null, 2))
    return schema
  }
}
