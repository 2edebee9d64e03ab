// What a vagrant lab runs right now: its libvirt domains (`virsh list`, far quicker than `vagrant
// status`), then per running VM over SSH what vm-status.ts asks.
import {readLabPlanIfAny} from '../../io/lab-plan.js'
import {isAlive} from '../netns/procs.js'
import type {LabStatus} from '../provider.js'
import type {SshExecutor} from '../ssh-executor.js'
import {vmLabStatus} from '../vm-status.js'
import {virsh} from './libvirt.js'
import {readVagrantState} from './state.js'
import {domainPrefix} from './teardown.js'

export async function vagrantStatus(lab: string, labDir: string, executor: SshExecutor): Promise<LabStatus> {
  const state = readVagrantState(labDir)
  const down: LabStatus = {lab, provider: 'vagrant', state: 'down', healthy: false, nodes: [], links: [], bgp: []}
  if (!state) return down
  const plan = readLabPlanIfAny(lab, labDir)
  const listed = await virsh(['list', '--name', '--state-running'])
  const runningDomains = new Set(listed.stdout.split('\n').map((d) => d.trim()))
  const running = new Map(state.nodes.map((node) => [node, runningDomains.has(`${domainPrefix(lab)}${node}`) && Boolean(state.ssh?.[node])]))
  if (![...running.values()].some(Boolean)) return {...down, state: state.status === 'building' && isAlive(state.cliPid) ? 'building' : 'down'}
  const building = state.status === 'building' && isAlive(state.cliPid)
  try {
    return await vmLabStatus({lab, provider: 'vagrant', plan, running, executor, building, convergenceMs: state.converged ? state.convergenceMs : undefined})
  } finally {
    executor.close()
  }
}
