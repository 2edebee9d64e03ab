// The qemu provider: lab drives QEMU itself, one VM per node booted from the locally built box
// (`lab box build`) with the node's rendered files passed in through fw_cfg; links as UDP sockets
// on 127.0.0.1, SSH on a loopback port; no daemon, no bridge, no tap, no NAT. Convergence is the
// netns provider's, run through an SSH executor.
import {accessSync, constants, existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {execa} from 'execa'
import type {LabPlan} from '../../core/plan.js'
import {boxPaths, boxState} from '../../box/box.js'
import {OperationError, UsageError} from '../../io/errors.js'
import {readLabPlan} from '../../io/lab-plan.js'
import {labsRoot} from '../../io/paths.js'
import {mapLimit, run} from '../../io/process.js'
import {explainSessions, waitConverged} from '../netns/converge.js'
import {checkNode} from '../netns/exec.js'
import {NotConvergedError} from '../netns/index.js'
import {isAlive, procStat, terminate} from '../netns/procs.js'
import type {LabStatus, NodeExecutor, Provider, UpOptions, UpResult} from '../provider.js'
import {SshExecutor, type SshTarget} from '../ssh-executor.js'
import {commandLine} from '../ssh-quote.js'
import {probeKvm} from './kvm.js'
import {readQemuState, removeQemuState, vmDir, writeQemuState, type QemuState, type VmRecord} from './state.js'
import {qemuStatus} from './status.js'
import {createOverlay, freePorts, linkPorts, mgmtMac, nodeEnvFile, qemuArgv, vmMemory, writeConfigTar} from './vm.js'

export const QEMU = process.env.LAB_QEMU ?? 'qemu-system-x86_64'
export const SSH_USER = 'lab'
/** Bound on boot + SSH of every VM (TCG on 2 cores: 6 VMs in 60–90 s). */
const BOOT_TIMEOUT_MS = Number(process.env.LAB_QEMU_BOOT_TIMEOUT ?? 300) * 1000
/** VMs started at once: QEMU's own start is quick; the guests then share the CPUs. */
const START_CONCURRENCY = 4

function hostKeyAlias(): string {
  return 'lab-node'
}

/** SSH to a node of a running qemu lab, from its state file (ports) and the box (keys). */
export function qemuExecutor(lab: string, labDir: string): SshExecutor {
  let state: QemuState | undefined
  let key: Buffer | undefined
  let hostKey: string | undefined
  let plan: LabPlan | undefined
  return new SshExecutor((node): SshTarget => {
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
  })
}

function consoleTail(vm: VmRecord, lines = 8): string {
  try {
    return readFileSync(vm.console, 'utf8').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no console output)'
  }
}

/** QEMU processes of the lab: recorded PIDs whose start time matches, and PID files of QEMUs whose command line names this lab's VM directory (a crash between start and record). */
export function labQemuPids(labDir: string, state: QemuState | undefined): number[] {
  const pids = new Set<number>()
  for (const vm of state?.vms ?? []) if (vm.pid > 0 && isAlive(vm.pid, vm.startTime)) pids.add(vm.pid)
  const dir = vmDir(labDir)
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.pid'))) {
      const pid = Number(readFileSync(path.join(dir, file), 'utf8').trim())
      if (!Number.isInteger(pid) || pid <= 0 || pids.has(pid) || !isAlive(pid)) continue
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        if (cmdline.includes(`${dir}/`)) pids.add(pid)
      } catch {
        // gone
      }
    }
  }
  return [...pids]
}

export async function teardownQemu(labDir: string): Promise<{removed: string[]; leftovers: string[]}> {
  const removed: string[] = []
  const leftovers: string[] = []
  const state = readQemuState(labDir)
  const pids = labQemuPids(labDir, state)
  if (pids.length > 0) {
    const stuck = await terminate(pids, 5000)
    const stopped = pids.length - stuck.length
    removed.push(`${stopped} QEMU process${stopped === 1 ? '' : 'es'}`)
    for (const pid of stuck) leftovers.push(`QEMU process ${pid} did not exit`)
  }
  const dir = vmDir(labDir)
  if (existsSync(dir) && leftovers.length === 0) {
    const overlays = readdirSync(dir).filter((f) => f.endsWith('.qcow2')).length
    rmSync(dir, {recursive: true, force: true})
    removed.push(`${overlays} overlay${overlays === 1 ? '' : 's'}`)
    const runDir = path.dirname(dir)
    if (existsSync(runDir) && readdirSync(runDir).length === 0) rmSync(runDir, {recursive: true, force: true})
  }
  if (state && leftovers.length === 0) {
    removeQemuState(labDir)
    removed.push('state.json')
  }
  return {removed, leftovers}
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
      await sleep(Math.min(500 + attempt * 250, 2000), undefined, {signal: options.signal})
    }
  })
}

export const qemuProvider: Provider = {
  name: 'qemu',

  async preflight(_plan: LabPlan) {
    const problems: string[] = []
    const fixes: string[] = []
    for (const [program, pkg] of [[QEMU, 'qemu-system-x86'], ['qemu-img', 'qemu-utils'], ['tar', 'tar']] as const) {
      const found = await run(['sh', '-c', 'command -v "$1"', 'sh', program])
      if (found.exitCode !== 0) {
        problems.push(`\`${program}\` is not installed`)
        fixes.push(`apt-get install ${pkg}`)
      }
    }
    const box = boxState()
    if (box.state !== 'ready') {
      problems.push(box.state === 'missing' ? 'the VM box is not built' : box.state === 'stale' ? 'the VM box was built from an older recipe' : `the VM box is incomplete (missing ${box.missing.join(', ')})`)
      fixes.push('lab box build')
    }
    if (box.state === 'ready') {
      try {
        accessSync(boxPaths().key, constants.R_OK)
      } catch {
        problems.push(`the box's SSH key ${boxPaths().key} cannot be read by this user`)
        fixes.push('run lab as the user that built the box (root: sudo lab …), or set LAB_BOX_DIR to a box of your own')
      }
    }
    if (problems.length > 0) throw new UsageError(`this machine cannot run a qemu lab: ${problems.join('; ')}`, [...new Set(fixes)].join('; then '))
  },

  async up(plan: LabPlan, {labDir, signal, progress, timeoutMs}: UpOptions): Promise<UpResult> {
    const previous = readQemuState(labDir)
    if (previous && labQemuPids(labDir, previous).length > 0) {
      throw new UsageError(`lab ${plan.name} is already up under qemu`, `lab down ${plan.name}; or run a second copy with --name <other-name>`)
    }
    if (previous || existsSync(vmDir(labDir))) await teardownQemu(labDir)

    const box = boxState()
    if (box.state !== 'ready') throw new UsageError('the VM box is not ready', 'lab box build')
    const paths = boxPaths()
    progress.step('probing KVM')
    const {accel, why} = await probeKvm(QEMU, paths.kernel)
    progress.detail(`${accel === 'kvm' ? 'KVM' : 'TCG (software emulation)'}: ${why}`)
    signal.throwIfAborted()

    const started = Date.now()
    const dir = vmDir(labDir)
    mkdirSync(dir, {recursive: true})
    const ports = await freePorts(plan.nodes.length, plan.links.length * 2)
    const nics = linkPorts(plan, ports.udp)
    const state: QemuState = {
      version: 1,
      lab: plan.name,
      provider: 'qemu',
      status: 'building',
      cliPid: process.pid,
      startedAt: new Date().toISOString(),
      labDir,
      accel,
      box: {dir: paths.dir, recipe: box.manifest.recipe},
      vms: plan.nodes.map((node, index) => ({
        node: node.name,
        pid: 0,
        startTime: 0,
        sshPort: ports.tcp[index],
        overlay: path.join(dir, `${node.name}.qcow2`),
        pidFile: path.join(dir, `${node.name}.pid`),
        console: path.join(dir, `${node.name}.console.log`),
      })),
    }
    writeQemuState(state)
    writeFileSync(path.join(dir, 'known_hosts'), `${hostKeyAlias()} ${readFileSync(paths.hostKey, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')}\n`)
    const executor = qemuExecutor(plan.name, labDir)
    try {
      progress.step(`starting ${plan.nodes.length} VMs (${accel}, ${vmMemory()} MiB each; ${plan.links.length} links as UDP sockets on 127.0.0.1)`)
      await mapLimit(plan.nodes, START_CONCURRENCY, async (node, index) => {
        signal.throwIfAborted()
        const vm = state.vms[index]
        const tar = path.join(dir, `${node.name}.tar`)
        await writeConfigTar(labDir, node, nodeEnvFile(node, mgmtMac(index + 1)), path.join(dir, `${node.name}.config`), tar)
        await createOverlay(paths, vm.overlay)
        const argv = qemuArgv(QEMU, {lab: plan.name, node, accel, memory: vmMemory(), box: paths, overlay: vm.overlay, tar, console: vm.console, pidFile: vm.pidFile, sshPort: vm.sshPort, mgmtMac: mgmtMac(index + 1), nics: nics.get(node.name)!})
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
      const buildMs = Date.now() - started
      state.buildMs = buildMs
      writeQemuState(state)

      progress.step(`waiting for SSH on ${plan.nodes.length} VMs (boot under ${accel.toUpperCase()})`)
      await waitForSsh(executor, state, {signal, progress, started})
      state.sshMs = Date.now() - started
      writeQemuState(state)

      progress.step('waiting for BGP to converge')
      const result = await waitConverged(plan, executor, {timeoutMs, signal, progress})
      state.status = 'up'
      state.converged = result.converged
      state.convergenceMs = result.elapsedMs
      writeQemuState(state)
      if (!result.converged) {
        const reasons = await explainSessions(executor, result.routers, signal)
        throw new NotConvergedError(
          `lab ${plan.name} did not converge within ${Math.round(timeoutMs / 1000)} s after SSH was up; it is left up so you can look:\n${reasons.map((r) => `  ${r}`).join('\n')}`,
          `lab status ${plan.name}; lab exec <node> -- vtysh -c 'show bgp summary'; lab down ${plan.name}`,
        )
      }
      // buildMs: VMs started and reachable over SSH; convergence counted from there.
      return {lab: plan.name, provider: 'qemu', nodes: plan.nodes.length, links: plan.links.length, sessions: result.sessions, buildMs: state.sshMs, convergenceMs: result.elapsedMs}
    } catch (error) {
      if (error instanceof NotConvergedError) throw error
      state.status = 'failed'
      writeQemuState(state)
      progress.step(signal.aborted ? 'interrupted: stopping the VMs' : 'failed: stopping the VMs')
      executor.close()
      const {leftovers} = await teardownQemu(labDir)
      const left = leftovers.length > 0 ? ` (could not remove: ${leftovers.join('; ')})` : ''
      if (signal.aborted) throw new OperationError(`interrupted (${String(signal.reason instanceof Error ? signal.reason.message : signal.reason)}): lab ${plan.name} was torn down${left}`, 'run lab up again')
      if (error instanceof Error && left) error.message += left
      throw error
    } finally {
      executor.close()
    }
  },

  async down(lab: string, labDir: string) {
    const {removed, leftovers} = await teardownQemu(labDir)
    if (leftovers.length > 0) throw new OperationError(`lab ${lab} was not fully removed: ${leftovers.join('; ')}`, `run lab down ${lab} again`)
    return {removed}
  },

  executor(lab: string, labDir: string): NodeExecutor {
    return qemuExecutor(lab, labDir)
  },

  async status(lab: string, labDir: string): Promise<LabStatus> {
    return qemuStatus(lab, labDir, qemuExecutor(lab, labDir))
  },

  async labs() {
    const root = labsRoot()
    if (!existsSync(root)) return []
    return readdirSync(root)
      .filter((entry) => readQemuState(path.join(root, entry))?.lab === entry)
      .sort()
  },

  async attach(lab: string, labDir: string, node: string, argv: readonly string[]) {
    const state = readQemuState(labDir)
    if (!state) throw new UsageError(`lab ${lab} is not up under qemu`, `lab up <topology> --name ${lab} --provider qemu`)
    checkNode(readLabPlan(lab, labDir), node)
    const vm = state.vms.find((v) => v.node === node)!
    const box = boxPaths(state.box.dir)
    const tty = process.stdin.isTTY === true
    const remote = argv.length > 0 ? commandLine(argv, {sudo: true}) : 'sudo -n -i'
    const sshArgv = [
      '-q', '-p', String(vm.sshPort), '-i', box.key, '-l', SSH_USER,
      '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', `HostKeyAlias=${hostKeyAlias()}`,
      '-o', `UserKnownHostsFile=${path.join(vmDir(labDir), 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes',
      ...(tty || argv.length === 0 ? ['-tt'] : ['-T']),
      '127.0.0.1', remote,
    ]
    const ignore = () => {}
    process.on('SIGINT', ignore)
    process.on('SIGQUIT', ignore)
    const child = execa('ssh', sshArgv, {stdio: 'inherit', reject: false})
    const forward = () => child.kill('SIGTERM')
    process.on('SIGTERM', forward)
    try {
      const result = await child
      if (result.exitCode !== undefined) return result.exitCode
      return result.signal === 'SIGINT' ? 130 : result.signal ? 143 : 127
    } finally {
      process.off('SIGINT', ignore)
      process.off('SIGQUIT', ignore)
      process.off('SIGTERM', forward)
    }
  },
}
