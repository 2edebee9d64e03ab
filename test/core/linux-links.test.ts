// The Linux link kinds in the plan and in the netns build lines (docs/linux-links.md), from the two
// shipped topologies: bonds with members, VLAN subinterfaces with parents, bridges with members and
// the gateway address, VXLAN to the other switch's loopback with the MTU lowered, macvlans and dummies.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {planFromText} from '../../src/topology/load.js'
import type {LabPlan} from '../../src/plan/plan.js'
import {nodeBatch} from '../../src/providers/netns/build.js'
import {vxlanFdbLines} from '../../src/linux/virtual-lines.js'
import {graphLinks} from '../../src/outputs/graph/tiers.js'
import {REPO} from '../support/paths.js'

const load = (name: string): LabPlan => {
  const file = path.join(REPO, 'topologies', `${name}.yaml`)
  return planFromText(readFileSync(file, 'utf8'), file).plan
}
const node = (plan: LabPlan, name: string) => plan.nodes.find((n) => n.name === name)!
const virtual = (plan: LabPlan, n: string, name: string) => node(plan, n).virtual!.find((v) => v.name === name)!

describe('bond-trunk: a bond of two links carrying VLANs 10 and 20, an access port, a dummy', () => {
  const plan = load('bond-trunk')

  it('plans the bond on both ends with its members, whose ports carry no address', () => {
    for (const [n, members] of [['host1', ['eth1', 'eth2']], ['leaf1', ['swp1', 'swp2']]] as const) {
      const bond = virtual(plan, n, 'bond0')
      expect(bond).toMatchObject({kind: 'bond', members})
      expect(bond.ipv4).toBeUndefined() // the VLANs carry the addresses
      expect(bond.mac).toBe(node(plan, n).interfaces.find((i) => i.name === members[0])!.mac)
      for (const m of members) expect(node(plan, n).interfaces.find((i) => i.name === m)).toMatchObject({master: 'bond0'})
      for (const m of members) expect(node(plan, n).interfaces.find((i) => i.name === m)!.ipv4).toBeUndefined()
    }
  })

  it('puts a subinterface per VLAN on the bond; the host\'s have the addresses, the leaf\'s join the VLAN bridges', () => {
    expect(virtual(plan, 'host1', 'bond0.10')).toMatchObject({kind: 'vlan', parent: 'bond0', vlan: 10, ipv4: '10.1.0.2/24', subnet: '10.1.0.0/24'})
    expect(virtual(plan, 'host1', 'bond0.20')).toMatchObject({kind: 'vlan', parent: 'bond0', vlan: 20, ipv4: '10.1.1.2/24'})
    expect(virtual(plan, 'leaf1', 'bond0.20')).toMatchObject({kind: 'vlan', parent: 'bond0', vlan: 20, master: 'br20'})
    expect(virtual(plan, 'leaf1', 'br20')).toMatchObject({kind: 'bridge', members: ['bond0.20', 'swp3'], ipv4: '10.1.1.1/24'})
    expect(virtual(plan, 'leaf1', 'br10')).toMatchObject({kind: 'bridge', members: ['bond0.10'], ipv4: '10.1.0.1/24'})
    // host2 is an access port of VLAN 20: its own port has the address, leaf1's joins br20.
    expect(node(plan, 'host2').interfaces[0]).toMatchObject({name: 'eth1', ipv4: '10.1.1.3/24'})
    expect(node(plan, 'leaf1').interfaces.find((i) => i.name === 'swp3')).toMatchObject({master: 'br20'})
    expect(node(plan, 'host1').gateway).toEqual({address: '10.1.0.1', interface: 'bond0.10'})
    expect(node(plan, 'host2').gateway).toEqual({address: '10.1.1.1', interface: 'eth1'})
  })

  it('announces the VLAN subnets and the dummy from leaf1', () => {
    expect(virtual(plan, 'leaf1', 'svc0')).toMatchObject({kind: 'dummy', ipv4: '192.0.2.10/32'})
    expect(virtual(plan, 'leaf1', 'svc0').mac).toBeUndefined() // the kernel's: ifupdown2 once dropped the address with a hwaddress on a fresh dummy
    expect(node(plan, 'leaf1').bgp!.localPrefixes).toEqual(expect.arrayContaining(['10.1.0.0/24', '10.1.1.0/24', '192.0.2.10/32']))
    expect(new Set(node(plan, 'leaf1').bgp!.localPrefixes).size).toBe(node(plan, 'leaf1').bgp!.localPrefixes.length)
  })

  it('builds in netns in one batch: bond and members while the ports are down, then addresses and links up', () => {
    const lines = nodeBatch(node(plan, 'leaf1')).trim().split('\n')
    const at = (text: string) => lines.findIndex((l) => l.startsWith(text))
    expect(lines).toContain('link add name bond0 address 02:4c:41:00:00:01 mtu 1500 type bond mode 802.3ad miimon 100 lacp_rate fast xmit_hash_policy layer3+4')
    expect(at('link set dev swp1 master bond0')).toBeLessThan(at('link set dev swp1 up'))
    expect(at('link add link bond0 name bond0.10')).toBeGreaterThan(at('link add name bond0'))
    expect(at('link set dev bond0.20 master br20')).toBeGreaterThan(at('link add name br20'))
    expect(lines).toContain('address add 10.1.1.1/24 dev br20')
    expect(lines).toContain('link add name svc0 mtu 1500 type dummy')
  })
})

describe('linux-links: VLAN 10 across two leaves by VXLAN, VLAN 20 apart, a macvlan', () => {
  const plan = load('linux-links')

  it('gives each leaf of VLAN 10 a bridge with its own gateway address and a VXLAN device to the other', () => {
    const loopback = (n: string) => node(plan, n).loopback!.split('/')[0]
    for (const [leaf, other, gateway] of [['leaf1', 'leaf2', '10.1.0.1/24'], ['leaf2', 'leaf1', '10.1.0.2/24']]) {
      expect(virtual(plan, leaf, 'br10')).toMatchObject({ipv4: gateway, mtu: 1450})
      expect(virtual(plan, leaf, 'br10').members).toContain('vxlan10')
      expect(virtual(plan, leaf, 'vxlan10')).toMatchObject({kind: 'vxlan', master: 'br10', mtu: 1450, vxlan: {vni: 10, local: loopback(leaf), remotes: [loopback(other)], port: 4789}})
      expect(vxlanFdbLines(node(plan, leaf))).toEqual([`fdb append 00:00:00:00:00:00 dev vxlan10 dst ${loopback(other)}`])
    }
    // VLAN 20 is on leaf1 only: no VXLAN, the lab's MTU.
    expect(virtual(plan, 'leaf1', 'br20')).toMatchObject({mtu: 1500, members: ['swp3']})
    expect(node(plan, 'leaf1').virtual!.some((v) => v.name === 'vxlan20')).toBe(false)
  })

  it('puts the hosts of VLAN 10 in one subnet after the leaves, each behind its own leaf, with the VXLAN MTU on both ends', () => {
    expect(['host1', 'host2', 'host4'].map((h) => node(plan, h).interfaces[0].ipv4)).toEqual(['10.1.0.3/24', '10.1.0.4/24', '10.1.0.5/24'])
    expect(node(plan, 'host4').gateway).toEqual({address: '10.1.0.2', interface: 'eth1'})
    expect(node(plan, 'host1').interfaces[0].mtu).toBe(1450)
    expect(node(plan, 'leaf1').interfaces.find((i) => i.name === 'swp1')!.mtu).toBe(1450)
  })

  it('gives host5 a macvlan with its own MAC and the address after the host in its subnet', () => {
    expect(virtual(plan, 'host5', 'mv0')).toMatchObject({kind: 'macvlan', parent: 'eth1', ipv4: '10.1.2.3/24', mac: expect.stringMatching(/^02:4c:42:/)})
    expect(nodeBatch(node(plan, 'host5'))).toContain('link add link eth1 name mv0 address')
  })

  it('draws bridges on the ports and the VXLAN as a link between the leaves', () => {
    const links = graphLinks(plan)
    expect(links.some((l) => l.a.node === 'leaf1' && l.b.node === 'leaf2' && l.a.port.startsWith('vxlan10'))).toBe(true)
    expect(links.find((l) => l.b.node === 'host1')!.a.port).toBe('swp1 · br10')
    expect(links.find((l) => l.b.node === 'host5')!.b.port).toBe('eth1 · macvlan mv0')
  })
})
