// Broken topologies: every fixture under test/fixtures/bad/ has a sibling .expected file with the
// exact diagnostics (file:line:column, message, fix). Each goes through the pure loader and through
// the CLI (`validate` and `render`), which must exit 2, print the same located messages and write nothing.
// UPDATE_GOLDEN=1 rewrites the .expected files from the loader's output: review the diff.
import {execa} from 'execa'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {formatDiagnostic} from '../../src/core/diagnostics.js'
import {loadTopology} from '../../src/core/load.js'
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
  const {topology, diagnostics} = loadTopology(fixture.text, fixture.file, {provider: providerOf(fixture.args) ?? 'netns'})
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

    it('validate and render exit 2, print the located messages, and write nothing', async () => {
      const runs = fixtures.flatMap((fixture) => [
        {fixture, argv: ['validate', fixture.file, ...fixture.args]},
        {fixture, argv: ['render', fixture.file, '--out', path.join(tmp, fixture.name), ...fixture.args]},
      ])
      const results = await mapLimit(runs, PROCESS_LIMIT, async (run) => ({
        run,
        result: await execa('node', [BIN, ...run.argv], {cwd: REPO, reject: false, env: {LAB_HOME: path.join(tmp, 'labs')}}),
      }))
      for (const {run, result} of results) {
        const {text, errors} = loaderOutput(run.fixture)
        const label = `lab ${run.argv.join(' ')}`
        expect(result.exitCode, label).toBe(2)
        expect(result.stderr, label).toBe(`${text}${errors} problem${errors === 1 ? '' : 's'} found; nothing was written.`)
        expect(result.stderr, label).not.toMatch(/\n\s+at /) // no stack trace without --debug
      }
      // Nothing rendered anywhere: no --out directory, no labs/ directory.
      expect(readdirSync(tmp)).toEqual([])
    }, 240_000)
  })
})

describe('the VirtualBox NIC limit', () => {
  // 36 leaves on one spine: 36 links, one more than a VirtualBox VM takes besides its management NIC.
  const text = 'name: wide\nfabric: { spines: 1, leaves: 36, hosts_per_leaf: 0 }\n'
  const expected = 'wide.yaml:2:1: %s: spine1 has 36 links; a VirtualBox VM takes at most 35 besides its management NIC\n  fix: use fewer links per node for the vagrant provider (the netns provider has no such limit)'

  it('is only a warning for the netns provider (the default)', () => {
    for (const options of [{}, {provider: 'netns'}]) {
      const {topology, diagnostics} = loadTopology(text, 'wide.yaml', options)
      expect(topology).toBeDefined()
      expect(diagnostics.map(formatDiagnostic)).toEqual([expected.replace('%s', 'warning')])
    }
  })

  it('is an error for the vagrant provider', () => {
    const {topology, diagnostics} = loadTopology(text, 'wide.yaml', {provider: 'vagrant'})
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
