import {defineConfig} from 'vitest/config'

// Two tiers: the pure core and rendered-file checks run in parallel; the e2e tier builds real labs
// (root, network namespaces, FRR) one file at a time so labs never compete for the two cores.
export default defineConfig({
  test: {
    // CI asks for a JSON report too, to print its closing "N passed, N failed" line.
    reporters: process.env.LAB_TEST_REPORT ? ['default', ['json', {outputFile: process.env.LAB_TEST_REPORT}]] : ['default'],
    projects: [
      {test: {name: 'unit', include: ['test/core/**/*.test.ts', 'test/io/**/*.test.ts', 'test/commands/**/*.test.ts', 'test/providers/**/*.test.ts', 'test/outputs/**/*.test.ts', 'test/kinds/**/*.test.ts', 'test/exercise/**/*.test.ts'], testTimeout: 60_000}},
      {test: {name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, testTimeout: 180_000, hookTimeout: 120_000}},
    ],
  },
})
