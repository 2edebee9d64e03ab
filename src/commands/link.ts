import {Args, Flags} from '@oclif/core'
import {endpointArg, labFlag} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {applyFaultByHand, type FaultByHand} from '../cli/faults.js'
import {DEFAULT_FLAP_SECONDS, type LinkState} from '../kinds/faults/link.js'

export default class Link extends BaseCommand<typeof Link> {
  static summary = 'Take one end of a link down or up, or flap it (down, a pause, up)'
  static needsRoot = true
  static description = `The \`link\` fault of exercises, by hand: \`ip link set dev <port> down|up\` on the node. The peer loses carrier too, so BGP on both ends notices at once.`
  static examples = ['<%= config.bin %> link leaf1:swp51 down', '<%= config.bin %> link leaf1:swp51 up', '<%= config.bin %> link --lab second-copy spine1:swp2 flap --seconds 5']
  static args = {
    endpoint: endpointArg,
    state: Args.string({description: 'down, up, or flap', required: true, options: ['down', 'up', 'flap']}),
  }
  static flags = {
    lab: labFlag,
    seconds: Flags.integer({description: `flap: seconds down before up again (default ${DEFAULT_FLAP_SECONDS})`, min: 1, max: 3600}),
  }

  async run(): Promise<FaultByHand> {
    const state = this.args.state as LinkState
    const fault = {kind: 'link' as const, endpoint: this.args.endpoint, state, ...(this.flags.seconds !== undefined && {seconds: this.flags.seconds})}
    const result = await applyFaultByHand(this.flags.lab, fault, (lab) => `lab link --lab ${lab} ${this.args.endpoint} ${state}`)
    this.say(`${result.lab}: ${result.done}`)
    return result
  }
}
