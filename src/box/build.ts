// `lab box build`: a Debian bookworm + FRR root disk, kernel and initrd from Debian packages only.
// mmdebstrap makes the tree (no loop mounts anywhere), customize.sh turns it into a lab node,
// `mkfs.ext4 -d` makes a whole-disk ext4 from the tree and `qemu-img convert -c` a compressed qcow2.
// Everything happens in a staging directory beside the box, renamed into place at the end: an
// interrupted build never leaves a half box behind.
import {createHash} from 'node:crypto'
import {copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {CommandError, OperationError, UsageError} from '../io/errors.js'
import {lockFile} from '../io/lock.js'
import {run, runOk} from '../io/process.js'
import type {Progress} from '../io/progress.js'
import {shellQuote} from '../providers/ssh-quote.js'
import {mountsUnder} from '../providers/netns/teardown.js'
import {BOX_NAME, BOX_PACKAGES, BOX_SUITE, boxDir, boxPaths, boxState, GUEST_FILES, guestDir, MANIFEST_VERSION, recipeHash, type BoxManifest, type BoxPaths} from './box.js'

/** Host programs the build runs, and the Debian package of each. */
export const BUILD_TOOLS: Record<string, string> = {'mmdebstrap': 'mmdebstrap', 'mkfs.ext4': 'e2fsprogs', 'qemu-img': 'qemu-utils', 'ssh-keygen': 'openssh-client', 'tar': 'tar'}

/** Virtual size of the root disk; the qcow2 holds only what is used. */
const DISK_SIZE = '2G'

export interface BuildOptions {
  force: boolean
  signal: AbortSignal
  progress: Progress
  dir?: string
}

export interface BuildResult {
  dir: string
  built: boolean
  reason: string
  manifest: BoxManifest
}

/** Where to get Debian packages: LAB_BOX_MIRROR, else the machine's own Debian sources, else Debian's mirror. */
export function mirrors(): string[] {
  if (process.env.LAB_BOX_MIRROR) return [process.env.LAB_BOX_MIRROR]
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (existsSync(file) && /bookworm/.test(readFileSync(file, 'utf8'))) return [file]
  }
  return ['http://deb.debian.org/debian']
}

export function mmdebstrapArgv(rootfs: string, files: string): string[] {
  return [
    'mmdebstrap', '--mode=root', '--variant=apt', '--quiet',
    `--include=${BOX_PACKAGES.join(',')}`,
    // Snapshot mirrors serve Release files past their Valid-Until date.
    '--aptopt=Acquire::Check-Valid-Until "false"', '--aptopt=Acquire::Check-Date "false"',
    '--dpkgopt=path-exclude=/usr/share/man/*', '--dpkgopt=path-exclude=/usr/share/locale/*',
    '--dpkgopt=path-exclude=/usr/share/doc/*', '--dpkgopt=path-include=/usr/share/doc/*/copyright',
    `--customize-hook=sh ${shellQuote(path.join(files, 'customize.sh'))} "$1" ${shellQuote(files)}`,
    BOX_SUITE, rootfs, ...mirrors(),
  ]
}

export async function missingBuildTools(): Promise<string[]> {
  const missing: string[] = []
  for (const [program, pkg] of Object.entries(BUILD_TOOLS)) {
    const found = await run(['sh', '-c', `command -v ${shellQuote(program)}`], {env: {PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`}})
    if (found.exitCode !== 0) missing.push(pkg)
  }
  return [...new Set(missing)]
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

function lockBox(dir: string): () => void {
  return lockFile(`${dir}.lock`, (owner) => new UsageError(`the box is being built right now (by process ${owner})`, 'wait for it to finish'))
}

/** Remove a staging directory, never through a mount that a killed mmdebstrap may have left (its /dev, /proc). */
async function removeStaging(staging: string): Promise<void> {
  if (!existsSync(staging)) return
  let mounts = mountsUnder(staging)
  if (mounts.length > 0) {
    await run(['umount', ...mounts])
    mounts = mountsUnder(staging)
    if (mounts.length > 0) await run(['umount', '-l', ...mounts])
  }
  if (mountsUnder(staging).length > 0) throw new OperationError(`${staging} still has mounts; not removing it`, `umount them (findmnt -R ${staging}), then rm -rf ${staging}`)
  rmSync(staging, {recursive: true, force: true})
}

export async function buildBox({force, signal, progress, dir = boxDir()}: BuildOptions): Promise<BuildResult> {
  const current = boxState(dir)
  if (current.state === 'ready' && !force) return {dir, built: false, reason: 'cached', manifest: current.manifest}
  const reason = force ? '--force' : current.state === 'stale' ? 'the recipe changed since it was built' : current.state === 'incomplete' ? `incomplete (missing ${current.missing.join(', ')})` : 'no box yet'

  if (process.getuid?.() !== 0) throw new UsageError('building the box needs root (mmdebstrap --mode=root, files owned by root in the image)', 'sudo lab box build')
  const missing = await missingBuildTools()
  if (missing.length > 0) throw new UsageError(`the box build needs ${missing.join(', ')}`, `apt-get install ${missing.join(' ')}`)

  const unlock = lockBox(dir)
  const staging = `${dir}.building-${process.pid}`
  const started = Date.now()
  try {
    await removeStaging(staging)
    const files = path.join(staging, 'guest')
    const rootfs = path.join(staging, 'rootfs')
    mkdirSync(files, {recursive: true})
    for (const file of GUEST_FILES) copyFileSync(path.join(guestDir(), file), path.join(files, file))
    await stageKeys(dir, staging, files)
    signal.throwIfAborted()
    await bootstrap(rootfs, files, signal, progress)
    progress.step('kernel and initrd')
    const kernel = extractBoot(rootfs, boxPaths(staging))
    const packages = await installedPackages(rootfs)
    signal.throwIfAborted()
    await makeDisk(staging, rootfs, files, signal, progress)
    const manifest = await writeManifest(boxPaths(staging), {kernel, packages, buildMs: Date.now() - started})
    // Into place: the old box (if any) moved aside first, then removed.
    const old = `${dir}.old-${process.pid}`
    if (existsSync(dir)) renameSync(dir, old)
    renameSync(staging, dir)
    rmSync(old, {recursive: true, force: true})
    return {dir, built: true, reason, manifest}
  } catch (error) {
    await removeStaging(staging)
    if (signal.aborted) throw new OperationError(`interrupted: the box was not built (${dir} is unchanged)`, 'run lab box build again')
    throw error
  } finally {
    unlock()
  }
}

/** Keys: kept from the box being replaced (running labs keep working), else new ones; the guest's share staged in `files`. */
async function stageKeys(dir: string, staging: string, files: string): Promise<void> {
  const paths = boxPaths(dir)
  const staged = boxPaths(staging)
  const keep = (from: string, to: string) => existsSync(from) && (copyFileSync(from, to), true)
  if (!(keep(paths.key, staged.key) && keep(`${paths.key}.pub`, `${staged.key}.pub`))) {
    rmSync(staged.key, {force: true})
    await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'lab', '-f', staged.key])
  }
  const hostPrivate = path.join(dir, 'host_ed25519')
  const stagedHostPrivate = path.join(staging, 'host_ed25519')
  if (!(keep(hostPrivate, stagedHostPrivate) && keep(paths.hostKey, staged.hostKey))) {
    rmSync(stagedHostPrivate, {force: true})
    await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'lab-node', '-f', stagedHostPrivate])
  }
  copyFileSync(`${staged.key}.pub`, path.join(files, 'id_ed25519.pub'))
  copyFileSync(stagedHostPrivate, path.join(files, 'host_ed25519'))
  copyFileSync(staged.hostKey, path.join(files, 'host_ed25519.pub'))
}

async function bootstrap(rootfs: string, files: string, signal: AbortSignal, progress: Progress): Promise<void> {
  progress.step(`mmdebstrap ${BOX_SUITE} with ${BOX_PACKAGES.length} packages (from ${mirrors().join(', ')})`)
  const debootstrap = mmdebstrapArgv(rootfs, files)
  const made = await run(debootstrap, {signal})
  signal.throwIfAborted()
  if (made.exitCode !== 0) throw new CommandError(debootstrap.slice(0, 3), (made.stderr || made.stdout).split('\n').slice(-15).join('\n'), made.exitCode, 'check that Debian packages can be reached (apt-get update works); LAB_BOX_MIRROR sets another mirror')
}

/** The newest kernel of the image and its initrd, copied beside the disk for direct kernel boot; its version. */
function extractBoot(rootfs: string, staged: BoxPaths): string {
  const boot = path.join(rootfs, 'boot')
  const kernels = readdirSync(boot).filter((f) => f.startsWith('vmlinuz-')).sort()
  if (kernels.length === 0) throw new OperationError('the image has no kernel in /boot', 'check BOX_PACKAGES has linux-image-cloud-amd64')
  const kernelVersion = kernels.at(-1)!.slice('vmlinuz-'.length)
  copyFileSync(path.join(boot, `vmlinuz-${kernelVersion}`), staged.kernel)
  copyFileSync(path.join(boot, `initrd.img-${kernelVersion}`), staged.initrd)
  return kernelVersion
}

/** Versions of the box's packages (and its kernel), for the manifest. */
async function installedPackages(rootfs: string): Promise<Record<string, string>> {
  const packages: Record<string, string> = {}
  const query = await runOk(['dpkg-query', `--admindir=${path.join(rootfs, 'var/lib/dpkg')}`, '-W', '-f=${Package} ${Version}\n'])
  const wanted = new Set<string>(BOX_PACKAGES)
  for (const line of query.stdout.split('\n')) {
    const [name, version] = line.split(' ')
    if (name && version && (wanted.has(name) || name.startsWith('linux-image-'))) packages[name] = version
  }
  return packages
}

async function makeDisk(staging: string, rootfs: string, files: string, signal: AbortSignal, progress: Progress): Promise<void> {
  progress.step(`root disk: mkfs.ext4 -d (${DISK_SIZE}, no loop mount), then qemu-img convert -c`)
  const raw = path.join(staging, 'root.raw')
  await runOk(['mkfs.ext4', '-q', '-F', '-L', 'lab-root', '-E', 'lazy_itable_init=0,lazy_journal_init=0', '-d', rootfs, raw, DISK_SIZE], {signal})
  await removeStaging(rootfs)
  await runOk(['qemu-img', 'convert', '-c', '-O', 'qcow2', raw, boxPaths(staging).disk], {signal})
  rmSync(raw, {force: true})
  rmSync(files, {recursive: true, force: true})
}

async function writeManifest(staged: BoxPaths, built: {kernel: string; packages: Record<string, string>; buildMs: number}): Promise<BoxManifest> {
  const manifest: BoxManifest = {
    version: MANIFEST_VERSION,
    name: BOX_NAME,
    recipe: recipeHash(),
    builtAt: new Date().toISOString(),
    buildMs: built.buildMs,
    suite: BOX_SUITE,
    kernel: built.kernel,
    packages: built.packages,
    files: {},
  }
  for (const file of [staged.disk, staged.kernel, staged.initrd]) {
    manifest.files[path.basename(file)] = {bytes: statSync(file).size, sha256: await sha256(file)}
  }
  writeFileSync(staged.manifest, `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}
