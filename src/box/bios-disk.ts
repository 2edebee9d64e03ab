// A BIOS-bootable disk from the box's own root filesystem, kernel and initrd (the VirtualBox box's
// disk: VirtualBox cannot boot a kernel directly). Made of files only, no loop mount and no VM:
//   sector 0       syslinux's MBR boot code and an MBR partition table written here
//   partition 1    a small FAT filesystem (mkfs.fat -C on a file) with the kernel, the initrd and
//                  syslinux.cfg, made bootable by syslinux's mtools installer (`syslinux --install`
//                  works on an image file)
//   partition 2    the box's ext4 root filesystem, byte for byte (label lab-root)
// The pieces are laid into one sparse raw file with `dd conv=sparse,notrunc`.
import {existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync, closeSync, ftruncateSync} from 'node:fs'
import path from 'node:path'
import {OperationError} from '../io/errors.js'
import {runOk} from '../io/process.js'

export const SECTOR = 512
/** Partition 1 starts at 1 MiB, as partitioning tools align it. */
export const BOOT_START = 2048
export const BOOT_MIB = 64
/** syslinux's MBR boot code (Debian package syslinux-common): finds the active partition and chains to its boot sector. */
export const MBR_CODE = '/usr/lib/syslinux/mbr/mbr.bin'
/** A fixed MBR disk signature: the same inputs make the same disk. */
export const DISK_SIGNATURE = 0x6c616221

/** Host programs the BIOS disk needs, and the Debian package of each (mbr.bin: syslinux-common). */
export const BIOS_TOOLS: Record<string, string> = {'mkfs.fat': 'dosfstools', 'mcopy': 'mtools', 'syslinux': 'syslinux', 'dd': 'coreutils', 'qemu-img': 'qemu-utils'}

/**
 * Kernel command line of the BIOS-booted disk: root by label (IDE /dev/sda2 on VirtualBox, whatever
 * the controller), consoles on screen and on the first serial port; ports keep their kernel names
 * (eth0 …) until provisioning renames them, as on the libvirt box.
 */
export const BIOS_CMDLINE = 'root=LABEL=lab-root rw console=tty0 console=ttyS0,115200 net.ifnames=0 biosdevname=0 panic=-1 systemd.show_status=error'

export interface MbrPartition {
  /** First sector (LBA). */
  start: number
  sectors: number
  /** Partition type: 0x0e FAT16 (LBA), 0x83 Linux. */
  type: number
  bootable: boolean
}

/** The disk's two partitions and size for a root filesystem of `rootBytes` (a multiple of 512). Pure. */
export function biosLayout(rootBytes: number): {boot: MbrPartition; root: MbrPartition; bytes: number} {
  if (rootBytes % SECTOR !== 0) throw new OperationError(`the root filesystem image is ${rootBytes} bytes, not whole sectors`, 'rebuild the box: lab box build --force')
  const boot: MbrPartition = {start: BOOT_START, sectors: (BOOT_MIB * 1024 * 1024) / SECTOR, type: 0x0e, bootable: true}
  const root: MbrPartition = {start: boot.start + boot.sectors, sectors: rootBytes / SECTOR, type: 0x83, bootable: false}
  return {boot, root, bytes: (root.start + root.sectors) * SECTOR}
}

/**
 * Sector 0: the boot code (at most 440 bytes), the disk signature, up to four primary partitions
 * (CHS fields set to the "use LBA" maximum 1023/254/63) and the 0x55AA mark. Pure.
 */
export function mbr(bootCode: Buffer, partitions: MbrPartition[], signature = DISK_SIGNATURE): Buffer {
  if (bootCode.length > 440) throw new OperationError(`MBR boot code is ${bootCode.length} bytes (at most 440)`, `check ${MBR_CODE} (Debian package syslinux-common)`)
  if (partitions.length > 4) throw new OperationError(`${partitions.length} partitions do not fit an MBR (at most 4)`, 'use fewer partitions')
  const sector = Buffer.alloc(SECTOR)
  bootCode.copy(sector, 0)
  sector.writeUInt32LE(signature, 440)
  partitions.forEach((p, i) => {
    const at = 446 + i * 16
    sector[at] = p.bootable ? 0x80 : 0x00
    Buffer.from([0xfe, 0xff, 0xff]).copy(sector, at + 1)
    sector[at + 4] = p.type
    Buffer.from([0xfe, 0xff, 0xff]).copy(sector, at + 5)
    sector.writeUInt32LE(p.start, at + 8)
    sector.writeUInt32LE(p.sectors, at + 12)
  })
  sector[510] = 0x55
  sector[511] = 0xaa
  return sector
}

/** syslinux.cfg: boot the kernel at once, with its output on the serial port too. Pure. */
export function syslinuxConfig(cmdline = BIOS_CMDLINE): string {
  return ['SERIAL 0 115200', 'DEFAULT lab', 'PROMPT 0', 'TIMEOUT 0', 'LABEL lab', '  LINUX /vmlinuz', '  INITRD /initrd.img', `  APPEND ${cmdline}`, ''].join('\n')
}

/**
 * Write the BIOS-bootable raw disk `out` from the root ext4 image, kernel and initrd; `work` is a
 * scratch directory. Returns the disk's size in bytes.
 */
export async function makeBiosDisk({rootRaw, kernel, initrd, out, work, signal}: {rootRaw: string; kernel: string; initrd: string; out: string; work: string; signal?: AbortSignal}): Promise<number> {
  if (!existsSync(MBR_CODE)) throw new OperationError(`${MBR_CODE} is missing`, 'apt-get install syslinux-common')
  const layout = biosLayout(statSync(rootRaw).size)
  const fat = path.join(work, 'boot.fat')
  const cfg = path.join(work, 'syslinux.cfg')
  rmSync(fat, {force: true})
  writeFileSync(cfg, syslinuxConfig())
  // FAT with the partition's offset as its hidden sectors (the boot sector's idea of where it is).
  await runOk(['mkfs.fat', '-C', '-n', 'LABBOOT', '-h', String(layout.boot.start), fat, String(BOOT_MIB * 1024)], {signal})
  // mtools refuses to copy into an image whose geometry it finds odd unless told not to check.
  const mtools = {MTOOLS_SKIP_CHECK: '1'}
  await runOk(['mcopy', '-i', fat, kernel, '::/vmlinuz'], {signal, env: mtools})
  await runOk(['mcopy', '-i', fat, initrd, '::/initrd.img'], {signal, env: mtools})
  await runOk(['mcopy', '-i', fat, cfg, '::/syslinux.cfg'], {signal, env: mtools})
  await runOk(['syslinux', '--install', fat], {signal, env: mtools})

  rmSync(out, {force: true})
  const fd = openSync(out, 'w')
  try {
    ftruncateSync(fd, layout.bytes)
    writeSync(fd, mbr(readFileSync(MBR_CODE).subarray(0, 440), [layout.boot, layout.root]), 0, SECTOR, 0)
  } finally {
    closeSync(fd)
  }
  for (const [file, part] of [[fat, layout.boot], [rootRaw, layout.root]] as const) {
    await runOk(['dd', `if=${file}`, `of=${out}`, 'bs=1M', `seek=${part.start * SECTOR}`, 'oflag=seek_bytes', 'conv=sparse,notrunc', 'status=none'], {signal})
  }
  rmSync(fat, {force: true})
  rmSync(cfg, {force: true})
  return layout.bytes
}
