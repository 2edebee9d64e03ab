// A node is a sandbox, as mininet/munet nodes are: besides its network namespace, its own mount, PID,
// UTS and IPC namespaces, held by a small init (`sleep`, PID 1 of the node). Inside: private /tmp,
// /var/tmp, /run and /dev/shm; its own /etc/hostname, /etc/hosts and /etc/frr (the node's run dir);
// the rest of the machine's filesystem read-only; /run/netns (every lab's namespaces) and /run/lab
// hidden; /proc is the node's own (its processes only), /proc/sys read-only but for net.*. Commands
// (`lab exec`, shells, verify and exercise commands) enter it with capabilities that cannot escape
// (no CAP_SYS_ADMIN: no setns, mount or unshare; no ptrace, modules, raw I/O, mknod).
import {existsSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {LabPlan, PlannedNode} from '../../plan/plan.js'
import {CommandError, OperationError} from '../../io/errors.js'
import {tool} from '../../io/tools.js'
import {netnsName, netnsPath, nodeRunDir, runRoot} from './names.js'
import {netnsOf, procStat} from './procs.js'
import {buildSandboxes} from './sandbox-builder.js'

/** What a command inside a node keeps: enough for ip, tc, ping, tcpdump, iperf3, vtysh and files it owns. */
export const NODE_CAPABILITIES = ['chown', 'dac_override', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw', 'ipc_lock', 'ipc_owner', 'audit_write']

/** setpriv in front of every command run in a node: the bounding set above, nothing inheritable, no new privileges. */
export function dropCapabilities(): string[] {
  return [tool('setpriv'), `--bounding-set=-all,${NODE_CAPABILITIES.map((c) => `+${c}`).join(',')}`, '--inh-caps=-all', '--no-new-privs', '--']
}

/**
 * The machine's private places, empty inside every node: root in a node may read the machine's files
 * (read-only), and on a shared server a student's node must not show password hashes, sudo rules,
 * SSH host keys, people's homes, other students' rendered labs or the VM box's SSH key.
 */
export const HIDDEN_DIRS = ['/root', '/home', '/var/lib/lab', '/var/cache/lab', '/etc/sudoers.d', '/etc/lab']
export const HIDDEN_FILES = ['/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-', '/etc/sudoers', '/etc/ssh/ssh_host_rsa_key', '/etc/ssh/ssh_host_ecdsa_key', '/etc/ssh/ssh_host_ed25519_key']

/** /etc/hosts of a node: itself, and every node of its lab by name (loopback, else its first address). */
export function nodeHosts(plan: LabPlan, node: PlannedNode): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `127.0.1.1\t${node.hostname}`]
  for (const other of plan.nodes) {
    const address = (other.loopback ?? other.interfaces.find((i) => i.ipv4)?.ipv4)?.split('/')[0]
    if (address && other.name !== node.name) lines.push(`${address}\t${other.hostname}`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * Where a node's init is recorded: beside the nodes' run dirs, never in one. Root inside a node may
 * write its own run dir, and a PID it could name there (a process of its own making, PID 1 of a user
 * namespace it created) would be what the next `lab exec` enters.
 */
function initFile(lab: string, node: string): string {
  return path.join(runRoot(lab), '.inits', `${node}.pid`)
}

/**
 * The node's init (PID 1 of its namespaces, seen from the machine), proved: alive at the recorded
 * start time, in the node's own network namespace, and first process of a PID namespace of its own.
 */
export function sandboxInit(lab: string, node: string): number | undefined {
  let pid: number
  let startTime: number
  try {
    ;[pid, startTime] = readFileSync(initFile(lab, node), 'utf8').trim().split(' ').map(Number)
  } catch {
    return undefined
  }
  const stat = procStat(pid)
  if (!stat || stat.startTime !== startTime || stat.state === 'Z') return undefined
  try {
    if (netnsOf(pid) !== `net:[${statSync(netnsPath(netnsName(lab, node))).ino}]`) return undefined
  } catch {
    return undefined
  }
  return isNamespaceInit(pid) && inMachineUserNamespace(pid) ? pid : undefined
}

/** A node's init lives in the machine's user namespace: one made inside a node (unprivileged unshare) never passes. */
function inMachineUserNamespace(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/ns/user`) === readlinkSync('/proc/self/ns/user')
  } catch {
    return false
  }
}

/** PID 1 of a PID namespace below the machine's (its NSpid line ends in 1). */
export function isNamespaceInit(pid: number): boolean {
  try {
    const nspid = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1].trim().split(/\s+/) ?? []
    return nspid.length > 1 && nspid.at(-1) === '1'
  } catch {
    return false
  }
}

/** nsenter into a node's sandbox: `pid` adds its PID namespace (commands); daemons stay in the machine's, where lab tracks them. */
export function enterNode(lab: string, node: string, {pid}: {pid: boolean}): string[] {
  const init = sandboxInit(lab, node)
  if (init === undefined) throw new OperationError(`node ${node} of lab ${lab} has no sandbox running`, `lab down ${lab}; then lab up again`)
  return [tool('nsenter'), '-t', String(init), '-m', '-u', '-i', '-n', ...(pid ? ['-p'] : []), '--']
}

/**
 * Start the nodes' sandboxes inside their network namespaces (one builder process for all, see
 * sandbox-builder.ts); `ready(node)` hears of each as soon as its init runs, so the caller can go on
 * with that node while the others are set up. Rejects, once all are done, naming the first node whose
 * sandbox did not come up and why.
 */
export async function startSandboxes(plan: LabPlan, nodes: readonly PlannedNode[], sysctls: (node: PlannedNode) => string[], ipBatch: (node: PlannedNode) => string, ready: (node: PlannedNode) => void, signal?: AbortSignal): Promise<void> {
  const byRunDir = new Map(nodes.map((node) => [nodeRunDir(plan.name, node.name), node]))
  const requests = nodes.map((node) => {
    const runDir = nodeRunDir(plan.name, node.name)
    mkdirSync(path.join(runDir, 'etc'), {recursive: true})
    writeFileSync(path.join(runDir, 'etc', 'hosts'), nodeHosts(plan, node))
    writeFileSync(path.join(runDir, 'etc', 'hostname'), `${node.hostname}\n`)
    writeFileSync(path.join(runDir, 'ip.batch'), ipBatch(node))
    return {runDir, hostname: node.hostname, netns: netnsPath(netnsName(plan.name, node.name)), sysctls: sysctls(node)}
  })
  const notInit: string[] = []
  const {failed, ipFailed} = await buildSandboxes(requests, {dirs: HIDDEN_DIRS, files: HIDDEN_FILES}, (runDir, init) => {
    const node = byRunDir.get(runDir)
    if (!node) return
    if (!isNamespaceInit(init)) {
      notInit.push(runDir)
      return
    }
    mkdirSync(path.dirname(initFile(plan.name, node.name)), {recursive: true, mode: 0o700})
    writeFileSync(initFile(plan.name, node.name), `${init} ${procStat(init)?.startTime ?? 0}\n`)
    ready(node)
  }, signal)
  const ip = ipFailed.map((f) => ({...f, node: byRunDir.get(f.runDir)})).find((f) => f.node !== undefined)
  if (ip) {
    const log = path.join(ip.runDir, 'sandbox.log')
    throw new CommandError([tool('ip'), '-n', netnsName(plan.name, ip.node!.name), '-batch', path.join(ip.runDir, 'ip.batch')], existsSync(log) ? readFileSync(log, 'utf8').trim() : '', ip.exitCode)
  }
  const first = [...failed, ...notInit].map((runDir) => byRunDir.get(runDir)).find((node) => node !== undefined)
  if (first) {
    const log = path.join(nodeRunDir(plan.name, first.name), 'sandbox.log')
    const why = existsSync(log) ? readFileSync(log, 'utf8').trim() : ''
    throw new OperationError(`${first.name}: its sandbox did not come up${why ? `: ${why}` : ''}`, `see ${log}`)
  }
  signal?.throwIfAborted()
}
