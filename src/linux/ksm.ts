// Kernel samepage merging (KSM) for FRR daemons. Every lab's zebra and bgpd build the same CLI
// graph and tables; with address-space randomisation off those pages are byte-identical across
// daemons, and KSM keeps one copy. Measured on two-spine-two-leaf × 10: FRR's proportional memory
// 633 MB → 172 MB (bench/class-up.sh prints the class figure).
import {readFileSync, writeFileSync} from 'node:fs'

const KSM = '/sys/kernel/mm/ksm'
/** prctl(PR_SET_MEMORY_MERGE, 1) (Linux ≥ 6.4) and personality(ADDR_NO_RANDOMIZE): both survive exec and fork. */
const PR_SET_MEMORY_MERGE = 67
const ADDR_NO_RANDOMIZE = 0x0040000
export const MERGE_SYSCALLS: Partial<Record<NodeJS.Architecture, {prctl: number; personality: number}>> = {
  x64: {prctl: 157, personality: 135},
  arm64: {prctl: 167, personality: 92},
}
/** The kernel default scans 100 pages per 20 ms: a class's 2 GB takes minutes to merge. */
const PAGES_TO_SCAN = 1000

/**
 * `argv` run so that its memory may be merged. Perl is in every Debian (perl-base) and starts in a
 * few milliseconds; an unknown architecture or an older kernel just runs `argv` unmerged.
 */
export function mergeableArgv(argv: readonly string[]): string[] {
  const calls = MERGE_SYSCALLS[process.arch]
  if (!calls) return [...argv]
  const script = `syscall(${calls.prctl}, ${PR_SET_MEMORY_MERGE}, 1, 0, 0, 0); syscall(${calls.personality}, ${ADDR_NO_RANDOMIZE}); exec {$ARGV[0]} @ARGV or die "$ARGV[0]: $!\\n"`
  return ['perl', '-e', script, ...argv]
}

function readSetting(name: string): number | undefined {
  try {
    return Number(readFileSync(`${KSM}/${name}`, 'utf8').trim())
  } catch {
    return undefined
  }
}

export interface KsmChange {
  /** What was changed on the machine, for the progress output; empty when KSM was already on. */
  changed: string[]
}

/**
 * Turns KSM on for the machine (only processes that opted in are scanned: merged daemons, and QEMU
 * guests, which opt in by default). Undefined when the kernel has no KSM or the setting is read-only.
 */
export function enableKsm(): KsmChange | undefined {
  const run = readSetting('run')
  if (run === undefined) return undefined
  const changed: string[] = []
  try {
    if (run !== 1) {
      writeFileSync(`${KSM}/run`, '1')
      changed.push(`${KSM}/run = 1`)
    }
    const pages = readSetting('pages_to_scan')
    if (pages !== undefined && pages < PAGES_TO_SCAN) {
      writeFileSync(`${KSM}/pages_to_scan`, String(PAGES_TO_SCAN))
      changed.push(`${KSM}/pages_to_scan = ${PAGES_TO_SCAN}`)
    }
  } catch {
    return undefined
  }
  return {changed}
}
