import {Flags} from '@oclif/core'
import {providerFlag, topologyArg} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {formatDiagnostic} from '../topology/diagnostics.js'
import {createProgress, withCancellation} from '../io/progress.js'
import {readPlan} from '../io/topology-file.js'
import {assertFrrSnippets} from '../io/frr-snippets.js'
import {upLab} from '../lab/up.js'
import {seconds} from '../util/text.js'
import type {UpResult} from '../providers/provider.js'
import {defaultProviderName, linkPortLimits, providerSpec} from '../providers/registry.js'

export default class Up extends BaseCommand<typeof Up> {
  static summary = 'Render, build and start a lab, then wait until BGP has converged'
  static needsRoot = true
  static description = `Preflight (root, ip, FRR, iperf3), render labs/<name>/, check every frr.conf with FRR, build one network namespace per node with veth pairs named as planned, start FRR per node, and poll FRR until every planned BGP session is Established and every expected route is installed with all its equal-cost paths.

Ctrl-C (or SIGTERM) while building tears down what was built. If BGP does not converge in --timeout, the lab is left up for inspection and the command exits 1.`
  static examples = ['<%= config.bin %> up two-spine-two-leaf', '<%= config.bin %> up two-spine-two-leaf --name second-copy', '<%= config.bin %> up ./my-lab.yaml --timeout 120 --json']
  static args = {topology: topologyArg}
  static flags = {
    provider: providerFlag(`provider (default: ${defaultProviderName()} here)`, false),
    name: Flags.string({description: "lab name (default: the topology's name); a second copy of a topology needs its own"}),
    timeout: Flags.integer({description: 'seconds to wait for BGP to converge (0: look once, do not wait)', default: 90, min: 0}),
    verbose: Flags.boolean({char: 'v', description: 'a line per node as it is built and converges (always written to labs/<name>/up.log)'}),
  }

  async run(): Promise<UpResult & {dir: string}> {
    const spec = providerSpec(this.flags.provider ?? defaultProviderName())
    const {plan, warnings: loadWarnings, file} = readPlan(this.args.topology, {limits: linkPortLimits(spec.name), name: this.flags.name})
    const warnings = [...loadWarnings, ...(await assertFrrSnippets(plan, file))]
    for (const warning of warnings) this.warn(formatDiagnostic(warning))
    const progress = createProgress({quiet: this.jsonEnabled(), verbose: this.flags.verbose})
    const result = await withCancellation((signal) => upLab({plan, spec, timeoutMs: this.flags.timeout * 1000, progress, signal}))
    progress.done(`${plan.name} is up: ${result.nodes} nodes, ${result.links} links, ${result.sessions} ${plan.protocol === 'ospf' ? 'OSPF adjacencies Full' : 'BGP sessions Established'}; built in ${seconds(result.buildMs)}, converged ${seconds(result.convergenceMs)} later`)
    this.say(`try: lab exec ${plan.nodes.find((n) => n.role === 'leaf')?.name ?? plan.nodes[0].name} -- vtysh -c '${plan.protocol === 'ospf' ? 'show ip ospf neighbor' : 'show bgp summary'}'   ·   lab status ${plan.name}   ·   lab down ${plan.name}`)
    return result
  }
}
