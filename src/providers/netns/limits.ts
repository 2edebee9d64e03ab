// Machine-wide limits a netns lab runs into, judged before anything is built (pure: the machine's
// numbers come in as a MachineLimits, read by machine.ts). Some limits are shared by every namespace
// on the machine (the kernel's neighbour tables, PIDs, memory), so a big lab can break every other
// lab too: each is either raised (when raising is safe) or the lab is refused with the numbers.
import type {LabPlan} from '../../plan/plan.js'

/** Per-unit costs, measured on FRR 8.4 / Linux 6.x (bench/SCALE.md): anonymous memory, not shared pages. */
export const COST = {
  /** Kernel memory of a namespace with its veth ends, sysctl tables and routes. */
  namespaceMb: 2.5,
  /** Anonymous memory of one FRR daemon (bgpd ≈ 11 MB, zebra ≈ 6 MB, staticd ≈ 3 MB at start). */
  daemonMb: {zebra: 8, bgpd: 14, staticd: 4} as Record<string, number>,
  otherDaemonMb: 8,
  /** Threads of one FRR daemon (zebra 6, bgpd 4). */
  daemonThreads: 6,
  /** Open files of one FRR daemon (32 measured), with room for sessions. */
  daemonFiles: 40,
  /** Memory left to the rest of the machine. */
  reserveMb: 512,
  /** Tasks left to the rest of the machine (and lab's own short-lived processes). */
  reserveTasks: 512,
} as const

/** FRR's fd table per daemon (`--limit-fds` in frr.ts); a session is one socket. */
export const FRR_FD_LIMIT = 1024
const FD_HEADROOM = 64

export interface LabNeeds {
  /** Labs counted together (a class: one lab per student); 1 for `lab up`. */
  labs: number
  nodes: number
  daemons: number
  /** Entries the lab adds to the machine-wide neighbour tables: one per link end and family. */
  ipv4Neighbours: number
  ipv6Neighbours: number
  memoryMb: number
  tasks: number
  files: number
  /** The router with the most BGP sessions (each is an fd in bgpd). */
  busiestRouter?: {node: string; sessions: number}
}

export function estimateNeeds(plan: LabPlan): LabNeeds {
  const daemons = plan.nodes.flatMap((n) => n.daemons)
  const linkEnds = plan.links.length * 2
  const busiest = plan.nodes
    .filter((n) => n.bgp)
    .map((n) => ({node: n.name, sessions: n.bgp!.neighbors.length}))
    .sort((a, b) => b.sessions - a.sessions)[0]
  const daemonMb = daemons.reduce((sum, d) => sum + (COST.daemonMb[d] ?? COST.otherDaemonMb), 0)
  return {
    labs: 1,
    nodes: plan.nodes.length,
    daemons: daemons.length,
    // Every link end resolves its peer: NDP for the link-locals BGP unnumbered runs over, ARP for IPv4.
    ipv4Neighbours: linkEnds,
    ipv6Neighbours: linkEnds,
    memoryMb: Math.ceil(plan.nodes.length * COST.namespaceMb + daemonMb),
    tasks: daemons.length * COST.daemonThreads,
    files: daemons.length * COST.daemonFiles,
    busiestRouter: busiest,
  }
}

/**
 * What `labs` copies of a lab need together (a class: one lab per student, all on this machine).
 * The busiest router is one router's fd table, however many labs there are.
 */
export function timesLabs(needs: LabNeeds, labs: number): LabNeeds {
  return {
    labs: needs.labs * labs,
    nodes: needs.nodes * labs,
    daemons: needs.daemons * labs,
    ipv4Neighbours: needs.ipv4Neighbours * labs,
    ipv6Neighbours: needs.ipv6Neighbours * labs,
    memoryMb: needs.memoryMb * labs,
    tasks: needs.tasks * labs,
    files: needs.files * labs,
    busiestRouter: needs.busiestRouter,
  }
}

export interface NeighbourTable {
  family: 'ipv4' | 'ipv6'
  /** Entries in the table now, across every namespace. */
  entries: number
  thresh: [number, number, number]
}

export interface MachineLimits {
  neighbours: NeighbourTable[]
  memAvailableMb: number
  /** Tasks (threads) on the machine now, and the kernel's caps. */
  tasks: number
  pidMax: number
  threadsMax: number
  /** RLIMIT_NPROC of lab (the daemons inherit it); undefined = unlimited. */
  processLimit?: number
  filesOpen: number
  fileMax: number
}

export interface SysctlChange {
  key: string
  from: number
  to: number
  why: string
}

export interface LimitProblem {
  problem: string
  fix: string
}

export interface LimitVerdict {
  raise: SysctlChange[]
  refuse: LimitProblem[]
}

const PID_MAX_LIMIT = 4_194_304 // the kernel's ceiling on 64-bit

export function judgeLimits(needs: LabNeeds, machine: MachineLimits): LimitVerdict {
  const raise: SysctlChange[] = machine.neighbours.flatMap((table) => neighbourChanges(table, table.family === 'ipv4' ? needs.ipv4Neighbours : needs.ipv6Neighbours))
  const refuse: LimitProblem[] = []
  const mb = (n: number) => `${n.toLocaleString('en-US')} MB`
  const memoryNeeded = needs.memoryMb + COST.reserveMb
  const theLabs = needs.labs === 1 ? "the lab's" : `the ${needs.labs} labs'`
  if (memoryNeeded > machine.memAvailableMb) {
    refuse.push({
      problem: `not enough memory: ${needs.labs === 1 ? 'the lab needs' : `the ${needs.labs} labs need`} about ${mb(needs.memoryMb)} (${needs.nodes} namespaces, ${needs.daemons} FRR daemons) and ${mb(COST.reserveMb)} stays free for the machine, but only ${mb(machine.memAvailableMb)} is available`,
      fix: needs.labs === 1
        ? 'take down other labs (lab status), use a smaller fabric, or split it across servers (lab export --format containerlab)'
        : `split the class (fewer names in the students file; each lab takes about ${mb(Math.ceil(needs.memoryMb / needs.labs))}), or take down other labs (lab status)`,
    })
  }
  const tasksNeeded = machine.tasks + needs.tasks + COST.reserveTasks
  if (tasksNeeded > machine.pidMax) {
    const to = Math.min(PID_MAX_LIMIT, nextPowerOfTwo(tasksNeeded * 2))
    if (to >= tasksNeeded) raise.push({key: 'kernel.pid_max', from: machine.pidMax, to, why: `${machine.tasks} tasks now + ${needs.tasks} threads of ${needs.daemons} FRR daemons`})
  }
  if (tasksNeeded > machine.threadsMax) {
    refuse.push({
      problem: `too many threads: ${machine.tasks} run now and ${theLabs} ${needs.daemons} FRR daemons add about ${needs.tasks}, above kernel.threads-max = ${machine.threadsMax}`,
      fix: `sysctl -w kernel.threads-max=${nextPowerOfTwo(tasksNeeded * 2)} (if memory allows), or a smaller fabric`,
    })
  }
  if (machine.processLimit !== undefined && needs.tasks + COST.reserveTasks > machine.processLimit) {
    refuse.push({
      problem: `the process limit (ulimit -u = ${machine.processLimit}) is below the ${needs.tasks} threads ${theLabs} ${needs.daemons} FRR daemons need`,
      fix: `ulimit -u ${nextPowerOfTwo((needs.tasks + COST.reserveTasks) * 2)} (or unlimited) in the shell that runs lab up`,
    })
  }
  if (machine.filesOpen + needs.files > machine.fileMax) {
    refuse.push({
      problem: `too many open files: ${machine.filesOpen} open now + about ${needs.files} for ${needs.daemons} FRR daemons > fs.file-max = ${machine.fileMax}`,
      fix: `sysctl -w fs.file-max=${nextPowerOfTwo((machine.filesOpen + needs.files) * 2)}`,
    })
  }
  const busiest = needs.busiestRouter
  if (busiest && busiest.sessions + FD_HEADROOM > FRR_FD_LIMIT) {
    refuse.push({
      problem: `${busiest.node} would have ${busiest.sessions} BGP sessions, but each FRR daemon runs with --limit-fds ${FRR_FD_LIMIT} (${FRR_FD_LIMIT - FD_HEADROOM} sessions at most)`,
      fix: 'fewer leaves per spine (more spines or a second fabric), or split the lab across servers (lab export --format containerlab)',
    })
  }
  return {raise, refuse}
}

/**
 * The kernel garbage-collects above gc_thresh2 and refuses new entries above gc_thresh3 ("neighbour
 * table overflow": sessions wait for a link-local address that never resolves, in every lab on the
 * machine). Raised when the entries this lab brings would pass gc_thresh2; never lowered.
 */
export function neighbourChanges(table: NeighbourTable, need: number): SysctlChange[] {
  const required = table.entries + need
  const [t1, t2, t3] = table.thresh
  if (required <= t2) return []
  const base = nextPowerOfTwo(required)
  const wanted = [Math.max(t1, base), Math.max(t2, base * 2), Math.max(t3, base * 4)]
  const why = `${table.entries} entries now + ${need} for this lab`
  return wanted
    .map((to, i) => ({key: `net.${table.family}.neigh.default.gc_thresh${i + 1}`, from: table.thresh[i], to, why}))
    .filter((c) => c.to > c.from)
}

export function nextPowerOfTwo(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}

/** One line per raised setting, for progress output. */
export function describeChanges(changes: SysctlChange[]): string[] {
  return changes.map((c) => `raised ${c.key} ${c.from} → ${c.to} (${c.why}; machine-wide, until reboot)`)
}

/** The refusal: every problem with its numbers and fix. `what` names what was asked for: "lab spine-test", "a class of 30 labs of wrong-asn". */
export function refusalMessage(what: string, problems: LimitProblem[]): {message: string; fix: string} {
  const lines = problems.map((p) => `  - ${p.problem}`)
  return {
    message: `this machine cannot run ${what}:\n${lines.join('\n')}`,
    fix: [...new Set(problems.map((p) => p.fix))].join('; '),
  }
}

/** The kernel's default neighbour table thresholds (gc_thresh2, gc_thresh3): past these, lab up raises them. */
export const DEFAULT_NEIGHBOUR_THRESH = {gc2: 512, gc3: 1024} as const
/** From this many nodes `lab validate` says what the lab will need of the machine. */
export const LARGE_LAB_NODES = 200

/**
 * What `lab validate` says of a large lab, from the plan alone (no machine read): what it needs, and
 * what `lab up` will do about the shared limits on a machine with the kernel's defaults. Undefined for
 * a lab too small to matter.
 */
export function describeNeeds(needs: LabNeeds): string | undefined {
  const overTable = needs.ipv6Neighbours > DEFAULT_NEIGHBOUR_THRESH.gc2
  const busiest = needs.busiestRouter
  const overFds = busiest !== undefined && busiest.sessions + FD_HEADROOM > FRR_FD_LIMIT
  if (needs.nodes < LARGE_LAB_NODES && !overTable && !overFds) return undefined
  const n = (value: number) => value.toLocaleString('en-US')
  const lines = [
    `on one machine (netns) this lab needs about ${n(needs.memoryMb)} MB of memory (${n(needs.nodes)} namespaces, ${n(needs.daemons)} FRR daemons), ${n(needs.tasks)} threads and ${n(needs.files)} open files`,
    `it adds ${n(needs.ipv6Neighbours)} entries to the kernel's IPv6 and IPv4 neighbour tables, shared by every lab on the machine` +
      (overTable ? ` (the default table keeps ${n(DEFAULT_NEIGHBOUR_THRESH.gc3)}: lab up raises net.ipv{4,6}.neigh.default.gc_thresh1/2/3 and says so)` : ''),
  ]
  if (overFds) lines.push(`${busiest.node} would have ${n(busiest.sessions)} BGP sessions, more than FRR's --limit-fds ${FRR_FD_LIMIT} allows: lab up refuses it`)
  lines.push('lab up holds this against the machine before building anything')
  return lines.join('\n')
}
