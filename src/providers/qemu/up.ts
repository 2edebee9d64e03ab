// `lab up` on qemu: probe KVM, start one VM per node from the box with its files in a fw_cfg tarball,
// wait for SSH, then the same convergence wait as every provider (src/frr/converge.ts) over SSH.
// A failure or a signal stops every VM that was started.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {boxPaths, boxState} from '../../box/box.js'
import {notConverged, NotConvergedError, waitConverged} from '../../frr/converge.js'
import {OperationError, UsageError} from '../../io/errors.js'
import {run} from '../../io/process.js'
import type {LabPlan, PlannedNode} from '../../plan/plan.js'
import {CONTAINER_SCRIPT} from './containers.js'
import {mapLimit} from '../../util/pool.js'
import {sleep} from '../../util/sleep.js'
import {isAlive, procStat} from '../netns/procs.js'
import {errorAfterTeardown} from '../failure.js'
import type {UpOptions, UpResult} from '../provider.js'
import type {SshExecutor} from '../ssh-executor.js'
import {hostKeyAlias, qemuExecutor} from './executor.js'
import {probeKvm} from './kvm.js'
import {readQemuState, vmDir, writeQemuState, type QemuState, type VmRecord} from './state.js'
import {labQemuPids, teardownQemu} from './teardown.js'
import {createOverlay, freePorts, linkPorts, mgmtMac, qemuArgv, nodeEnvFile, vmCpus, vmMemory, writeConfigTar} from './vm.js'

export const QEMU = process.env.LAB_QEMU ?? 'qemu-system-x86_64'
/** Bound on boot + SSH of every VM (TCG on 2 cores: 6 VMs in 60–90 s). */
const BOOT_TIMEOUT_MS = Number(process.env.LAB_QEMU_BOOT_TIMEOUT ?? 300) * 1000
/** VMs started at once: QEMU's own start is quick; the guests then share the CPUs. */
const START_CONCURRENCY = 4

function consoleTail(vm: VmRecord, lines = 8): string {
  try {
    return readFileSync(vm.console, 'utf8').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no console output)'
  }
}

async function waitForSsh(executor: SshExecutor, state: QemuState, options: {signal: AbortSignal; progress: UpOptions['progress']; started: number}): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS
  await mapLimit(state.vms, state.vms.length, async (vm) => {
    for (let attempt = 0; ; attempt++) {
      options.signal.throwIfAborted()
      if (!isAlive(vm.pid, vm.startTime)) {
        throw new OperationError(`the VM of ${vm.node} stopped while booting; its console ends with:\n${consoleTail(vm)}`, `see ${vm.console}`)
      }
      const left = deadline - Date.now()
      if (left <= 0) throw new OperationError(`${vm.node} did not answer on SSH within ${BOOT_TIMEOUT_MS / 1000} s; its console ends with:\n${consoleTail(vm)}`, `see ${vm.console}; LAB_QEMU_BOOT_TIMEOUT=<seconds> allows longer`)
      const result = await executor.exec(vm.node, ['true'], {timeoutMs: Math.min(15_000, left), signal: options.signal})
      if (result.exitCode === 0) {
        options.progress.detail(`${vm.node}: SSH up (${((Date.now() - options.started) / 1000).toFixed(1)} s after launch)`)
        return
      }
      await sleep(Math.min(500 + attempt * 250, 2000), options.signal)
    }
  })
}

export async function qemuUp(plan: LabPlan, {labDir, signal, progress, timeoutMs}: UpOptions): Promise<UpResult> {
  const previous = readQemuState(labDir)
  if (previous && labQemuPids(labDir, previous).length > 0) {
    throw new UsageError(`lab ${plan.name} is already up under qemu`, `lab down ${plan.name}; or run a second copy with --name <other-name>`)
  }
  if (previous || existsSync(vmDir(labDir))) await teardownQemu(plan.name, labDir)
  const box = boxState()
  if (box.state !== 'ready') throw new UsageError('the VM box is not ready', 'lab box build')
  const paths = boxPaths()
  progress.step('probing KVM')
  const {accel, why} = await probeKvm(QEMU, paths.kernel)
  progress.detail(`${accel === 'kvm' ? 'KVM' : 'TCG (software emulation)'}: ${why}`)
  signal.throwIfAborted()

  const started = Date.now()
  // Containers run inside their hosts' VMs (containers.ts): one VM per other node.
  const vmNodes = plan.nodes.filter((n) => !n.container)
  const state = await plannedState(plan, vmNodes, labDir, accel, box.manifest.recipe)
  const executor = qemuExecutor(plan.name, labDir)
  try {
    progress.step(`starting ${vmNodes.length} VMs (${accel}, ${vmMemory()} MiB and ${vmCpus()} vCPU${vmCpus() > 1 ? 's' : ''} each; ${plan.links.length} links as UDP sockets on 127.0.0.1)`)
    await startVms(plan, vmNodes, state, signal)
    state.buildMs = Date.now() - started
    writeQemuState(state)
    progress.step(`waiting for SSH on ${vmNodes.length} VMs (boot under ${accel.toUpperCase()})`)
    await waitForSsh(executor, state, {signal, progress, started})
    await buildContainers(plan, labDir, executor, signal, progress)
    state.sshMs = Date.now() - started
    writeQemuState(state)
    progress.step(`waiting for ${plan.protocol === 'ospf' ? 'OSPF' : 'BGP'} to converge`)
    const result = await waitConverged(plan, executor, {timeoutMs, signal, progress})
    Object.assign(state, {status: 'up', converged: result.converged, convergenceMs: result.elapsedMs})
    writeQemuState(state)
    if (!result.converged) throw await notConverged(plan, executor, result, timeoutMs, signal)
    // buildMs: VMs started and reachable over SSH; convergence counted from there.
    return {lab: plan.name, provider: 'qemu', nodes: plan.nodes.length, links: plan.links.length, sessions: result.sessions, buildMs: state.sshMs, convergenceMs: result.elapsedMs}
  } catch (error) {
    if (error instanceof NotConvergedError) throw error
    executor.close()
    throw await tearDownAfter(error, plan, labDir, state, signal, progress)
  } finally {
    executor.close()
  }
}

/** What is about to exist, written before anything starts: ports, overlays, PID files, consoles. */
async function plannedState(plan: LabPlan, vmNodes: readonly PlannedNode[], labDir: string, accel: QemuState['accel'], recipe: string): Promise<QemuState> {
  const paths = boxPaths()
  const dir = vmDir(labDir)
  mkdirSync(dir, {recursive: true})
  const ports = await freePorts(vmNodes.length, plan.links.length * 2)
  const state: QemuState = {
    version: 1,
    lab: plan.name,
    provider: 'qemu',
    status: 'building',
    cliPid: process.pid,
    startedAt: new Date().toISOString(),
    labDir,
    accel,
    box: {dir: paths.dir, recipe},
    vms: vmNodes.map((node, index) => ({
      node: node.name,
      pid: 0,
      startTime: 0,
      sshPort: ports.tcp[index],
      overlay: path.join(dir, `${node.name}.qcow2`),
      pidFile: path.join(dir, `${node.name}.pid`),
      console: path.join(dir, `${node.name}.console.log`),
    })),
    udpPorts: ports.udp,
  }
  writeQemuState(state)
  writeFileSync(path.join(dir, 'known_hosts'), `${hostKeyAlias()} ${readFileSync(paths.hostKey, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')}\n`)
  return state
}

/** One QEMU per node, a few at once; each PID recorded with its start time as soon as QEMU daemonizes. */
async function startVms(plan: LabPlan, vmNodes: readonly PlannedNode[], state: QemuState, signal: AbortSignal): Promise<void> {
  const paths = boxPaths()
  const dir = vmDir(state.labDir)
  const nics = linkPorts(plan, state.udpPorts ?? [])
  await mapLimit(vmNodes, START_CONCURRENCY, async (node, index) => {
    signal.throwIfAborted()
    const vm = state.vms[index]
    const tar = path.join(dir, `${node.name}.tar`)
    await writeConfigTar(state.labDir, node, nodeEnvFile(node, mgmtMac(index + 1)), path.join(dir, `${node.name}.config`), tar)
    await createOverlay(paths, vm.overlay)
    const argv = qemuArgv(QEMU, {lab: plan.name, node, accel: state.accel, memory: vmMemory(), cpus: vmCpus(), box: paths, overlay: vm.overlay, tar, console: vm.console, pidFile: vm.pidFile, sshPort: vm.sshPort, mgmtMac: mgmtMac(index + 1), nics: nics.get(node.name)!})
    writeFileSync(path.join(dir, `${node.name}.argv.json`), `${JSON.stringify(argv)}\n`)
    const result = await run(argv, {timeoutMs: 60_000})
    const pid = existsSync(vm.pidFile) ? Number(readFileSync(vm.pidFile, 'utf8').trim()) : 0
    if (pid > 0) {
      vm.pid = pid
      vm.startTime = procStat(pid)?.startTime ?? 0
      writeQemuState(state)
    }
    if (result.exitCode !== 0 || pid <= 0) throw new OperationError(`QEMU did not start ${node.name}: ${result.stderr.trim() || `exit ${result.exitCode}`}`, `see ${path.join(dir, `${node.name}.argv.json`)}`)
  })
}

/** Each container host's rendered containers.sh, run in its VM over SSH (before convergence: an IPVLAN range is part of what converged means). */
async function buildContainers(plan: LabPlan, labDir: string, executor: SshExecutor, signal: AbortSignal, progress: UpOptions['progress']): Promise<void> {
  const hosts = plan.nodes.filter((n) => n.containers)
  if (hosts.length === 0) return
  progress.step(`building ${hosts.reduce((sum, h) => sum + h.containers!.names.length, 0)} containers in ${hosts.length} host VMs`)
  await mapLimit(hosts, hosts.length, async (host) => {
    const script = readFileSync(path.join(labDir, host.name, CONTAINER_SCRIPT), 'utf8')
    const result = await executor.exec(host.name, ['sh', '-ec', script], {timeoutMs: 120_000, signal})
    if (result.exitCode !== 0) throw new OperationError(`building ${host.name}'s containers in its VM failed (exit ${result.exitCode}): ${result.stderr.trim()}`, `see ${path.join(labDir, host.name, CONTAINER_SCRIPT)}`)
    progress.detail(`${host.name}: ${host.containers!.names.join(', ')} (${host.containers!.mode})`)
  })
}

/** The error to throw after stopping every VM a failed or interrupted `up` started. */
async function tearDownAfter(error: unknown, plan: LabPlan, labDir: string, state: QemuState, signal: AbortSignal, progress: UpOptions['progress']): Promise<unknown> {
  state.status = 'failed'
  writeQemuState(state)
  progress.step(signal.aborted ? 'interrupted: stopping the VMs' : 'failed: stopping the VMs')
  const {leftovers} = await teardownQemu(plan.name, labDir)
  return errorAfterTeardown(error, plan.name, signal, leftovers)
}
