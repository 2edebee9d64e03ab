// Containers on the qemu provider, pure parts: the Fan's plan (underlay A.B.x.y => overlay O.x.y.0/24,
// one route per other host of the overlay via its underlay address), and each container host's
// containers.sh (the netns provider's lines with the VM's namespace names), checked by sh -n.
import {execFileSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {readPlan} from '../../src/io/topology-file.js'
import {containerScript, qemuFiles} from '../../src/providers/qemu/containers.js'
import {linkPorts} from '../../src/providers/qemu/vm.js'
import {defaultSuite} from '../../src/verify/suite.js'
import {containerPortLines} from '../../src/providers/netns/containers.js'

const {plan} = readPlan('fan', {provider: 'qemu'})
const node = (name: string) => plan.nodes.find((n) => n.name === name)!

describe('the Fan plan (topologies/fan.yaml)', () => {
  it('maps each host\'s underlay address onto its overlay /24, the host at .1', () => {
    for (const host of ['host1', 'host2']) {
      const fan = node(host).containers!.fan!
      const [, , x, y] = node(host).interfaces[0].ipv4!.split('/')[0].split('.')
      expect(fan.underlay).toBe(node(host).interfaces[0].ipv4!.split('/')[0])
      expect(fan.subnet).toBe(`250.${x}.${y}.0/24`)
      expect(fan.address).toBe(`250.${x}.${y}.1/24`)
      expect(fan.mtu).toBe(node(host).interfaces[0].mtu - 20)
    }
    expect(node('host1').containers!.fan!.subnet).toBe('250.0.2.0/24')
    expect(node('host2').containers!.fan!.subnet).toBe('250.1.2.0/24')
  })

  it('routes every other host\'s /24 to its underlay address, and nothing else', () => {
    expect(node('host1').containers!.fan!.routes).toEqual([{to: '250.1.2.0/24', via: '10.1.1.2', host: 'host2'}])
    expect(node('host2').containers!.fan!.routes).toEqual([{to: '250.0.2.0/24', via: '10.1.0.2', host: 'host1'}])
  })

  it('addresses the containers from their host\'s /24 with the host as gateway, at the overlay MTU', () => {
    expect(node('host1-c1').interfaces[0]).toMatchObject({name: 'eth0', ipv4: '250.0.2.2/24', mtu: 1480})
    expect(node('host1-c2').interfaces[0].ipv4).toBe('250.0.2.3/24')
    expect(node('host2-c1').gateway).toEqual({address: '250.1.2.1', interface: 'eth0'})
    expect(node('host2-c1').interfaces[0].mac).not.toBe(node('host2-c2').interfaces[0].mac)
  })

  it('adds no overlay prefix to what the fabric announces', () => {
    const announced = plan.nodes.flatMap((n) => [...(n.bgp?.localPrefixes ?? []), ...(n.bgp?.containerPrefixes ?? [])])
    expect(announced.filter((p) => p.startsWith('250.'))).toEqual([])
  })
})

describe('containers.sh', () => {
  const script = containerScript(plan, node('host1'))

  it('builds the tunnel with no remote, the bridge, the pairs and the routes, in the VM\'s namespaces', () => {
    expect(script).toContain('ip netns add host1-c1\n')
    expect(script).toContain('link add name ftun0 type ipip local 10.1.0.2\n')
    expect(script).toContain('link add name fan-250 mtu 1480 type bridge\n')
    expect(script).toContain('link add name vc1 mtu 1480 type veth peer name ctr1 address 02:4c:43:00:00:01 mtu 1480\n')
    expect(script).toContain('link set dev ctr1 netns host1-c1 name eth0\n')
    expect(script).toContain('sysctl -q -w net.ipv4.ip_forward=1\n')
    expect(script).toContain('route add 250.1.2.0/24 via 10.1.1.2 dev ftun0 onlink\n')
    expect(script).toContain(`ip -n host1-c1 -batch - <<'EOF'\nlink set dev lo up\naddress add 250.0.2.2/24 dev eth0\nlink set dev eth0 up\nroute add default via 250.0.2.1 dev eth0\nEOF\n`)
  })

  it('is valid sh, for every container host of every mode', () => {
    for (const topology of ['fan', 'ipvlan-containers', 'bridged-containers']) {
      const {plan: p} = readPlan(topology, {provider: 'qemu'})
      for (const host of p.nodes.filter((n) => n.containers)) execFileSync('sh', ['-n'], {input: containerScript(p, host)})
    }
  })

  it('moves a bridge host\'s address onto the bridge with the routes netplan leaves out', () => {
    const {plan: p} = readPlan('bridged-containers', {provider: 'qemu'})
    const host = p.nodes.find((n) => n.name === 'host1')!
    const text = containerScript(p, host)
    expect(text).toMatch(/address del 10\.1\.0\.2\/24 dev eth1\naddress add 10\.1\.0\.2\/24 dev br0\n/)
    expect(text).toContain('route replace default via 10.1.0.1 dev br0 metric 50\n')
  })

  it('is rendered for qemu labs only on container hosts; the netns lines keep creating children in place', () => {
    const files = qemuFiles.render(plan, {get: () => () => ''} as never, {name: 'fan'} as never).map((f) => f.path)
    expect(files.filter((f) => f.endsWith('containers.sh')).sort()).toEqual(['host1/containers.sh', 'host2/containers.sh'])
    expect(containerPortLines(plan, node('host1'))).toContain('link add name vc1 mtu 1480 type veth peer name eth0 address 02:4c:43:00:00:01 mtu 1480 netns lab_fan_host1-c1')
  })

  it('gives no VM NIC to a container', () => {
    expect([...linkPorts(plan, plan.links.flatMap((_, i) => [1 + 2 * i, 2 + 2 * i])).keys()].filter((n) => n.includes('-c'))).toEqual([])
  })
})

describe('the default suite with Fan and IPVLAN containers (test/fixtures/vm/containers-vm.yaml)', () => {
  const {plan: vm} = readPlan('test/fixtures/vm/containers-vm.yaml', {provider: 'qemu'})
  const pings = defaultSuite(vm).filter((c) => c.kind === 'ping').map((c) => c.name)

  it('pings a Fan container from its overlay only: Fan hosts and containers, not host1 or its container', () => {
    expect(pings).toEqual(expect.arrayContaining(['host2 -> host2-c1', 'host2 -> host3-c1', 'host3 -> host2-c1', 'host2-c1 -> host3-c1', 'host1 -> host2', 'host2 -> host1-c1']))
    expect(pings.filter((p) => /host1.* -> host[23]-c1|host[23]-c1 -> host1/.test(p))).toEqual([])
  })

  it('leaves out a host and its own IPVLAN L3 child (pinged from the host\'s loopback, the reply is not delivered back)', () => {
    expect(pings).not.toContain('host1 -> host1-c1')
  })
})
