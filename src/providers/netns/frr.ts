// FRR per node: each daemon as user frr, inside the node's sandbox (its network, mount, UTS and IPC
// namespaces; the machine's PID namespace, where lab tracks and ends it), with every
// path (pid, vty socket, zserv socket, log) under /run/lab/<lab>/run/<node>/ and the rendered frr.conf.
import {chownSync, copyFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {LabPlan, PlannedNode} from '../../plan/plan.js'
import {CommandError} from '../../io/errors.js'
import {run} from '../../io/process.js'
import {mapLimit} from '../../util/pool.js'
import {MAX_SOCKET_PATH, nodeRunDir} from './names.js'
import {enterNode} from './sandbox.js'
import {lookupId} from '../../linux/accounts.js'
import {procStat} from './procs.js'
import type {DaemonRecord} from './state.js'
import {frrDaemon} from '../../io/tools.js'
import type {Progress} from '../../io/progress.js'
import {enableKsm, mergeableArgv} from '../../linux/ksm.js'
import {labNamespaces} from './namespaces.js'

export function frrConfigPath(labDir: string, node: string): string {
  return path.join(labDir, node, 'frr.conf')
}

/** `config`: the file the daemon reads at start; the rendered frr.conf unless the node's config was edited since. */
export function daemonArgv(plan: LabPlan, labDir: string, node: PlannedNode, daemon: string, config = frrConfigPath(labDir, node.name)): string[] {
  const runDir = nodeRunDir(plan.name, node.name)
  return mergeableArgv([
    ...enterNode(plan.name, node.name, {pid: false}),
    frrDaemon(daemon),
    '-d', // FRR's daemon mode returns once the daemon has read its config and is listening: no wait needed
    '-u', 'frr', '-g', 'frr',
    '-A', '127.0.0.1', '-P', '0', // no TCP vty: vtysh uses the node's own unix sockets
    '--limit-fds', '1024', // FRR sizes per-fd tables by the fd limit; 1024 keeps each daemon small
    '-i', path.join(runDir, `${daemon}.pid`),
    '-z', path.join(runDir, 'zserv.api'),
    '--vty_socket', runDir,
    '--log', `file:${path.join(runDir, `${daemon}.log`)}`,
    // Each daemon reads the integrated frr.conf and applies its own part (its log lists the rest as
    // "No such command"). Loading at start, before the first BGP connect, is what converges fastest.
    '-f', config,
    ...(daemon === 'zebra' ? ['-s', '90000000'] : []),
  ])
}

/** Lab namespaces on the machine from which KSM pays for its scanning (five two-spine-two-leaf labs). */
const KSM_FROM_NODES = 30

/** Many FRR daemons on the machine: turn KSM on so that their identical pages are kept once (linux/ksm.ts). */
export function shareDaemonMemory(plan: LabPlan, progress: Progress): void {
  const nodesOnMachine = [...labNamespaces().values()].reduce((sum, names) => sum + names.length, 0) + plan.nodes.length
  if (nodesOnMachine < KSM_FROM_NODES || !plan.nodes.some((n) => n.daemons.length > 0)) return
  const change = enableKsm()
  if (change && change.changed.length > 0) progress.step(`${nodesOnMachine} nodes on this machine: memory merging on (${change.changed.join(', ')})`)
}

/** Unix sockets have a short path limit; a deep LAB_HOME could exceed it. */
export function checkSocketPaths(plan: LabPlan): string | undefined {
  const longest = plan.nodes.map((n) => path.join(nodeRunDir(plan.name, n.name), 'staticd.vty')).sort((a, b) => b.length - a.length)[0]
  return longest && longest.length > MAX_SOCKET_PATH ? longest : undefined
}

/** vtysh.conf in the node's run dir: `vtysh --config_dir` reads it (and `write memory` writes frr.conf there). */
export function prepareRunDir(lab: string, node: PlannedNode): void {
  const runDir = nodeRunDir(lab, node.name)
  writeFileSync(path.join(runDir, 'vtysh.conf'), 'service integrated-vtysh-config\n')
  const uid = lookupId('/etc/passwd', 'frr')
  const gid = lookupId('/etc/group', 'frr')
  if (uid !== undefined && gid !== undefined) chownSync(runDir, uid, gid)
}

/** zebra first (the others connect to its zserv socket), then the rest together. */
export async function startDaemons(plan: LabPlan, labDir: string, node: PlannedNode, started: (record: DaemonRecord) => void): Promise<void> {
  if (node.daemons.length === 0) return
  prepareRunDir(plan.name, node)
  const ordered = ['zebra', ...node.daemons.filter((d) => d !== 'zebra')]
  const startOne = (daemon: string) => startDaemon(plan, labDir, node, daemon, frrConfigPath(labDir, node.name), started)
  await startOne(ordered[0])
  await mapLimit(ordered.slice(1), 8, startOne)
}

/** One daemon, reading `config`; `started` hears of its PID as soon as it has one (also when it then fails). */
export async function startDaemon(plan: LabPlan, labDir: string, node: PlannedNode, daemon: string, config: string, started: (record: DaemonRecord) => void): Promise<void> {
  // A copy in the node's run dir: the daemon runs in the node's sandbox, where LAB_HOME may be hidden (under /tmp).
  const startup = path.join(nodeRunDir(plan.name, node.name), `${daemon}.startup.conf`)
  copyFileSync(config, startup)
  const argv = daemonArgv(plan, labDir, node, daemon, startup)
  const result = await run(argv)
  const pid = readPid(plan.name, node.name, daemon)
  if (pid !== undefined) started({node: node.name, daemon, pid, startTime: procStat(pid)?.startTime ?? 0})
  if (result.exitCode !== 0 || pid === undefined) {
    throw new CommandError(argv, `${result.stderr}\n${logTail(plan.name, node.name, daemon)}`.trim(), result.exitCode, `see ${path.join(nodeRunDir(plan.name, node.name), `${daemon}.log`)}`)
  }
}

export function readPid(lab: string, node: string, daemon: string): number | undefined {
  const file = path.join(nodeRunDir(lab, node), `${daemon}.pid`)
  if (!existsSync(file)) return undefined
  const pid = Number(readFileSync(file, 'utf8').trim())
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

function logTail(lab: string, node: string, daemon: string): string {
  try {
    return readFileSync(path.join(nodeRunDir(lab, node), `${daemon}.log`), 'utf8').trim().split('\n').slice(-5).join('\n')
  } catch {
    return ''
  }
}
