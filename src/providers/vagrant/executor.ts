// Reaching a node of a vagrant lab: SSH with the details `vagrant ssh-config` gave at `lab up` (kept in
// the state file), through the unix socket of lab's forwarder when the VMs' management network is in
// lab's libvirt namespace; `lab exec` with a terminal runs the ssh client inside that namespace.
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
import {inLibvirtNetns} from './libvirt.js'
import {readVagrantState, sshSocketDir, type VagrantState} from './state.js'

function notUp(lab: string): UsageError {
  return new UsageError(`lab ${lab} is not up under vagrant (no state file with SSH details)`, `lab up <topology> --name ${lab} --provider vagrant`)
}

export function vagrantExecutor(lab: string, labDir: string): SshExecutor {
  let state: VagrantState | undefined
  let plan: LabPlan | undefined
  const keys = new Map<string, Buffer>()
  let hostKey: string | undefined
  return new SshExecutor((node): SshTarget => {
    state ??= readVagrantState(labDir)
    if (!state?.ssh) throw notUp(lab)
    plan ??= readLabPlan(lab, labDir)
    checkNode(plan, node)
    const ssh = state.ssh[node]
    if (!ssh) throw new UsageError(`node ${node} of lab ${lab} has no VM`, `lab status ${lab}`)
    if (!keys.has(ssh.identityFile)) keys.set(ssh.identityFile, readFileSync(ssh.identityFile))
    // lab's box has one pinned host key; another box (CumulusVX) is taken as it comes.
    if (state.env.LAB_BOX && state.boxDir) hostKey ??= readFileSync(boxPaths(state.boxDir).hostKey, 'utf8')
    const via = state.forwarder ? {path: path.join(sshSocketDir(labDir), `${node}.sock`)} : {}
    return {host: ssh.host, port: ssh.port, username: ssh.user, privateKey: keys.get(ssh.identityFile)!, ...(hostKey && {hostKey}), ...via}
  })
}

export async function attachVagrant(lab: string, labDir: string, node: string, argv: readonly string[]): Promise<number> {
  const state = readVagrantState(labDir)
  if (!state?.ssh) throw notUp(lab)
  checkNode(readLabPlan(lab, labDir), node)
  const ssh = state.ssh[node]
  const tty = process.stdin.isTTY === true
  const remote = argv.length > 0 ? commandLine(argv, {sudo: ssh.user !== 'root'}) : 'sudo -n -i'
  const sshArgv = [
    'ssh', '-q', '-p', String(ssh.port), '-i', ssh.identityFile, '-l', ssh.user,
    '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=no',
    ...(tty || argv.length === 0 ? ['-tt'] : ['-T']),
    ssh.host, remote,
  ]
  return runAttached(inLibvirtNetns({netns: state.netns}, sshArgv))
}
