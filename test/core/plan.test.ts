// Properties of the plan that every lab relies on, checked on every shipped topology and on
// small hand-written ones: numbering, naming, peering symmetry, purity.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parsePrefix, prefixContains, parseIpv4, prefixSize} from '../../src/plan/ip.js'
import {loadTopology} from '../../src/topology/load.js'
import type {Topology} from '../../src/topology/model.js'
import {planLab, type LabPlan, type PlannedNode} from '../../src/plan/plan.js'
import {REPO, shippedTopologyNames} from '../support/paths.js'

function topologyOf(text: string, file = 'test.yaml'): Topology {
  const {topology, diagnostics} = loadTopology(text, file)
  if (!topology) throw new Error(diagnostics.map((d) => d.message).join('\n'))
  return topology
}

const planOf = (text: string) => planLab(topologyOf(text))

/** Loopbacks the topology writes itself (they may lie outside the pool). */
const explicitLoopbacks = new Set<string>()
const shipped: [string, LabPlan][] = shippedTopologyNames().map((name) => {
  const file = path.join(REPO, 'topologies', `${name}.yaml`)
  const topology = topologyOf(readFileSync(file, 'utf8'), file)
  for (const n of topology.nodes) if (n.loopback) explicitLoopbacks.add(n.loopback)
  return [name, planLab(topology)]
})

const generated = planOf('name: gen\nfabric: { spines: 3, leaves: 5, hosts_per_leaf: 2 }\n')
const numbered = planOf('name: num\nrouting: { mode: numbered }\naddressing: { p2p: 10.2.0.0/24 }\nfabric: { spines: 2, leaves: 3, hosts_per_leaf: 1, host_routing: bgp }\n')

/** Every plan these properties must hold for. */
const allPlans: [string, LabPlan][] = [...shipped, ['generated 3x5x2', generated], ['numbered with BGP hosts', numbered]]

const node = (plan: LabPlan, name: string) => plan.nodes.find((n) => n.name === name)!
/** A port in a bond, a bridge or carrying VLANs (docs/linux-links.md): its address lives elsewhere; test/core/linux-links.test.ts covers it. */
const inLane = (n: PlannedNode, port: string) => Boolean(n.interfaces.find((i) => i.name === port)?.master) || (n.virtual ?? []).some((v) => v.kind === 'vlan' && v.parent === port)
const laneLink = (plan: LabPlan, l: LabPlan['links'][number]) => inLane(node(plan, l.a.node), l.a.port) || inLane(node(plan, l.b.node), l.b.port)
const address = (cidr: string) => parseIpv4(cidr.split('/')[0])!

describe.each(allPlans)('plan of %s', (_name, plan) => {
  const routers = plan.nodes.filter((n) => n.daemons.length > 0)
  const ospf = plan.protocol === 'ospf'
  const spines = plan.nodes.filter((n) => n.role === 'spine')
  const leaves = plan.nodes.filter((n) => n.role === 'leaf')
  // Containers are nodes of their own, but their one interface sits on their host's port (checked below).
  const hosts = plan.nodes.filter((n) => n.role === 'host' && !n.container)
  const wired = plan.nodes.filter((n) => !n.container)

  it('gives spines shared ASNs (one per pod), each leaf, router and BGP host its own, and linked routers distinct ones', () => {
    if (ospf) {
      for (const router of routers) expect([router.daemons, router.bgp, router.ospf?.routerId]).toEqual([['zebra', 'ospfd'], undefined, router.loopback!.replace('/32', '')])
      return
    }
    const others = [...leaves, ...plan.nodes.filter((n) => n.role === 'router'), ...hosts.filter((h) => h.routing === 'bgp')].map((n) => n.bgp!.asn)
    expect(new Set(others).size).toBe(others.length)
    for (const spine of spines) expect(others).not.toContain(spine.bgp!.asn)
    for (const link of plan.links) {
      const [a, b] = [node(plan, link.a.node).bgp?.asn, node(plan, link.b.node).bgp?.asn]
      if (a !== undefined && b !== undefined) expect(a).not.toBe(b)
    }
    for (const host of hosts) expect(Boolean(host.bgp)).toBe(host.routing === 'bgp')
    for (const router of routers) expect(router.daemons).toEqual(['zebra', 'bgpd'])
    for (const host of hosts.filter((h) => !h.bgp)) expect(host.daemons).toEqual([])
  })

  it('gives every router a unique /32 loopback that is also its router-id', () => {
    const loopbacks = routers.map((r) => r.loopback!)
    expect(new Set(loopbacks).size).toBe(routers.length)
    for (const router of routers) {
      expect(router.loopback).toMatch(/\/32$/)
      const routing = router.bgp ?? router.ospf!
      expect(routing.routerId).toBe(router.loopback!.replace('/32', ''))
      if (!explicitLoopbacks.has(router.loopback!)) expect(prefixContains(parsePrefix(plan.fabricPrefixes[0])!, address(router.loopback!))).toBe(true)
      expect(routing.localPrefixes[0]).toBe(router.loopback)
    }
    for (const host of hosts.filter((h) => !h.bgp)) expect(host.loopback).toBeUndefined()
  })

  it('gives each host port its own subnet: the leaf (or router) .1, the host .2, and a plain host its gateway at .1', () => {
    const hostLinks = plan.links.filter((l) => node(plan, l.b.node).role === 'host' && !laneLink(plan, l))
    expect(hostLinks.length).toBe(hosts.reduce((n, h) => n + h.interfaces.filter((i) => !laneLink(plan, plan.links[i.link])).length, 0))
    expect(new Set(hostLinks.map((l) => l.subnet)).size).toBe(hostLinks.length)
    const hostPool = parsePrefix(plan.fabricPrefixes[1])!
    for (const link of hostLinks) {
      expect(['leaf', 'router']).toContain(node(plan, link.a.node).role)
      const subnet = parsePrefix(link.subnet!)!
      if (!link.ownSubnet) expect(prefixContains(hostPool, subnet.network)).toBe(true)
      expect(link.a.ipv4!.split('/')[1]).toBe(String(subnet.length))
      expect(address(link.a.ipv4!)).toBe(subnet.network + 1)
      expect(address(link.b.ipv4!)).toBe(subnet.network + 2)
      // The leaf announces the subnet into the fabric.
      const upper = node(plan, link.a.node)
      expect((upper.bgp ?? upper.ospf)!.localPrefixes).toContain(link.subnet)
    }
    for (const host of hosts.filter((h) => h.routing === 'static' && !laneLink(plan, plan.links[h.interfaces[0].link]))) {
      // A bridge host's gateway is reached over its bridge, which enslaves the uplink.
      const port = host.gateway!.interface === host.containers?.bridge ? host.containers.parent : host.gateway!.interface
      const uplink = plan.links.find((l) => l.b.node === host.name && l.b.port === port)!
      expect(host.gateway!.address).toBe(uplink.a.ipv4!.split('/')[0])
      expect(host.forwarding).toBe(false)
    }
  })

  it('gives every port a unique, locally administered unicast MAC, the same in links and interfaces', () => {
    const macs = plan.links.flatMap((l) => [l.a.mac, l.b.mac])
    expect(new Set(macs).size).toBe(macs.length)
    for (const mac of macs) {
      expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)
      const first = Number.parseInt(mac.slice(0, 2), 16)
      expect(first & 0b10).toBe(0b10) // locally administered
      expect(first & 0b01).toBe(0) // unicast
    }
    const fromInterfaces = wired.flatMap((n) => n.interfaces.map((i) => i.mac))
    expect(fromInterfaces.sort()).toEqual([...macs].sort())
  })

  it('lists each link once per end, and each interface points back at its link', () => {
    expect(plan.links.map((l) => l.index)).toEqual(plan.links.map((_, i) => i))
    expect(new Set(plan.links.map((l) => l.network)).size).toBe(plan.links.length)
    for (const n of wired) {
      const names = n.interfaces.map((i) => i.name)
      expect(new Set(names).size).toBe(names.length)
      for (const port of n.interfaces) {
        const link = plan.links[port.link]
        const [self, other] = link.a.node === n.name && link.a.port === port.name ? [link.a, link.b] : [link.b, link.a]
        expect(self).toMatchObject({node: n.name, port: port.name, mac: port.mac})
        // In a bond, bridge or trunk the link end keeps the lane's address; the port itself has none.
        expect(self.ipv4).toBe(inLane(n, port.name) ? self.ipv4 : port.ipv4)
        if (inLane(n, port.name)) expect(port.ipv4 === undefined || !port.master).toBe(true)
        expect(port.peer).toEqual({node: other.node, port: other.port, role: node(plan, other.node).role})
        // Both ends of a link share its MTU: the lab's, or the long form's own.
        expect(port.mtu).toBe(node(plan, other.node).interfaces.find((i) => i.name === other.port)!.mtu)
        if (!n.interfaces.some((i) => i.mtu !== plan.mtu)) expect(port.mtu).toBe(plan.mtu)
      }
    }
  })

  it('puts each container on its host\'s port: parent, peer and link of that port; macvlan and bridge MACs unique; addresses in its range, the Fan /24 or the host subnet', () => {
    const macs = new Set(plan.links.flatMap((l) => [l.a.mac, l.b.mac]))
    for (const container of plan.nodes.filter((n) => n.container)) {
      const host = node(plan, container.container!.host)
      const [port] = container.interfaces
      const parent = host.interfaces.find((i) => i.name === port.parent)!
      expect(host.containers!.names).toContain(container.name)
      expect(port.peer).toEqual({node: host.name, port: parent.name, role: 'host'})
      expect(port.link).toBe(parent.link)
      const range = parsePrefix(host.containers!.fan?.subnet ?? host.containers!.subnet ?? plan.links[parent.link].subnet!)!
      expect(prefixContains(range, address(port.ipv4!))).toBe(true)
      if (container.container!.mode !== 'ipvlan-l3') {
        expect(macs.has(port.mac)).toBe(false)
        macs.add(port.mac)
        // The Fan: the host on its overlay /24; else the leaf.
        expect(container.gateway!.address).toBe(host.containers!.fan ? host.containers!.fan.address.split('/')[0] : plan.links[parent.link].a.ipv4!.split('/')[0])
      } else expect(port.mac).toBe(parent.mac)
    }
  })

  it('peers symmetrically: if A peers with B over port P, B peers with A over the peer port', () => {
    if (ospf) {
      // OSPF: an adjacency on every router–router port, seen from both ends; host ports passive.
      for (const a of routers) {
        for (const i of a.ospf!.interfaces) {
          const port = a.interfaces.find((p) => p.name === i.name)!
          const back = node(plan, port.peer.node).ospf?.interfaces.find((p) => p.name === port.peer.port)
          expect(i.passive).toBe(back === undefined)
          if (back) expect([back.peer, back.passive]).toEqual([a.name, false])
        }
      }
      return
    }
    let sessions = 0
    for (const a of routers) {
      for (const neighbor of a.bgp!.neighbors) {
        const b = node(plan, neighbor.peer)
        const port = a.interfaces.find((i) => i.peer.node === b.name && i.peer.port === neighbor.peerPort)!
        expect(port, `${a.name} → ${b.name}:${neighbor.peerPort}`).toBeDefined()
        const back = b.bgp!.neighbors.filter((n) => n.peer === a.name && n.peerPort === port.name)
        expect(back, `${b.name} → ${a.name}:${port.name}`).toHaveLength(1)
        if (plan.routingMode === 'unnumbered' && !plan.links[port.link].ownSubnet) {
          expect(neighbor.interface).toBe(port.name)
          expect(back[0].interface).toBe(neighbor.peerPort)
          expect(a.bgp!.raInterfaces).toContain(port.name)
        } else {
          expect(neighbor.address).toBe(b.interfaces.find((i) => i.name === neighbor.peerPort)!.ipv4!.split('/')[0])
          expect(back[0].address).toBe(port.ipv4!.split('/')[0])
          expect(a.bgp!.raInterfaces).not.toContain(port.name)
        }
        // Peer groups: a router's hosts sit in "hosts", everything else in "fabric".
        expect(neighbor.peerGroup).toBe(b.role === 'host' ? 'hosts' : 'fabric')
        sessions++
      }
      expect(a.bgp!.peerGroups).toEqual(['fabric', 'hosts'].filter((g) => a.bgp!.neighbors.some((n) => n.peerGroup === g)))
    }
    expect(sessions % 2).toBe(0)
    // Every leaf–spine link carries exactly one session (two neighbor entries).
    const fabricLinks = plan.links.filter((l) => node(plan, l.a.node).bgp && node(plan, l.b.node).bgp && node(plan, l.b.node).role !== 'host').length
    const bgpHostLinks = plan.links.filter((l) => node(plan, l.b.node).bgp && node(plan, l.b.node).role === 'host').length
    expect(sessions).toBe(2 * (fabricLinks + bgpHostLinks))
  })
  it('has every router accept from each BGP host exactly what that host announces (shipped topologies set no accept:)', () => {
    if (ospf) return expect(routers.every((r) => r.bgp === undefined)).toBe(true)
    for (const router of routers.filter((r) => r.role !== 'host')) {
      for (const neighbor of router.bgp!.neighbors.filter((n) => n.peerGroup === 'hosts')) {
        const host = node(plan, neighbor.peer).bgp!
        expect(neighbor.prefixListIn, `${router.name} → ${neighbor.peer}`).toBe(`FROM_${neighbor.peer}`)
        const filter = router.bgp!.hostFilters!.find((f) => f.name === neighbor.prefixListIn)!
        expect(filter.entries).toEqual([...host.localPrefixes, ...(host.containerPrefixes ?? []).map((p) => `${p} le 32`)])
      }
      // One list per host, even for a host linked twice to this router.
      const names = (router.bgp!.hostFilters ?? []).map((f) => f.name)
      expect(new Set(names).size).toBe(names.length)
    }
  })
})

describe('numbered mode', () => {
  it('puts both ends of each fabric link in the same /31 from the p2p pool, the spine on the even address', () => {
    const pool = parsePrefix('10.2.0.0/24')!
    const fabricLinks = numbered.links.filter((l) => node(numbered, l.b.node).role === 'spine')
    expect(fabricLinks).toHaveLength(6)
    const subnets = fabricLinks.map((l) => l.subnet!)
    expect(new Set(subnets).size).toBe(subnets.length)
    for (const link of fabricLinks) {
      const subnet = parsePrefix(link.subnet!)!
      expect(subnet.length).toBe(31)
      expect(prefixContains(pool, subnet.network)).toBe(true)
      expect(link.a.ipv4).toMatch(/\/31$/)
      expect(link.b.ipv4).toMatch(/\/31$/)
      expect(address(link.b.ipv4!)).toBe(subnet.network) // spine
      expect(address(link.a.ipv4!)).toBe(subnet.network + 1) // leaf
    }
    expect(numbered.fabricPrefixes).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/24'])
  })

  it('leaves fabric links without addresses in unnumbered mode', () => {
    for (const link of generated.links.filter((l) => node(generated, l.b.node).role === 'spine')) {
      expect(link.subnet).toBeUndefined()
      expect(link.a.ipv4).toBeUndefined()
      expect(link.b.ipv4).toBeUndefined()
    }
  })
})

describe('fabric expansion', () => {
  it('names leaf uplinks swp51…, spine ports swp1… (by leaf), host ports eth1, and numbers hosts across the fabric', () => {
    const ports = (p: PlannedNode) => p.interfaces.map((i) => `${i.name}>${i.peer.node}:${i.peer.port}`)
    expect(generated.nodes.map((n) => n.name)).toEqual([
      'spine1', 'spine2', 'spine3',
      'leaf1', 'leaf2', 'leaf3', 'leaf4', 'leaf5',
      ...Array.from({length: 10}, (_, i) => `host${i + 1}`),
    ])
    expect(ports(node(generated, 'leaf2'))).toEqual(['swp1>host3:eth1', 'swp2>host4:eth1', 'swp51>spine1:swp2', 'swp52>spine2:swp2', 'swp53>spine3:swp2'])
    expect(ports(node(generated, 'spine3'))).toEqual(['swp1>leaf1:swp53', 'swp2>leaf2:swp53', 'swp3>leaf3:swp53', 'swp4>leaf4:swp53', 'swp5>leaf5:swp53'])
    expect(ports(node(generated, 'host10'))).toEqual(['eth1>leaf5:swp2'])
    for (const host of generated.nodes.filter((n) => n.role === 'host')) expect(host.routing).toBe('static')
  })

  it('numbers one host per leaf after its leaf (host N on leafN)', () => {
    const plan = planOf('name: one\nfabric: { spines: 2, leaves: 3 }\n')
    for (const n of [1, 2, 3]) expect(node(plan, `host${n}`).interfaces.map((i) => `${i.name}>${i.peer.node}:${i.peer.port}`)).toEqual([`eth1>leaf${n}:swp1`])
  })

  it('lets an explicit node override a generated host, and adds explicit nodes and links to the fabric', () => {
    const plan = planOf(`name: mix
fabric: { spines: 2, leaves: 2, hosts_per_leaf: 2 }
nodes:
  host3: { role: host, routing: bgp, memory: 1024 }
  leaf1: { role: leaf, image: debian/bookworm64 }
  extra1: { role: host }
links:
  - [extra1:eth1, leaf2:swp10]
  - [extra1:eth2, leaf1:swp10]
`)
    expect(plan.nodes.map((n) => n.name)).toEqual(['spine1', 'spine2', 'leaf1', 'leaf2', 'extra1', 'host1', 'host2', 'host3', 'host4'])
    const host3 = node(plan, 'host3')
    expect(host3.routing).toBe('bgp')
    expect(host3.memory).toBe(1024)
    expect(host3.bgp!.neighbors).toEqual([{peerGroup: 'fabric', interface: 'eth1', peer: 'leaf2', peerPort: 'swp1'}])
    expect(node(plan, 'leaf2').bgp!.neighbors).toContainEqual({peerGroup: 'hosts', interface: 'swp1', peer: 'host3', peerPort: 'eth1', prefixListIn: 'FROM_host3'})
    // The generated links are kept; only routing (and the Vagrant settings) changed.
    expect(host3.interfaces.map((i) => `${i.name}>${i.peer.node}:${i.peer.port}`)).toEqual(['eth1>leaf2:swp1'])
    expect(node(plan, 'leaf1').image).toBe('debian/bookworm64')
    expect(node(plan, 'leaf2').image).toBe('CumulusCommunity/cumulus-vx')
    expect(node(plan, 'host1').routing).toBe('static')
    // A dual-attached plain host: one gateway, on its first port.
    const leaf2Swp10 = node(plan, 'leaf2').interfaces.find((i) => i.name === 'swp10')!
    expect(node(plan, 'extra1').gateway).toEqual({address: leaf2Swp10.ipv4!.split('/')[0], interface: 'eth1'})
  })

  it('uses the roles: defaults for image and memory, with per-node settings winning', () => {
    const plan = planOf('name: roles\nfabric: { spines: 1, leaves: 1 }\nroles:\n  leaf: { image: debian/bookworm64, memory: 2048 }\nnodes:\n  host1: { role: host, memory: 768 }\n')
    expect(node(plan, 'leaf1')).toMatchObject({image: 'debian/bookworm64', memory: 2048})
    expect(node(plan, 'spine1')).toMatchObject({image: 'CumulusCommunity/cumulus-vx', memory: 1024})
    expect(node(plan, 'host1')).toMatchObject({image: 'ubuntu/jammy64', memory: 768})
  })
})

describe('addressing and ASN settings', () => {
  it('takes loopbacks, host subnets and ASNs from the topology', () => {
    const plan = planOf(`name: custom
fabric: { spines: 2, leaves: 2, host_routing: bgp }
routing: { spine_asn: 64512, leaf_asn_base: 64601, host_asn_base: 64701 }
addressing: { loopbacks: 192.168.255.0/24, hosts: 172.16.0.0/20, host_prefix_length: 28, mtu: 9000 }
`)
    expect(plan.nodes.map((n) => [n.name, n.bgp!.asn, n.loopback])).toEqual([
      ['spine1', 64512, '192.168.255.1/32'],
      ['spine2', 64512, '192.168.255.2/32'],
      ['leaf1', 64601, '192.168.255.3/32'],
      ['leaf2', 64602, '192.168.255.4/32'],
      ['host1', 64701, '192.168.255.5/32'],
      ['host2', 64702, '192.168.255.6/32'],
    ])
    expect(plan.links.filter((l) => l.subnet).map((l) => [l.a.ipv4, l.b.ipv4])).toEqual([
      ['172.16.0.1/28', '172.16.0.2/28'],
      ['172.16.0.17/28', '172.16.0.18/28'],
    ])
    expect(plan.mtu).toBe(9000)
    for (const n of plan.nodes) for (const i of n.interfaces) expect(i.mtu).toBe(9000)
    expect(prefixSize(parsePrefix('172.16.0.0/20')!)).toBe(4096)
  })

  it('fills a pool exactly to its capacity', () => {
    // 4 routers in a /29 loopback pool (6 usable), 2 host subnets of /25 in a /24.
    const plan = planOf('name: tight\nfabric: { spines: 1, leaves: 2 }\naddressing: { loopbacks: 10.9.0.0/29, hosts: 10.8.0.0/24, host_prefix_length: 25 }\n')
    expect(plan.links.filter((l) => l.subnet).map((l) => l.subnet)).toEqual(['10.8.0.0/25', '10.8.0.128/25'])
  })
})

describe('purity', () => {
  function deepFreeze<T>(value: T): T {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value)
      for (const child of Object.values(value)) deepFreeze(child)
    }
    return value
  }

  it('planLab does not mutate its input (a deep-frozen topology plans the same)', () => {
    for (const text of [
      readFileSync(path.join(REPO, 'topologies', 'routing-on-the-host.yaml'), 'utf8'),
      readFileSync(path.join(REPO, 'topologies', 'numbered-fabric.yaml'), 'utf8'),
      'name: gen\nfabric: { spines: 3, leaves: 5, hosts_per_leaf: 2 }\n',
    ]) {
      const topology = topologyOf(text)
      const before = structuredClone(topology)
      const plan = planLab(deepFreeze(topology)) // a write to a frozen object throws in strict mode
      expect(topology).toEqual(before)
      expect(plan).toEqual(planLab(topologyOf(text)))
    }
  })

  it('the plan shares no objects with the topology', () => {
    const topology = topologyOf(readFileSync(path.join(REPO, 'topologies', 'two-spine-two-leaf.yaml'), 'utf8'))
    const plan = planLab(topology)
    plan.checks.push({kind: 'ping', from: 'host1', to: 'host1'})
    ;(plan.checks[0] as {from: string}).from = 'changed'
    expect(topology.checks).toHaveLength(6)
    expect((topology.checks[0] as {from: string}).from).toBe('host1')
  })
})

describe('what a leaf accepts from BGP hosts (accept:)', () => {
  const hosts = (accept2: string, accept3: string) =>
    planOf(
      `name: acc\nnodes:\n  spine1: { role: spine }\n  leaf1: { role: leaf }\n  host1: { role: host, routing: bgp }\n  host2: { role: host, routing: bgp${accept2} }\n  host3: { role: host, routing: bgp${accept3} }\n  host4: { role: host }\n` +
        'links:\n  - [leaf1:swp51, spine1:swp1]\n  - [host1:eth1, leaf1:swp1]\n  - { endpoints: [host2:eth1, leaf1:swp2], subnet: 10.9.0.0/31 }\n  - [host2:eth2, leaf1:swp3]\n  - [host3:eth1, leaf1:swp4]\n  - [host4:eth1, leaf1:swp5]\n',
    )

  it('widens one host\'s list with its accept: prefixes (anything inside them, a /32 as itself), on each of its sessions', () => {
    const leaf = node(hosts(', accept: [192.0.2.0/24, 198.51.100.7/32]', ''), 'leaf1').bgp!
    expect(leaf.hostFilters!.map((f) => [f.host, f.entries])).toEqual([
      ['host1', ['10.0.0.3/32']],
      ['host2', ['10.0.0.4/32', '192.0.2.0/24 le 32', '198.51.100.7/32']],
      ['host3', ['10.0.0.5/32']],
    ])
    // host2's numbered session (its link's own subnet) and its unnumbered one share one list; the plain host4 has no session.
    expect(leaf.neighbors.filter((n) => n.peerGroup === 'hosts').map((n) => [n.address ?? n.interface, n.prefixListIn])).toEqual([
      ['swp1', 'FROM_host1'],
      ['10.9.0.1', 'FROM_host2'],
      ['swp3', 'FROM_host2'],
      ['swp4', 'FROM_host3'],
    ])
  })

  it('leaves a host with accept: any unfiltered, and no list at all when every host is', () => {
    const leaf = node(hosts('', ', accept: any'), 'leaf1').bgp!
    expect(leaf.hostFilters!.map((f) => f.host)).toEqual(['host1', 'host2'])
    expect(leaf.neighbors.find((n) => n.peer === 'host3')!.prefixListIn).toBeUndefined()
    const open = planOf('name: open\nnodes:\n  spine1: { role: spine }\n  leaf1: { role: leaf }\n  host1: { role: host, routing: bgp, accept: any }\nlinks:\n  - [leaf1:swp51, spine1:swp1]\n  - [host1:eth1, leaf1:swp1]\n')
    expect(node(open, 'leaf1').bgp!.hostFilters).toBeUndefined()
  })
})
