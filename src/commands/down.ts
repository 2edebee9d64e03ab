import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {UsageError} from '../io/errors.js'
import {labDir} from '../io/paths.js'
import {labsOnMachine, NoLabUpError, resolveLab} from '../providers/registry.js'

export default class Down extends BaseCommand<typeof Down> {
  static summary = 'Stop and remove everything a lab created (daemons, namespaces, links, run files)'
  static description = 'Idempotent: removing a lab that is not up succeeds. Works after a crash and without the state file (the lab\'s namespaces are found by name). The rendered files in labs/<name>/ are kept.'
  static examples = ['<%= config.bin %> down two-spine-two-leaf', '<%= config.bin %> down', '<%= config.bin %> down --all']
  static args = {lab: Args.string({description: 'lab name (may be left out when exactly one lab is up)'})}
  static flags = {all: Flags.boolean({description: 'every lab on this machine'})}

  async run(): Promise<{labs: {lab: string; removed: string[]}[]}> {
    if (this.flags.all && this.args.lab) throw new UsageError('give a lab name or --all, not both', 'lab down --all')
    let targets: {lab: string; dir: string; provider: Awaited<ReturnType<typeof resolveLab>>['provider']}[]
    if (this.flags.all) {
      targets = (await labsOnMachine()).map((l) => ({...l, dir: labDir(l.lab)}))
    } else {
      try {
        targets = [await resolveLab(this.args.lab, (lab) => `lab down ${lab}, or lab down --all`)]
      } catch (error) {
        if (error instanceof NoLabUpError) {
          this.say('no lab is up; nothing to remove')
          return {labs: []}
        }
        throw error
      }
    }
    const labs: {lab: string; removed: string[]}[] = []
    for (const target of targets) {
      const {removed} = await target.provider.down(target.lab, target.dir)
      labs.push({lab: target.lab, removed})
      this.say(removed.length > 0 ? `${target.lab}: removed ${removed.filter((r) => !r.startsWith('netns ')).join(', ')}${countNetns(removed)}` : `${target.lab}: nothing to remove`)
    }
    if (this.flags.all && targets.length === 0) this.say('no lab is up; nothing to remove')
    return {labs}
  }
}

function countNetns(removed: string[]): string {
  const n = removed.filter((r) => r.startsWith('netns ')).length
  return n > 0 ? `, ${n} namespace${n === 1 ? '' : 's'}` : ''
}
