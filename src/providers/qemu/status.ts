// What a qemu lab runs right now: QEMU processes from /proc (PID + start time), then per running VM
// over SSH what vm-status.ts asks.
import {readLabPlanIfAny} from '../../io/lab-plan.js'
import {isAlive} from '../netns/procs.js'
import type {LabStatus} from '../provider.js'
import type {SshExecutor} from '../ssh-executor.js'
import {vmLabStatus} from '../vm-status.js'
import {readQemuState} from './state.js'

export async function qemuStatus(lab: string, labDir: string, executor: SshExecutor): Promise<LabStatus> {
  const state = readQemuState(labDir)
  const down: LabStatus = {lab, provider: 'qemu', state: 'down', healthy: false, nodes: [], links: [], bgp: []}
  if (!state) return down
  const plan = readLabPlanIfAny(lab, labDir)
  const running = new Map(state.vms.map((vm) => [vm.node, vm.pid > 0 && isAlive(vm.pid, vm.startTime)]))
  // A container runs in its host's VM.
  for (const node of plan?.nodes ?? []) if (node.container) running.set(node.name, running.get(node.container.host) ?? false)
  if (![...running.values()].some(Boolean)) return down
  const building = state.status === 'building' && isAlive(state.cliPid)
  try {
    return await vmLabStatus({lab, provider: 'qemu', plan, running, executor, building, convergenceMs: state.converged ? state.convergenceMs : undefined})
  } finally {
    executor.close()
  }
}
