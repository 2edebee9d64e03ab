// The VirtualBox box's pure parts: the BIOS disk's MBR and layout, syslinux.cfg, box.ovf as
// VirtualBox's OVF reader reads it, and the box Vagrantfile (Ruby syntax checked by ruby, which
// Vagrant brings). The real box (build, vagrant box add, a boot under QEMU) is in test/e2e-vm/.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {XMLParser} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'
import {BIOS_CMDLINE, biosLayout, BOOT_START, DISK_SIGNATURE, mbr, SECTOR, syslinuxConfig} from '../../src/box/bios-disk.js'
import {guestDir} from '../../src/box/box.js'
import {boxOvf, VBOX_BASE_MAC, VBOX_DISK, VBOX_KEY, virtualboxBoxVagrantfile} from '../../src/box/virtualbox-box.js'

const ROOT_BYTES = 2 * 1024 ** 3

describe('BIOS disk layout and MBR', () => {
  it('puts a 64 MiB boot partition at 1 MiB and the root filesystem right after it', () => {
    const layout = biosLayout(ROOT_BYTES)
    expect(layout.boot).toEqual({start: 2048, sectors: 131072, type: 0x0e, bootable: true})
    expect(layout.root).toEqual({start: 2048 + 131072, sectors: ROOT_BYTES / SECTOR, type: 0x83, bootable: false})
    expect(layout.bytes).toBe((2048 + 131072) * SECTOR + ROOT_BYTES)
    expect(() => biosLayout(ROOT_BYTES + 1)).toThrow(/not whole sectors/)
  })

  it('writes the boot code, the signature, one active FAT partition, one Linux partition and 0x55AA', () => {
    const code = Buffer.alloc(440, 0x90)
    const layout = biosLayout(ROOT_BYTES)
    const sector = mbr(code, [layout.boot, layout.root])
    expect(sector).toHaveLength(512)
    expect(sector.subarray(0, 440).equals(code)).toBe(true)
    expect(sector.readUInt32LE(440)).toBe(DISK_SIGNATURE)
    const entry = (i: number) => sector.subarray(446 + 16 * i, 446 + 16 * (i + 1))
    expect(entry(0)[0]).toBe(0x80)
    expect(entry(0)[4]).toBe(0x0e)
    expect(entry(0).readUInt32LE(8)).toBe(BOOT_START)
    expect(entry(0).readUInt32LE(12)).toBe(131072)
    expect(entry(1)[0]).toBe(0x00)
    expect(entry(1)[4]).toBe(0x83)
    expect(entry(1).readUInt32LE(8)).toBe(2048 + 131072)
    expect(entry(1).readUInt32LE(12)).toBe(ROOT_BYTES / SECTOR)
    expect(entry(2).equals(Buffer.alloc(16))).toBe(true)
    expect(entry(3).equals(Buffer.alloc(16))).toBe(true)
    expect([sector[510], sector[511]]).toEqual([0x55, 0xaa])
    expect(() => mbr(Buffer.alloc(441), [])).toThrow(/at most 440/)
  })

  it('syslinux boots the kernel at once with root by label, which the image mounts and its initrd can reach on IDE', () => {
    const cfg = syslinuxConfig()
    expect(cfg).toMatch(/^DEFAULT lab$/m)
    expect(cfg).toMatch(/^TIMEOUT 0$/m)
    expect(cfg).toMatch(/^ {2}LINUX \/vmlinuz$/m)
    expect(cfg).toMatch(/^ {2}INITRD \/initrd\.img$/m)
    expect(cfg).toContain(`APPEND ${BIOS_CMDLINE}`)
    expect(BIOS_CMDLINE).toMatch(/(^| )root=LABEL=lab-root( |$)/)
    expect(BIOS_CMDLINE).toContain('net.ifnames=0')
    // The image's side of it: fstab by the same label, and the IDE driver in the initrd.
    const customize = readFileSync(path.join(guestDir(), 'customize.sh'), 'utf8')
    expect(customize).toContain("'LABEL=lab-root / ext4")
    const modules = customize.match(/printf '([^']*)' > "\$root\/etc\/initramfs-tools\/modules"/)![1].split('\\n')
    expect(modules).toEqual(expect.arrayContaining(['ata_piix', 'sd_mod', 'virtio_net', 'ext4']))
  })
})

type Node = Record<string, unknown>

/** box.ovf parsed with namespace prefixes kept (ovf:, rasd:, vssd:), attributes as @_name. */
function parseOvf(text: string): Node {
  const parser = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => name === 'Item' || name === 'File' || name === 'Disk' || name === 'Network'})
  return parser.parse(text) as Node
}

describe('box.ovf', () => {
  const capacity = (2048 + 131072) * SECTOR + ROOT_BYTES
  const text = boxOvf({capacity, diskFileBytes: 150_819_840})
  const envelope = parseOvf(text).Envelope as Node
  const system = envelope.VirtualSystem as Node
  const hardware = system.VirtualHardwareSection as Node
  const items = hardware.Item as Node[]
  const byType = (type: number) => items.filter((i) => i['rasd:ResourceType'] === type)

  it('is OVF 1.0 with the namespaces VirtualBox writes', () => {
    expect(envelope['@_ovf:version']).toBe('1.0')
    expect(envelope['@_xmlns']).toBe('http://schemas.dmtf.org/ovf/envelope/1')
    expect(envelope['@_xmlns:rasd']).toBe('http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData')
    expect(envelope['@_xmlns:vssd']).toBe('http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData')
    expect((hardware.System as Node)['vssd:VirtualSystemType']).toBe('virtualbox-2.2')
    expect((system['OperatingSystemSection'] as Node)['@_ovf:id']).toBe('96') // CIM "Debian 64-bit"
  })

  it('references the VMDK once, as a streamOptimized disk with its capacity and file size', () => {
    const files = (envelope.References as Node).File as Node[]
    expect(files).toEqual([{'@_ovf:id': 'file1', '@_ovf:href': VBOX_DISK, '@_ovf:size': '150819840'}])
    const disks = (envelope.DiskSection as Node).Disk as Node[]
    expect(disks).toHaveLength(1)
    expect(disks[0]['@_ovf:fileRef']).toBe('file1')
    expect(disks[0]['@_ovf:capacity']).toBe(String(capacity))
    expect(disks[0]['@_ovf:format']).toBe('http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized')
  })

  it('has one CPU, memory in MegaBytes, the disk on an IDE PIIX4 controller and one virtio NIC on NAT', () => {
    const ids = items.map((i) => i['rasd:InstanceID'])
    expect(new Set(ids).size).toBe(ids.length)
    expect(byType(3)).toHaveLength(1)
    expect(byType(3)[0]['rasd:VirtualQuantity']).toBe(1)
    expect(byType(4)[0]).toMatchObject({'rasd:AllocationUnits': 'MegaBytes', 'rasd:VirtualQuantity': 512})
    const [ide] = byType(5)
    expect(byType(5)).toHaveLength(1)
    expect(ide['rasd:ResourceSubType']).toBe('PIIX4')
    // No SATA (AHCI): the box's cloud kernel has no AHCI driver.
    expect(byType(20)).toEqual([])
    const [disk] = byType(17)
    expect(byType(17)).toHaveLength(1)
    expect(disk['rasd:Parent']).toBe(ide['rasd:InstanceID'])
    expect(disk['rasd:AddressOnParent']).toBe(0)
    const diskId = ((envelope.DiskSection as Node).Disk as Node[])[0]['@_ovf:diskId']
    expect(disk['rasd:HostResource']).toBe(`/disk/${String(diskId)}`)
    const nics = byType(10)
    expect(nics).toHaveLength(1)
    // VirtualBox maps "virtio-net" to its virtio adapter; the cloud kernel has no e1000 driver.
    expect(nics[0]).toMatchObject({'rasd:ResourceSubType': 'virtio-net', 'rasd:Connection': 'NAT'})
    const networks = ((envelope.NetworkSection as Node).Network as Node[]).map((n) => n['@_ovf:name'])
    expect(networks).toContain(nics[0]['rasd:Connection'])
  })

  it('escapes the name', () => {
    expect(boxOvf({name: 'a<b&c', capacity: 1, diskFileBytes: 1})).toContain('ovf:id="a&lt;b&amp;c"')
  })
})

describe('the VirtualBox box Vagrantfile', () => {
  const text = virtualboxBoxVagrantfile()

  it('is valid Ruby', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-vbox-test-'))
    try {
      writeFileSync(path.join(dir, 'Vagrantfile'), text)
      expect(execFileSync('ruby', ['-c', path.join(dir, 'Vagrantfile')], {encoding: 'utf8'})).toMatch(/Syntax OK/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('sets a VirtualBox base MAC, user lab with the key shipped in the box, and virtio as the default NIC type', () => {
    expect(VBOX_BASE_MAC).toMatch(/^080027[0-9A-F]{6}$/)
    expect(text).toContain(`config.vm.base_mac = "${VBOX_BASE_MAC}"`)
    expect(text).toContain('config.ssh.username = "lab"')
    expect(text).toContain(`config.ssh.private_key_path = File.expand_path("${VBOX_KEY}", __dir__)`)
    expect(text).toContain('config.ssh.insert_key = false')
    expect(text).toMatch(/config\.vm\.provider "virtualbox" do \|vb\|\n(.*\n)*\s+vb\.default_nic_type = "virtio"/)
  })
})
