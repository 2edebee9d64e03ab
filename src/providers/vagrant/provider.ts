// The vagrant provider, as far as this machine goes: it renders (lab render --provider vagrant) and
// refuses, in preflight, to run without VirtualBox. Driving the VMs is `vagrant up` in labs/<name>/.
import {refuseContainers} from '../failure.js'
import type {LabPlan} from '../../plan/plan.js'
import {UsageError} from '../../io/errors.js'
import {run} from '../../io/process.js'
import type {NodeExecutor} from '../../io/executor.js'
import type {LabStatus, Provider} from '../provider.js'

const NOT_HERE = 'lab does not drive Vagrant VMs yet'

export const vagrantProvider: Provider = {
  name: 'vagrant',

  async preflight(plan: LabPlan) {
    refuseContainers(plan, 'vagrant')
    const vbox = await run(['VBoxManage', '--version'])
    if (vbox.exitCode !== 0) {
      throw new UsageError(
        'VirtualBox is not installed (VBoxManage did not run); the vagrant provider needs Vagrant and VirtualBox',
        'install VirtualBox (https://www.virtualbox.org/wiki/Linux_Downloads), or use --provider netns on Linux',
      )
    }
    const vagrant = await run(['vagrant', '--version'])
    if (vagrant.exitCode !== 0) throw new UsageError('Vagrant is not installed', 'install Vagrant (https://developer.hashicorp.com/vagrant/install)')
  },

  async up(plan: LabPlan, {labDir}) {
    throw new UsageError(`${NOT_HERE}: the Vagrantfile is rendered in ${labDir}`, `cd ${labDir} && vagrant up  (lab render <topology> --name ${plan.name} --provider vagrant writes it)`)
  },

  async down(_lab: string, labDir: string) {
    throw new UsageError(NOT_HERE, `cd ${labDir} && vagrant destroy -f`)
  },

  executor(): NodeExecutor {
    return {
      async exec() {
        throw new UsageError(NOT_HERE, 'cd labs/<name> && vagrant ssh <node>')
      },
    }
  },

  async status(lab: string): Promise<LabStatus> {
    return {lab, provider: 'vagrant', state: 'down', healthy: false, nodes: [], links: [], bgp: []}
  },

  async labs() {
    return []
  },

  async attach(_lab: string, labDir: string, node: string) {
    throw new UsageError(NOT_HERE, `cd ${labDir} && vagrant ssh ${node}`)
  },
}
