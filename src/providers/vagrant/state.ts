// labs/<name>/state.json of a vagrant lab: what `lab up` set up around `vagrant up` (where libvirt
// runs, the Vagrantfile's LAB_* variables, the SSH forwarder), written before Vagrant starts so
// `lab down` (or the teardown after a failure or Ctrl-C) finds everything.
import {existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {VagrantfileEnv} from './cli.js'

export interface VagrantState {
  version: 1
  lab: string
  provider: 'vagrant'
  status: 'building' | 'up' | 'failed'
  cliPid: number
  startedAt: string
  labDir: string
  /** The namespace lab's libvirtd runs in (undefined: the machine's own libvirtd). */
  netns?: string
  env: VagrantfileEnv
  /** lab's box directory when the nodes boot from it (its pinned SSH host key). */
  boxDir?: string
  nodes: string[]
  /** The SSH forwarder (unix socket per node → node:22 inside the namespace): PID and start time. */
  forwarder?: {pid: number; startTime: number}
  /** Each node's management address and SSH user (vagrant ssh-config). */
  ssh?: Record<string, {host: string; port: number; user: string; identityFile: string}>
  upMs?: number
  convergenceMs?: number
  converged?: boolean
}

export function statePath(labDir: string): string {
  return path.join(labDir, 'state.json')
}

export function sshSocketDir(labDir: string): string {
  return path.join(labDir, 'run', 'vagrant')
}

export function readVagrantState(labDir: string): VagrantState | undefined {
  const file = statePath(labDir)
  if (!existsSync(file)) return undefined
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as VagrantState
    return state.version === 1 && state.provider === 'vagrant' ? state : undefined
  } catch {
    return undefined
  }
}

export function writeVagrantState(state: VagrantState): void {
  const file = statePath(state.labDir)
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(temporary, file)
}

export function removeVagrantState(labDir: string): void {
  rmSync(statePath(labDir), {force: true})
}
