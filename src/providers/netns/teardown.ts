// Remove a netns lab: its processes, namespaces (and with them every veth), mounts, run files, state.
// Idempotent, and works with the state file gone or wrong: the state is a hint, never an authority.
// Namespaces are only ever lab_<lab>_* (by name, from the machine); a process is ended only when it is
// proved the lab's: inside one of those namespaces, or a recorded daemon whose start time still matches
// and whose command line names the lab's own run directory. Mounts and files only under /run/lab/<lab>/.
import {existsSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {run} from '../../io/process.js'
import {tool} from '../../io/tools.js'
import type {TeardownReport} from '../provider.js'
import {machineDir, parseNetnsName, runRoot} from './names.js'
import {labNamespaces, namespacePids} from './namespaces.js'
import {isAlive, terminate} from './procs.js'
import {isNamespaceInit} from './sandbox.js'
import {readState, removeState, type LabState} from './state.js'

/** Mount points at or below dir (from /proc/self/mountinfo), deepest first. */
export function mountsUnder(dir: string): string[] {
  let text = ''
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8')
  } catch {
    return []
  }
  const prefix = `${path.resolve(dir)}/`
  const points = text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => Boolean(point))
    .map((point) => point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))))
    .filter((point) => point.startsWith(prefix))
  return [...new Set(points)].sort((a, b) => b.length - a.length)
}

/** The steps take what they removed and what they could not; one teardown, one report. */
interface Teardown {
  report: TeardownReport
  leftovers: string[]
}

/**
 * `known`: the state `lab up` holds in memory (it may have failed to write it, e.g. ENOSPC); else
 * the file's. `labDir`: the rendered directory, whose run-time leftovers (edited FRR configs) go too.
 */
export async function teardownLab(lab: string, labDir: string, known?: LabState): Promise<{report: TeardownReport; leftovers: string[]}> {
  const done: Teardown = {report: {lab, processes: 0, namespaces: [], mounts: 0, paths: []}, leftovers: []}
  const state = known ?? readState(lab)
  const namespaces = labNamespacesNow(lab, state)
  await endProcesses(done, lab, namespaces, state)
  await deleteNamespaces(done, lab, namespaces)
  await unmountAndRemoveRunDir(done, lab)
  if (existsSync(path.join(machineDir(lab), 'state.json'))) {
    removeState(lab)
    done.report.paths.push('state.json')
  }
  removeEditedConfigs(lab, labDir)
  return done
}

/** lab_<lab>_* namespaces on the machine, and recorded ones only if they are named so (and exist). */
function labNamespacesNow(lab: string, state: LabState | undefined): string[] {
  const recorded = (state?.namespaces ?? []).map((n) => n.netns).filter((ns) => typeof ns === 'string' && parseNetnsName(ns)?.lab === lab)
  return [...new Set([...(labNamespaces().get(lab) ?? []), ...recorded])].filter((ns) => existsSync(path.join('/run/netns', ns)))
}

/** A recorded daemon is the lab's if it is the same process (start time) started from the lab's run directory. */
function provenDaemon(lab: string, pid: number, startTime: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || !isAlive(pid, startTime)) return false
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return argv.some((arg) => arg.startsWith(`${runRoot(lab)}/`))
  } catch {
    return false
  }
}

/** Daemons and anything else running in the lab's namespaces (e.g. a `lab exec` shell). */
async function endProcesses(done: Teardown, lab: string, namespaces: string[], state: LabState | undefined): Promise<void> {
  const recorded = (state?.daemons ?? []).filter((d) => provenDaemon(lab, d.pid, d.startTime)).map((d) => d.pid)
  const found = [...new Set([...recorded, ...(await namespacePids(namespaces))])]
  if (found.length === 0) return
  // A node's init ignores SIGTERM (PID 1); SIGKILL ends it and, with it, everything in its PID namespace.
  const inits = found.filter((pid) => isNamespaceInit(pid))
  for (const pid of inits) killQuietly(pid)
  const stuck = await terminate(found)
  done.report.processes = found.length - stuck.length
  for (const pid of stuck) done.leftovers.push(`process ${pid} did not exit`)
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // gone already
  }
}

/** Deleting a namespace deletes its veth ends, and so the pairs. */
async function deleteNamespaces(done: Teardown, lab: string, namespaces: string[]): Promise<void> {
  if (namespaces.length === 0) return
  const result = await run([tool('ip'), '-force', '-batch', '-'], {input: namespaces.map((ns) => `netns delete ${ns}\n`).join('')})
  const still = new Set(labNamespaces().get(lab) ?? [])
  done.report.namespaces = namespaces.filter((ns) => !still.has(ns))
  for (const ns of namespaces.filter((n) => still.has(n))) done.leftovers.push(`netns ${ns}: ${result.stderr.trim()}`)
}

/** Namespace bind mounts, then the run directory (pid files, sockets, logs). */
async function unmountAndRemoveRunDir(done: Teardown, lab: string): Promise<void> {
  const root = runRoot(lab)
  const mounts = mountsUnder(root)
  if (mounts.length > 0) {
    const result = await run(['umount', ...mounts])
    const still = mountsUnder(root)
    if (still.length > 0) await run(['umount', '-l', ...still])
    const stuck = mountsUnder(root)
    done.report.mounts = mounts.length - stuck.length
    for (const mount of stuck) done.leftovers.push(`mount ${mount}: ${result.stderr.trim()}`)
  }
  if (mountsUnder(root).length > 0 || !existsSync(root)) return
  rmSync(root, {recursive: true, force: true})
  done.report.paths.push(root)
}

/** Edited FRR configs of a rendered lab (labs/<lab>/run/), so the next `up` starts from the rendered files. */
function removeEditedConfigs(lab: string, labDir: string): void {
  if (path.basename(labDir) !== lab || !existsSync(path.join(labDir, 'plan.json'))) return
  rmSync(path.join(labDir, 'run'), {recursive: true, force: true})
}
