// Remove a netns lab: its daemons (by PID), namespaces (and with them every veth), UTS mounts, run dir.
// Idempotent, and works with the state file gone: namespaces are found by the lab's name prefix, and
// processes are taken only from those namespaces (`ip netns pids`) or from recorded PIDs whose start
// time still matches. Nothing outside `lab_<lab>_*` and labs/<lab>/run is touched.
import {existsSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {run} from '../../io/process.js'
import {tool} from '../../io/tools.js'
import type {TeardownReport} from '../provider.js'
import {runRoot} from './names.js'
import {labNamespaces, namespacePids} from './namespaces.js'
import {isAlive, terminate} from './procs.js'
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

export async function teardownLab(lab: string, labDir: string): Promise<{report: TeardownReport; leftovers: string[]}> {
  const done: Teardown = {report: {lab, processes: 0, namespaces: [], mounts: 0, paths: []}, leftovers: []}
  const state = readState(labDir)
  const namespaces = [...new Set([...(labNamespaces().get(lab) ?? []), ...(state?.namespaces.map((n) => n.netns) ?? [])])].filter((ns) => existsSync(path.join('/run/netns', ns)))
  await endProcesses(done, namespaces, state)
  await deleteNamespaces(done, lab, namespaces)
  await unmountAndRemoveRunDir(done, labDir)
  if (state) {
    removeState(labDir)
    done.report.paths.push('state.json')
  }
  return done
}

/** Daemons and anything else running in the lab's namespaces (e.g. a `lab exec` shell). */
async function endProcesses(done: Teardown, namespaces: string[], state: LabState | undefined): Promise<void> {
  const recorded = (state?.daemons ?? []).filter((d) => isAlive(d.pid, d.startTime)).map((d) => d.pid)
  const pids = [...new Set([...recorded, ...(await namespacePids(namespaces))])]
  if (pids.length === 0) return
  const stuck = await terminate(pids)
  done.report.processes = pids.length - stuck.length
  for (const pid of stuck) done.leftovers.push(`process ${pid} did not exit`)
}

/** Deleting a namespace deletes its veth ends, and so the pairs. */
async function deleteNamespaces(done: Teardown, lab: string, namespaces: string[]): Promise<void> {
  if (namespaces.length === 0) return
  const result = await run([tool('ip'), '-force', '-batch', '-'], {input: namespaces.map((ns) => `netns delete ${ns}\n`).join('')})
  const still = new Set(labNamespaces().get(lab) ?? [])
  done.report.namespaces = namespaces.filter((ns) => !still.has(ns))
  for (const ns of namespaces.filter((n) => still.has(n))) done.leftovers.push(`netns ${ns}: ${result.stderr.trim()}`)
}

/** UTS namespace bind mounts, then the run directory (pid files, sockets, logs). */
async function unmountAndRemoveRunDir(done: Teardown, labDir: string): Promise<void> {
  const root = runRoot(labDir)
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
  done.report.paths.push(path.relative(process.cwd(), root) || root)
}
