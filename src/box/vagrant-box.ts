// The box as a Vagrant box for vagrant-libvirt (`lab box build` adds it): the same qcow2, and a box
// Vagrantfile that says what the image needs: SSH as user lab with lab's key, and direct kernel boot
// (the image has no bootloader) from the kernel and initrd in the box directory, which libvirt's QEMU
// user can read (a Vagrant home under /root or /home often cannot be).
import {existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync} from 'node:fs'
import {homedir} from 'node:os'
import path from 'node:path'
import {OperationError, UsageError} from '../io/errors.js'
import {run, runOk} from '../io/process.js'
import type {Progress} from '../io/progress.js'
import {parseMachineReadable} from '../providers/vagrant/machine-readable.js'
import {boxPaths, type BoxManifest, type BoxPaths} from './box.js'

export const VAGRANT_BOX_NAME = 'lab/debian12-frr'
/** Kernel command line of every node booted from the box (ports keep their kernel names until provisioning renames them). */
export const BOX_CMDLINE = 'root=/dev/vda rw console=ttyS0 net.ifnames=0 biosdevname=0 panic=-1 no_timer_check systemd.show_status=error'

/** A Vagrant box version from the build time: 1.YYYYMMDD.HHMMSS (Vagrant wants numbers). */
export function boxVersion(manifest: BoxManifest): string {
  const stamp = manifest.builtAt.replace(/[-:T]/g, '').slice(0, 14)
  return `1.${stamp.slice(0, 8)}.${Number(stamp.slice(8, 14))}`
}

/** The Vagrantfile inside the box (Vagrant merges it under the lab's). Pure. */
export function boxVagrantfile(paths: BoxPaths): string {
  const ruby = (text: string) => JSON.stringify(text)
  return [
    '# lab box (lab box build): Debian bookworm + FRR with no bootloader, so libvirt boots its kernel directly.',
    'Vagrant.configure("2") do |config|',
    '  config.ssh.username = "lab"',
    `  config.ssh.private_key_path = ${ruby(paths.key)}`,
    '  config.ssh.insert_key = false',
    '  config.vm.provider "libvirt" do |lv|',
    `    lv.kernel = ${ruby(paths.kernel)}`,
    `    lv.initrd = ${ruby(paths.initrd)}`,
    `    lv.cmd_line = ${ruby(BOX_CMDLINE)}`,
    '  end',
    'end',
    '',
  ].join('\n')
}

export type VagrantBoxState = {state: 'added'; version: string} | {state: 'missing' | 'outdated'; why: string}

/** The Vagrant providers lab adds its box for: libvirt (the qcow2, direct kernel boot) and VirtualBox (the BIOS-bootable VMDK). */
export type BoxProvider = 'libvirt' | 'virtualbox'

/** Is the box in Vagrant (for this provider) at the version of this build? */
export async function vagrantBoxState(manifest: BoxManifest, dir: string, provider: BoxProvider = 'libvirt'): Promise<VagrantBoxState> {
  const version = boxVersion(manifest)
  // Quick answer without Vagrant (seconds of Ruby): our marker and Vagrant's own box directory agree.
  if (readMarker(dir, provider).version === version && existsSync(path.join(vagrantHome(), 'boxes', VAGRANT_BOX_NAME.replace('/', '-VAGRANTSLASH-'), version, provider, 'metadata.json'))) return {state: 'added', version}
  const listed = await run(['vagrant', 'box', 'list', '--machine-readable'])
  if (listed.exitCode !== 0) return {state: 'missing', why: `vagrant box list failed: ${listed.stderr.trim()}`}
  const boxes = listedBoxes(listed.stdout)
  const ours = boxes.filter((b) => b.name === VAGRANT_BOX_NAME && b.provider === provider)
  if (ours.length === 0) return {state: 'missing', why: `Vagrant has no box ${VAGRANT_BOX_NAME} for ${provider}`}
  if (!ours.some((b) => b.version === version) || readMarker(dir, provider).version !== version) return {state: 'outdated', why: `Vagrant's ${VAGRANT_BOX_NAME} is not this build (${version})`}
  return {state: 'added', version}
}

/** What lab last added to Vagrant from this box directory, per provider (vagrant-libvirt.json, vagrant-virtualbox.json). */
function markerFile(dir: string, provider: BoxProvider): string {
  return path.join(dir, `vagrant-${provider}.json`)
}

function readMarker(dir: string, provider: BoxProvider): {version?: string} {
  try {
    return JSON.parse(readFileSync(markerFile(dir, provider), 'utf8')) as {version?: string}
  } catch {
    return {} // never added from this box directory
  }
}

export function vagrantHome(): string {
  return process.env.VAGRANT_HOME ?? path.join(homedir(), '.vagrant.d')
}

/** `vagrant box list --machine-readable`: box-name, box-provider, box-version records, in that order per box. */
export function listedBoxes(output: string): {name: string; provider: string; version: string}[] {
  const boxes: {name: string; provider: string; version: string}[] = []
  for (const record of parseMachineReadable(output)) {
    if (record.type === 'box-name') boxes.push({name: record.data[0], provider: '', version: ''})
    else if (record.type === 'box-provider' && boxes.length > 0) boxes.at(-1)!.provider = record.data[0]
    else if (record.type === 'box-version' && boxes.length > 0) boxes.at(-1)!.version = record.data[0]
  }
  return boxes
}

export async function vagrantLibvirtInstalled(): Promise<boolean> {
  const plugins = await run(['vagrant', 'plugin', 'list', '--machine-readable'])
  return plugins.exitCode === 0 && parseMachineReadable(plugins.stdout).some((r) => r.type === 'plugin-name' && r.data[0] === 'vagrant-libvirt')
}

/**
 * Add the box to Vagrant for libvirt unless this build already is (force: again). The .box is a tar
 * of metadata.json, the box Vagrantfile and box.img (a hard link to root.qcow2).
 */
export async function addVagrantBox(dir: string, manifest: BoxManifest, {force, progress}: {force: boolean; progress: Progress}): Promise<{added: boolean; version: string; ms: number}> {
  const started = Date.now()
  const version = boxVersion(manifest)
  if (!(await vagrantLibvirtInstalled())) throw new UsageError('the vagrant-libvirt plugin is not installed', 'apt-get install vagrant vagrant-libvirt (or: vagrant plugin install vagrant-libvirt)')
  const current = await vagrantBoxState(manifest, dir, 'libvirt')
  if (current.state === 'added' && !force) return {added: false, version, ms: Date.now() - started}
  progress.step(`adding ${VAGRANT_BOX_NAME} ${version} to Vagrant (libvirt)`)
  const paths = boxPaths(dir)
  const staging = path.join(dir, `vagrant-libvirt.building-${process.pid}`)
  rmSync(staging, {recursive: true, force: true})
  mkdirSync(staging)
  try {
    writeFileSync(path.join(staging, 'metadata.json'), `${JSON.stringify({provider: 'libvirt', format: 'qcow2', virtual_size: 2})}\n`)
    writeFileSync(path.join(staging, 'Vagrantfile'), boxVagrantfile(paths))
    try {
      linkSync(paths.disk, path.join(staging, 'box.img'))
    } catch {
      copyFileSync(paths.disk, path.join(staging, 'box.img'))
    }
    const boxFile = path.join(staging, 'libvirt.box')
    await runOk(['tar', '-C', staging, '-cf', boxFile, 'metadata.json', 'Vagrantfile', 'box.img'])
    await addBoxFile(dir, {provider: 'libvirt', boxFile, version})
  } finally {
    if (existsSync(staging)) rmSync(staging, {recursive: true, force: true})
  }
  return {added: true, version, ms: Date.now() - started}
}

/**
 * Add a .box file to Vagrant as ${VAGRANT_BOX_NAME} for one provider, through a one-version catalog
 * so Vagrant knows its version; the provider's older versions are removed first (the other
 * provider's box stays). Leaves a marker in the box directory.
 */
export async function addBoxFile(dir: string, {provider, boxFile, version}: {provider: BoxProvider; boxFile: string; version: string}): Promise<void> {
  const catalog = path.join(path.dirname(boxFile), `catalog-${provider}-${process.pid}.json`)
  writeFileSync(catalog, `${JSON.stringify({name: VAGRANT_BOX_NAME, versions: [{version, providers: [{name: provider, url: `file://${boxFile}`}]}]})}\n`)
  try {
    // Fails when there is none: nothing to remove.
    await run(['vagrant', 'box', 'remove', '--all', '--force', '--provider', provider, VAGRANT_BOX_NAME])
    const added = await run(['vagrant', 'box', 'add', '--force', '--machine-readable', '--provider', provider, catalog])
    const error = parseMachineReadable(added.stdout).find((r) => r.type === 'error-exit')
    if (added.exitCode !== 0) throw new OperationError(`vagrant box add failed (${provider}): ${error?.data[1] ?? added.stderr.trim()}`, 'run lab box build --force')
    writeFileSync(markerFile(dir, provider), `${JSON.stringify({name: VAGRANT_BOX_NAME, provider, version, addedAt: new Date().toISOString()})}\n`)
  } finally {
    rmSync(catalog, {force: true})
  }
}
