// What `lab verify` runs: the default suite expanded from the plan, declared checks merged in,
// bounded parallelism, bounded retries, --only/--skip; and the three views of the result.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv} from 'ajv'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'
import type {ExecResult, NodeExecutor} from '../../src/io/executor.js'
import {escapeXml, formatJunit} from '../../src/verify/report/junit.js'
import {formatTable} from '../../src/verify/report/table.js'
import {runChecks, spread} from '../../src/verify/runner.js'
import {buildSuite, defaultSuite} from '../../src/verify/suite.js'
import type {PreparedCheck, VerifyResult} from '../../src/verify/types.js'
import {verifyLab} from '../../src/verify/verify.js'
import {fixture, ROOT, shippedPlan} from './verify-helpers.js'

const names = (checks: PreparedCheck[]) => checks.map((c) => `${c.kind} ${c.name}`)

describe('the suite', () => {
  it('expands the default suite: sessions per router, one ping per host pair, ECMP per leaf pair', () => {
    const plan = shippedPlan('two-spine-two-leaf')
    expect(names(defaultSuite(plan))).toEqual(['bgp spine1', 'bgp spine2', 'bgp leaf1', 'bgp leaf2', 'bgp host2', 'ping host1 -> host2', 'ecmp leaf1 -> leaf2', 'ecmp leaf2 -> leaf1'])
  })

  it('lets a declared check that asserts the same thing take the default one\'s place', () => {
    const suite = buildSuite(shippedPlan('two-spine-two-leaf'))
    expect(names(suite)).toEqual([
      'bgp spine1',
      'bgp spine2',
      'bgp leaf1',
      'bgp leaf2',
      'bgp host2',
      'ping host1 -> host2',
      'ecmp leaf1 -> leaf2',
      'ecmp leaf2 -> leaf1',
      'iperf host1 -> host2 at 1+ Gbit/s',
      'path host1 -> host2 via leaf1, leaf2',
    ])
    expect(suite.find((c) => c.kind === 'iperf')).toMatchObject({exclusive: true, settles: false})
  })

  it('keeps declared checks that say something else', () => {
    const suite = buildSuite(shippedPlan('routing-on-the-host'))
    // Default ECMP checks run leaf to leaf; the declared ones here aim at hosts.
    expect(names(suite).filter((n) => !/^(bgp (spine|leaf|host)\d|ping|ecmp leaf\d+ -> leaf)/.test(n) || n.includes(':'))).toEqual([
      'ecmp leaf1 -> host2',
      'ecmp spine1 -> host3',
      'route leaf1 has host2',
    ])
    expect(names(suite)).toContain('bgp host3') // established: 2 is all of host3's sessions: the default check
  })

  it('scales: 4 spines, 8 leaves, 16 hosts', () => {
    const suite = defaultSuite(shippedPlan('four-spine-eight-leaf'))
    const count = (kind: string) => suite.filter((c) => c.kind === kind).length
    expect([count('bgp'), count('ping'), count('ecmp')]).toEqual([4 + 8 + 1, (16 * 15) / 2, 8 * 7])
  })
})

/** A fake lab: answers from a table of outputs, records what ran and how many ran at once. */
function fakeExecutor(answer: (node: string, argv: readonly string[]) => ExecResult, delayMs = 5) {
  let inFlight = 0
  const record = {maxInFlight: 0, calls: [] as string[]}
  const executor: NodeExecutor = {
    async exec(node, argv) {
      record.calls.push(`${node}: ${argv.join(' ')}`)
      inFlight++
      record.maxInFlight = Math.max(record.maxInFlight, inFlight)
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      inFlight--
      return answer(node, argv)
    },
  }
  return {executor, record}
}

const healthy = (node: string, argv: readonly string[]): ExecResult => {
  const command = argv.join(' ')
  const out = (stdout: string) => ({stdout, stderr: '', exitCode: 0})
  if (command.includes('summary json')) return out(fixture(`frr/${node}-bgp-ipv4-summary.json`))
  if (command.includes('show ip route json') && node === 'leaf1') return out(fixture('frr/leaf1-route-leaf2-loopback.json'))
  if (command.includes('show ip route json') && node === 'leaf2') return out(fixture('frr/leaf1-route-leaf2-loopback.json').replaceAll('10.0.0.4', '10.0.0.3'))
  if (argv[0] === 'ping') return out(fixture('verify/ping-host1-host2.txt'))
  if (argv[0] === 'fping') return out(fixture('scale/fping-host1-host2.txt'))
  throw new Error(`unexpected ${node}: ${command}`)
}

describe('the runner', () => {
  const plan = shippedPlan('two-spine-two-leaf')
  // spine2 has its own captured summary only in the link-down state; give it spine1's shape.
  const answer = (node: string, argv: readonly string[]) => healthy(node === 'spine2' ? 'spine1' : node, argv)

  it('runs the default suite, at most N busy checks at once (pings beside them)', async () => {
    const {executor, record} = fakeExecutor(answer)
    const results = await runChecks(defaultSuite(plan), {executor, concurrency: 3, waitMs: 0})
    expect(results.map((r) => r.status)).toEqual(Array(8).fill('pass'))
    expect(record.maxInFlight).toBeLessThanOrEqual(3 + 1)
    expect(record.maxInFlight).toBeGreaterThan(1)
    const bgpOnly = fakeExecutor(answer)
    await runChecks(defaultSuite(plan), {executor: bgpOnly.executor, concurrency: 2, waitMs: 0, only: ['bgp']})
    expect(bgpOnly.record.maxInFlight).toBe(2)
  })

  it('retries a settling check until it passes, within the wait', async () => {
    let attempts = 0
    const settling = (node: string, argv: readonly string[]) => {
      if (node === 'leaf1' && argv.join(' ').includes('summary')) {
        attempts++
        if (attempts < 3) return {stdout: fixture('frr/leaf1-bgp-ipv4-summary-spine2-link-down.json'), stderr: '', exitCode: 0}
      }
      if (argv[0] === 'ip' || argv.join(' ').includes('neighbors')) return {stdout: '[]', stderr: '', exitCode: 0}
      return answer(node, argv)
    }
    const {executor} = fakeExecutor(settling)
    const results = await runChecks(defaultSuite(plan), {executor, concurrency: 4, waitMs: 5_000, pollMs: 20})
    expect(attempts).toBe(3)
    expect(results.find((r) => r.name === 'leaf1')?.status).toBe('pass')
  })

  it('gives up when the wait expires, with the last attempt\'s detail', async () => {
    const broken = (node: string, argv: readonly string[]) => {
      if (argv[0] === 'ping') return {stdout: fixture('verify/ping-no-reply.txt'), stderr: '', exitCode: 1}
      if (argv[0] === 'fping') return {stdout: '', stderr: fixture('scale/fping-host1-host2-no-reply.txt'), exitCode: 1}
      return answer(node, argv)
    }
    const {executor, record} = fakeExecutor(broken)
    const started = Date.now()
    const results = await runChecks(defaultSuite(plan), {executor, concurrency: 4, waitMs: 300, pollMs: 50})
    expect(Date.now() - started).toBeLessThan(1_500)
    const ping = results.find((r) => r.kind === 'ping')!
    expect(ping).toMatchObject({status: 'fail', detail: '0/3 replies from host2 (10.0.0.5) from 10.1.0.2, expected 3/3; no answer'})
    // The first attempt reads the host's fping; the retries ping the pair alone.
    expect(record.calls.filter((c) => c.startsWith('host1: fping'))).toHaveLength(1)
    const pings = record.calls.filter((c) => c.startsWith('host1: ping')).length
    expect(pings).toBeGreaterThan(0)
    expect(pings).toBeLessThan(10)
  })

  it('asks each node for its routing table once, however many checks read it; pings run more at once', async () => {
    const fabric = shippedPlan('four-spine-eight-leaf')
    const table = fixture('frr/fabric4x8-leaf1-route-table.json')
    const {executor, record} = fakeExecutor((node) => ({stdout: node === 'leaf1' ? table : '{}', stderr: '', exitCode: 0}), 20)
    const results = await runChecks(defaultSuite(fabric), {executor, concurrency: 3, waitMs: 0, only: ['ecmp']})
    expect(results.filter((r) => r.kind === 'ecmp' && r.name.startsWith('leaf1 ')).map((r) => r.status)).toEqual(Array(7).fill('pass'))
    expect(record.calls.filter((c) => c === 'leaf1: vtysh -d zebra -c show ip route json')).toHaveLength(1)
    expect(record.calls).toHaveLength(8)
    // 16 hosts, 120 pairs: one fping per host that has a later host to reach (15), never one per pair.
    const pings = fakeExecutor(() => ({stdout: fixture('scale/fping-host1-host2.txt'), stderr: '', exitCode: 0}), 20)
    await runChecks(defaultSuite(fabric), {executor: pings.executor, concurrency: 3, waitMs: 0, only: ['ping']})
    expect(pings.record.calls.filter((c) => c.includes(': fping '))).toHaveLength(15)
    expect(pings.record.calls).toHaveLength(15)
    expect(pings.record.maxInFlight).toBeLessThanOrEqual(6)
  })

  it('spreads checks sharing one probe so that different probes run at once, results in suite order', () => {
    const shares = ['a', 'a', 'a', undefined, 'b', 'b', 'c']
    expect(spread([0, 1, 2, 3, 4, 5, 6], (i) => shares[i])).toEqual([0, 3, 4, 6, 1, 5, 2])
  })

  it('a retry asks again rather than reuse the answer it failed on', async () => {
    let fetches = 0
    const {executor} = fakeExecutor((node, argv) => {
      if (node === 'leaf2') return answer(node, argv)
      fetches++
      return {stdout: fixture(fetches < 3 ? 'frr/leaf1-route-leaf2-loopback-spine2-link-down.json' : 'frr/leaf1-route-leaf2-loopback.json'), stderr: '', exitCode: 0}
    })
    const results = await runChecks(defaultSuite(plan), {executor, concurrency: 2, waitMs: 2_000, pollMs: 20, only: ['ecmp']})
    expect(results.find((r) => r.name === 'leaf1 -> leaf2')?.status).toBe('pass')
    expect(fetches).toBe(3)
  })

  it('a throwing executor fails the check, not the run', async () => {
    const executor: NodeExecutor = {exec: async () => Promise.reject(new Error('namespace lab_x_leaf1 does not exist'))}
    const results = await runChecks(defaultSuite(plan).slice(0, 1), {executor, concurrency: 1, waitMs: 0})
    expect(results[0]).toMatchObject({status: 'fail', detail: 'spine1: cannot read BGP state: namespace lab_x_leaf1 does not exist'})
  })

  it('--only and --skip leave the other kinds as skipped', async () => {
    const {executor, record} = fakeExecutor(answer)
    const results = await runChecks(defaultSuite(plan), {executor, concurrency: 4, waitMs: 0, only: ['ping']})
    expect(results.map((r) => r.status)).toEqual(['skip', 'skip', 'skip', 'skip', 'skip', 'pass', 'skip', 'skip'])
    expect(results[0].detail).toBe('not in --only ping')
    expect(record.calls).toEqual(['host1: fping -c 3 -p 200 -t 1000 -i 1 -S 10.1.0.2 10.0.0.5'])
    const skipped = await runChecks(defaultSuite(plan), {executor, concurrency: 4, waitMs: 0, skip: ['bgp', 'ecmp']})
    expect(skipped.filter((r) => r.status === 'skip').map((r) => r.kind)).toEqual(['bgp', 'bgp', 'bgp', 'bgp', 'bgp', 'ecmp', 'ecmp'])
  })
})

describe('the result and its views', () => {
  const sample: VerifyResult = {
    lab: 'two-spine-two-leaf',
    provider: 'netns',
    passed: 1,
    failed: 1,
    skipped: 1,
    durationMs: 1234,
    checks: [
      {kind: 'ping', name: 'host1 -> host2', status: 'pass', detail: '3/3 replies from host2 (10.0.0.5) from 10.1.0.2, rtt 0.083 ms', durationMs: 412},
      {kind: 'bgp', name: 'leaf1', status: 'fail', detail: 'leaf1: 1 of 2 sessions Established; swp52 (spine2) Idle & <"odd"> \u0007', durationMs: 3005},
      {kind: 'iperf', name: 'host1 -> host2 at 1+ Gbit/s', status: 'skip', detail: 'skipped by --skip iperf', durationMs: 0},
    ],
  }
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/verify-result.schema.json'), 'utf8'))

  it('the JSON matches the schema kept in the repository', async () => {
    const validate = new Ajv({allErrors: true}).compile(schema)
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({...sample, checks: [{...sample.checks[0], status: 'ok'}]})).toBe(false)
    const {executor} = fakeExecutor((node, argv) => healthy(node === 'spine2' ? 'spine1' : node, argv))
    const plan = {...shippedPlan('two-spine-two-leaf'), checks: []}
    const live = await verifyLab(plan, executor, {provider: 'fake', concurrency: 4, waitMs: 0})
    expect(validate(JSON.parse(JSON.stringify(live))), JSON.stringify(validate.errors)).toBe(true)
    expect(live).toMatchObject({lab: 'two-spine-two-leaf', provider: 'fake', passed: 8, failed: 0, skipped: 0})
  })

  it('the table has a line per check and a summary line', () => {
    const table = formatTable(sample, 200)
    const lines = table.split('\n')
    expect(lines[1]).toMatch(/^PASS {2}ping {3}host1 -> host2 +412 ms {2}3\/3 replies/)
    expect(lines[2]).toMatch(/^FAIL {2}bgp {4}leaf1 +3\.0 s {2}leaf1: 1 of 2 sessions Established/)
    expect(lines[3]).toMatch(/^SKIP {2}iperf/)
    expect(lines.at(-1)).toBe('FAILED: 1 passed, 1 failed, 1 skipped in 1.2 s (lab two-spine-two-leaf, provider netns)')
  })

  it('the JUnit file is well-formed XML that CI systems read', () => {
    const xml = formatJunit(sample, new Date('2026-01-02T03:04:05Z'))
    expect(XMLValidator.validate(xml)).toBe(true)
    const parsed = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase'}).parse(xml)
    const suite = parsed.testsuites.testsuite
    expect(parsed.testsuites).toMatchObject({tests: '3', failures: '1', skipped: '1', errors: '0'})
    expect(suite).toMatchObject({name: 'two-spine-two-leaf', tests: '3', failures: '1', timestamp: '2026-01-02T03:04:05'})
    expect(suite.testcase.map((t: {name: string; classname: string; time: string}) => [t.classname, t.name, t.time])).toEqual([
      ['two-spine-two-leaf.ping', 'host1 -> host2', '0.412'],
      ['two-spine-two-leaf.bgp', 'leaf1', '3.005'],
      ['two-spine-two-leaf.iperf', 'host1 -> host2 at 1+ Gbit/s', '0.000'],
    ])
    expect(suite.testcase[1].failure.message).toBe('leaf1: 1 of 2 sessions Established; swp52 (spine2) Idle & <"odd">')
    expect(suite.testcase[2].skipped.message).toBe('skipped by --skip iperf')
    expect(escapeXml(`a&b<c>"d"'e'\u0000`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;')
  })
})
