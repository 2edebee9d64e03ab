// Real fabrics (issue 11) in the pure core: explicit values over pools, per-pod ASNs, mixed sessions,
// announced prefixes on the loopback, the OSPF plan and suite, expectations from the real graph, and
// super-spines drawn above spines.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {layoutGraph} from '../../src/outputs/graph/layout.js'
import type {LabPlan} from '../../src/plan/plan.js'
import {planFromText} from '../../src/topology/load.js'
import {defaultSuite} from '../../src/verify/suite.js'
import {REPO} from '../support/paths.js'

const shipped = (name: string): LabPlan => {
  const file = path.join(REPO, 'topologies', `${name}.yaml`)
  return planFromText(readFileSync(file, 'utf8'), file).plan
}
const node = (plan: LabPlan, name: string) => plan.nodes.find((n) => n.name === name)!

describe('explicit values win over the pools', () => {
  const plan = shipped('mixed-numbering')
  it('uses the written loopbacks and ASNs; the pool skips a written loopback and numbers the rest', () => {
    expect([node(plan, 'leaf1').loopback, node(plan, 'leaf1').bgp!.asn, node(plan, 'spine1').bgp!.asn]).toEqual(['10.255.0.11/32', 65011, 65100])
    expect(node(plan, 'leaf2').loopback).toBe('10.0.0.1/32')
    const taken = planFromText('name: t\nnodes:\n  s: {role: spine}\n  l1: {role: leaf, loopback: 10.0.0.1/32}\n  l2: {role: leaf}\nlinks:\n  - [l1:swp1, s:swp1]\n  - [l2:swp1, s:swp2]\n', 't.yaml').plan
    expect(taken.nodes.map((n) => n.loopback)).toEqual(['10.0.0.2/32', '10.0.0.1/32', '10.0.0.3/32'])
  })
  it('peers over a link with its own subnet by address, over the others by interface', () => {
    const neighbors = node(plan, 'leaf1').bgp!.neighbors
    expect(neighbors.map((n) => n.interface ?? n.address)).toEqual(['swp51', '10.9.0.0'])
    expect(node(plan, 'leaf1').bgp!.raInterfaces).toEqual(['swp51'])
    expect(node(plan, 'leaf1').interfaces.find((i) => i.name === 'swp52')).toMatchObject({ipv4: '10.9.0.1/31', mtu: 9000})
    expect(node(plan, 'spine2').interfaces.find((i) => i.name === 'Ethernet2')).toMatchObject({ipv4: '10.9.1.2/30'})
  })
})

describe('announce', () => {
  const plan = shipped('announce-border')
  it('puts the first address of each announced prefix on the loopback, and originates the prefix', () => {
    expect(node(plan, 'border').loopbackAddresses).toEqual(['192.0.2.1/24'])
    expect(node(plan, 'border').bgp!.localPrefixes).toEqual(['10.255.255.1/32', '192.0.2.0/24'])
    expect(node(plan, 'leaf1').loopbackAddresses).toEqual(['198.51.100.53/32'])
  })
})

describe('5-stage Clos', () => {
  const plan = shipped('five-stage-clos')
  it('gives each pod\'s spines one ASN and the super-spines theirs', () => {
    const asn = (name: string) => node(plan, name).bgp!.asn
    expect(['spine1', 'spine2', 'spine3', 'spine4', 'super1', 'super2'].map(asn)).toEqual([65100, 65100, 65101, 65101, 65200, 65200])
  })
  it('expects ECMP from the real graph: 2 paths across pods, where "shared spines" would say 0', () => {
    const ecmp = defaultSuite(plan).filter((c) => c.kind === 'ecmp').map((c) => c.key)
    expect(ecmp).toContain(`ecmp:leaf1:${node(plan, 'leaf3').loopback}:2`)
    expect(ecmp).toContain(`ecmp:leaf1:${node(plan, 'leaf2').loopback}:2`)
  })
  it('draws super-spines above the spines, spines above the leaves', () => {
    const {boxes} = layoutGraph(plan)
    const rowOf = (role: string) => new Set(boxes.filter((b) => b.node.role === role).map((b) => b.y))
    const [supers, spines, leaves] = [rowOf('super-spine'), rowOf('spine'), rowOf('leaf')].map((s) => [...s])
    expect([supers.length, spines.length, leaves.length]).toEqual([1, 1, 1])
    expect(supers[0]).toBeLessThan(spines[0])
    expect(spines[0]).toBeLessThan(leaves[0])
  })
})

describe('OSPF', () => {
  const plan = shipped('ospf-fabric')
  it('runs ospfd on every router: fabric ports point-to-point, host ports passive', () => {
    expect(plan.protocol).toBe('ospf')
    expect(node(plan, 'leaf1').daemons).toEqual(['zebra', 'ospfd'])
    expect(node(plan, 'leaf1').ospf!.interfaces).toEqual([
      {name: 'swp1', passive: true, peer: 'host1'},
      {name: 'swp51', passive: false, peer: 'spine1'},
      {name: 'swp52', passive: false, peer: 'spine2'},
    ])
    expect(plan.links.filter((l) => !l.subnet)).toEqual([]) // every link numbered
  })
  it('checks adjacencies instead of BGP sessions in the default suite, ECMP as before', () => {
    const suite = defaultSuite(plan)
    expect(suite.some((c) => c.kind === 'bgp')).toBe(false)
    expect(suite.filter((c) => c.kind === 'ospf').map((c) => c.name)).toEqual(['spine1', 'spine2', 'border', 'leaf1', 'leaf2'])
    expect(suite.filter((c) => c.kind === 'ecmp').map((c) => c.key)).toEqual(['ecmp:leaf1:10.0.0.5/32:2', 'ecmp:leaf2:10.0.0.4/32:2'])
  })
})
