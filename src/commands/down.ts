import {Flags} from '@oclif/core'
import {labArg} from '../cli/flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {UsageError} from '../io/errors.js'
import {resolveLabDir} from '../io/paths.js'
import {downLab} from '../lab/down.js'
import type {Provider, TeardownReport} from '../providers/provider.js'
import {labsOnMachine, NoLabUpError, resolveLab} from '../providers/registry.js'
import {plural} from '../util/text.js'

export default class Down extends BaseCommand<typeof Down> {
  static summary = 'Stop and remove everything a lab created (daemons, namespaces, links, run files)'
  static needsRoot = true
  static description = 'Idempotent: removing a lab that is not up succeeds. Works after a crash and without the state file (the lab\'s namespaces are found by name). The rendered files in labs/<name>/ are kept.'
  static examples = ['<%= config.bin %> down two-spine-two-leaf', '<%= config.bin %> down', '<%= config.bin %> down --all']
  static args = {lab: labArg}
  static flags = {all: Flags.boolean({description: 'every lab on this machine'})}

  async run(): Promise<{labs: TeardownReport[]}> {
    if (this.flags.all && this.args.lab) throw new UsageError('give a lab name or --all, not both', 'lab down --all')
    const targets = await this.targets()
    const labs: TeardownReport[] = []
    for (const target of targets) {
      const report = await downLab(target.lab, target.dir, target.provider)
      labs.push(report)
      this.say(describeTeardown(report))
    }
    if (targets.length === 0) this.say('no lab is up; nothing to remove')
    return {labs}
  }

  private async targets(): Promise<{lab: string; dir: string; provider: Provider}[]> {
    if (this.flags.all) return (await labsOnMachine()).map((l) => ({...l, dir: resolveLabDir(l.lab)}))
    try {
      return [await resolveLab(this.args.lab, (lab) => `lab down ${lab}`)]
    } catch (error) {
      if (error instanceof NoLabUpError) return []
      throw error
    }
  }
}

/** "two-spine-two-leaf: removed 7 processes, 6 UTS namespace mounts, labs/x/run, state.json, 6 namespaces" */
export function describeTeardown(report: TeardownReport): string {
  const items = [
    ...(report.processes > 0 ? [plural(report.processes, 'process', 'processes')] : []),
    ...(report.mounts > 0 ? [plural(report.mounts, 'UTS namespace mount')] : []),
    ...report.paths,
    ...(report.namespaces.length > 0 ? [plural(report.namespaces.length, 'namespace')] : []),
  ]
  return items.length > 0 ? `${report.lab}: removed ${items.join(', ')}` : `${report.lab}: nothing to remove`
}
