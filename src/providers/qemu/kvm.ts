// Is KVM usable? Not "does /dev/kvm exist": on some machines it exists and a KVM guest hangs
// before its first line. The probe boots the box's kernel under KVM for a few seconds with no disk
// and asks whether the kernel printed its banner on the serial port.
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {run} from '../../io/process.js'

export type Accel = 'kvm' | 'tcg'

const PROBE_MS = 4000

export async function probeKvm(qemu: string, kernel: string): Promise<{accel: Accel; why: string}> {
  if (process.env.LAB_QEMU_ACCEL === 'tcg' || process.env.LAB_QEMU_ACCEL === 'kvm') return {accel: process.env.LAB_QEMU_ACCEL, why: 'LAB_QEMU_ACCEL'}
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-kvm-probe-'))
  try {
    const log = path.join(dir, 'serial.log')
    const result = await run(
      [qemu, '-accel', 'kvm', '-nodefaults', '-no-user-config', '-display', 'none', '-m', '64', '-kernel', kernel, '-append', 'console=ttyS0 panic=-1', '-serial', `file:${log}`, '-no-reboot'],
      {timeoutMs: PROBE_MS},
    )
    let serial = ''
    try {
      serial = readFileSync(log, 'utf8')
    } catch {
      // QEMU failed before opening it
    }
    if (/Linux version/.test(serial)) return {accel: 'kvm', why: 'a KVM guest booted its kernel'}
    const reason = result.exitCode === 124 ? `a KVM guest printed nothing in ${PROBE_MS / 1000} s` : (result.stderr.trim().split('\n').at(-1) ?? `exit ${result.exitCode}`)
    return {accel: 'tcg', why: `KVM is not usable (${reason})`}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** QEMU's -accel: TCG with several threads and a small code cache (the default 1 GiB cache costs ~1 GB RSS per VM). */
export function accelArgs(accel: Accel): string[] {
  return accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg,thread=multi,tb-size=64']
}
