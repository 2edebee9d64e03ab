// Reaching a node of a qemu lab: SSH on its loopback port (state file) with the box's key, through the
// one SSH executor; and an interactive session with the ssh client, for `lab exec` with a terminal.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {runAttached} from '../../io/attached.js'
import {boxPaths} from '../../box/box.js'
import {UsageError} from '../../io/errors.js'
import {readLabPlan} from '../../io/lab-plan.js'
import type {LabPlan} from '../../plan/plan.js'
import {checkNode} from '../netns/exec.js'
import {SshExecutor, type SshTarget} from '../ssh-executor.js'
import {commandLine} from '../ssh-quote.js'
import type {ExecOptions, ExecResult} from '../../io/executor.js'
import {vmContainerNamespace} from './containers.js'
import {readQemuState, vmDir, type QemuState} from './state.js'

export const SSH_USER = 'lab'

export function hostKeyAlias(): string {
  return 'lab-node'
}

/** A container's commands run in its host's VM, inside the container's namespace (containers.ts). */
class QemuExecutor extends SshExecutor {
  constructor(
    target: (node: string) => SshTarget,
    private readonly containerHost: (node: string) => string | undefined,
  ) {
    super(target)
  }

  override exec(node: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    const host = this.containerHost(node)
    return host ? super.exec(host, ['ip', 'netns', 'exec', vmContainerNamespace(node), ...argv], options) : super.exec(node, argv, options)
  }
}

/** SSH to a node of a running qemu lab, from its state file (ports) and the box (keys). */
export function qemuExecutor(lab: string, labDir: string): SshExecutor {
  let state: QemuState | undefined
  let key: Buffer | undefined
  let hostKey: string | undefined
  let plan: LabPlan | undefined
  const containerHost = (node: string): string | undefined => {
    plan ??= readLabPlan(lab, labDir)
    return plan.nodes.find((n) => n.name === node)?.container?.host
  }
  return new QemuExecutor((node): SshTarget => {
    state ??= readQemuState(labDir)
    if (!state) throw new UsageError(`lab ${lab} is not up under qemu (no state file in ${labDir})`, `lab up <topology> --name ${lab} --provider qemu`)
    plan ??= readLabPlan(lab, labDir)
    checkNode(plan, node)
    const vm = state.vms.find((v) => v.node === node)
    if (!vm || !vm.sshPort) throw new UsageError(`node ${node} of lab ${lab} has no VM`, `lab status ${lab}`)
    const box = boxPaths(state.box.dir)
    key ??= readFileSync(box.key)
    hostKey ??= readFileSync(box.hostKey, 'utf8')
    return {host: '127.0.0.1', port: vm.sshPort, username: SSH_USER, privateKey: key, hostKey}
  }, containerHost)
}

export async function attachQemu(lab: string, labDir: string, node: string, argv: readonly string[]): Promise<number> {
  const state = readQemuState(labDir)
  if (!state) throw new UsageError(`lab ${lab} is not up under qemu`, `lab up <topology> --name ${lab} --provider qemu`)
  const plan = readLabPlan(lab, labDir)
  checkNode(plan, node)
  // A container: a shell or the command in its namespace, in its host's VM.
  const host = plan.nodes.find((n) => n.name === node)?.container?.host
  const vm = state.vms.find((v) => v.node === (host ?? node))!
  const box = boxPaths(state.box.dir)
  const tty = process.stdin.isTTY === true
  const inside = host ? ['ip', 'netns', 'exec', vmContainerNamespace(node)] : []
  const remote = argv.length > 0 ? commandLine([...inside, ...argv], {sudo: true}) : host ? commandLine([...inside, 'bash', '-l'], {sudo: true}) : 'sudo -n -i'
  const sshArgv = [
    '-q', '-p', String(vm.sshPort), '-i', box.key, '-l', SSH_USER,
    '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', `HostKeyAlias=${hostKeyAlias()}`,
    '-o', `UserKnownHostsFile=${path.join(vmDir(labDir), 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes',
    ...(tty || argv.length === 0 ? ['-tt'] : ['-T']),
    '127.0.0.1', remote,
  ]
  return runAttached(['ssh', ...sshArgv])
}
