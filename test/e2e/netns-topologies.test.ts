// e2e (root, real namespaces, real FRR): each topology up → converged → traffic and ECMP → down leaves nothing.
import {afterAll, describe, expect, it} from 'vitest'
import {canRunNetns, kernelPaths, lab, leftovers, NOTHING_LEFT, pingMesh, plan, removeLab} from './netns-support.js'

const NAMES = {tstl: 't-up-tstl', roth: 't-up-roth', numbered: 't-up-numbered'}

describe.skipIf(!canRunNetns)('netns provider: shipped topologies', () => {
  afterAll(async () => {
    for (const name of Object.values(NAMES)) await removeLab(name)
  })

  describe('two-spine-two-leaf', () => {
    const name = NAMES.tstl

    it('comes up converged and says how long it took', async () => {
      const result = await lab(['up', 'two-spine-two-leaf', '--name', name, '--json'])
      expect(result.exitCode, result.stderr + result.stdout).toBe(0)
      const up = JSON.parse(result.stdout) as {lab: string; sessions: number; convergenceMs: number}
      expect(up).toMatchObject({lab: name, nodes: 6, links: 6, sessions: 10})
      expect(up.convergenceMs).toBeGreaterThan(0)
    })

    it('every host pings every other host', async () => {
      expect(await pingMesh(name)).toEqual([])
    })

    it('leaf1 has two equal-cost paths to leaf2 loopback', async () => {
      const leaf2 = plan(name).nodes.find((n) => n.name === 'leaf2')!.loopback!.split('/')[0]
      expect(await kernelPaths(name, 'leaf1', leaf2)).toBe(2)
    })

    it('vtysh in lab exec reaches the node own daemons; peers show by hostname; the node has its own hostname', async () => {
      const summary = await lab(['exec', '--lab', name, 'leaf1', '--', 'vtysh', '-c', 'show bgp summary'])
      expect(summary.exitCode, summary.stderr).toBe(0)
      expect(summary.stdout).toContain('spine1(swp51)')
      expect(summary.stdout).toContain('spine2(swp52)')
      expect(summary.stdout).toMatch(/local AS number 65001/)
      // a plain `vtysh` typed in a shell inside the node works too (PATH shim)
      const shell = await lab(['exec', '--lab', name, 'spine1', '--', 'sh', '-c', "vtysh -c 'show bgp summary json' | grep -c '\"state\":\"Established'; hostname"])
      expect(shell.stdout.trim().split('\n')).toEqual(['2', 'spine1'])
      const hostname = await lab(['exec', '--lab', name, 'host1', '--', 'hostname'])
      expect(hostname.stdout.trim()).toBe('host1')
    })

    it('passes the exit code through and checks node names against the plan', async () => {
      expect((await lab(['exec', '--lab', name, 'host1', '--', 'sh', '-c', 'exit 7'])).exitCode).toBe(7)
      const unknown = await lab(['exec', '--lab', name, 'leaf9', '--', 'true'])
      expect(unknown.exitCode).toBe(2)
      expect(unknown.stderr).toMatch(/no node "leaf9"/)
      const injected = await lab(['exec', '--lab', name, 'leaf1;reboot', '--', 'true'])
      expect(injected.exitCode).toBe(2)
    })

    it('refuses a second up of the same lab without touching it', async () => {
      const again = await lab(['up', 'two-spine-two-leaf', '--name', name])
      expect(again.exitCode).toBe(2)
      expect(again.stderr).toMatch(/already up/)
      const status = JSON.parse((await lab(['status', name, '--json'])).stdout) as {state: string}
      expect(status.state).toBe('up')
    })

    it('status shows a bgpd killed behind its back', async () => {
      const before = JSON.parse((await lab(['status', name, '--json'])).stdout) as {healthy: boolean; nodes: {name: string; daemons: {name: string; pid: number; alive: boolean}[]}[]}
      expect(before.healthy).toBe(true)
      const bgpd = before.nodes.find((n) => n.name === 'leaf2')!.daemons.find((d) => d.name === 'bgpd')!
      process.kill(bgpd.pid, 'SIGKILL')
      const after = await lab(['status', name, '--json'])
      const status = JSON.parse(after.stdout) as {state: string; healthy: boolean; nodes: typeof before.nodes; bgp: {node: string; problem?: string}[]}
      expect(status.healthy).toBe(false)
      expect(status.state).toBe('degraded')
      expect(after.exitCode).toBe(1) // a degraded lab is not a success for scripts
      expect(status.nodes.find((n) => n.name === 'leaf2')!.daemons.find((d) => d.name === 'bgpd')!.alive).toBe(false)
      expect(status.bgp.find((r) => r.node === 'leaf2')!.problem).toMatch(/bgpd is not running/)
      const human = await lab(['status', name])
      expect(human.stdout).toMatch(/leaf2 .*bgpd DEAD/)
    })

    it('down removes every namespace, veth and FRR process; twice is fine', async () => {
      const down = await lab(['down', name])
      expect(down.exitCode, down.stderr).toBe(0)
      expect(await leftovers(name)).toEqual(NOTHING_LEFT)
      const again = await lab(['down', name])
      expect(again.exitCode, again.stderr).toBe(0)
      expect(again.stdout).toMatch(/nothing to remove/)
    })
  })

  describe('routing-on-the-host', () => {
    const name = NAMES.roth
    it('comes up converged; hosts reach each other over BGP; dual-attached host3 has both sessions', async () => {
      const up = await lab(['up', 'routing-on-the-host', '--name', name])
      expect(up.exitCode, up.stderr).toBe(0)
      expect(await pingMesh(name)).toEqual([])
      const status = JSON.parse((await lab(['status', name, '--json'])).stdout) as {healthy: boolean; bgp: {node: string; sessions: {state: string}[]}[]}
      expect(status.healthy).toBe(true)
      expect(status.bgp.find((r) => r.node === 'host3')!.sessions.map((s) => s.state)).toEqual(['Established', 'Established'])
      // Both spines, and not via the dual-attached host3: hosts announce only their own loopback.
      const leaf2 = plan(name).nodes.find((n) => n.name === 'leaf2')!.loopback!.split('/')[0]
      expect(await kernelPaths(name, 'leaf1', leaf2)).toBe(2)
    })
    it('down leaves nothing', async () => {
      expect((await lab(['down', name])).exitCode).toBe(0)
      expect(await leftovers(name)).toEqual(NOTHING_LEFT)
    })
  })

  describe('numbered-fabric', () => {
    const name = NAMES.numbered
    it('comes up converged over /31s; hosts reach each other; leaf1 has two paths to leaf3', async () => {
      const up = await lab(['up', 'numbered-fabric', '--name', name])
      expect(up.exitCode, up.stderr).toBe(0)
      expect(await pingMesh(name)).toEqual([])
      const leaf3 = plan(name).nodes.find((n) => n.name === 'leaf3')!.loopback!.split('/')[0]
      expect(await kernelPaths(name, 'leaf1', leaf3)).toBe(2)
      const summary = await lab(['exec', '--lab', name, 'leaf1', '--', 'vtysh', '-c', 'show bgp summary'])
      expect(summary.stdout).toMatch(/spine1\(10\.2\.0\.\d+\)/)
    })
    it('down leaves nothing', async () => {
      expect((await lab(['down', name])).exitCode).toBe(0)
      expect(await leftovers(name)).toEqual(NOTHING_LEFT)
    })
  })
})
