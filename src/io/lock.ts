// One at a time: an exclusive lock file holding the owner's PID and start time (one `lab up` or
// `lab down` per lab name on the whole machine, one box build per box). A lock whose process is gone
// (a crash), or whose PID now names another process, is taken over.
import {closeSync, mkdirSync, openSync, readFileSync, rmdirSync, rmSync, writeSync} from 'node:fs'
import path from 'node:path'
import {UsageError} from './errors.js'
import {MACHINE_ROOT, machineDir} from './paths.js'

/** Start time of a process in clock ticks since boot (/proc/PID/stat field 22); undefined when gone or a zombie. */
export function processStartTime(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : Number(fields[19])
  } catch {
    return undefined
  }
}

/** The lock's owner when it still runs: same PID and, if recorded, same start time. */
function liveOwner(file: string): number | undefined {
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  const [pid, startTime] = text.trim().split(/\s+/).map(Number)
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined
  const running = processStartTime(pid)
  if (running === undefined) return undefined
  return startTime === undefined || Number.isNaN(startTime) || startTime === running ? pid : undefined
}

/** Take `file`; `busy(owner)` is the error when a live process holds it. Resolves to the release. */
export function lockFile(file: string, busy: (owner: number) => UsageError): () => void {
  mkdirSync(path.dirname(file), {recursive: true, mode: 0o755})
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644)
      try {
        writeSync(fd, `${process.pid} ${processStartTime(process.pid) ?? ''}\n`)
      } finally {
        closeSync(fd)
      }
      return () => rmSync(file, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = liveOwner(file)
      if (owner !== undefined) throw busy(owner)
      rmSync(file, {force: true}) // stale: its process is gone
    }
  }
  throw new UsageError(`could not lock ${file}`, `remove ${file} if nothing that takes it is running`)
}

export function labLockPath(lab: string): string {
  return path.join(machineDir(lab), 'lock')
}

/**
 * The lab's machine-wide lock (/run/lab/<lab>/lock), whatever LAB_HOME is: `up` holds it while it
 * builds and waits, `down` while it tears down, so neither ever works on a lab the other is changing.
 */
export function lockLab(lab: string, doing: 'up' | 'down'): () => void {
  try {
    return takeLabLock(lab, doing)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EACCES' && code !== 'EPERM') throw error
    // One message for a user without root, not one "Permission denied" per thing the lab has.
    throw new UsageError(`lab ${doing} needs root: it ${doing === 'up' ? 'creates' : 'removes'} the lab's namespaces and processes, and its lock in ${MACHINE_ROOT}`, `sudo lab ${doing} ${doing === 'up' ? '<topology> --name ' : ''}${lab}`)
  }
}

function takeLabLock(lab: string, doing: 'up' | 'down'): () => void {
  const release = lockFile(labLockPath(lab), (owner) => {
    const fix = doing === 'up'
      ? `wait for it to finish (lab status ${lab}), or use another name: --name <other-name>`
      : `wait for it to finish, then lab down ${lab}; or interrupt it (kill -INT ${owner}): it tears down what it built`
    return new UsageError(`lab ${lab} is being changed right now by another lab command (process ${owner}); nothing was done`, fix)
  })
  return () => {
    release()
    try {
      rmdirSync(machineDir(lab)) // only when empty: a lab that is down leaves nothing in /run/lab
    } catch {
      // not empty (the lab is up), gone, or a mount point
    }
  }
}
