// `lab up --provider vagrant`: the rendered Vagrantfile under vagrant-libvirt. lab's libvirtd in its
// namespace (libvirt.ts), the lab's isolated management network and UDP port block (network.ts), one
// `vagrant up <node>` process per VM at once (vagrant-libvirt 0.11.2 hangs when one process brings
// up several VMs in parallel), each VM's progress from --machine-readable, then SSH details from
// `vagrant ssh-config`, lab's SSH forwarder, and the same convergence wait as netns.
import {spawn} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {boxDir, boxPaths} from '../../box/box.js'
import {VAGRANT_BOX_NAME} from '../../box/vagrant-box.js'
import {notConverged, NotConvergedError, waitConverged} from '../../frr/converge.js'
import {OperationError, UsageError} from '../../io/errors.js'
import {PACKAGE_ROOT} from '../../io/paths.js'
import type {LabPlan} from '../../plan/plan.js'
import {mapLimit} from '../../util/pool.js'
import {sleep} from '../../util/sleep.js'
import {errorAfterTeardown} from '../failure.js'
import {procStat} from '../netns/procs.js'
import type {UpOptions, UpResult} from '../provider.js'
import {probeKvm} from '../qemu/kvm.js'
import {QEMU} from '../qemu/up.js'
import {vmMemory} from '../qemu/vm.js'
import {runVagrant, type VagrantfileEnv} from './cli.js'
import {vagrantExecutor} from './executor.js'
import {ensureLibvirt, inLibvirtNetns, writeTcgWrapper, type LibvirtHome} from './libvirt.js'
import {errorExit, machineEvents, sshConfigs, type VagrantRecord} from './machine-readable.js'
import {createManagementNetwork} from './network.js'
import {readVagrantState, sshSocketDir, writeVagrantState, type VagrantState} from './state.js'
import {labDomains, teardownVagrant} from './teardown.js'

/** VMs brought up at once (one Vagrant process each); LAB_VAGRANT_PARALLEL overrides. */
function parallelUps(): number {
  const fromEnv = Number(process.env.LAB_VAGRANT_PARALLEL)
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 6
}

/** The steps of `vagrant up` worth a progress line. */
const MILESTONES = /^(Creating domain\b|Starting domain|Waiting for domain to get an IP|Waiting for machine to boot|Machine booted|Setting hostname|Running provisioner: (file|shell)|lab: .* provisioned|An error occurred)/

export async function vagrantUp(plan: LabPlan, {labDir, signal, progress, timeoutMs}: UpOptions): Promise<UpResult> {
  const previous = readVagrantState(labDir)
  if (previous && (await labDomainsIfLibvirt(plan.name)).length > 0) throw new UsageError(`lab ${plan.name} is already up under vagrant`, `lab down ${plan.name}; or run a second copy with --name <other-name>`)
  if (previous) await teardownVagrant(plan.name, labDir)
  progress.step('probing KVM')
  const {accel, why} = await probeKvm(QEMU, boxPaths().kernel)
  progress.detail(`${accel === 'kvm' ? 'KVM' : 'TCG (libvirt driver qemu)'}: ${why}`)
  progress.step('libvirt: lab\'s libvirtd in its own network namespace')
  const home = await ensureLibvirt(accel === 'kvm')
  progress.detail(home.netns ? `libvirtd runs in namespace ${home.netns} (its networks never touch the machine's)` : 'using the libvirtd this machine runs')
  signal.throwIfAborted()

  const started = Date.now()
  const state: VagrantState = {version: 1, lab: plan.name, provider: 'vagrant', status: 'building', cliPid: process.pid, startedAt: new Date().toISOString(), labDir, netns: home.netns, env: {LAB_UDP_BASE: '0', LAB_LIBVIRT_DRIVER: accel === 'kvm' ? 'kvm' : 'qemu', LAB_MGMT_NETWORK: ''}, nodes: plan.nodes.map((n) => n.name)}
  writeVagrantState(state)
  const executor = vagrantExecutor(plan.name, labDir)
  try {
    const slot = await createManagementNetwork(plan.name, (xml) => writeFile(labDir, 'management-network.xml', xml))
    state.env = {...state.env, ...(accel === 'tcg' && {LAB_EMULATOR: writeTcgWrapper(qemuPath())}), LAB_BOX: VAGRANT_BOX_NAME, LAB_MEMORY: String(vmMemory()), LAB_UDP_BASE: String(slot.udpBase), LAB_MGMT_NETWORK: slot.subnet}
    state.boxDir = boxDir()
    writeVagrantState(state)
    progress.step(`vagrant up: ${plan.nodes.length} VMs from ${VAGRANT_BOX_NAME} (libvirt, driver ${state.env.LAB_LIBVIRT_DRIVER}, ${vmMemory()} MiB each; ${plan.links.length} links as UDP tunnels on 127.0.0.1; management network ${slot.subnet}, isolated)`)
    await mapLimit(plan.nodes, parallelUps(), async (node) => upOne(labDir, home, state.env, node.name, signal, (line) => progress.detail(`${line} (${seconds(started)})`)))
    signal.throwIfAborted()
    state.ssh = await sshDetails(labDir, home, state.env, signal)
    state.forwarder = await startForwarder(labDir, home, state.ssh)
    state.upMs = Date.now() - started
    writeVagrantState(state)
    progress.step('waiting for BGP to converge')
    const result = await waitConverged(plan, executor, {timeoutMs, signal, progress})
    Object.assign(state, {status: 'up', converged: result.converged, convergenceMs: result.elapsedMs})
    writeVagrantState(state)
    if (!result.converged) throw await notConverged(plan, executor, result, timeoutMs, signal)
    return {lab: plan.name, provider: 'vagrant', nodes: plan.nodes.length, links: plan.links.length, sessions: result.sessions, buildMs: state.upMs, convergenceMs: result.elapsedMs}
  } catch (error) {
    if (error instanceof NotConvergedError) throw error
    executor.close()
    state.status = 'failed'
    writeVagrantState(state)
    progress.step(signal.aborted ? 'interrupted: destroying the VMs' : 'failed: destroying the VMs')
    const {leftovers} = await teardownVagrant(plan.name, labDir)
    throw errorAfterTeardown(error, plan.name, signal, leftovers)
  } finally {
    executor.close()
  }
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(0)} s`
}

function writeFile(labDir: string, name: string, content: string): string {
  const dir = sshSocketDir(labDir)
  mkdirSync(dir, {recursive: true})
  const file = path.join(dir, name)
  writeFileSync(file, content)
  return file
}

async function labDomainsIfLibvirt(lab: string): Promise<string[]> {
  try {
    return await labDomains(lab)
  } catch {
    return []
  }
}

/** `vagrant up <node>`: its milestones as progress lines; a failure is Vagrant's own message. */
async function upOne(labDir: string, home: LibvirtHome, env: VagrantfileEnv, node: string, signal: AbortSignal, say: (line: string) => void): Promise<void> {
  signal.throwIfAborted()
  const onRecord = (record: VagrantRecord) => {
    for (const event of machineEvents([record])) if (MILESTONES.test(event.text)) say(`${event.machine}: ${event.text.replace(/\.+$/, '')}`)
  }
  const log = path.join(labDir, 'run', 'vagrant-log', `up-${node}.log`)
  const result = await runVagrant(labDir, home, env, ['up', node, '--provider', 'libvirt'], {signal, onRecord, log})
  signal.throwIfAborted()
  if (result.exitCode !== 0) {
    const error = errorExit(result.records)
    throw new OperationError(`vagrant up ${node} failed: ${error?.message ?? result.stderr.trim().split('\n').slice(-5).join('\n')}`, `Vagrant's output: ${log}`)
  }
}

async function sshDetails(labDir: string, home: LibvirtHome, env: VagrantfileEnv, signal: AbortSignal): Promise<NonNullable<VagrantState['ssh']>> {
  const result = await runVagrant(labDir, home, env, ['ssh-config'], {signal})
  const configs = sshConfigs(result.records)
  if (result.exitCode !== 0 || configs.size === 0) throw new OperationError(`vagrant ssh-config failed: ${errorExit(result.records)?.message ?? result.stderr.trim()}`, `cd ${labDir} && vagrant ssh-config`)
  return Object.fromEntries(configs)
}

/** lab's SSH forwarder inside libvirt's namespace (none needed when libvirt runs in the machine's). */
async function startForwarder(labDir: string, home: LibvirtHome, ssh: NonNullable<VagrantState['ssh']>): Promise<VagrantState['forwarder']> {
  if (!home.netns) return undefined
  const dir = sshSocketDir(labDir)
  mkdirSync(dir, {recursive: true})
  const argv = inLibvirtNetns(home, [process.execPath, path.join(PACKAGE_ROOT, 'libexec', 'unix-forward.mjs'), dir, ...Object.entries(ssh).map(([node, c]) => `${node}=${c.host}`)])
  const child = spawn(argv[0], argv.slice(1), {detached: true, stdio: 'ignore'})
  child.unref()
  const pid = child.pid ?? 0
  await sleep(300)
  return {pid, startTime: procStat(pid)?.startTime ?? 0}
}

/** QEMU as libvirt would start it (an absolute path: the wrapper execs it). */
function qemuPath(): string {
  return QEMU.startsWith('/') ? QEMU : `/usr/bin/${QEMU}`
}
