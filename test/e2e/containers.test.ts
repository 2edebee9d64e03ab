// Containers on real labs (root, namespaces, FRR). bridge (host1) and macvlan (host2): containers with MACs and addresses of
// their own on the leaf's host subnet, reached from the fabric like hosts, usable by exec and every
// check. ipvlan-l3: where the kernel has the ipvlan driver, host2 reaches host1's containers over
// the announced range and an address host1 adds outside it is not announced; where it lacks it
// (this project's CI kernel has no CONFIG_IPVLAN), `lab up` refuses with the driver named and leaves nothing.
import {afterAll, describe, expect, it} from 'vitest'
import type {VerifyResult} from '../../src/verify/types.js'
import {canRunNetns, kernelHas, lab, leftovers, NOTHING_LEFT, plan} from './netns-support.js'

const BRIDGED = 'c13-br'
const IPVLAN = 'c13-ipv'

async function routesOn(node: string, name: string): Promise<string[]> {
  const {stdout} = await lab(['exec', '--lab', name, node, '--', 'vtysh', '-c', 'show ip route json'])
  return Object.keys(JSON.parse(stdout))
}

describe.runIf(canRunNetns)('containers', () => {
  afterAll(async () => {
    await lab(['down', BRIDGED])
    await lab(['down', IPVLAN])
  })

  it('bridge and macvlan: containers on the leaf subnet with their own MACs, reached from the fabric, in exec and every check', async () => {
    const up = await lab(['up', 'bridged-containers', '--name', BRIDGED])
    expect(up.exitCode, up.stderr).toBe(0)
    const planned = plan(BRIDGED).nodes.find((n) => n.name === 'host1-c2')!
    const shown = JSON.parse((await lab(['exec', '--lab', BRIDGED, 'host1-c2', '--', 'ip', '-j', 'addr', 'show', 'eth0'])).stdout)[0]
    expect(shown.address).toBe(planned.interfaces[0].mac)
    expect(shown.addr_info.find((a: {family: string}) => a.family === 'inet').local).toBe(planned.interfaces[0].ipv4!.split('/')[0])
    // The default suite pings every container from every host but its own, plus the topology's checks.
    const verify = await lab(['verify', BRIDGED, '--json'])
    const result = JSON.parse(verify.stdout) as VerifyResult
    expect(result.failed, verify.stdout).toBe(0)
    expect(result.checks.filter((c) => c.name.includes('-c')).length).toBeGreaterThanOrEqual(8)
    // leaf1 learned the container's own MAC on its host port: it sits on the LAN, not behind host1.
    const neighbours = JSON.parse((await lab(['exec', '--lab', BRIDGED, 'leaf1', '--', 'ip', '-j', 'neigh', 'show', 'dev', 'swp1'])).stdout) as {dst: string; lladdr?: string}[]
    expect(neighbours.find((n) => n.dst === planned.interfaces[0].ipv4!.split('/')[0])?.lladdr).toBe(planned.interfaces[0].mac)
    // host1's address moved to its bridge, which enslaves eth1 and the containers' veth ends.
    const bridge = JSON.parse((await lab(['exec', '--lab', BRIDGED, 'host1', '--', 'ip', '-j', 'link', 'show', 'master', 'br0'])).stdout) as {ifname: string}[]
    expect(bridge.map((l) => l.ifname).sort()).toEqual(['eth1', 'vc1', 'vc2'])
    const macvlan = plan(BRIDGED).nodes.find((n) => n.name === 'host2-c1')!.interfaces[0]
    const leaf2 = JSON.parse((await lab(['exec', '--lab', BRIDGED, 'leaf2', '--', 'ip', '-j', 'neigh', 'show', 'dev', 'swp1'])).stdout) as {dst: string; lladdr?: string}[]
    expect(leaf2.find((n) => n.dst === macvlan.ipv4!.split('/')[0])?.lladdr).toBe(macvlan.mac)
    expect((await lab(['down', BRIDGED])).exitCode).toBe(0)
    expect(await leftovers(BRIDGED)).toEqual(NOTHING_LEFT)
  })

  it('ipvlan-l3: the range is announced and reached, an address outside it is not; or a clear refusal without the driver', async () => {
    const up = await lab(['up', 'ipvlan-containers', '--name', IPVLAN])
    if (!(await kernelHas('ipvlan', ['mode', 'l3']))) {
      expect(up.exitCode).toBe(1)
      expect(up.stderr).toContain('need the kernel\'s ipvlan (CONFIG_IPVLAN) driver')
      expect(await leftovers(IPVLAN)).toEqual(NOTHING_LEFT)
      return
    }
    expect(up.exitCode, up.stderr).toBe(0)
    const ping = await lab(['exec', '--lab', IPVLAN, 'host2', '--', 'ping', '-c', '2', '-W', '1', '-I', plan(IPVLAN).nodes.find((n) => n.name === 'host2')!.loopback!.split('/')[0], '172.16.1.1'])
    expect(ping.exitCode, ping.stdout).toBe(0)
    expect(await routesOn('leaf2', IPVLAN)).toContain('172.16.1.0/28')
    await lab(['exec', '--lab', IPVLAN, 'host1', '--', 'ip', 'address', 'add', '192.168.99.1/24', 'dev', 'ipvl0'])
    await lab(['exec', '--lab', IPVLAN, 'host1', '--', 'ip', 'address', 'add', '172.16.1.9/32', 'dev', 'lo'])
    await new Promise((r) => setTimeout(r, 3000))
    const leaf1 = await routesOn('leaf1', IPVLAN)
    expect(leaf1).toContain('172.16.1.9/32')
    expect(leaf1).not.toContain('192.168.99.0/24')
    const verify = JSON.parse((await lab(['verify', IPVLAN, '--json'])).stdout) as VerifyResult
    expect(verify.failed, JSON.stringify(verify.checks.filter((c) => c.status === 'fail'))).toBe(0)
    expect((await lab(['down', IPVLAN])).exitCode).toBe(0)
    expect(await leftovers(IPVLAN)).toEqual(NOTHING_LEFT)
  })
})
