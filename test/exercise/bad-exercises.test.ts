// Every fixtures/bad-exercises/*.yaml is rejected with exactly the messages in its .expected file
// (file:line:column, message, fix), by the loader and by `lab exercise lint` (exit 2).
//   UPDATE_GOLDEN=1 npx vitest run test/exercise/bad-exercises.test.ts   rewrites the .expected files
import {execa} from 'execa'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {lintExercise} from '../../src/io/exercise-file.js'
import {formatDiagnostic, TopologyError} from '../../src/topology/diagnostics.js'
import {BIN, REPO} from '../support/paths.js'

const DIR = 'test/fixtures/bad-exercises'
const UPDATE = process.env.UPDATE_GOLDEN === '1'
const cases = readdirSync(path.join(REPO, DIR)).filter((f) => f.endsWith('.yaml')).sort()

function loaderText(file: string): string {
  try {
    lintExercise(file)
  } catch (error) {
    if (error instanceof TopologyError) return error.diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('')
    throw error
  }
  return '(accepted)\n'
}

describe('bad exercise files', () => {
  it('has at least 15 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15)
  })

  it.each(cases)('%s is rejected with exactly the expected located messages', (name) => {
    const file = path.join(DIR, name)
    const expectedFile = path.join(REPO, file.replace(/\.yaml$/, '.expected'))
    const cwd = process.cwd()
    process.chdir(REPO)
    try {
      const text = loaderText(file)
      if (UPDATE) writeFileSync(expectedFile, text)
      expect(existsSync(expectedFile), `${expectedFile} is missing; run with UPDATE_GOLDEN=1 and review it`).toBe(true)
      expect(text).toBe(readFileSync(expectedFile, 'utf8'))
      expect(text).not.toBe('(accepted)\n')
    } finally {
      process.chdir(cwd)
    }
  })

  it('lab exercise lint exits 2 and prints the same messages', async () => {
    for (const name of cases.slice(0, 4)) {
      const file = path.join(DIR, name)
      const result = await execa('node', [BIN, 'exercise', 'lint', file], {cwd: REPO, reject: false})
      expect(result.exitCode, result.stderr).toBe(2)
      const expected = readFileSync(path.join(REPO, file.replace(/\.yaml$/, '.expected')), 'utf8')
      for (const line of expected.trimEnd().split('\n')) expect(result.stderr).toContain(line)
    }
  })
})
