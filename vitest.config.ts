import {execFileSync} from 'node:child_process'
import {defineConfig} from 'vitest/config'

/** The VM tier needs root (the box build) and QEMU; CI has both after scripts/setup. Absent, the tier is not defined (nothing skipped). */
function canRunVms(): boolean {
  if (process.getuid?.() !== 0) return false
  try {
    execFileSync('sh', ['-c', 'command -v qemu-system-x86_64 && command -v mmdebstrap'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

// Two tiers: the pure core and rendered-file checks run in parallel; the e2e tier builds real labs
// (root, network namespaces, FRR) one file at a time so labs never compete for the two cores.
export default defineConfig({
  test: {
    // CI asks for a JSON report too, to print its closing "N passed, N failed" line.
    reporters: process.env.LAB_TEST_REPORT ? ['default', ['json', {outputFile: process.env.LAB_TEST_REPORT}]] : ['default'],
    projects: [
      {test: {name: 'unit', include: ['test/core/**/*.test.ts', 'test/io/**/*.test.ts', 'test/commands/**/*.test.ts', 'test/providers/**/*.test.ts', 'test/outputs/**/*.test.ts', 'test/kinds/**/*.test.ts', 'test/exercise/**/*.test.ts'], testTimeout: 60_000}},
      {test: {name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, testTimeout: 180_000, hookTimeout: 120_000}},
      // Real VMs (QEMU, TCG here): after the other tiers (groupOrder), never beside a netns lab on the two cores.
      ...(canRunVms() ? [{test: {name: 'e2e-vm', include: ['test/e2e-vm/**/*.test.ts'], fileParallelism: false, sequence: {groupOrder: 1}, testTimeout: 600_000, hookTimeout: 900_000}}] : []),
    ],
  },
})
