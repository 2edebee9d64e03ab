// The class group's generated files, checked by the real tools that read them (sh, visudo), and the
// rule that what root runs for students is writable by root alone.
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, describe, expect, it} from 'vitest'
import {assertOnlyRootWrites, helperScript, sudoersRule} from '../../src/io/class-group.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-class-group-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))
const asRoot = process.getuid?.() === 0

describe('the class helper script', () => {
  it("passes every argument through untouched and quotes paths with a quote in them", async () => {
    const entry = path.join(tmp, "it's here", 'run.js')
    mkdirSync(path.dirname(entry), {recursive: true})
    writeFileSync(entry, 'console.log(JSON.stringify([process.env.LAB_CLASS_HELPER, ...process.argv.slice(2)]))\n')
    const script = path.join(tmp, 'helper')
    writeFileSync(script, helperScript('netlab', process.execPath, entry), {mode: 0o755})
    const result = await execa(script, ['exec', 'leaf1', '--', 'sh', '-c', 'echo "$HOME" * ; x'])
    expect(JSON.parse(result.stdout)).toEqual(['1', 'exec', 'leaf1', '--', 'sh', '-c', 'echo "$HOME" * ; x'])
  })
})

describe.skipIf(!asRoot)('the sudoers rule and the ownership check (root)', () => {
  it('visudo accepts the rule', async () => {
    const file = path.join(tmp, 'rule')
    writeFileSync(file, sudoersRule('netlab'), {mode: 0o440})
    const check = await execa('visudo', ['-cf', file], {reject: false, all: true})
    expect(check.exitCode, check.all).toBe(0)
    expect(sudoersRule('netlab')).toMatch(/^%netlab ALL=\(root\) NOPASSWD: \/usr\/local\/libexec\/lab\/class-helper$/m)
  })

  it('refuses a file others may change, or one in a directory they may write; a sticky /tmp is fine', () => {
    const dir = path.join(tmp, 'shared')
    mkdirSync(dir, {recursive: true})
    const file = path.join(dir, 'run.js')
    writeFileSync(file, '')
    chmodSync(dir, 0o755)
    chmodSync(file, 0o644)
    expect(() => assertOnlyRootWrites(file)).not.toThrow()
    chmodSync(file, 0o666)
    expect(() => assertOnlyRootWrites(file)).toThrow(`${file} can be changed by someone other than root`)
    chmodSync(file, 0o644)
    chmodSync(dir, 0o777)
    expect(() => assertOnlyRootWrites(file)).toThrow(`${dir} can be changed by someone other than root`)
    chmodSync(dir, 0o1777)
    expect(() => assertOnlyRootWrites(file)).not.toThrow()
  })
})
