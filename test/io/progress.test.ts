// Progress without a terminal: step lines, a count line at most every few seconds, no per-node
// lines unless --verbose, and every line (details too) in the lab's log.
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {createProgress} from '../../src/io/progress.js'

const scratch = mkdtempSync(path.join(tmpdir(), 'lab-progress-'))

function captureStderr(): {lines: () => string[]; restore: () => void} {
  const written: string[] = []
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  })
  return {lines: () => written.join('').split('\n').filter(Boolean).map((l) => l.replace(/^\s*[\d.]+s/, '')), restore: () => spy.mockRestore()}
}

describe('progress without a terminal', () => {
  afterEach(() => vi.useRealTimers())

  it('prints steps, a count line at most every 5 s (and the last), no per-node lines; the log has everything', () => {
    vi.useFakeTimers()
    const out = captureStderr()
    try {
      const log = path.join(scratch, 'up.log')
      const progress = createProgress({quiet: false, live: false})
      progress.logTo?.(log)
      progress.step('starting FRR')
      for (let i = 1; i <= 1000; i++) {
        vi.advanceTimersByTime(20) // 20 s in all
        progress.detail(`node${i}: zebra, bgpd`)
        progress.count?.(i, 1000)
      }
      progress.done('up')
      expect(out.lines()).toEqual([
        ' ▸ starting FRR',
        '     starting FRR 250/1000',
        '     starting FRR 500/1000',
        '     starting FRR 750/1000',
        '     starting FRR 1000/1000',
        ' ✓ up',
      ])
      const logged = readFileSync(log, 'utf8').split('\n').filter(Boolean)
      expect(logged).toHaveLength(1 + 1000 + 1)
      expect(logged[1]).toMatch(/^\s*[\d.]+s {5}node1: zebra, bgpd$/)
    } finally {
      out.restore()
      rmSync(scratch, {recursive: true, force: true})
    }
  })

  it('--verbose prints every detail; --json prints nothing', () => {
    const out = captureStderr()
    try {
      const verbose = createProgress({quiet: false, verbose: true})
      verbose.step('starting FRR')
      verbose.detail('leaf1: zebra, bgpd')
      createProgress(true).step('not shown')
      expect(out.lines()).toEqual([' ▸ starting FRR', '     leaf1: zebra, bgpd'])
    } finally {
      out.restore()
    }
  })
})
