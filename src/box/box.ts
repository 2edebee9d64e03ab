// The Debian bookworm + FRR VM box: where it lives, what it is made of, and whether the cached one
// is current. Built by build.ts; used by the qemu provider (kernel, initrd, root disk, SSH keys).
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {PACKAGE_ROOT} from '../io/paths.js'

export const BOX_NAME = 'debian12-frr'
export const MANIFEST_FILE = 'manifest.json'
export const MANIFEST_VERSION = 1

/** Debian packages of the image (recommends are not installed). */
export const BOX_PACKAGES = [
  'systemd-sysv', 'udev', 'dbus', 'kmod', 'linux-image-cloud-amd64', 'initramfs-tools', 'zstd',
  'frr', 'ifupdown2', 'isc-dhcp-client', 'netplan.io', 'iproute2', 'iputils-ping', 'iperf3', 'traceroute', 'tcpdump',
  'openssh-server', 'sudo', 'procps', 'less',
] as const

export const BOX_SUITE = 'bookworm'

/** Files in the package that go into the image (box/guest/). */
export const GUEST_FILES = ['customize.sh', 'lab-boot.sh', 'lab-apply.service'] as const

/** Shipped to each node in its fw_cfg tarball (not part of the image, so changing it needs no rebuild). */
export function applyScript(): string {
  return path.join(guestDir(), 'lab-apply.sh')
}

export function guestDir(): string {
  return path.join(PACKAGE_ROOT, 'box', 'guest')
}

/** Machine-wide by default (one box for every lab and user); LAB_BOX_DIR overrides. */
export function boxDir(): string {
  return path.resolve(process.env.LAB_BOX_DIR ?? path.join('/var/cache/lab/boxes', BOX_NAME))
}

export interface BoxPaths {
  dir: string
  disk: string
  kernel: string
  initrd: string
  manifest: string
  /** lab's SSH key pair for user `lab` on every node. */
  key: string
  /** The box's SSH host key (public part), pinned when connecting. */
  hostKey: string
}

export function boxPaths(dir = boxDir()): BoxPaths {
  return {
    dir,
    disk: path.join(dir, 'root.qcow2'),
    kernel: path.join(dir, 'vmlinuz'),
    initrd: path.join(dir, 'initrd.img'),
    manifest: path.join(dir, MANIFEST_FILE),
    key: path.join(dir, 'id_ed25519'),
    hostKey: path.join(dir, 'host_ed25519.pub'),
  }
}

export interface BoxManifest {
  version: number
  name: string
  /** Hash of everything the image is made from (package list, suite, guest files): a changed recipe is a stale box. */
  recipe: string
  builtAt: string
  buildMs: number
  suite: string
  kernel: string
  packages: Record<string, string>
  files: Record<string, {bytes: number; sha256: string}>
}

/** The recipe hash: what the box is built from. Same recipe ⇒ the cached box is reused. */
export function recipeHash(): string {
  const hash = createHash('sha256')
  hash.update(`manifest ${MANIFEST_VERSION}\nsuite ${BOX_SUITE}\npackages ${BOX_PACKAGES.join(' ')}\n`)
  for (const file of GUEST_FILES) {
    hash.update(`file ${file}\n`)
    hash.update(readFileSync(path.join(guestDir(), file)))
  }
  return hash.digest('hex').slice(0, 16)
}

export function readManifest(dir = boxDir()): BoxManifest | undefined {
  const file = path.join(dir, MANIFEST_FILE)
  if (!existsSync(file)) return undefined
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as BoxManifest
    return manifest.version === MANIFEST_VERSION ? manifest : undefined
  } catch {
    return undefined
  }
}

export type BoxState = {state: 'ready'; manifest: BoxManifest} | {state: 'missing'} | {state: 'stale'; manifest: BoxManifest} | {state: 'incomplete'; missing: string[]}

/** Is the cached box there, complete and built from the current recipe? */
export function boxState(dir = boxDir()): BoxState {
  const manifest = readManifest(dir)
  if (!manifest) return existsSync(dir) && readdirSync(dir).length > 0 ? {state: 'incomplete', missing: [MANIFEST_FILE]} : {state: 'missing'}
  const paths = boxPaths(dir)
  const missing = [paths.disk, paths.kernel, paths.initrd, paths.key, paths.hostKey].filter((f) => !existsSync(f)).map((f) => path.basename(f))
  if (missing.length > 0) return {state: 'incomplete', missing}
  if (manifest.recipe !== recipeHash()) return {state: 'stale', manifest}
  return {state: 'ready', manifest}
}
