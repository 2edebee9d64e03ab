// The cheap probes that keep a big lab's checks affordable, judged on real captured output
// (test/fixtures/scale, from two-spine-two-leaf in namespaces, FRR 8.4, iproute2 6.1, fping 5.1):
// convergence read from the kernel's table, and one fping per host for the default suite's pings.
import {describe, expect, it} from 'vitest'
import {convergenceExpectations, routesMissingInKernel, sessionsWithoutRoutes} from '../../src/frr/expect.js'
import {parseKernelTable} from '../../src/linux/iproute.js'
import {pingExpectation} from '../../src/kinds/checks/ping.js'
import {labFacts} from '../../src/verify/facts.js'
import {defaultSuite} from '../../src/verify/suite.js'
import {evaluateSweep, prepareSweptPing, sweepProbe} from '../../src/verify/sweep.js'
import {ProbeMemo} from '../../src/verify/probe.js'
import type {ExecResult, NodeExecutor} from '../../src/io/executor.js'
import {failed, fixture, ok, shippedPlan} from './verify-helpers.js'

const plan = shippedPlan('two-spine-two-leaf')
const expectations = new Map(convergenceExpectations(plan).map((e) => [e.node, e]))

describe('convergence from the kernel table', () => {
  it('counts usable next hops per prefix and the interfaces BGP routes go through', () => {
    const table = parseKernelTable(fixture('scale/leaf2-kernel-routes.json'))
    expect(table.paths.get('10.1.0.0/24')).toBe(2)
    expect(table.paths.get('10.0.0.1/32')).toBe(1)
    expect([...table.bgpVia].filter((v) => v.startsWith('swp')).sort()).toEqual(['swp1', 'swp51', 'swp52'])
    expect(routesMissingInKernel(expectations.get('leaf2')!, table)).toEqual([])
    expect(sessionsWithoutRoutes(expectations.get('leaf2')!, table)).toEqual([])
  })

  it('a hop marked dead or linkdown does not count, and its session is not vouched for', () => {
    const routes = JSON.parse(fixture('scale/leaf1-kernel-routes.json')) as Array<{nexthops?: Array<{dev: string; flags: string[]}>; dev?: string; flags: string[]}>
    for (const route of routes) {
      for (const hop of route.nexthops ?? [route]) if (hop.dev === 'swp52') hop.flags = ['linkdown']
    }
    const table = parseKernelTable(JSON.stringify(routes))
    const leaf1 = expectations.get('leaf1')!
    expect(routesMissingInKernel(leaf1, table)).toEqual([
      {prefix: '10.0.0.2/32', expected: 1, installed: 0},
      {prefix: '10.0.0.4/32', expected: 2, installed: 1},
      {prefix: '10.0.0.5/32', expected: 2, installed: 1},
      {prefix: '10.1.1.0/24', expected: 2, installed: 1},
    ])
    expect(sessionsWithoutRoutes(leaf1, table).map((s) => s.neighbor)).toEqual(['swp52'])
  })

  it('an answer that is not a route list misses everything', () => {
    const table = parseKernelTable('Cannot open network namespace "lab_x_leaf1": No such file or directory')
    expect(routesMissingInKernel(expectations.get('leaf1')!, table).length).toBe(expectations.get('leaf1')!.routes.length)
  })
})

describe('one fping per host', () => {
  const facts = labFacts(plan)
  const e = pingExpectation(facts, 'host1', 'host2')

  it('is the default suite\'s way to ping every pair, one probe for all of a host\'s targets', () => {
    const fabric = shippedPlan('four-spine-eight-leaf')
    const pings = defaultSuite(fabric).filter((c) => c.kind === 'ping')
    const hosts = fabric.nodes.filter((n) => n.role === 'host').length
    expect(pings.length).toBe((hosts * (hosts - 1)) / 2)
    expect(sweepProbe(e, ['10.0.0.5', '10.1.9.9']).argv).toEqual(['fping', '-c', '3', '-p', '200', '-t', '1000', '-i', '1', '-S', '10.1.0.2', '10.0.0.5', '10.1.9.9'])
  })

  it('judges each pair from its own line, with ping\'s words for who refused', () => {
    const out = failed(fixture('scale/fping-host1-unreachable.txt'), 1)
    expect(evaluateSweep({...e, destination: '10.1.1.2'}, out)).toEqual({status: 'pass', detail: '3/3 replies from host2 (10.1.1.2) from 10.1.0.2, rtt 0.072 ms'})
    expect(evaluateSweep({...e, destination: '10.9.9.9'}, out, facts.describeAddress)).toEqual({
      status: 'fail',
      detail: '0/3 replies from host2 (10.9.9.9) from 10.1.0.2, expected 3/3; 10.1.0.1 (leaf1): Destination Net Unreachable',
    })
    expect(evaluateSweep(e, failed(fixture('scale/fping-bad-source.txt'), 4)).detail).toBe('host1 does not have its address 10.1.0.2: fping: cannot bind source address : Cannot assign requested address')
  })

  it('runs the host\'s fping once for all its pairs, retries a failed pair with ping alone, and falls back to ping without fping', async () => {
    const calls: string[][] = []
    const answers = (argv: readonly string[]): ExecResult => {
      if (argv[0] === 'fping') return failed(fixture('scale/fping-host1-unreachable.txt'), 1)
      return ok(fixture('verify/ping-host1-host2.txt'))
    }
    const executor: NodeExecutor = {exec: async (_node, argv) => (calls.push([...argv]), answers(argv))}
    const sweep = sweepProbe(e, ['10.1.1.2', '10.9.9.9'])
    const good = prepareSweptPing(facts, {...e, destination: '10.1.1.2'}, sweep, 'a', 'a')
    const bad = prepareSweptPing(facts, {...e, destination: '10.9.9.9'}, sweep, 'b', 'b')
    const context = {executor, signal: new AbortController().signal, probes: new ProbeMemo(), notBefore: Date.now()}
    expect((await good.run(context)).status).toBe('pass')
    expect((await bad.run(context)).status).toBe('fail')
    expect(calls.map((c) => c[0])).toEqual(['fping'])
    expect((await bad.run(context)).status).toBe('pass') // the retry: ping, pair alone
    expect(calls.map((c) => c[0])).toEqual(['fping', 'ping'])

    const noFping: NodeExecutor = {exec: async (_node, argv) => (argv[0] === 'fping' ? failed('nsenter: failed to execute fping: No such file or directory', 127) : ok(fixture('verify/ping-host1-host2.txt')))}
    const fresh = prepareSweptPing(facts, e, sweepProbe(e, ['10.0.0.5']), 'c', 'c')
    expect(await fresh.run({...context, executor: noFping, probes: new ProbeMemo()})).toEqual({status: 'pass', detail: '3/3 replies from host2 (10.0.0.5) from 10.1.0.2, rtt 0.083 ms'})
    // A VM of the vagrant provider runs commands through sudo, which exits 1 for a missing program.
    const noFpingSudo: NodeExecutor = {exec: async (_node, argv) => (argv[0] === 'fping' ? failed('sudo: fping: command not found', 1) : ok(fixture('verify/ping-host1-host2.txt')))}
    const viaSudo = prepareSweptPing(facts, e, sweepProbe(e, ['10.0.0.5']), 'c', 'c')
    expect(await viaSudo.run({...context, executor: noFpingSudo, probes: new ProbeMemo()})).toEqual({status: 'pass', detail: '3/3 replies from host2 (10.0.0.5) from 10.1.0.2, rtt 0.083 ms'})
  })
})
