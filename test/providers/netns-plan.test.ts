// The netns provider's pure parts: namespace names, the ip batches built from a plan, and what
// "converged" expects (sessions, prefixes, equal-cost paths), for every shipped topology.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadTopology} from '../../src/topology/load.js'
import {planLab, type LabPlan} from '../../src/plan/plan.js'
import {nodeBatch, nodeSysctls, rootBatch} from '../../src/providers/netns/build.js'
import {convergenceExpectations, routesMissing, sessionsNotUp} from '../../src/frr/expect.js'
import {netnsName, parseNetnsName} from '../../src/providers/netns/names.js'
import {rewriteVtysh} from '../../src/providers/netns/exec.js'
import {REPO} from '../support/paths.js'

function planOf(name: string): LabPlan {
  const file = path.join(REPO, 'topologies', `${name}.yaml`)
  const {topology, diagnostics} = loadTopology(readFileSync(file, 'utf8'), file)
  if (!topology) throw new Error(diagnostics.map((d) => d.message).join('\n'))
  return planLab(topology)
}

describe('namespace names', () => {
  it('split back unambiguously and never match another lab by prefix', () => {
    expect(netnsName('a', 'leaf1')).toBe('lab_a_leaf1')
    expect(parseNetnsName('lab_a-b_leaf1')).toEqual({lab: 'a-b', node: 'leaf1'})
    expect(parseNetnsName('lab_a_b_c')).toBeUndefined()
    expect(netnsName('a-b', 'x').startsWith('lab_a_')).toBe(false)
    expect(parseNetnsName('lab_A_x')).toBeUndefined()
  })
})

describe('ip batches', () => {
  const plan = planOf('two-spine-two-leaf')
  it('create every veth end directly inside its node namespace, with planned name, MAC and MTU', () => {
    const lines = rootBatch(plan).trim().split('\n')
    expect(lines.filter((l) => l.startsWith('netns add '))).toHaveLength(plan.nodes.length)
    const links = lines.filter((l) => l.startsWith('link add '))
    expect(links).toHaveLength(plan.links.length)
    for (const line of links) expect(line).toMatch(/^link add name \S+ address \S+ mtu \d+ netns lab_two-spine-two-leaf_\S+ type veth peer name \S+ address \S+ mtu \d+ netns lab_two-spine-two-leaf_\S+$/)
    expect(links).toContain('link add name swp51 address 02:4c:41:00:00:03 mtu 1500 netns lab_two-spine-two-leaf_leaf1 type veth peer name swp1 address 02:4c:41:00:00:04 mtu 1500 netns lab_two-spine-two-leaf_spine1')
  })
  it('give plain hosts an address and a default route, routers a loopback and forwarding', () => {
    const host1 = plan.nodes.find((n) => n.name === 'host1')!
    expect(nodeBatch(host1)).toContain('address add 10.1.0.2/24 dev eth1\nlink set dev eth1 up\nroute add default via 10.1.0.1 dev eth1')
    expect(nodeSysctls(host1)).toContain('net.ipv4.ip_forward=0')
    const leaf1 = plan.nodes.find((n) => n.name === 'leaf1')!
    expect(nodeBatch(leaf1)).toContain('address add 10.0.0.3/32 dev lo')
    expect(nodeBatch(leaf1)).not.toMatch(/address add .* dev swp5/) // unnumbered uplinks
    expect(nodeSysctls(leaf1)).toEqual(expect.arrayContaining(['kernel.hostname=leaf1', 'net.ipv4.ip_forward=1', 'net.ipv6.conf.swp51.accept_dad=0']))
  })
})

describe('convergence expectations', () => {
  it('two-spine-two-leaf: sessions as planned, two paths leaf to leaf, spines do not expect each other', () => {
    const expectations = convergenceExpectations(planOf('two-spine-two-leaf'))
    const leaf1 = expectations.find((e) => e.node === 'leaf1')!
    expect(leaf1.sessions.map((s) => s.neighbor)).toEqual(['swp51', 'swp52'])
    expect(leaf1.routes.find((r) => r.prefix === '10.0.0.4/32')!.paths).toBe(2)
    const spine1 = expectations.find((e) => e.node === 'spine1')!
    expect(spine1.routes.map((r) => r.prefix)).not.toContain('10.0.0.2/32')
    expect(expectations.find((e) => e.node === 'host1')).toBeUndefined()
  })
  it('routing-on-the-host: a dual-attached host is no transit between leaves', () => {
    const expectations = convergenceExpectations(planOf('routing-on-the-host'))
    const leaf1 = expectations.find((e) => e.node === 'leaf1')!
    expect(leaf1.routes.find((r) => r.prefix === '10.0.0.4/32')!.paths).toBe(2)
    const spine1 = expectations.find((e) => e.node === 'spine1')!
    expect(spine1.routes.find((r) => r.prefix === '10.0.0.7/32')!.paths).toBe(2) // host3 via both leaves
  })
  it('numbered-fabric: neighbors by address; p2p subnets are not expected', () => {
    const expectations = convergenceExpectations(planOf('numbered-fabric'))
    const leaf1 = expectations.find((e) => e.node === 'leaf1')!
    expect(leaf1.sessions.every((s) => /^10\.2\.0\.\d+$/.test(s.neighbor))).toBe(true)
    expect(leaf1.routes.some((r) => r.prefix.startsWith('10.2.'))).toBe(false)
  })
  it('judges FRR JSON: sessions not Established, routes short of their paths', () => {
    const leaf1 = convergenceExpectations(planOf('two-spine-two-leaf')).find((e) => e.node === 'leaf1')!
    const summary = JSON.stringify({ipv4Unicast: {peers: {swp51: {state: 'Established'}, swp52: {state: 'Active'}}}})
    expect(sessionsNotUp(leaf1, summary)).toEqual([{neighbor: 'swp52', peer: 'spine2', state: 'Active'}])
    expect(sessionsNotUp(leaf1, 'not json')).toHaveLength(2)
    const onePath = {'10.0.0.4/32': [{protocol: 'bgp', selected: true, installed: true, nexthops: [{active: true, fib: true}]}]}
    expect(routesMissing(leaf1, JSON.stringify(onePath))).toContainEqual({prefix: '10.0.0.4/32', expected: 2, installed: 1})
  })
})

describe('vtysh on a node', () => {
  it('is pointed at the node own sockets and config dir; other commands pass unchanged', () => {
    expect(rewriteVtysh(['vtysh', '-c', 'show bgp summary'], '/l/run/leaf1').slice(1)).toEqual(['--vty_socket', '/l/run/leaf1', '--config_dir', '/l/run/leaf1', '-c', 'show bgp summary'])
    expect(rewriteVtysh(['ip', 'route'], '/x')).toEqual(['ip', 'route'])
  })
})
