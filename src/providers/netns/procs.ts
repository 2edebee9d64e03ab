// Processes a lab owns, by PID only (never by name): identity via start time, liveness ignoring zombies.
import {readFileSync, readlinkSync} from 'node:fs'
import {sleep} from '../../util/sleep.js'

interface ProcStat {
  state: string
  startTime: number
}

export function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // comm may contain spaces and parentheses: fields restart after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return {state: fields[0], startTime: Number(fields[19])}
  } catch {
    return undefined
  }
}

/** Running (not gone, not a zombie waiting to be reaped), and the same process if startTime is given. */
export function isAlive(pid: number, startTime?: number): boolean {
  const stat = procStat(pid)
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false
  return startTime === undefined || stat.startTime === startTime
}

/** The network namespace a process is in, as "net:[inode]". */
export function netnsOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`)
  } catch {
    return undefined
  }
}

/**
 * SIGTERM, wait (bounded, polling /proc), then SIGKILL whatever is left and wait again.
 * Only PIDs the caller proved are the lab's reach this function.
 */
export async function terminate(pids: readonly number[], graceMs = 2000): Promise<number[]> {
  const signalAll = (targets: readonly number[], signal: NodeJS.Signals) => {
    for (const pid of targets) {
      try {
        process.kill(pid, signal)
      } catch {
        // already gone
      }
    }
  }
  const waitGone = async (boundMs: number) => {
    const deadline = Date.now() + boundMs
    let delay = 5
    while (pids.some((pid) => isAlive(pid)) && Date.now() < deadline) {
      await sleep(delay)
      delay = Math.min(delay * 2, 100)
    }
  }
  signalAll(pids, 'SIGTERM')
  await waitGone(graceMs)
  const stubborn = pids.filter((pid) => isAlive(pid))
  if (stubborn.length > 0) {
    signalAll(stubborn, 'SIGKILL')
    await waitGone(2000)
  }
  return pids.filter((pid) => isAlive(pid))
}
