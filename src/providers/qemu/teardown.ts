// Stopping a qemu lab: only QEMU processes it can prove are the lab's (recorded PID and start time, or
// a PID file in the lab's VM directory whose command line names that directory), then its overlays.
import {shownPath} from '../../util/text.js'
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import type {TeardownReport} from '../provider.js'
import {isAlive, terminate} from '../netns/procs.js'
import {readQemuState, removeQemuState, vmDir, type QemuState} from './state.js'

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

export async function teardownQemu(lab: string, labDir: string): Promise<{report: TeardownReport; leftovers: string[]}> {
  const report: TeardownReport = {lab, processes: 0, namespaces: [], mounts: 0, paths: []}
  const leftovers: string[] = []
  const state = readQemuState(labDir)
  const pids = labQemuPids(labDir, state)
  if (pids.length > 0) {
    const stuck = await terminate(pids, 5000)
    report.processes = pids.length - stuck.length
    for (const pid of stuck) leftovers.push(`QEMU process ${pid} did not exit`)
  }
  const dir = vmDir(labDir)
  if (existsSync(dir) && leftovers.length === 0) {
    // The VMs' overlays, consoles and config tarballs.
    rmSync(dir, {recursive: true, force: true})
    report.paths.push(shownPath(dir))
    const runDir = path.dirname(dir)
    if (existsSync(runDir) && readdirSync(runDir).length === 0) rmSync(runDir, {recursive: true, force: true})
  }
  if (state && leftovers.length === 0) {
    removeQemuState(labDir)
    report.paths.push('state.json')
  }
  return {report, leftovers}
}
