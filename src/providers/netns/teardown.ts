// Remove a netns lab: its daemons (by PID), namespaces (and with them every veth), UTS mounts, run dir.
// Idempotent, and works with the state file gone: namespaces are found by the lab's name prefix, and
// processes are taken only from those namespaces (`ip netns pids`) or from recorded PIDs whose start
// time still matches. Nothing outside `lab_<lab>_*` and labs/<lab>/run is touched.
import {existsSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'
import {run} from '../../io/process.js'
import {parseNetnsName, runRoot} from './names.js'
import {isAlive, netnsOf, terminate} from './procs.js'
import {readState, removeState} from './state.js'
import {tool} from '../../io/tools.js'
import {plural} from '../../util/text.js'

/** Every lab namespace on the machine, by lab. */
export function labNamespaces(): Map<string, string[]> {
  const byLab = new Map<string, string[]>()
  let names: string[] = []
  try {
    names = readdirSync('/run/netns')
  } catch {
    return byLab
  }
  for (const name of names.sort()) {
    const parsed = parseNetnsName(name)
    if (!parsed) continue
    byLab.set(parsed.lab, [...(byLab.get(parsed.lab) ?? []), name])
  }
  return byLab
}

/**
 * Processes inside any of these namespaces (what `ip netns pids` reports), found by comparing each
 * process's /proc/PID/ns/net with the namespace file's inode: no subprocess per namespace.
 */
export async function namespacePids(namespaces: readonly string[]): Promise<number[]> {
  const inodes = new Set<string>()
  for (const namespace of namespaces) {
    try {
      inodes.add(`net:[${statSync(path.join('/run/netns', namespace)).ino}]`)
    } catch {
      // deleted meanwhile
    }
  }
  if (inodes.size === 0) return []
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const pid = Number(entry)
    if (pid === process.pid) continue
    const link = netnsOf(pid)
    if (link && inodes.has(link)) pids.push(pid)
  }
  return pids
}

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

export async function teardownLab(lab: string, labDir: string): Promise<{removed: string[]; leftovers: string[]}> {
  const removed: string[] = []
  const leftovers: string[] = []
  const state = readState(labDir)
  const namespaces = [...new Set([...(labNamespaces().get(lab) ?? []), ...(state?.namespaces.map((n) => n.netns) ?? [])])].filter((ns) => existsSync(path.join('/run/netns', ns)))

  // 1. Daemons and anything else running in the lab's namespaces (e.g. a `lab exec` shell).
  const recorded = (state?.daemons ?? []).filter((d) => isAlive(d.pid, d.startTime)).map((d) => d.pid)
  const pids = [...new Set([...recorded, ...(await namespacePids(namespaces))])]
  if (pids.length > 0) {
    const stuck = await terminate(pids)
    removed.push(plural(pids.length - stuck.length, 'process', 'processes'))
    for (const pid of stuck) leftovers.push(`process ${pid} did not exit`)
  }

  // 2. Namespaces; deleting one deletes its veth ends, and so the pairs.
  if (namespaces.length > 0) {
    const result = await run([tool('ip'), '-force', '-batch', '-'], {input: namespaces.map((ns) => `netns delete ${ns}\n`).join('')})
    const still = namespaces.filter((ns) => labNamespaces().get(lab)?.includes(ns))
    removed.push(...namespaces.filter((ns) => !still.includes(ns)).map((ns) => `netns ${ns}`))
    for (const ns of still) leftovers.push(`netns ${ns}: ${result.stderr.trim()}`)
  }

  // 3. UTS namespace bind mounts, then the run directory (pid files, sockets, logs).
  const mounts = mountsUnder(runRoot(labDir))
  if (mounts.length > 0) {
    const result = await run(['umount', ...mounts])
    const still = mountsUnder(runRoot(labDir))
    if (still.length > 0) {
      await run(['umount', '-l', ...still])
    }
    const stuck = mountsUnder(runRoot(labDir))
    const unmounted = mounts.length - stuck.length
    removed.push(plural(unmounted, 'UTS namespace mount'))
    for (const mount of stuck) leftovers.push(`mount ${mount}: ${result.stderr.trim()}`)
  }
  if (mountsUnder(runRoot(labDir)).length === 0) {
    try {
      readdirSync(runRoot(labDir))
      rmSync(runRoot(labDir), {recursive: true, force: true})
      removed.push(path.relative(process.cwd(), runRoot(labDir)) || runRoot(labDir))
    } catch {
      // no run dir
    }
  }
  if (state) {
    removeState(labDir)
    removed.push('state.json')
  }
  return {removed, leftovers}
}
