// `lab flow` on a real lab (root, namespaces, FRR): the path it reports matches byte counters the
// test reads itself, straight from the spines' namespaces (ip -n, not through lab): the spine it
// names carried the flow's bytes, the other spine did not. Then the flow check, passing and failing.
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {FlowResult} from '../../src/flow/flow.js'
import type {VerifyResult} from '../../src/verify/types.js'
import {canRunNetns, lab, leftovers, NOTHING_LEFT} from './netns-support.js'

const LAB = 'c13-flow'

async function spineTx(): Promise<Map<string, number>> {
  const sent = new Map<string, number>()
  for (const spine of ['spine1', 'spine2']) {
    const {stdout} = await execa('ip', ['-n', `lab_${LAB}_${spine}`, '-j', '-s', 'link', 'show'])
    const links = JSON.parse(stdout) as {ifname: string; stats64: {tx: {bytes: number}}}[]
    sent.set(spine, links.filter((l) => l.ifname !== 'lo').reduce((sum, l) => sum + l.stats64.tx.bytes, 0))
  }
  return sent
}

describe.runIf(canRunNetns)('lab flow', () => {
  beforeAll(async () => {
    const up = await lab(['up', 'test/fixtures/flow/two-spine-flows.yaml', '--name', LAB])
    expect(up.exitCode, up.stderr).toBe(0)
  })
  afterAll(async () => {
    await lab(['down', LAB])
    expect(await leftovers(LAB)).toEqual(NOTHING_LEFT)
  })

  it('reports the spine that carried the bytes, as counters read independently show', async () => {
    const before = await spineTx()
    const flow = await lab(['flow', '--lab', LAB, 'host2', 'host1', '--seconds', '2', '--json'])
    const after = await spineTx()
    expect(flow.exitCode, flow.stderr).toBe(0)
    const result = JSON.parse(flow.stdout) as FlowResult
    expect(result.complete).toBe(true)
    expect(result.path[0]).toBe('host2')
    expect(result.path.at(-1)).toBe('host1')
    const spine = result.path.find((n) => n.startsWith('spine'))!
    const other = spine === 'spine1' ? 'spine2' : 'spine1'
    expect(result.path).toEqual(['host2', 'leaf2', spine, 'leaf1', 'host1'])
    const carried = (name: string) => after.get(name)! - before.get(name)!
    // iperf3 counts what the client wrote; the tail of its socket buffer may still be in flight (or
    // dropped at close) when it reports: the wire carries nearly all of it, headers on top.
    expect(carried(spine)).toBeGreaterThan(result.bytes * 0.95)
    expect(carried(other)).toBeLessThan(result.bytes / 20)
    // The human view is the same path.
    const text = await lab(['flow', '--lab', LAB, 'host1', 'host2', '--seconds', '1'])
    expect(text.stdout).toMatch(/^host1 -> leaf1 -> spine[12] -> leaf2 -> host2$/m)
  })

  it('the flow check passes via the leaves in order and fails in the wrong order', async () => {
    const verify = await lab(['verify', LAB, '--json', '--only', 'flow'])
    const result = JSON.parse(verify.stdout) as VerifyResult
    result.checks = result.checks.filter((c) => c.kind === 'flow')
    expect(result.checks.map((c) => [c.name, c.status])).toEqual([['host1 -> host2 via leaf1, leaf2', 'pass'], ['wrong order', 'fail']])
    expect(result.checks[1].detail).toMatch(/^host1 -> leaf1 -> spine[12] -> leaf2 -> host2 at [\d.]+ Gbit\/s; expected via leaf2, leaf1$/)
  })
})
