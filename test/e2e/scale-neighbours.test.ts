// e2e (root, real namespaces, real FRR): a lab that needs more of the kernel's neighbour table than
// it has converges, because lab up raises the table first (and says so), and a small lab beside it
// converges too. The table is machine-wide; the test shrinks it to just above what the machine
// holds now (so the lab needs more than the table) and restores the values it found in a finally.
// About 30 s on a quiet 2-core machine (44 routers + 6 nodes).
import {readFileSync, writeFileSync} from 'node:fs'
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {canRunNetns, lab, leftovers, NOTHING_LEFT, removeLab} from './netns-support.js'

const BIG = 'z12-neigh-big'
const SMALL = 'z12-neigh-small'
const families = ['ipv4', 'ipv6'] as const
const key = (family: string, i: number) => `/proc/sys/net/${family}/neigh/default/gc_thresh${i}`
const readThresholds = () => families.map((f) => [1, 2, 3].map((i) => Number(readFileSync(key(f, i), 'utf8').trim())))
const writeThresholds = (values: number[][]) =>
  families.forEach((f, n) => [3, 2, 1].forEach((i) => writeFileSync(key(f, i), `${values[n][i - 1]}\n`))) // thresh3 first: never below thresh2
const ndiscEntries = () => Number.parseInt(readFileSync('/proc/net/stat/ndisc_cache', 'utf8').split('\n')[1].trim().split(/\s+/)[0], 16)

describe.skipIf(!canRunNetns)('machine-wide limits: the neighbour table', () => {
  afterAll(async () => {
    await removeLab(BIG)
    await removeLab(SMALL)
  })

  it('a lab needing more neighbour entries than the table holds converges beside a small lab', {timeout: 300_000}, async () => {
    const found = readThresholds()
    // 4 spines × 40 leaves: 160 unnumbered links, 320 IPv6 neighbours (one per link end).
    const dir = mkdtempSync(path.join(os.tmpdir(), 'z12-'))
    const file = path.join(dir, 'neigh.yaml')
    writeFileSync(file, 'name: neigh\nfabric: { spines: 4, leaves: 40, hosts_per_leaf: 0 }\n')
    try {
      // Room for what other labs on the machine hold now, but not for this lab's 320 entries.
      const now = ndiscEntries()
      const small = [Math.min(128, now + 64), now + 128, now + 256]
      writeThresholds([small, small])
      const big = await lab(['up', file, '--name', BIG, '--timeout', '120'])
      expect(big.exitCode, big.stderr).toBe(0)
      expect(big.stderr).toMatch(new RegExp(`raised net\\.ipv6\\.neigh\\.default\\.gc_thresh3 ${small[2]} → \\d+ \\(\\d+ entries now \\+ 320 for this lab; machine-wide, until reboot\\)`))
      const raised = readThresholds()[1]
      expect(raised[2]).toBeGreaterThan(now + 320)
      expect(ndiscEntries()).toBeGreaterThan(small[2]) // the lab really holds more than the table it was given
      const beside = await lab(['up', 'two-spine-two-leaf', '--name', SMALL, '--json'])
      expect(beside.exitCode, beside.stderr).toBe(0)
      expect(JSON.parse(beside.stdout)).toMatchObject({nodes: 6, sessions: 10})
      const verify = await lab(['verify', SMALL, '--only', 'bgp,ping,ecmp', '--json'])
      expect(JSON.parse(verify.stdout)).toMatchObject({failed: 0})
    } finally {
      await removeLab(BIG)
      await removeLab(SMALL)
      writeThresholds(found)
    }
    expect(readThresholds()).toEqual(found)
    expect(await leftovers(BIG)).toEqual(NOTHING_LEFT)
  })
})
