import {Args} from '@oclif/core'
import {labFlag} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {NAME_PATTERN} from '../topology/names.js'
import {UsageError} from '../io/errors.js'
import {resolveLab} from '../providers/registry.js'

export default class Exec extends BaseCommand<typeof Exec> {
  static summary = 'Run a command on a node (netns: inside its namespaces); no command opens a shell there'
  static needsRoot = true
  static description = `The command's exit code is passed through. \`vtysh\` reaches the node's own FRR daemons with no extra flags, also when typed in the shell. Everything after -- is the command, passed as-is (never through a shell).`
  static examples = ["<%= config.bin %> exec leaf1 -- vtysh -c 'show bgp summary'", '<%= config.bin %> exec host1 -- ping -c 3 10.0.0.4', '<%= config.bin %> exec spine1', '<%= config.bin %> exec --lab second-copy leaf1 -- ip route']
  static strict = false
  static args = {node: Args.string({description: 'node name, as in the topology', required: true})}
  static flags = {lab: labFlag}

  async run(): Promise<{lab: string; node: string; exitCode: number}> {
    const separator = this.argv.indexOf('--')
    const rest = separator >= 0 ? this.argv.slice(separator + 1) : this.argv.slice(this.argv.indexOf(this.args.node) + 1)
    if (!NAME_PATTERN.test(this.args.node)) throw new UsageError(`"${this.args.node}" is not a node name`, 'lab status lists the nodes')
    const {lab, dir, provider} = await resolveLab(this.flags.lab, (lab) => `lab exec --lab ${lab} ${this.args.node} -- …`)
    const exitCode = await provider.attach(lab, dir, this.args.node, rest)
    process.exitCode = exitCode
    return {lab, node: this.args.node, exitCode}
  }

  /** Without `--`, the command's own options (ping -c 3) reach lab's parser: say where `--` goes. */
  protected async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (error.oclif && !this.argv.includes('--') && /^Nonexistent flags?:/.test(error.message)) {
      return super.catch(new UsageError(error.message.split('\n')[0], 'put -- between the node and the command: lab exec <node> -- <command…>'))
    }
    return super.catch(error)
  }
}
