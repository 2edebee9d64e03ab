// The Fan on the netns provider (lab `c13-fan`, topologies/fan.yaml). Where the kernel has IPIP, the
// same lines as in a VM: a container on host1 reaches one on host2 over host2's tunnel, and no spine
// or leaf holds an overlay route. Without it (this project's CI kernel has no CONFIG_NET_IPIP), `lab up`
// refuses with the driver and --provider qemu named, exit 1, and leaves nothing.
import {afterAll, describe, expect, it} from 'vitest'
import {canRunNetns, kernelHas, lab, leftovers, NOTHING_LEFT} from './netns-support.js'

const FAN = `${process.env.LAB_E2E_PREFIX ?? 'c13-'}fan`

describe.runIf(canRunNetns)('the Fan in netns', () => {
  afterAll(async () => {
    await lab(['down', FAN])
  })

  it('builds the Fan where the kernel has IPIP, else refuses naming CONFIG_NET_IPIP and the qemu provider', async () => {
    const up = await lab(['up', 'fan', '--name', FAN])
    if (!(await kernelHas('ipip'))) {
      expect(up.exitCode).toBe(1)
      expect(up.stderr).toContain('host1\'s fan containers need the kernel\'s IPIP tunnel (CONFIG_NET_IPIP) driver, which this kernel does not have')
      expect(up.stderr).toContain('--provider qemu')
      expect(await leftovers(FAN)).toEqual(NOTHING_LEFT)
      return
    }
    expect(up.exitCode, up.stderr).toBe(0)
    const ping = await lab(['exec', '--lab', FAN, 'host1-c1', '--', 'ping', '-c', '2', '-W', '1', '250.1.2.2'])
    expect(ping.exitCode, ping.stdout).toBe(0)
    for (const router of ['spine1', 'spine2', 'leaf1', 'leaf2']) {
      const routes = JSON.parse((await lab(['exec', '--lab', FAN, router, '--', 'ip', '-j', '-4', 'route', 'show', 'table', 'all'])).stdout) as {dst: string}[]
      expect(routes.filter((r) => r.dst.startsWith('250.')), router).toEqual([])
    }
    const verify = await lab(['verify', FAN, '--json'])
    expect(verify.exitCode, verify.stdout).toBe(0)
    expect((await lab(['down', FAN])).exitCode).toBe(0)
    expect(await leftovers(FAN)).toEqual(NOTHING_LEFT)
  })
})
