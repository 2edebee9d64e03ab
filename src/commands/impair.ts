import {Flags} from '@oclif/core'
import {endpointArg, labFlag} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {applyFaultByHand, type FaultByHand} from '../cli/faults.js'

export default class Impair extends BaseCommand<typeof Impair> {
  static summary = 'Impair traffic leaving one end of a link (tc netem: delay, jitter, loss, rate), or --clear it'
  static needsRoot = true
  static description = `The \`netem\` fault of exercises, by hand: \`tc qdisc replace dev <port> root netem …\` on the node; --clear runs \`tc qdisc del dev <port> root\`. Only traffic leaving that port is impaired; impair the other end too for both directions. \`lab status\` lists impaired ports.`
  static examples = ['<%= config.bin %> impair spine1:swp1 --delay 40ms --jitter 5ms', '<%= config.bin %> impair leaf1:swp51 --loss 2% --rate 100mbit', '<%= config.bin %> impair spine1:swp1 --clear']
  static args = {endpoint: endpointArg}
  static flags = {
    lab: labFlag,
    delay: Flags.string({description: 'added delay, e.g. 40ms'}),
    jitter: Flags.string({description: 'variation of the delay, e.g. 5ms (needs --delay)'}),
    loss: Flags.string({description: 'share of packets dropped, e.g. 2%'}),
    rate: Flags.string({description: 'rate limit, e.g. 100mbit'}),
    clear: Flags.boolean({description: 'remove the impairment', exclusive: ['delay', 'jitter', 'loss', 'rate']}),
  }

  async run(): Promise<FaultByHand> {
    const {delay, jitter, loss, rate, clear} = this.flags
    const settings = Object.fromEntries(Object.entries({delay, jitter, loss, rate}).filter(([, value]) => value !== undefined))
    const fault = {kind: 'netem' as const, endpoint: this.args.endpoint, ...settings, ...(clear && {clear: true})}
    const result = await applyFaultByHand(this.flags.lab, fault, (lab) => `lab impair --lab ${lab} ${this.args.endpoint} …`)
    this.say(`${result.lab}: ${result.done}`)
    return result
  }
}
