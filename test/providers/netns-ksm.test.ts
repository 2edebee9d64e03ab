import {execFileSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {mergeableArgv} from '../../src/linux/ksm.js'

const run = (argv: string[]) => execFileSync(argv[0], argv.slice(1), {encoding: 'utf8'})

describe('FRR daemons started mergeable (linux/ksm.ts)', () => {
  it('the launched program has KSM merging and fixed addresses, after exec', () => {
    expect(run(mergeableArgv(['cat', '/proc/self/ksm_stat']))).toMatch(/^ksm_merge_any: yes$/m)
    // ADDR_NO_RANDOMIZE: the same heap layout in every daemon, so their pages are identical.
    expect(run(mergeableArgv(['cat', '/proc/self/personality'])).trim()).toBe('00040000')
    expect(run(['cat', '/proc/self/personality']).trim()).toBe('00000000')
  })

  it('passes every argument through untouched (no shell)', () => {
    const args = ['a b', '$HOME;x', "it's", '*', '']
    expect(run(mergeableArgv(['printf', '[%s]', ...args]))).toBe(args.map((a) => `[${a}]`).join(''))
  })

  it('a missing program is a clear failure, not a shell error', () => {
    expect(() => execFileSync('perl', mergeableArgv(['/nonexistent/zebra']).slice(1), {stdio: 'pipe'})).toThrow(/nonexistent\/zebra: No such file/)
  })
})
