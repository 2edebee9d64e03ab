// Where the vagrant provider's libvirt runs. vagrant-libvirt insists on a management network (a
// bridge with dnsmasq); lab keeps it off the machine's network by running its own libvirtd and
// virtlogd inside a network namespace it creates (`lab-libvirt`, loopback only): the bridge, dnsmasq
// and the links' UDP tunnels all live there, and Vagrant runs there too to reach the VMs. When a
// libvirtd already runs on the machine (a laptop with libvirt installed), lab uses it as it is.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {OperationError} from '../../io/errors.js'
import {run, runOk} from '../../io/process.js'
import {sleep} from '../../util/sleep.js'
import {isAlive, terminate} from '../netns/procs.js'

export const LIBVIRT_NETNS = 'lab-libvirt'
const LIBVIRT_URI = 'qemu:///system'
const LIBVIRTD_PID = '/run/libvirtd.pid'
const VIRTLOGD_PID = '/run/virtlogd.pid'
/** Not /run/lab: every name there is a lab's (io/paths.ts). */
const NO_KVM_DIR = '/run/lab-libvirt'
const NO_KVM = `${NO_KVM_DIR}/no-kvm`
const QEMU_CONF = '/etc/libvirt/qemu.conf'
const LAB_QEMU_CONF = `${NO_KVM_DIR}/libvirt-qemu.conf`

/** Where lab's libvirt lives: its own namespace (started by lab), or a libvirtd the machine already runs. */
export interface LibvirtHome {
  /** The namespace Vagrant and SSH must run in; undefined: the machine's own libvirtd. */
  netns?: string
}

function pidFrom(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined
  } catch {
    return undefined
  }
}

async function namespaceOf(pid: number): Promise<string> {
  const identified = await run(['ip', 'netns', 'identify', String(pid)])
  return identified.stdout.trim()
}

/** Prefix for a command that must run where libvirt's networks are. */
export function inLibvirtNetns(home: LibvirtHome, argv: readonly string[]): string[] {
  return home.netns ? ['ip', 'netns', 'exec', home.netns, ...argv] : [...argv]
}

/**
 * Start lab's libvirtd in its namespace unless a libvirtd runs already; where it runs. Where KVM is
 * not usable although /dev/kvm exists, libvirtd gets a /dev/kvm its QEMU user cannot open (a bind
 * mount in the mount namespace `ip netns exec` makes): else it finds its cached capabilities (no
 * KVM) at odds with the device node and probes QEMU again on every call, seconds each under load.
 */
export async function ensureLibvirt(kvmUsable: boolean): Promise<LibvirtHome> {
  const running = pidFrom(LIBVIRTD_PID)
  if (running) {
    const netns = await namespaceOf(running)
    return netns ? {netns} : {}
  }
  const namespaces = await run(['ip', 'netns', 'list'])
  if (!namespaces.stdout.split('\n').some((line) => line.split(' ')[0] === LIBVIRT_NETNS)) {
    await runOk(['ip', 'netns', 'add', LIBVIRT_NETNS])
    await runOk(['ip', '-n', LIBVIRT_NETNS, 'link', 'set', 'lo', 'up'])
  }
  if (!pidFrom(VIRTLOGD_PID)) await runOk(['ip', 'netns', 'exec', LIBVIRT_NETNS, 'virtlogd', '-d'])
  const hideKvm = !kvmUsable && existsSync('/dev/kvm')
  if (hideKvm) {
    // libvirt's own per-VM mount namespace would try to move that bind mount, so its QEMUs run in
    // libvirtd's namespace (namespaces = [] in a qemu.conf bound over the machine's, for libvirtd only).
    mkdirSync(NO_KVM_DIR, {recursive: true})
    writeFileSync(NO_KVM, '', {mode: 0o600})
    const system = existsSync(QEMU_CONF) ? readFileSync(QEMU_CONF, 'utf8') : ''
    writeFileSync(LAB_QEMU_CONF, `${system}\n# lab: QEMUs share libvirtd's mount namespace (its /dev/kvm is hidden)\nnamespaces = []\n`)
  }
  const start = hideKvm ? `mount --bind ${LAB_QEMU_CONF} ${QEMU_CONF} && mount --bind ${NO_KVM} /dev/kvm && exec libvirtd -d` : 'exec libvirtd -d'
  await runOk(['ip', 'netns', 'exec', LIBVIRT_NETNS, 'sh', '-c', start])
  for (let i = 0; i < 50; i++) {
    if ((await virsh(['version'])).exitCode === 0) return {netns: LIBVIRT_NETNS}
    await sleep(200)
  }
  throw new OperationError(`libvirtd did not answer after starting in namespace ${LIBVIRT_NETNS}`, 'see /var/log/libvirt/libvirtd.log')
}

export function virsh(args: readonly string[]): ReturnType<typeof run> {
  return run(['virsh', '-q', '-c', LIBVIRT_URI, ...args], {timeoutMs: 60_000})
}

/** Stop lab's own libvirtd and virtlogd and remove their namespace, once no domain is left in it. */
export async function releaseLibvirt(): Promise<{stopped: boolean; why: string}> {
  const libvirtd = pidFrom(LIBVIRTD_PID)
  if (libvirtd && (await namespaceOf(libvirtd)) !== LIBVIRT_NETNS) return {stopped: false, why: 'the machine runs its own libvirtd'}
  if (libvirtd) {
    const domains = await virsh(['list', '--all', '--name'])
    if (domains.exitCode === 0 && domains.stdout.trim()) return {stopped: false, why: `domains remain: ${domains.stdout.trim().split('\n').join(', ')}`}
  }
  const pids = [libvirtd, pidFrom(VIRTLOGD_PID)].filter((p): p is number => p !== undefined)
  const ours: number[] = []
  for (const pid of pids) if ((await namespaceOf(pid)) === LIBVIRT_NETNS) ours.push(pid)
  if (ours.length > 0) await terminate(ours, 10_000)
  // dnsmasq of lab's networks, if libvirtd left any behind.
  const left = await run(['ip', 'netns', 'pids', LIBVIRT_NETNS])
  const stray = left.stdout.split('\n').map(Number).filter((p) => p > 0)
  if (stray.length > 0) await terminate(stray, 5000)
  if (existsSync(`/run/netns/${LIBVIRT_NETNS}`)) await run(['ip', 'netns', 'delete', LIBVIRT_NETNS])
  return {stopped: true, why: ''}
}


/** A QEMU for libvirt under TCG: libvirt has no setting for the code cache (`-accel tcg,tb-size=`). */
export const TCG_WRAPPER = `${NO_KVM_DIR}/qemu-tcg-small`

export function writeTcgWrapper(qemu: string): string {
  mkdirSync(NO_KVM_DIR, {recursive: true})
  const script = [
    '#!/bin/sh',
    '# Written by lab: libvirt starts QEMU through this under TCG; it asks for a 64 MiB code cache.',
    'n=$#; prev=',
    'for a; do',
    '  if [ "$prev" = -accel ] && [ "$a" = tcg ]; then a=tcg,tb-size=64; fi',
    '  set -- "$@" "$a"; prev=$a',
    'done',
    'shift "$n"',
    `exec ${qemu} "$@"`,
    '',
  ].join('\n')
  writeFileSync(TCG_WRAPPER, script, {mode: 0o755})
  return TCG_WRAPPER
}
