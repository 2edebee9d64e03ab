// Finding a netns lab on the machine: its namespaces (by the lab_<lab>_ prefix) and the processes
// inside them. What status, teardown and the lab list all start from.
import {readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {parseNetnsName} from './names.js'
import {netnsOf} from './procs.js'

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
