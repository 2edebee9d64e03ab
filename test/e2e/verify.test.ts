// lab verify on a real lab (root, network namespaces, FRR): a healthy two-spine-two-leaf passes every
// check; then it is broken for real (a spine link down, bgpd stopped on a leaf, a wrong route-map on
// the BGP host) and exactly the checks that should fail do, with details that say why; each fault is
// repaired and the lab passes again. The JSON is validated against the schema; the JUnit XML is parsed.
import {chmodSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {Ajv} from 'ajv'
import {execa} from 'execa'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {LabPlan} from '../../src/plan/plan.js'
import {frrConfigPath, readPid, startDaemon} from '../../src/providers/netns/frr.js'
import type {CheckResult, VerifyResult} from '../../src/verify/types.js'
import {BIN, REPO} from '../support/paths.js'

const LAB = 't-verify-e2e'
const TOPOLOGY = 'test/fixtures/verify/every-kind.yaml'
const isRoot = process.getuid?.() === 0
const home = mkdtempSync('/tmp/t-verify-')
chmodSync(home, 0o755) // FRR runs as user frr and must reach the lab's run directory
const labDir = path.join(home, LAB)
const env = {...process.env, LAB_HOME: home}
const validate = new Ajv({allErrors: true}).compile(JSON.parse(readFileSync(path.join(REPO, 'schema/verify-result.schema.json'), 'utf8')))

async function lab(...args: string[]) {
  const result = await execa('node', [BIN, ...args], {cwd: REPO, env, reject: false, stdin: 'ignore'})
  return {stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1}
}

/** `lab verify --json --junit`: the result, checked against the schema, and the JUnit file, parsed. */
async function verify(...flags: string[]): Promise<{result: VerifyResult; exitCode: number; junit: any; check: (kind: string, name: string) => CheckResult}> {
  const junitFile = path.join(home, `junit-${Date.now()}.xml`)
  const {stdout, stderr, exitCode} = await lab('verify', LAB, '--json', '--junit', junitFile, ...flags)
  let result: VerifyResult
  try {
    result = JSON.parse(stdout)
  } catch {
    throw new Error(`lab verify printed no JSON (exit ${exitCode}): ${stdout}\n${stderr}`)
  }
  expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
  const xml = readFileSync(junitFile, 'utf8')
  expect(XMLValidator.validate(xml)).toBe(true)
  const junit = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase'}).parse(xml)
  expect(Number(junit.testsuites.tests)).toBe(result.checks.length)
  expect(Number(junit.testsuites.failures)).toBe(result.failed)
  expect(exitCode).toBe(result.failed > 0 ? 1 : 0)
  const check = (kind: string, name: string) => {
    const found = result.checks.find((c) => c.kind === kind && c.name === name)
    if (!found) throw new Error(`no ${kind} check "${name}" in ${result.checks.map((c) => `${c.kind} ${c.name}`).join(', ')}`)
    return found
  }
  return {result, exitCode, junit, check}
}

/** Until a fault shows (verify's own retries chase passes, not failures), bounded. */
async function until(kind: string, name: string, status: 'pass' | 'fail', timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const {stdout} = await lab('verify', LAB, '--json', '--only', kind, '--wait', '0')
    const found = (JSON.parse(stdout) as VerifyResult).checks.find((c) => c.kind === kind && c.name === name)
    if (found?.status === status) return
    if (Date.now() > deadline) throw new Error(`${kind} ${name} never became ${status}: ${found?.detail}`)
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
}

async function inNode(node: string, ...argv: string[]) {
  const result = await lab('exec', '--lab', LAB, node, '--', ...argv)
  if (result.exitCode !== 0) throw new Error(`lab exec ${node} -- ${argv.join(' ')}: exit ${result.exitCode}: ${result.stderr}${result.stdout}`)
  return result.stdout
}

const statuses = (result: VerifyResult) => Object.fromEntries(result.checks.map((c) => [`${c.kind} ${c.name}`, c.status]))

async function expectHealthyAgain() {
  const {result} = await verify('--wait', '60', '--skip', 'iperf')
  expect(result.checks.filter((c) => c.status === 'fail')).toEqual([])
}

describe.skipIf(!isRoot)('lab verify on a real two-spine-two-leaf', () => {
  beforeAll(async () => {
    const up = await lab('up', TOPOLOGY, '--name', LAB)
    if (up.exitCode !== 0) throw new Error(`lab up failed: ${up.stderr}`)
  })

  afterAll(async () => {
    const down = await lab('down', LAB)
    rmSync(home, {recursive: true, force: true})
    if (down.exitCode !== 0) throw new Error(`lab down failed: ${down.stderr}`)
  })

  it('passes everything on a healthy lab, the default suite well under 3 s', async () => {
    const {result, exitCode, junit} = await verify()
    expect(result.checks.filter((c) => c.status !== 'pass')).toEqual([])
    expect(exitCode).toBe(0)
    expect(result).toMatchObject({lab: LAB, provider: 'netns', failed: 0, skipped: 0})
    expect(Object.keys(statuses(result))).toEqual([
      'bgp spine1', 'bgp spine2', 'bgp leaf1', 'bgp leaf2', 'bgp host2', 'ping host1 -> host2', 'ecmp leaf1 -> leaf2', 'ecmp leaf2 -> leaf1',
      "bgp leaf2 learns the fabric", 'ecmp leaf1 -> host2', "route host2's loopback reaches leaf1", 'route spine1 has no 10.9.0.0/16',
      'path host1 -> host2 via leaf1, leaf2', 'iperf host1 -> host2 at 0.5+ Gbit/s', 'exec leaf1: ip -br link show swp51', 'json leaf1 peers with spine1 over swp51',
    ])
    expect(result.checks.find((c) => c.kind === 'path')?.detail).toMatch(/^host1 -> leaf1 -> spine[12] -> leaf2 -> host2$/)
    expect(junit.testsuites.testsuite.testcase).toHaveLength(16)

    const defaults = await verify('--only', 'bgp,ping,ecmp', '--wait', '0')
    expect(defaults.result.failed).toBe(0)
    expect(defaults.result.durationMs).toBeLessThan(3_000)
    // The iperf server is gone: nothing of it is left in host2's namespace.
    expect(await inNode('host2', 'ss', '-Htlnp')).not.toMatch(/iperf3/)
  })

  it('a spine link down: ECMP drops to one path, pings still pass', async () => {
    await inNode('spine2', 'ip', 'link', 'set', 'swp1', 'down')
    try {
      await until('ecmp', 'leaf1 -> leaf2', 'fail')
      const {result, check} = await verify('--skip', 'iperf', '--wait', '1')
      expect(check('ecmp', 'leaf1 -> leaf2')).toMatchObject({status: 'fail', detail: "1 next hop to leaf2's loopback 10.0.0.4/32: swp51 (spine1); expected 2"})
      expect(check('ecmp', 'leaf2 -> leaf1')).toMatchObject({status: 'fail', detail: "1 next hop to leaf1's loopback 10.0.0.3/32: swp51 (spine1); expected 2"})
      expect(check('ecmp', 'leaf1 -> host2').status).toBe('fail')
      expect(check('bgp', 'leaf1').detail).toMatch(/^leaf1: 1 of 2 sessions Established; swp52 \(spine2\) \w+, link has no carrier \(far end down\)/)
      expect(check('bgp', 'spine2').detail).toMatch(/^spine2: 1 of 2 sessions Established; swp1 \(leaf1\) \w+, link administratively down/)
      expect(check('ping', 'host1 -> host2')).toMatchObject({status: 'pass'})
      expect(check('path', 'host1 -> host2 via leaf1, leaf2')).toMatchObject({status: 'pass', detail: 'host1 -> leaf1 -> spine1 -> leaf2 -> host2'})
      expect(Object.entries(statuses(result)).filter(([, s]) => s === 'fail').map(([name]) => name).sort()).toEqual(
        ['bgp leaf1', 'bgp spine2', 'ecmp leaf1 -> host2', 'ecmp leaf1 -> leaf2', 'ecmp leaf2 -> leaf1'],
      )
    } finally {
      await inNode('spine2', 'ip', 'link', 'set', 'swp1', 'up')
    }
    await expectHealthyAgain()
  })

  it('bgpd stopped on a leaf: its sessions and its host\'s pings fail', async () => {
    const plan = JSON.parse(readFileSync(path.join(labDir, 'plan.json'), 'utf8')) as LabPlan
    const pid = readPid(LAB, 'leaf2', 'bgpd')!
    process.kill(pid, 'SIGTERM')
    try {
      await until('bgp', 'leaf2', 'fail')
      await until('ping', 'host1 -> host2', 'fail') // once the withdrawals have reached leaf1
      const {result, check} = await verify('--skip', 'iperf', '--wait', '1')
      expect(check('bgp', 'leaf2')).toMatchObject({status: 'fail', detail: 'leaf2: cannot read BGP state: bgpd is not running'})
      for (const spine of ['spine1', 'spine2']) expect(check('bgp', spine).detail).toMatch(new RegExp(`^${spine}: 1 of 2 sessions Established; swp2 \\(leaf2\\) (Active|Connect|Idle)`))
      expect(check('bgp', 'host2').detail).toMatch(/^host2: 0 of 1 sessions Established; eth1 \(leaf2\) (Active|Connect|Idle)/)
      expect(check('ping', 'host1 -> host2')).toMatchObject({status: 'fail'})
      expect(check('ping', 'host1 -> host2').detail).toMatch(/^0\/3 replies from host2 \(10\.0\.0\.5\) from 10\.1\.0\.2, expected 3\/3; /)
      expect(check('bgp', 'leaf1').status).toBe('pass')
      expect(check('exec', 'leaf1: ip -br link show swp51').status).toBe('pass')
      expect(result.failed).toBeGreaterThanOrEqual(6)
    } finally {
      // Start bgpd again exactly as the provider does (inside the node's sandbox, same paths).
      await startDaemon(plan, labDir, plan.nodes.find((n) => n.name === 'leaf2')!, 'bgpd', frrConfigPath(labDir, 'leaf2'), () => {})
    }
    await expectHealthyAgain()
  })

  it('a wrong route-map on the BGP host: the route check fails', async () => {
    const redistribute = (routeMap: string) =>
      inNode('host2', 'vtysh', '-c', 'configure terminal', '-c', 'router bgp 4200000001', '-c', 'address-family ipv4 unicast', '-c', `redistribute connected route-map ${routeMap}`, '-c', 'end')
    // A typo: the route-map named does not exist, so nothing is redistributed (not even the loopback).
    await redistribute('LOCAL_ROUTE')
    try {
      await until('route', "host2's loopback reaches leaf1", 'fail')
      const {check} = await verify('--skip', 'iperf', '--wait', '1')
      expect(check('route', "host2's loopback reaches leaf1")).toMatchObject({status: 'fail', detail: "leaf1 has no route to host2's loopback 10.0.0.5/32"})
      expect(check('ecmp', 'leaf1 -> host2')).toMatchObject({status: 'fail', detail: "no route to host2's loopback 10.0.0.5/32; expected 2 equal-cost paths"})
      expect(check('bgp', 'host2').status).toBe('pass') // the session is fine; what it carries is not
      expect(check('route', 'spine1 has no 10.9.0.0/16').status).toBe('pass')
    } finally {
      await redistribute('LOCAL_ROUTES')
    }
    await expectHealthyAgain()
  })

  it('prints a table with a summary line by default', async () => {
    const {stdout, exitCode} = await lab('verify', LAB, '--skip', 'iperf')
    expect(exitCode).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^ +KIND +CHECK +TIME +DETAIL$/)
    expect(lines.filter((l) => l.startsWith('PASS  '))).toHaveLength(15)
    expect(lines.find((l) => l.startsWith('SKIP'))).toMatch(/^SKIP {2}iperf {2}host1 -> host2 at 0\.5\+ Gbit\/s +skipped by --skip iperf$/)
    expect(lines.at(-1)).toMatch(new RegExp(`^OK: 15 passed, 0 failed, 1 skipped in [\\d.]+ m?s \\(lab ${LAB}, provider netns\\)$`))
  })

  it('asks for what it needs: unknown kinds and labs that are not up are usage errors', async () => {
    const kind = await lab('verify', LAB, '--only', 'pings')
    expect(kind.exitCode).toBe(2)
    expect(kind.stderr).toContain('--only: unknown check kind pings')
    const absent = await lab('verify', 't-verify-absent')
    expect(absent.exitCode).toBe(2)
    expect(absent.stderr).toContain('lab t-verify-absent is not up')
  })
})
