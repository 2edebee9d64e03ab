// Broken topologies: every fixture under test/fixtures/bad/ has a sibling .expected file with the
// exact diagnostics (file:line:column, message, fix). Each goes through the pure loader and through
// the CLI (`validate` and `render`), which must exit 2, print the same located messages and write nothing.
// UPDATE_GOLDEN=1 rewrites the .expected files from the loader's output: review the diff.
import {execa} from 'execa'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {linkPortLimits} from '../../src/providers/registry.js'
import {formatDiagnostic} from '../../src/topology/diagnostics.js'
import {loadTopology} from '../../src/topology/load.js'
import {mapLimit, PROCESS_LIMIT} from '../support/limit.js'
import {BIN, REPO} from '../support/paths.js'

const BAD_DIR = 'test/fixtures/bad'
const UPDATE = process.env.UPDATE_GOLDEN === '1'

interface Fixture {
  name: string
  /** As the user would type it from the repository root: diagnostics name this path. */
  file: string
  text: string
  /** Extra CLI flags from a "# lab-test-args: …" first line (e.g. --provider vagrant). */
  args: string[]
  expectedPath: string
}

const fixtures: Fixture[] = readdirSync(path.join(REPO, BAD_DIR))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => {
    const file = `${BAD_DIR}/${f}`
    const text = readFileSync(path.join(REPO, file), 'utf8')
    const args = /^# lab-test-args: (.*)$/m.exec(text)?.[1].split(' ') ?? []
    return {name: f.replace(/\.yaml$/, ''), file, text, args, expectedPath: path.join(REPO, BAD_DIR, f.replace(/\.yaml$/, '.expected'))}
  })

function providerOf(args: string[]): string | undefined {
  const i = args.indexOf('--provider')
  return i >= 0 ? args[i + 1] : undefined
}

function loaderOutput(fixture: Fixture): {text: string; errors: number; valid: boolean} {
  const {topology, diagnostics} = loadTopology(fixture.text, fixture.file, {limits: linkPortLimits(providerOf(fixture.args) ?? 'netns')})
  return {
    text: diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join(''),
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    valid: topology !== undefined,
  }
}

describe('bad topologies', () => {
  it('has a broad suite: at least 30 fixtures, each with its expected messages', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30)
    if (!UPDATE) for (const f of fixtures) expect(existsSync(f.expectedPath), `${f.expectedPath} is missing (run with UPDATE_GOLDEN=1 and review)`).toBe(true)
  })

  describe.each(fixtures)('$name (pure loader)', (fixture) => {
    it('is rejected with exactly the expected located diagnostics', () => {
      const {text, valid, errors} = loaderOutput(fixture)
      if (UPDATE) writeFileSync(fixture.expectedPath, text)
      expect(valid).toBe(false)
      expect(errors).toBeGreaterThan(0)
      expect(text).toBe(readFileSync(fixture.expectedPath, 'utf8'))
      // Every error is located: file:line:column at the start of its line.
      for (const line of text.split('\n').filter((l) => / (error|warning): /.test(l))) {
        expect(line).toMatch(new RegExp(`^${fixture.file.replaceAll('.', '\\.')}:\\d+:\\d+: (error|warning): `))
      }
    })
  })

  describe('through the CLI', () => {
    let tmp: string
    beforeAll(() => {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-bad-'))
    })
    afterAll(() => rmSync(tmp, {recursive: true, force: true}))

    const commandLines = (fixture: Fixture) => [
      ['validate', fixture.file, ...fixture.args],
      ['render', fixture.file, '--out', path.join(tmp, fixture.name), ...fixture.args],
    ]
    const env = () => ({LAB_HOME: path.join(tmp, 'labs')})

    function expectRejected(fixture: Fixture, result: {argv: string[]; exitCode?: number; stdout: string; stderr: string}) {
      const {text, errors} = loaderOutput(fixture)
      const label = `lab ${result.argv.join(' ')}`
      expect(result.exitCode, label).toBe(2)
      expect(result.stderr, label).toBe(`${text}${errors} problem${errors === 1 ? '' : 's'} found; nothing was written.\n`)
      expect(result.stdout, label).toBe('')
    }

    // Every fixture, both commands, through oclif in one process (test/support/cli-batch.mjs):
    // a Node + oclif start-up per command line would cost ~0.8 s each, ~100 of them.
    it('validate and render exit 2 on every fixture, print the located messages, and write nothing', async () => {
      const argvs = fixtures.flatMap(commandLines)
      const batch = await execa('node', [path.join(REPO, 'test/support/cli-batch.mjs'), JSON.stringify(argvs)], {cwd: REPO, env: env()})
      const results = JSON.parse(batch.stdout) as {argv: string[]; exitCode?: number; stdout: string; stderr: string}[]
      expect(results).toHaveLength(argvs.length)
      results.forEach((result, i) => expectRejected(fixtures[Math.floor(i / 2)], result))
      expect(readdirSync(tmp)).toEqual([]) // no --out directory, no labs/ directory
    })

    it('render refuses a --name that cannot name a lab, before writing anything', async () => {
      const argvs = [
        ['render', 'two-spine-two-leaf', '--name', 'Bad Name', '--out', path.join(tmp, 'bad-name')],
        ['render', 'two-spine-two-leaf', '--name', 'a-very-long-lab-name-for-class', '--out', path.join(tmp, 'long-name')],
      ]
      const batch = await execa('node', [path.join(REPO, 'test/support/cli-batch.mjs'), JSON.stringify(argvs)], {cwd: REPO, env: env()})
      expect(JSON.parse(batch.stdout).map((r: {exitCode: number; stderr: string}) => [r.exitCode, r.stderr])).toEqual([
        [2, 'error: lab name "Bad Name" must be lowercase letters, digits and "-", starting with a letter\n  fix: use lowercase letters, digits and "-", e.g. --name my-lab\n'],
        [2, 'error: lab name "a-very-long-lab-name-for-class" must be at most 24 characters\n  fix: use lowercase letters, digits and "-", e.g. --name my-lab\n'],
      ])
      expect(readdirSync(tmp)).toEqual([])
    })

    // And a spread of fixtures through the real binary, one process per command line, as a user runs it.
    // LAB_TEST_FULL_CLI=1 puts every fixture through the binary (~2 minutes on two cores).
    const sample = process.env.LAB_TEST_FULL_CLI === '1' ? fixtures.map((f) => f.name) : ['several-problems', 'yaml-syntax', 'empty', 'too-many-nics-vagrant']
    it('`node bin/run.js validate|render` behaves the same, with no stack trace', async () => {
      const runs = fixtures.filter((f) => sample.includes(f.name)).flatMap((fixture) => commandLines(fixture).map((argv) => ({fixture, argv})))
      expect(runs).toHaveLength(sample.length * 2)
      const results = await mapLimit(runs, PROCESS_LIMIT, ({argv}) => execa('node', [BIN, ...argv], {cwd: REPO, reject: false, env: env()}))
      results.forEach((result, i) => {
        expectRejected(runs[i].fixture, {argv: runs[i].argv, exitCode: result.exitCode, stdout: result.stdout, stderr: `${result.stderr}\n`})
        expect(result.stderr).not.toMatch(/\n\s+at /)
      })
      expect(readdirSync(tmp)).toEqual([])
    }, 600_000)
  })
})

describe('the VirtualBox NIC limit', () => {
  // 36 leaves on one spine: 36 links, one more than a VirtualBox VM takes besides its management NIC.
  const text = 'name: wide\nfabric: { spines: 1, leaves: 36, hosts_per_leaf: 0 }\n'
  const expected = 'wide.yaml:2:1: %s: spine1 has 36 links; a VirtualBox VM takes at most 35 besides its management NIC\n  fix: use fewer links per node for the vagrant provider (the netns provider has no such limit)'

  it('is only a warning for the netns provider (the default)', () => {
    for (const options of [{limits: linkPortLimits()}, {limits: linkPortLimits('netns')}]) {
      const {topology, diagnostics} = loadTopology(text, 'wide.yaml', options)
      expect(topology).toBeDefined()
      expect(diagnostics.map(formatDiagnostic)).toEqual([expected.replace('%s', 'warning')])
    }
  })

  it('is an error for the vagrant provider', () => {
    const {topology, diagnostics} = loadTopology(text, 'wide.yaml', {limits: linkPortLimits('vagrant')})
    expect(topology).toBeUndefined()
    expect(diagnostics.map(formatDiagnostic)).toEqual([expected.replace('%s', 'error')])
  })

  it('lets `lab validate` succeed with the warning on stderr', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-wide-'))
    try {
      writeFileSync(path.join(dir, 'wide.yaml'), text)
      const result = await execa('node', [BIN, 'validate', 'wide.yaml'], {cwd: dir, reject: false})
      expect(result.exitCode).toBe(0)
      expect(result.stderr).toContain('wide.yaml:2:1: warning: spine1 has 36 links')
      expect(result.stdout).toContain('valid: wide')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
