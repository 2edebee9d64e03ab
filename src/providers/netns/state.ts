// labs/<name>/state.json: what `lab up` started, written before each step so that `lab down` (or the
// teardown after a failure or Ctrl-C) knows its namespaces and daemons. Links, UTS mounts and the run
// directory follow from those (and /proc/self/mountinfo), so they are not recorded; `down` also works
// without the file.
import {existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'

export const STATE_FILE = 'state.json'
export const STATE_VERSION = 1

export interface DaemonRecord {
  node: string
  daemon: string
  pid: number
  /** Start time in clock ticks since boot (/proc/PID/stat field 22): a recycled PID never matches. */
  startTime: number
}

export interface LabState {
  version: number
  lab: string
  provider: 'netns'
  /** building: `lab up` is running (cliPid); up: built (converged or not); failed: teardown pending. */
  status: 'building' | 'up' | 'failed'
  cliPid: number
  startedAt: string
  labDir: string
  namespaces: {node: string; netns: string}[]
  daemons: DaemonRecord[]
  buildMs?: number
  convergenceMs?: number
  converged?: boolean
}

export function statePath(labDir: string): string {
  return path.join(labDir, STATE_FILE)
}

export function readState(labDir: string): LabState | undefined {
  const file = statePath(labDir)
  if (!existsSync(file)) return undefined
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as LabState
    return state.version === STATE_VERSION && state.provider === 'netns' ? state : undefined
  } catch {
    return undefined
  }
}

/** Atomic: a crash never leaves half a state file. */
export function writeState(state: LabState): void {
  const file = statePath(state.labDir)
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(temporary, file)
}

export function removeState(labDir: string): void {
  rmSync(statePath(labDir), {force: true})
}
