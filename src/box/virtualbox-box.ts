// The box for Vagrant's VirtualBox provider (`lab box build --provider virtualbox`), made from the
// built box itself: its root.qcow2 (back to raw), kernel and initrd become a BIOS-bootable disk
// (bios-disk.ts), converted to the streamOptimized VMDK that OVF packages carry. Beside it: box.ovf
// (an IDE PIIX4 controller, since the box's cloud kernel has no AHCI driver, and a virtio NIC, since it
// has no e1000 driver), metadata.json, a box Vagrantfile (user lab, the key inside the box, virtio as
// the default NIC type) and lab's private key, so the .box file works on another machine as it is.
// Cached in <box dir>/virtualbox/ with the sha256 of the root.qcow2 it was made from.
import {chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {OperationError, UsageError} from '../io/errors.js'
import {lockFile} from '../io/lock.js'
import {run, runOk} from '../io/process.js'
import type {Progress} from '../io/progress.js'
import {shellQuote} from '../providers/ssh-quote.js'
import {BIOS_TOOLS, makeBiosDisk} from './bios-disk.js'
import {BOX_NAME, boxPaths, type BoxManifest} from './box.js'
import {addBoxFile, boxVersion, vagrantBoxState, VAGRANT_BOX_NAME} from './vagrant-box.js'

export const VBOX_SUBDIR = 'virtualbox'
export const VBOX_DISK = 'box-disk001.vmdk'
export const VBOX_KEY = 'lab_ed25519'
export const VBOX_BOX_FILE = `${BOX_NAME}-virtualbox.box`
const VBOX_STATE = 'virtualbox.json'
/** The files of the .box, in the order of the tar (box.ovf first, as VirtualBox exports do). */
export const VBOX_BOX_MEMBERS = ['box.ovf', VBOX_DISK, 'metadata.json', 'Vagrantfile', VBOX_KEY] as const
/** NIC 1's MAC: VirtualBox's OUI 08:00:27 and "LAB" (Vagrant's base_mac has no colons). */
export const VBOX_BASE_MAC = '0800274C4142'
const VBOX_MEMORY_MIB = 512

export interface VirtualboxPaths {
  dir: string
  /** The unpacked box: box.ovf, the VMDK, metadata.json, Vagrantfile, the key. */
  box: string
  disk: string
  ovf: string
  /** The .box file (a tar of the above) to add to Vagrant here or copy to another machine. */
  boxFile: string
  state: string
}

export function virtualboxPaths(boxDir: string): VirtualboxPaths {
  return pathsIn(path.join(boxDir, VBOX_SUBDIR))
}

function pathsIn(dir: string): VirtualboxPaths {
  const box = path.join(dir, 'box')
  return {dir, box, disk: path.join(box, VBOX_DISK), ovf: path.join(box, 'box.ovf'), boxFile: path.join(dir, VBOX_BOX_FILE), state: path.join(dir, VBOX_STATE)}
}

export interface VirtualboxState {
  /** sha256 of the root.qcow2 the disk was made from: another build of the box makes this one stale. */
  source: string
  version: string
  builtAt: string
  buildMs: number
  /** The disk's virtual size (bytes). */
  capacity: number
  files: Record<string, {bytes: number}>
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * box.ovf, OVF 1.0 as VirtualBox reads it (its OVF reader maps ResourceType 5 + PIIX4 to an IDE
 * controller, 17 to a disk on it, 10 + "virtio-net" to a virtio network adapter, OS id 96 to
 * Debian_64) and as `VBoxManage export` writes for Vagrant boxes. Pure.
 */
export function boxOvf({name = BOX_NAME, capacity, diskFileBytes, memoryMiB = VBOX_MEMORY_MIB}: {name?: string; capacity: number; diskFileBytes: number; memoryMiB?: number}): string {
  const n = xml(name)
  return `<?xml version="1.0"?>
<Envelope ovf:version="1.0" xml:lang="en-US" xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vbox="http://www.virtualbox.org/ovf/machine">
  <References>
    <File ovf:id="file1" ovf:href="${VBOX_DISK}" ovf:size="${diskFileBytes}"/>
  </References>
  <DiskSection>
    <Info>List of the virtual disks used in the package</Info>
    <Disk ovf:capacity="${capacity}" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
  </DiskSection>
  <NetworkSection>
    <Info>Logical networks used in the package</Info>
    <Network ovf:name="NAT">
      <Description>Logical network used by this appliance.</Description>
    </Network>
  </NetworkSection>
  <VirtualSystem ovf:id="${n}">
    <Info>A virtual machine</Info>
    <ProductSection>
      <Info>Meta-information about the installed software</Info>
      <Product>lab ${n}: Debian bookworm + FRR</Product>
    </ProductSection>
    <OperatingSystemSection ovf:id="96">
      <Info>The kind of installed guest operating system</Info>
      <Description>Debian_64</Description>
      <vbox:OSType ovf:required="false">Debian_64</vbox:OSType>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements for a virtual machine</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>${n}</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>virtualbox-2.2</vssd:VirtualSystemType>
      </System>
      <Item>
        <rasd:Caption>1 virtual CPU</rasd:Caption>
        <rasd:Description>Number of virtual CPUs</rasd:Description>
        <rasd:ElementName>1 virtual CPU</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>1</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:AllocationUnits>MegaBytes</rasd:AllocationUnits>
        <rasd:Caption>${memoryMiB} MB of memory</rasd:Caption>
        <rasd:Description>Memory Size</rasd:Description>
        <rasd:ElementName>${memoryMiB} MB of memory</rasd:ElementName>
        <rasd:InstanceID>2</rasd:InstanceID>
        <rasd:ResourceType>4</rasd:ResourceType>
        <rasd:VirtualQuantity>${memoryMiB}</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:Address>0</rasd:Address>
        <rasd:Caption>ideController0</rasd:Caption>
        <rasd:Description>IDE Controller</rasd:Description>
        <rasd:ElementName>ideController0</rasd:ElementName>
        <rasd:InstanceID>3</rasd:InstanceID>
        <rasd:ResourceSubType>PIIX4</rasd:ResourceSubType>
        <rasd:ResourceType>5</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AddressOnParent>0</rasd:AddressOnParent>
        <rasd:Caption>disk1</rasd:Caption>
        <rasd:Description>Disk Image</rasd:Description>
        <rasd:ElementName>disk1</rasd:ElementName>
        <rasd:HostResource>/disk/vmdisk1</rasd:HostResource>
        <rasd:InstanceID>4</rasd:InstanceID>
        <rasd:Parent>3</rasd:Parent>
        <rasd:ResourceType>17</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>
        <rasd:Caption>Ethernet adapter on 'NAT'</rasd:Caption>
        <rasd:Connection>NAT</rasd:Connection>
        <rasd:ElementName>Ethernet adapter on 'NAT'</rasd:ElementName>
        <rasd:InstanceID>5</rasd:InstanceID>
        <rasd:ResourceSubType>virtio-net</rasd:ResourceSubType>
        <rasd:ResourceType>10</rasd:ResourceType>
      </Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`
}

/** The Vagrantfile inside the VirtualBox box (Vagrant merges it under the lab's). Pure. */
export function virtualboxBoxVagrantfile(): string {
  return [
    '# lab box (lab box build --provider virtualbox): Debian bookworm + FRR, booted by syslinux from an IDE disk.',
    'Vagrant.configure("2") do |config|',
    `  config.vm.base_mac = "${VBOX_BASE_MAC}"`,
    '  # User lab with the key pair of the machine that built the box, shipped inside the box.',
    '  config.ssh.username = "lab"',
    `  config.ssh.private_key_path = File.expand_path("${VBOX_KEY}", __dir__)`,
    '  config.ssh.insert_key = false',
    '  config.vm.provider "virtualbox" do |vb|',
    '    # The box\'s kernel (Debian\'s cloud kernel) drives virtio NICs, not VirtualBox\'s default Intel PRO/1000.',
    '    vb.default_nic_type = "virtio"',
    '  end',
    'end',
    '',
  ].join('\n')
}

export function readVirtualboxState(boxDir: string): VirtualboxState | undefined {
  try {
    return JSON.parse(readFileSync(virtualboxPaths(boxDir).state, 'utf8')) as VirtualboxState
  } catch {
    return undefined // not made yet
  }
}

/** Is the VirtualBox box in the box directory made from this build of the box? */
export function virtualboxCurrent(boxDir: string, manifest: BoxManifest): boolean {
  const state = readVirtualboxState(boxDir)
  const paths = virtualboxPaths(boxDir)
  return state !== undefined && state.source === manifest.files['root.qcow2']?.sha256 && existsSync(paths.boxFile) && existsSync(paths.disk) && existsSync(paths.ovf)
}

export async function missingVirtualboxTools(): Promise<string[]> {
  const missing: string[] = []
  for (const [program, pkg] of Object.entries(BIOS_TOOLS)) {
    const found = await run(['sh', '-c', `command -v ${shellQuote(program)}`], {env: {PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`}})
    if (found.exitCode !== 0) missing.push(pkg)
  }
  return [...new Set(missing)]
}

/**
 * Make the VirtualBox box from the built box in `boxDir` unless it is current (force: again). Staged
 * beside it and renamed into place: an interrupted build leaves the previous one, or none.
 */
export async function buildVirtualboxBox(boxDir: string, manifest: BoxManifest, {force, signal, progress}: {force: boolean; signal: AbortSignal; progress: Progress}): Promise<{built: boolean; state: VirtualboxState; paths: VirtualboxPaths}> {
  const paths = virtualboxPaths(boxDir)
  if (!force && virtualboxCurrent(boxDir, manifest)) return {built: false, state: readVirtualboxState(boxDir)!, paths}
  if (process.getuid?.() !== 0) throw new UsageError('making the VirtualBox box needs root (it reads the box directory)', 'sudo lab box build --provider virtualbox')
  const missing = await missingVirtualboxTools()
  if (missing.length > 0) throw new UsageError(`the VirtualBox box needs ${missing.join(', ')}`, `apt-get install ${missing.join(' ')} syslinux-common`)
  const unlock = lockFile(`${paths.dir}.lock`, (owner) => new UsageError(`the VirtualBox box is being made right now (by process ${owner})`, 'wait for it to finish'))
  const started = Date.now()
  const staging = `${paths.dir}.building-${process.pid}`
  const staged = pathsIn(staging)
  try {
    rmSync(staging, {recursive: true, force: true})
    mkdirSync(staged.box, {recursive: true})
    const box = boxPaths(boxDir)
    progress.step('VirtualBox disk: root.qcow2 as partition 2 of a BIOS disk (syslinux on a FAT partition 1), then a streamOptimized VMDK')
    const rootRaw = path.join(staging, 'root.raw')
    const diskRaw = path.join(staging, 'disk.raw')
    await runOk(['qemu-img', 'convert', '-O', 'raw', box.disk, rootRaw], {signal})
    const capacity = await makeBiosDisk({rootRaw, kernel: box.kernel, initrd: box.initrd, out: diskRaw, work: staging, signal})
    rmSync(rootRaw, {force: true})
    await runOk(['qemu-img', 'convert', '-O', 'vmdk', '-o', 'subformat=streamOptimized', diskRaw, staged.disk], {signal})
    rmSync(diskRaw, {force: true})
    signal.throwIfAborted()

    progress.step(`VirtualBox box: box.ovf, metadata.json, Vagrantfile, ${VBOX_BOX_FILE}`)
    writeFileSync(staged.ovf, boxOvf({capacity, diskFileBytes: statSync(staged.disk).size}))
    writeFileSync(path.join(staged.box, 'metadata.json'), `${JSON.stringify({provider: 'virtualbox'})}\n`)
    writeFileSync(path.join(staged.box, 'Vagrantfile'), virtualboxBoxVagrantfile())
    copyFileSync(box.key, path.join(staged.box, VBOX_KEY))
    chmodSync(path.join(staged.box, VBOX_KEY), 0o600)
    // The .box holds lab's private key: readable by its owner only.
    writeFileSync(staged.boxFile, '', {mode: 0o600})
    await runOk(['tar', '-C', staged.box, '-cf', staged.boxFile, ...VBOX_BOX_MEMBERS], {signal})
    chmodSync(staged.boxFile, 0o600)

    const state: VirtualboxState = {
      source: manifest.files['root.qcow2']?.sha256 ?? '',
      version: boxVersion(manifest),
      builtAt: new Date().toISOString(),
      buildMs: Date.now() - started,
      capacity,
      files: Object.fromEntries([...VBOX_BOX_MEMBERS.map((m) => [m, path.join(staged.box, m)]), [VBOX_BOX_FILE, staged.boxFile]].map(([name, file]) => [name, {bytes: statSync(file).size}])),
    }
    writeFileSync(staged.state, `${JSON.stringify(state, null, 2)}\n`)
    const old = `${paths.dir}.old-${process.pid}`
    if (existsSync(paths.dir)) renameSync(paths.dir, old)
    renameSync(staging, paths.dir)
    rmSync(old, {recursive: true, force: true})
    return {built: true, state, paths}
  } catch (error) {
    rmSync(staging, {recursive: true, force: true})
    if (signal.aborted) throw new OperationError('interrupted: the VirtualBox box was not made', 'run lab box build --provider virtualbox again')
    throw error
  } finally {
    unlock()
  }
}

/** Add the VirtualBox box to Vagrant unless this build already is (force: again). Needs only Vagrant, not VirtualBox. */
export async function addVirtualboxBox(boxDir: string, manifest: BoxManifest, {force, progress}: {force: boolean; progress: Progress}): Promise<{added: boolean; version: string; ms: number}> {
  const started = Date.now()
  const version = boxVersion(manifest)
  const current = await vagrantBoxState(manifest, boxDir, 'virtualbox')
  if (current.state === 'added' && !force) return {added: false, version, ms: Date.now() - started}
  progress.step(`adding ${VAGRANT_BOX_NAME} ${version} to Vagrant (virtualbox)`)
  await addBoxFile(boxDir, {provider: 'virtualbox', boxFile: virtualboxPaths(boxDir).boxFile, version})
  return {added: true, version, ms: Date.now() - started}
}
