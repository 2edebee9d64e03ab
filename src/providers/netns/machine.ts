// This machine's shared limits (read from /proc, no process started) and the preflight that holds a
// lab's needs against them: raise what is safe to raise (said in progress output), refuse the rest.
import {readFileSync, writeFileSync} from 'node:fs'
import {UsageError} from '../../io/errors.js'
import type {Progress} from '../../io/progress.js'
import type {LabPlan} from '../../plan/plan.js'
import {describeChanges, estimateNeeds, judgeLimits, refusalMessage, timesLabs, type MachineLimits, type NeighbourTable, type SysctlChange} from './limits.js'

const read = (file: string) => readFileSync(file, 'utf8')
const sysctlPath = (key: string) => `/proc/sys/${key.replaceAll('.', '/')}`
const readNumber = (key: string) => Number(read(sysctlPath(key)).trim().split(/\s+/)[0])

/** Entries of a neighbour table: the first column of /proc/net/stat/{arp,ndisc}_cache (hex), table-wide. */
export function parseCacheEntries(stat: string): number {
  const row = stat.trim().split('\n')[1]
  return row ? Number.parseInt(row.trim().split(/\s+/)[0], 16) : 0
}

/** `Max processes` soft limit from /proc/self/limits; undefined when unlimited. */
export function parseProcessLimit(limits: string): number | undefined {
  const soft = /^Max processes\s+(\S+)/m.exec(limits)?.[1]
  return soft === undefined || soft === 'unlimited' ? undefined : Number(soft)
}

function neighbourTable(family: 'ipv4' | 'ipv6'): NeighbourTable {
  const thresh = [1, 2, 3].map((i) => readNumber(`net.${family}.neigh.default.gc_thresh${i}`)) as [number, number, number]
  return {family, entries: parseCacheEntries(read(`/proc/net/stat/${family === 'ipv4' ? 'arp_cache' : 'ndisc_cache'}`)), thresh}
}

export function readMachineLimits(): MachineLimits {
  const memAvailableKb = Number(/^MemAvailable:\s+(\d+)/m.exec(read('/proc/meminfo'))?.[1] ?? 0)
  const [filesOpen, , fileMax] = read('/proc/sys/fs/file-nr').trim().split(/\s+/).map(Number)
  return {
    neighbours: [neighbourTable('ipv4'), neighbourTable('ipv6')],
    memAvailableMb: Math.floor(memAvailableKb / 1024),
    tasks: Number(read('/proc/loadavg').split(' ')[3].split('/')[1]), // scheduling entities: every thread
    pidMax: readNumber('kernel.pid_max'),
    threadsMax: readNumber('kernel.threads-max'),
    processLimit: parseProcessLimit(read('/proc/self/limits')),
    filesOpen,
    fileMax,
  }
}

/** Only ever up: another lab starting at the same moment may have raised it further already. */
function applySysctl(change: SysctlChange): void {
  if (readNumber(change.key) < change.to) writeFileSync(sysctlPath(change.key), `${change.to}\n`)
}

/**
 * Before `lab up` builds anything: refuse a lab this machine cannot hold (every problem with its
 * numbers and fix), else raise the shared limits it would overflow and say so. `lab class up` asks
 * the same for all its labs at once (`labs` = students, `what` names the class).
 */
export function ensureMachineLimits(plan: LabPlan, progress: Progress, machine: MachineLimits = readMachineLimits(), labs = 1, what = `lab ${plan.name}`): void {
  const verdict = judgeLimits(timesLabs(estimateNeeds(plan), labs), machine)
  if (verdict.refuse.length > 0) {
    const {message, fix} = refusalMessage(what, verdict.refuse)
    throw new UsageError(message, fix)
  }
  for (const change of verdict.raise) applySysctl(change)
  for (const line of describeChanges(verdict.raise)) progress.step(line)
}
