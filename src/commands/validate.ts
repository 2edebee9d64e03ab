import {providerFlag, topologyArg} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {formatDiagnostic, type Diagnostic} from '../topology/diagnostics.js'
import {readTopology} from '../io/topology-file.js'
import {assertFrrSnippets} from '../io/frr-snippets.js'
import {planLab} from '../plan/plan.js'
import {linkPortLimits} from '../providers/registry.js'
import {describeNeeds, estimateNeeds, type LabNeeds} from '../providers/netns/limits.js'

export default class Validate extends BaseCommand<typeof Validate> {
  static summary = 'Load and check a topology; print every problem with file:line:column'
  static description = 'Exits 0 when the topology is valid, 2 when it is not. Warnings (e.g. NIC limits of the other provider) do not fail it.'
  static examples = ['<%= config.bin %> validate two-spine-two-leaf', '<%= config.bin %> validate ./my-lab.yaml --provider vagrant']
  static args = {topology: topologyArg}
  static flags = {provider: providerFlag('check the limits of this provider too')}

  async run(): Promise<{file: string; name: string; valid: true; nodes: number; links: number; warnings: Diagnostic[]; needs: LabNeeds}> {
    const loaded = readTopology(this.args.topology, linkPortLimits(this.flags.provider))
    const {file, topology} = loaded
    const plan = planLab(topology)
    const warnings = [...loaded.warnings, ...(await assertFrrSnippets(plan, file))]
    for (const warning of warnings) this.warn(formatDiagnostic(warning))
    this.say(`${file}: valid: ${topology.name}, ${topology.nodes.length} nodes, ${topology.links.length} links`)
    // The estimate is the plan's alone; lab up judges it against this machine (providers/netns/machine.ts).
    const needs = estimateNeeds(plan)
    const large = describeNeeds(needs)
    if (large) this.say(large.split('\n').map((line) => `  ${line}`).join('\n'))
    return {file, name: topology.name, valid: true, nodes: topology.nodes.length, links: topology.links.length, warnings, needs}
  }

}
