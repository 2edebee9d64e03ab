// Linux link kinds on real netns labs (docs/linux-links.md). linux-links: VLAN 10 is one bridge on
// leaf1 across two host ports and is carried to leaf2 by VXLAN (a TTL of 1 reaches a host on the
// other leaf; the hosts share a subnet and learn each other's MACs), VLAN 20 is apart (host1 reaches
// host3 only through leaf1's routing), host5's macvlan has its own MAC on the LAN. bond-trunk needs
// bonding, 802.1Q and dummy drivers: where the kernel lacks them (this project's CI kernel), netns
// preflight refuses it naming each CONFIG_ option and the qemu provider, and creates nothing; where
// it has them, the bond survives a member going down. The qemu run is test/e2e-vm/linux-links-vm.test.ts.
import {afterAll, describe, expect, it} from 'vitest'
import type {VerifyResult} from '../../src/verify/types.js'
import {canRunNetns, kernelHas, lab, leftovers, NOTHING_LEFT, plan} from './netns-support.js'

const LINKS = 'hl-links'
const BOND = 'hl-bond'

const json = async <T>(name: string, node: string, argv: string[]): Promise<T> => JSON.parse((await lab(['exec', '--lab', name, node, '--', ...argv])).stdout) as T
const addressOf = (name: string, node: string) => plan(name).nodes.find((n) => n.name === node)!.interfaces.find((i) => i.ipv4)!.ipv4!.split('/')[0]

describe.runIf(canRunNetns)('Linux link kinds in netns', () => {
  afterAll(async () => {
    await lab(['down', LINKS])
    await lab(['down', BOND])
  })

  it('linux-links: a leaf bridge, VXLAN between leaves, VLAN separation and a macvlan', async () => {
    const up = await lab(['up', 'linux-links', '--name', LINKS])
    expect(up.exitCode, up.stderr).toBe(0)
    const verify = await lab(['verify', LINKS, '--json'])
    const result = JSON.parse(verify.stdout) as VerifyResult
    expect(result.checks.filter((c) => c.status !== 'pass'), verify.stdout).toEqual([])
    expect(result.checks.filter((c) => c.kind === 'exec')).toHaveLength(3)

    // The bridge: leaf1's host ports of VLAN 10 and its VXLAN device, the gateway address on it.
    const members = await json<{ifname: string}[]>(LINKS, 'leaf1', ['ip', '-j', 'link', 'show', 'master', 'br10'])
    expect(members.map((m) => m.ifname).sort()).toEqual(['swp1', 'swp2', 'vxlan10'])
    const br10 = await json<{addr_info: {family: string; local: string}[]}[]>(LINKS, 'leaf1', ['ip', '-j', 'addr', 'show', 'br10'])
    expect(br10[0].addr_info.filter((a) => a.family === 'inet').map((a) => a.local)).toEqual(['10.1.0.1'])

    // VXLAN: host4 (leaf2) is on host1's subnet: on-link, no gateway, its own MAC learned over the fabric.
    const [host1, host4] = [addressOf(LINKS, 'host1'), addressOf(LINKS, 'host4')]
    const route = await json<{gateway?: string; dev: string}[]>(LINKS, 'host1', ['ip', '-j', 'route', 'get', host4])
    expect(route[0].gateway).toBeUndefined()
    expect((await lab(['exec', '--lab', LINKS, 'host1', '--', 'ping', '-c', '2', '-W', '2', '-t', '1', host4])).exitCode).toBe(0)
    const host4Mac = plan(LINKS).nodes.find((n) => n.name === 'host4')!.interfaces[0].mac
    const neighbours = await json<{dst: string; lladdr?: string}[]>(LINKS, 'host1', ['ip', '-j', 'neigh', 'show', 'dev', 'eth1'])
    expect(neighbours.find((n) => n.dst === host4)?.lladdr).toBe(host4Mac)
    // leaf1 learned host4's MAC behind vxlan10, from leaf2's loopback (the tunnel's far end).
    const fdb = await json<{mac: string; ifname: string; dst?: string}[]>(LINKS, 'leaf1', ['bridge', '-j', 'fdb', 'show', 'dev', 'vxlan10'])
    const leaf2Loopback = plan(LINKS).nodes.find((n) => n.name === 'leaf2')!.loopback!.split('/')[0]
    expect(fdb.some((e) => e.mac === host4Mac && e.dst === leaf2Loopback), JSON.stringify(fdb)).toBe(true)
    // The spine never sees the hosts' subnet as anything but the leaves' announcement: the frames ride in UDP between loopbacks.
    expect(host1.startsWith('10.1.0.')).toBe(true)

    // VLAN separation: host3 (VLAN 20) is one routed hop away from host1 (VLAN 10) on the same leaf.
    const host3 = addressOf(LINKS, 'host3')
    const ttl1 = await lab(['exec', '--lab', LINKS, 'host1', '--', 'ping', '-c', '1', '-W', '2', '-t', '1', host3])
    expect(ttl1.exitCode).not.toBe(0)
    expect(ttl1.stdout).toContain('Time to live exceeded')
    expect((await lab(['exec', '--lab', LINKS, 'host1', '--', 'ping', '-c', '1', '-W', '2', '-t', '2', host3])).exitCode).toBe(0)

    // macvlan: leaf2 sees mv0's own MAC for its address, apart from host5's eth1.
    const mv0 = plan(LINKS).nodes.find((n) => n.name === 'host5')!.virtual!.find((v) => v.kind === 'macvlan')!
    expect((await lab(['exec', '--lab', LINKS, 'leaf2', '--', 'ping', '-c', '1', '-W', '2', mv0.ipv4!.split('/')[0]])).exitCode).toBe(0)
    const leaf2 = await json<{dst: string; lladdr?: string}[]>(LINKS, 'leaf2', ['ip', '-j', 'neigh', 'show', 'dev', 'swp2'])
    expect(leaf2.find((n) => n.dst === mv0.ipv4!.split('/')[0])?.lladdr).toBe(mv0.mac)

    expect((await lab(['down', LINKS])).exitCode).toBe(0)
    expect(await leftovers(LINKS)).toEqual(NOTHING_LEFT)
  })

  it('bond-trunk: refused by preflight naming the missing drivers, or a bond that survives a member down', async () => {
    const drivers = await Promise.all([kernelHas('bond'), kernelHas('vlan', ['id', '2']), kernelHas('dummy')])
    const up = await lab(['up', 'bond-trunk', '--name', BOND])
    if (drivers.includes(false)) {
      expect(up.exitCode).toBe(2)
      for (const [has, config] of [[drivers[0], 'CONFIG_BONDING'], [drivers[1], 'CONFIG_VLAN_8021Q'], [drivers[2], 'CONFIG_DUMMY']] as const) {
        if (!has) expect(up.stderr).toContain(config)
      }
      expect(up.stderr).toContain('--provider qemu')
      expect(await leftovers(BOND)).toEqual(NOTHING_LEFT)
      return
    }
    expect(up.exitCode, up.stderr).toBe(0)
    const verify = JSON.parse((await lab(['verify', BOND, '--json'])).stdout) as VerifyResult
    expect(verify.checks.filter((c) => c.status !== 'pass')).toEqual([])
    expect((await lab(['link', '--lab', BOND, 'leaf1:swp1', 'down'])).exitCode).toBe(0)
    expect((await lab(['exec', '--lab', BOND, 'host2', '--', 'ping', '-c', '3', '-W', '2', '10.1.0.2'])).exitCode).toBe(0)
    expect((await lab(['down', BOND])).exitCode).toBe(0)
  })
})
