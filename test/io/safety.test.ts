// Unit: the smaller items of "safe on a shared server" that need no lab: a catastrophic exec-check
// pattern is stopped, reports are written only where they should be, environment errors name their cause.
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {evaluateExec} from '../../src/kinds/checks/exec.js'
import {environmentError} from '../../src/io/environment-error.js'
import {writeReportFile} from '../../src/io/report-file.js'
import {parseSource} from '../../src/topology/source.js'

const dir = mkdtempSync(path.join(tmpdir(), 'lab-safety-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('exec check patterns are bounded in time', () => {
  it('^(a+)+$ on a long non-matching line fails in about a second, naming the pattern', () => {
    const started = Date.now()
    const verdict = evaluateExec({node: 'host1', command: 'echo', expect: '^(a+)+$'}, {stdout: `${'a'.repeat(40)}b\n`, stderr: '', exitCode: 0})
    expect(Date.now() - started).toBeLessThan(5000)
    expect(verdict.status).toBe('fail')
    expect(verdict.detail).toMatch(/took over 1 s .*simplify the pattern/)
  })
  it('ordinary patterns still match', () => {
    expect(evaluateExec({node: 'h', command: 'id -u', expect: '^0$'}, {stdout: '0\n', stderr: '', exitCode: 0}).status).toBe('pass')
  })
})

describe('--junit reports', () => {
  it('refuses /proc at once, a missing directory (none is created), and a symlink', () => {
    expect(() => writeReportFile('/proc/nope/x.xml', '<x/>')).toThrow(/is not a place for files/)
    expect(() => writeReportFile(path.join(dir, 'new', 'x.xml'), '<x/>')).toThrow(/does not exist \(lab does not create directories\)/)
    writeFileSync(path.join(dir, 'target'), 'keep')
    symlinkSync(path.join(dir, 'target'), path.join(dir, 'link.xml'))
    expect(() => writeReportFile(path.join(dir, 'link.xml'), '<x/>')).toThrow(/symbolic link/)
    expect(readFileSync(path.join(dir, 'target'), 'utf8')).toBe('keep')
    mkdirSync(path.join(dir, 'adir.xml'))
    expect(() => writeReportFile(path.join(dir, 'adir.xml'), '<x/>')).toThrow(/not a regular file/)
  })
  it('writes a regular file in an existing directory', () => {
    writeReportFile(path.join(dir, 'ok.xml'), '<ok/>')
    expect(readFileSync(path.join(dir, 'ok.xml'), 'utf8')).toBe('<ok/>')
  })
})

describe('environment errors', () => {
  it.each([
    ['ENOSPC', /no space left on the device \(ENOSPC\) while write \/x\/labs\/a\/plan.json/, /free space on the filesystem holding \/x\/labs\/a/],
    ['EROFS', /read-only \(EROFS\)/, /writable directory/],
    ['ENAMETOOLONG', /path is too long/, /shorter/],
    ['EACCES', /permission denied/, /sudo|directory you own/],
  ])('%s names the cause, the path and the fix', (code, message, fix) => {
    const error = Object.assign(new Error(`${code}: raw`), {code, path: '/x/labs/a/plan.json', syscall: 'write'})
    const mapped = environmentError(error)!
    expect(mapped.message).toMatch(message)
    expect(mapped.fix).toMatch(fix)
  })
  it('leaves other errors alone', () => {
    expect(environmentError(new Error('boom'))).toBeUndefined()
  })
})

describe('YAML merge keys', () => {
  it('are refused with their place, never turned into a node named "<<"', () => {
    const source = parseSource('nodes:\n  leaf1:\n    <<: {role: leaf}\n', 'm.yaml')
    expect(source.syntaxErrors.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual(['3:5 YAML merge keys ("<<") are not supported in a topology file'])
  })
})
