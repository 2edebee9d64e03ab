import {shownPath} from '../util/text.js'
import {Flags} from '@oclif/core'
import path from 'node:path'
import {providerFlag, topologyArg} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {formatDiagnostic} from '../topology/diagnostics.js'
import {renderLab} from '../io/lab-dir.js'
import {labDir} from '../io/paths.js'
import {readPlan} from '../io/topology-file.js'
import {assertFrrSnippets} from '../io/frr-snippets.js'
import {linkPortLimits, providerSpec} from '../providers/registry.js'

export default class Render extends BaseCommand<typeof Render> {
  static summary = 'Write the lab directory (plan.json, Vagrantfile, per-node FRR and interface configs) without starting anything'
  static examples = ['<%= config.bin %> render two-spine-two-leaf', '<%= config.bin %> render two-spine-two-leaf --provider vagrant --out /tmp/lab']
  static args = {topology: topologyArg}
  static flags = {
    provider: providerFlag('provider the lab is for: its limits apply and its files are written (vagrant: the Vagrantfile and VM configs)'),
    out: Flags.string({description: 'directory to write (default: labs/<name>): new, empty, or an earlier lab directory, which is replaced'}),
    name: Flags.string({description: 'lab name (default: the topology\'s name)'}),
  }

  async run(): Promise<{lab: string; dir: string; files: string[]}> {
    const {plan, warnings: loadWarnings, file} = readPlan(this.args.topology, {limits: linkPortLimits(this.flags.provider), name: this.flags.name})
    const warnings = [...loadWarnings, ...(await assertFrrSnippets(plan, file))]
    for (const warning of warnings) this.warn(formatDiagnostic(warning))
    const dir = path.resolve(this.flags.out ?? labDir(plan.name))
    const files = renderLab(plan, dir, providerSpec(this.flags.provider).files).map((f) => f.path)
    this.say(`rendered ${plan.name}: ${files.length} files in ${shownPath(dir)}`)
    return {lab: plan.name, dir, files}
  }
}
