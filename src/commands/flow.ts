import {Args, Flags} from '@oclif/core'
import {labFlag} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {UsageError} from '../io/errors.js'
import {readLabPlan} from '../io/lab-plan.js'
import {describeFlow, runFlow, type FlowResult} from '../flow/flow.js'
import {resolveLab} from '../providers/registry.js'
import {didYouMean, suggest} from '../util/suggest.js'

export default class Flow extends BaseCommand<typeof Flow> {
  static summary = 'Start an elephant flow (iperf3) and report the path it really took, from per-interface byte counters'
  static needsRoot = true
  static description = `Every node's interface counters are read just before and just after one iperf3 TCP flow; from the source, the path follows the port that sent most of the flow's bytes to the node at its other end, hop by hop. With ECMP, the spine reported is the one whose ports carried the bytes (the flow's hash), not a routing-table guess.`
  static examples = ['<%= config.bin %> flow host2 host1', '<%= config.bin %> flow host1-c1 host2 --seconds 5 --json', '<%= config.bin %> flow --lab second-copy host1 host2']
  static args = {
    from: Args.string({description: 'node the flow starts on (iperf3 client)', required: true}),
    to: Args.string({description: 'node the flow goes to (iperf3 server)', required: true}),
  }
  static flags = {
    lab: labFlag,
    seconds: Flags.integer({description: 'how long the flow runs (default 3)', min: 1, max: 60, default: 3}),
  }

  async run(): Promise<FlowResult> {
    const {from, to} = this.args
    if (from === to) throw new UsageError('a flow needs two different nodes', `lab flow ${from} <another node>`)
    const {lab, dir, provider} = await resolveLab(this.flags.lab, (lab) => `lab flow --lab ${lab} ${from} ${to}`)
    if (!(await provider.labs()).includes(lab)) throw new UsageError(`lab ${lab} is not up`, `lab up <topology> --name ${lab}; lab status lists the labs that are up`)
    const plan = readLabPlan(lab, dir)
    const names = plan.nodes.map((n) => n.name)
    for (const node of [from, to]) if (!names.includes(node)) throw new UsageError(`no node "${node}" in lab ${lab}${didYouMean(suggest(node, names))}`, `nodes: ${names.join(', ')}`)
    const abort = new AbortController()
    const stop = () => abort.abort(new Error('interrupted'))
    process.once('SIGINT', stop)
    try {
      const result = await runFlow(plan, provider.executor(lab, dir), {from, to, seconds: this.flags.seconds, signal: abort.signal})
      for (const line of describeFlow(result)) this.say(line)
      if (!result.complete) process.exitCode = 1
      return result
    } finally {
      process.off('SIGINT', stop)
    }
  }
}
