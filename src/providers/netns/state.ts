// /run/lab/<name>/state.json: what `lab up` started and who owns the lab, written before each step.
// A hint, never an authority: `lab down` removes only what it proves is the lab's (namespaces named
// lab_<name>_*, processes inside them or started from the lab's own run directory, at the recorded
// start time), so a wrong or forged file can make it miss nothing of the lab and touch nothing else.
// Kept on the machine (not in LAB_HOME), so every LAB_HOME sees the same lab.
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {userInfo} from 'node:os'
import path from 'node:path'
import {machineDir} from './names.js'
import type {LabOwner} from '../provider.js'

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
  /** Where its files were rendered (plan.json): any LAB_HOME's `lab exec/status` reads the plan there. */
  labDir: string
  /** Who brought it up (the real user behind sudo when there is one). */
  owner?: LabOwner
  namespaces: {node: string; netns: string}[]
  daemons: DaemonRecord[]
  buildMs?: number
  convergenceMs?: number
  converged?: boolean
}

export type {LabOwner} from '../provider.js'

/** The user running lab: under sudo, the one who typed sudo. */
export function currentOwner(): LabOwner {
  const sudoUid = Number(process.env.SUDO_UID)
  if (process.getuid?.() === 0 && Number.isInteger(sudoUid) && sudoUid > 0 && process.env.SUDO_USER) return {uid: sudoUid, user: process.env.SUDO_USER}
  return {uid: process.getuid?.() ?? 0, user: userInfo().username}
}

export function statePath(lab: string): string {
  return path.join(machineDir(lab), STATE_FILE)
}

/** The lab's state if the file is there, readable and about this lab (a file naming another lab is ignored). */
export function readState(lab: string): LabState | undefined {
  const file = statePath(lab)
  if (!existsSync(file)) return undefined
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as LabState
    const valid = state.version === STATE_VERSION && state.provider === 'netns' && state.lab === lab && Array.isArray(state.namespaces) && Array.isArray(state.daemons)
    return valid ? state : undefined
  } catch {
    return undefined
  }
}

/** Atomic: a crash never leaves half a state file. */
export function writeState(state: LabState): void {
  const file = statePath(state.lab)
  mkdirSync(path.dirname(file), {recursive: true, mode: 0o755})
  const temporary = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, {mode: 0o644})
    renameSync(temporary, file)
  } finally {
    rmSync(temporary, {force: true})
  }
}

export function removeState(lab: string): void {
  rmSync(statePath(lab), {force: true})
}
