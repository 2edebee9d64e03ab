// The vagrant provider's runtime: the rendered Vagrantfile under vagrant-libvirt (libvirt/QEMU, KVM
// or TCG), nodes booted from lab's box, reached over SSH. With VirtualBox, the same Vagrantfile runs
// with plain `vagrant up` in the lab directory (lab cannot drive VirtualBox on Linux hosts here).
import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {boxDir, boxState} from '../../box/box.js'
import {vagrantBoxState, vagrantLibvirtInstalled, VAGRANT_BOX_NAME} from '../../box/vagrant-box.js'
import {OperationError, UsageError} from '../../io/errors.js'
import {refuseContainers} from '../failure.js'
import type {NodeExecutor} from '../../io/executor.js'
import {labsRoot} from '../../io/paths.js'
import {run} from '../../io/process.js'
import type {LabPlan} from '../../plan/plan.js'
import type {LabStatus, Provider} from '../provider.js'
import {attachVagrant, vagrantExecutor} from './executor.js'
import {readVagrantState} from './state.js'
import {vagrantStatus} from './status.js'
import {teardownVagrant} from './teardown.js'
import {vagrantUp} from './up.js'

async function installed(program: string): Promise<boolean> {
  return (await run(['sh', '-c', 'command -v "$1"', 'sh', program], {env: {PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`}})).exitCode === 0
}

/** What this machine lacks to run a vagrant lab under libvirt, each with its fix. */
async function missing(): Promise<{problem: string; fix: string}[]> {
  const found: {problem: string; fix: string}[] = []
  if (!(await installed('vagrant'))) return [{problem: 'Vagrant is not installed', fix: 'apt-get install vagrant vagrant-libvirt libvirt-daemon-system (or https://developer.hashicorp.com/vagrant/install)'}]
  if (!(await vagrantLibvirtInstalled())) {
    const vbox = await installed('VBoxManage')
    found.push({problem: `the vagrant-libvirt plugin is not installed${vbox ? ' (lab drives Vagrant through libvirt; with VirtualBox run the rendered Vagrantfile yourself)' : ''}`, fix: `apt-get install vagrant-libvirt libvirt-daemon-system${vbox ? '; or with VirtualBox: lab render <topology> --provider vagrant, then cd labs/<name> && vagrant up' : ''}`})
  }
  for (const [program, pkg] of [['libvirtd', 'libvirt-daemon-system'], ['virsh', 'libvirt-clients'], ['qemu-system-x86_64', 'qemu-system-x86'], ['dnsmasq', 'dnsmasq-base']] as const) {
    if (!(await installed(program))) found.push({problem: `\`${program}\` is not installed (no libvirt)`, fix: `apt-get install ${pkg}`})
  }
  if (process.getuid?.() !== 0) found.push({problem: 'lab runs libvirt in a network namespace of its own, which needs root', fix: 'sudo lab up …'})
  const box = boxState()
  if (box.state !== 'ready') found.push({problem: 'the VM box is not built', fix: 'lab box build'})
  else if (found.length === 0) {
    const added = await vagrantBoxState(box.manifest, boxDir())
    if (added.state !== 'added') found.push({problem: `${added.why} (box ${VAGRANT_BOX_NAME} missing)`, fix: 'lab box build'})
  }
  return found
}

export const vagrantProvider: Provider = {
  name: 'vagrant',

  async preflight(plan: LabPlan) {
    refuseContainers(plan, 'vagrant')
    const problems = await missing()
    if (problems.length > 0) throw new UsageError(`this machine cannot run a vagrant lab: ${problems.map((p) => p.problem).join('; ')}`, [...new Set(problems.map((p) => p.fix))].join('; then '))
  },

  up: vagrantUp,

  async down(lab: string, labDir: string) {
    const {report, leftovers} = await teardownVagrant(lab, labDir)
    if (leftovers.length > 0) throw new OperationError(`lab ${lab} was not fully removed: ${leftovers.join('; ')}`, `run lab down ${lab} again`)
    return report
  },

  executor(lab: string, labDir: string): NodeExecutor {
    return vagrantExecutor(lab, labDir)
  },

  async status(lab: string, labDir: string): Promise<LabStatus> {
    return vagrantStatus(lab, labDir, vagrantExecutor(lab, labDir))
  },

  async labs() {
    const root = labsRoot()
    if (!existsSync(root)) return []
    return readdirSync(root)
      .filter((entry) => readVagrantState(path.join(root, entry))?.lab === entry)
      .sort()
  },

  attach: attachVagrant,
}
