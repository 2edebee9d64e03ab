// Stopping a vagrant lab: `vagrant destroy -f`, then whatever it left: the lab's libvirt domains
// (`<lab>_<node>`) and their volumes, its management network, lab's SSH forwarder, Vagrant's
// machine directory and the state file; lab's own libvirtd and its namespace go when no domain is left.
import {shownPath} from '../../util/text.js'
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {isAlive, terminate} from '../netns/procs.js'
import type {TeardownReport} from '../provider.js'
import {runVagrant, type VagrantfileEnv} from './cli.js'
import {releaseLibvirt, virsh, type LibvirtHome} from './libvirt.js'
import {removeManagementNetwork, slotOf} from './network.js'
import {readVagrantState, removeVagrantState, sshSocketDir} from './state.js'

export function domainPrefix(lab: string): string {
  return `${lab}_`
}

export async function labDomains(lab: string): Promise<string[]> {
  const listed = await virsh(['list', '--all', '--name'])
  return listed.stdout.split('\n').map((d) => d.trim()).filter((d) => d.startsWith(domainPrefix(lab)))
}

async function labVolumes(lab: string): Promise<string[]> {
  const listed = await virsh(['vol-list', 'default'])
  return listed.stdout.split('\n').map((line) => line.trim().split(/\s+/)[0]).filter((v) => v && v.startsWith(domainPrefix(lab)))
}

/** QEMU processes libvirt runs for the lab's domains (`-name guest=<lab>_<node>,…`). */
export function labQemuProcesses(lab: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')
      if (cmdline.includes('qemu-system') && cmdline.includes(`guest=${domainPrefix(lab)}`)) pids.push(Number(entry))
    } catch {
      // gone
    }
  }
  return pids
}

export async function teardownVagrant(lab: string, labDir: string): Promise<{report: TeardownReport; leftovers: string[]}> {
  const report: TeardownReport = {lab, processes: 0, namespaces: [], mounts: 0, paths: []}
  const leftovers: string[] = []
  const state = readVagrantState(labDir)
  const home: LibvirtHome = {netns: state?.netns}
  const before = await labDomains(lab)
  if (existsSync(path.join(labDir, '.vagrant', 'machines'))) {
    const env: VagrantfileEnv = state?.env ?? {LAB_UDP_BASE: String(slotOf(0).udpBase), LAB_LIBVIRT_DRIVER: 'qemu', LAB_MGMT_NETWORK: slotOf(0).subnet}
    await runVagrant(labDir, home, env, ['destroy', '-f'])
  }
  // What Vagrant did not remove (a machine it never recorded: Ctrl-C mid-create).
  for (const domain of await labDomains(lab)) {
    await virsh(['destroy', domain])
    const removed = await virsh(['undefine', domain, '--nvram'])
    if (removed.exitCode !== 0) leftovers.push(`libvirt domain ${domain}: ${removed.stderr.trim()}`)
  }
  for (const volume of await labVolumes(lab)) {
    const removed = await virsh(['vol-delete', '--pool', 'default', volume])
    if (removed.exitCode !== 0) leftovers.push(`libvirt volume ${volume}: ${removed.stderr.trim()}`)
  }
  await removeManagementNetwork(lab)
  report.namespaces.push(...before)
  const qemu = labQemuProcesses(lab)
  if (qemu.length > 0) {
    const stuck = await terminate(qemu, 10_000)
    for (const pid of stuck) leftovers.push(`QEMU process ${pid} did not exit`)
  }
  report.processes = before.length
  if (state?.forwarder && isAlive(state.forwarder.pid, state.forwarder.startTime)) {
    await terminate([state.forwarder.pid], 2000)
    report.processes++
  }
  for (const dir of [sshSocketDir(labDir), path.join(labDir, '.vagrant')]) {
    if (!existsSync(dir)) continue
    rmSync(dir, {recursive: true, force: true})
    report.paths.push(shownPath(dir))
  }
  const runDir = path.join(labDir, 'run')
  if (existsSync(runDir) && readdirSync(runDir).length === 0) rmSync(runDir, {recursive: true, force: true})
  if (state && leftovers.length === 0) {
    removeVagrantState(labDir)
    report.paths.push('state.json')
  }
  if (state?.netns) await releaseLibvirt()
  return {report, leftovers}
}
