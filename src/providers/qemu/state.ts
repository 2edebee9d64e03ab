// labs/<name>/state.json of a qemu lab: the QEMU processes `lab up` started (PID and start time),
// their ports and overlays; written before each VM starts, so `lab down` (or the teardown after a
// failure or Ctrl-C) finds everything. The VMs' files live in labs/<name>/run/qemu/, which
// re-rendering keeps.
import {existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Accel} from './kvm.js'

export const STATE_VERSION = 1

export interface VmRecord {
  node: string
  /** QEMU's PID; 0 until it has started. */
  pid: number
  /** Start time in clock ticks since boot (/proc/PID/stat field 22): a recycled PID never matches. */
  startTime: number
  sshPort: number
  overlay: string
  pidFile: string
  console: string
}

export interface QemuState {
  version: number
  lab: string
  provider: 'qemu'
  status: 'building' | 'up' | 'failed'
  cliPid: number
  startedAt: string
  labDir: string
  accel: Accel
  box: {dir: string; recipe: string}
  vms: VmRecord[]
  /** Loopback UDP ports of the links' ends, in plan link order (two per link). */
  udpPorts?: number[]
  buildMs?: number
  sshMs?: number
  convergenceMs?: number
  converged?: boolean
}

export function vmDir(labDir: string): string {
  return path.join(labDir, 'run', 'qemu')
}

export function statePath(labDir: string): string {
  return path.join(labDir, 'state.json')
}

export function readQemuState(labDir: string): QemuState | undefined {
  const file = statePath(labDir)
  if (!existsSync(file)) return undefined
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as QemuState
    return state.version === STATE_VERSION && state.provider === 'qemu' ? state : undefined
  } catch {
    return undefined
  }
}

export function writeQemuState(state: QemuState): void {
  const file = statePath(state.labDir)
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(temporary, file)
}

export function removeQemuState(labDir: string): void {
  rmSync(statePath(labDir), {force: true})
}
