// A node is a sandbox, as mininet/munet nodes are: besides its network namespace, its own mount, PID,
// UTS and IPC namespaces, held by a small init (`sleep`, PID 1 of the node). Inside: private /tmp,
// /var/tmp, /run and /dev/shm; its own /etc/hostname, /etc/hosts and /etc/frr (the node's run dir);
// the rest of the machine's filesystem read-only; /run/netns (every lab's namespaces) and /run/lab
// hidden; /proc is the node's own (its processes only), /proc/sys read-only but for net.*. Commands
// (`lab exec`, shells, verify and exercise commands) enter it with capabilities that cannot escape
// (no CAP_SYS_ADMIN: no setns, mount or unshare; no ptrace, modules, raw I/O, mknod).
import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {LabPlan, PlannedNode} from '../../plan/plan.js'
import {OperationError} from '../../io/errors.js'
import {tool} from '../../io/tools.js'
import {sleep} from '../../util/sleep.js'
import {netnsName, netnsPath, nodeRunDir} from './names.js'
import {netnsOf, procStat} from './procs.js'

/** What a command inside a node keeps: enough for ip, tc, ping, tcpdump, iperf3, vtysh and files it owns. */
export const NODE_CAPABILITIES = ['chown', 'dac_override', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw', 'ipc_lock', 'ipc_owner', 'audit_write']

/** setpriv in front of every command run in a node: the bounding set above, nothing inheritable, no new privileges. */
export function dropCapabilities(): string[] {
  return [tool('setpriv'), `--bounding-set=-all,${NODE_CAPABILITIES.map((c) => `+${c}`).join(',')}`, '--inh-caps=-all', '--no-new-privs', '--']
}

/**
 * The whole mount tree read-only in one step (mount_setattr with AT_RECURSIVE, Linux 5.12+; the
 * mount(8) of util-linux 2.38 cannot): a per-mount remount loop costs one process per mount, and a
 * shared server has thousands. Perl (perl-base, in every Debian) makes the call in a few
 * milliseconds; python3 with ctypes took tens of them per node. 442 is mount_setattr on x86-64 and
 * arm64 alike (the generic syscall table). EBUSY (seen once in 30 labs built ten at a time: a mount
 * of the copied tree briefly held for writing) is retried for up to 2 s.
 */
export const READ_ONLY_TREE = 'my ($path, $attr) = ($ARGV[0], pack("QQQQ", 1, 0, 0, 0)); for my $try (1 .. 100) { exit 0 if syscall(442, -100, $path, 0x8000, $attr, 32) == 0; last unless $!{EBUSY}; select(undef, undef, undef, 0.02) } die "mount_setattr $path: $!\\n"'

/**
 * The machine's private places, empty inside every node: root in a node may read the machine's files
 * (read-only), and on a shared server a student's node must not show password hashes, sudo rules,
 * SSH host keys, people's homes, other students' rendered labs or the VM box's SSH key.
 */
export const HIDDEN_DIRS = ['/root', '/home', '/var/lib/lab', '/var/cache/lab', '/etc/sudoers.d', '/etc/lab']
export const HIDDEN_FILES = ['/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-', '/etc/sudoers', '/etc/ssh/ssh_host_rsa_key', '/etc/ssh/ssh_host_ecdsa_key', '/etc/ssh/ssh_host_ed25519_key']

/**
 * Run by `unshare` (new mount, UTS, IPC and PID namespaces, no fork) with full privileges. The first
 * process it forks is PID 1 of the node's PID namespace, so that one does everything before anything
 * else enters: hostname and sysctls, the machine read-only, the node's own writable places and /proc;
 * then it becomes the init (`sleep`, ignoring SIGCHLD so orphans are reaped). The shell only writes
 * the init's PID as the machine sees it and exits, so a node costs one process. $1 = the node's run
 * dir, $2 = hostname, the rest = sysctl settings. The run dir survives /run being covered by moving
 * its bind mount.
 */
export const SANDBOX_SETUP = `R=$1; HOST=$2; shift 2
(
  set -e
  hostname "$HOST"
  sysctl -q -w "$@"
  perl -e "$LAB_READ_ONLY_TREE" /
  mount -t tmpfs -o mode=1777,size=64m lab-tmp /tmp
  mkdir /tmp/.lab-run && mount --bind "$R" /tmp/.lab-run && mount -o remount,bind,rw /tmp/.lab-run
  mount -t tmpfs -o mode=755,size=16m lab-run /run
  mkdir -p "$R" /run/frr && mount --move /tmp/.lab-run "$R" && rmdir /tmp/.lab-run
  mount --bind "$R" /run/frr
  mount -t tmpfs -o mode=1777,size=64m lab-var-tmp /var/tmp
  if [ -d /dev/shm ]; then mount -t tmpfs -o mode=1777,size=16m lab-shm /dev/shm; fi
  mount --bind "$R/etc/hosts" /etc/hosts
  if [ -e /etc/hostname ]; then mount --bind "$R/etc/hostname" /etc/hostname; fi
  if [ -d /etc/frr ]; then mount --bind "$R" /etc/frr; fi
  for d in $LAB_HIDDEN_DIRS; do if [ -d "$d" ]; then mount -t tmpfs -o mode=700,size=1m lab-hidden "$d"; fi; done
  for f in $LAB_HIDDEN_FILES; do if [ -f "$f" ]; then mount --bind /dev/null "$f"; fi; done
  mount -t proc -o nosuid,nodev,noexec lab-proc /proc
  mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys
  mount --bind /proc/sys/net /proc/sys/net && mount -o remount,bind,rw /proc/sys/net
  mount --bind /proc/sysrq-trigger /proc/sysrq-trigger && mount -o remount,bind,ro /proc/sysrq-trigger
  touch "$R/ready"
  trap '' CHLD
  exec sleep infinity
) </dev/null &
echo $! > "$R/init.host"
`

/** /etc/hosts of a node: itself, and every node of its lab by name (loopback, else its first address). */
export function nodeHosts(plan: LabPlan, node: PlannedNode): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `127.0.1.1\t${node.hostname}`]
  for (const other of plan.nodes) {
    const address = (other.loopback ?? other.interfaces.find((i) => i.ipv4)?.ipv4)?.split('/')[0]
    if (address && other.name !== node.name) lines.push(`${address}\t${other.hostname}`)
  }
  return `${lines.join('\n')}\n`
}

function initFile(lab: string, node: string): string {
  return path.join(nodeRunDir(lab, node), 'init.pid')
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
  return isNamespaceInit(pid) ? pid : undefined
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

/** Start the node's sandbox inside its network namespace and wait (bounded) until it is set up. */
export async function startSandbox(plan: LabPlan, node: PlannedNode, sysctls: string[]): Promise<void> {
  const runDir = nodeRunDir(plan.name, node.name)
  mkdirSync(path.join(runDir, 'etc'), {recursive: true})
  writeFileSync(path.join(runDir, 'etc', 'hosts'), nodeHosts(plan, node))
  writeFileSync(path.join(runDir, 'etc', 'hostname'), `${node.hostname}\n`)
  const log = openSync(path.join(runDir, 'sandbox.log'), 'w')
  const argv = [
    tool('nsenter'), `--net=${netnsPath(netnsName(plan.name, node.name))}`, '--',
    tool('unshare'), '--mount', '--uts', '--ipc', '--pid', '--propagation', 'private', '--',
    '/bin/sh', '-c', SANDBOX_SETUP, 'lab-sandbox', runDir, node.hostname, ...sysctls,
  ]
  const env = {...process.env, LAB_READ_ONLY_TREE: READ_ONLY_TREE, LAB_HIDDEN_DIRS: HIDDEN_DIRS.join(' '), LAB_HIDDEN_FILES: HIDDEN_FILES.join(' ')}
  const child = spawn(argv[0], argv.slice(1), {detached: true, stdio: ['ignore', log, log], env})
  closeSync(log)
  let failed = false
  child.on('exit', (code) => (failed = code !== 0))
  child.on('error', () => (failed = true))
  child.unref()
  const init = await waitReady(runDir, () => failed)
  if (init === undefined) {
    const why = existsSync(path.join(runDir, 'sandbox.log')) ? readFileSync(path.join(runDir, 'sandbox.log'), 'utf8').trim() : ''
    throw new OperationError(`${node.name}: its sandbox did not come up${why ? `: ${why}` : ''}`, `see ${path.join(runDir, 'sandbox.log')}`)
  }
  writeFileSync(initFile(plan.name, node.name), `${init} ${procStat(init)?.startTime ?? 0}\n`)
}

/** The init's PID once it touched `ready`; undefined if the setup or the init failed first, or 20 s passed. */
async function waitReady(runDir: string, setupFailed: () => boolean): Promise<number | undefined> {
  const deadline = Date.now() + 20_000
  let delay = 2
  while (Date.now() < deadline && !setupFailed()) {
    const init = readInitHost(runDir)
    if (init !== undefined && existsSync(path.join(runDir, 'ready'))) return isNamespaceInit(init) ? init : undefined
    if (init !== undefined && procStat(init) === undefined) return undefined
    await sleep(delay)
    delay = Math.min(delay * 2, 50)
  }
  return undefined
}

function readInitHost(runDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(runDir, 'init.host'), 'utf8').trim())
    return Number.isInteger(pid) && pid > 1 ? pid : undefined
  } catch {
    return undefined
  }
}
