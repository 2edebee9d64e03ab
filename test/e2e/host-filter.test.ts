// What leaves accept from BGP hosts, on a real lab (root, namespaces, FRR): each host is made to
// announce more than it was given (an address on lo and its own prefix-list widened, as a careless
// host admin would). The leaf receives it, refuses it and keeps it out of the fabric, unless the
// topology's accept: covers it (host2's 192.0.2.0/24) or the host is unfiltered (host3's accept:
// any); the host's own prefixes still reach everyone. Topology: test/fixtures/host-filter/. ≈ 30 s.
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {canRunNetns, lab, leftovers, NOTHING_LEFT, plan, removeLab, REPO} from './netns-support.js'

const LAB = `${process.env.LAB_E2E_PREFIX ?? 't-'}hfilter`
const TOPOLOGY = path.join(REPO, 'test/fixtures/host-filter/host-filter.yaml')

/** Announced by each host beyond its loopback; only host1's and host2's second are outside what their leaf accepts. */
const EXTRA = {host1: ['198.51.100.0/24'], host2: ['192.0.2.0/24', '203.0.113.0/24'], host3: ['198.18.0.0/24']} as const
const REFUSED = ['198.51.100.0/24', '203.0.113.0/24']
const ACCEPTED = ['192.0.2.0/24', '198.18.0.0/24']

async function vtysh(node: string, ...commands: string[]): Promise<string> {
  const result = await lab(['exec', '--lab', LAB, node, '--', 'vtysh', ...commands.flatMap((c) => ['-c', c])])
  expect(result.exitCode, `${node}: ${commands.join('; ')}: ${result.stderr}`).toBe(0)
  return result.stdout
}

/** Prefixes in a node's routing table (zebra's: what it forwards on). */
async function routes(node: string): Promise<string[]> {
  return Object.keys(JSON.parse(await vtysh(node, 'show ip route json')) as object)
}

/** A leaf's view of one host session: what the host sent (adj-RIB-in) and what the leaf took. */
async function fromHost(leaf: string, host: string): Promise<{received: string[]; accepted: string[]}> {
  const neighbor = plan(LAB).nodes.find((n) => n.name === leaf)!.bgp!.neighbors.find((n) => n.peer === host)!
  const key = neighbor.interface ?? neighbor.address!
  const received = JSON.parse(await vtysh(leaf, `show bgp ipv4 unicast neighbors ${key} received-routes json`)) as {receivedRoutes?: object}
  const accepted = JSON.parse(await vtysh(leaf, `show bgp ipv4 unicast neighbors ${key} routes json`)) as {routes?: object}
  return {received: Object.keys(received.receivedRoutes ?? {}).sort(), accepted: Object.keys(accepted.routes ?? {}).sort()}
}

/** Polls until `probe` holds (BGP needs a moment), bounded; fails with the last value seen. */
async function until<T>(what: string, probe: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (holds(value)) return value
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

const loopbackOf = (node: string) => plan(LAB).nodes.find((n) => n.name === node)!.loopback!

describe.skipIf(!canRunNetns)('leaves filter what BGP hosts announce', () => {
  afterAll(async () => {
    await removeLab(LAB)
  })

  it('a prefix a host was not given is received by its leaf, refused, and absent from spines and other leaves; accept: widens, accept: any opens', async () => {
    const up = await lab(['up', TOPOLOGY, '--name', LAB])
    expect(up.exitCode, up.stderr).toBe(0)
    for (const [host, prefixes] of Object.entries(EXTRA)) {
      for (const [i, prefix] of prefixes.entries()) {
        const address = `${prefix.split('/')[0].replace(/\.0$/, '.1')}/${prefix.split('/')[1]}`
        expect((await lab(['exec', '--lab', LAB, host, '--', 'ip', 'address', 'add', address, 'dev', 'lo'])).exitCode).toBe(0)
        await vtysh(host, 'configure terminal', `ip prefix-list LOCAL_PREFIXES seq ${100 + 10 * i} permit ${prefix}`)
      }
    }
    // Each leaf received everything its hosts sent: the hosts really announce the extra prefixes.
    const host1 = await until('leaf1 receiving host1\'s extra prefix', () => fromHost('leaf1', 'host1'), (v) => v.received.includes('198.51.100.0/24'))
    const host2 = await until('leaf2 receiving host2\'s extra prefixes', () => fromHost('leaf2', 'host2'), (v) => EXTRA.host2.every((p) => v.received.includes(p)))
    const host3 = await until('leaf2 receiving host3\'s extra prefix', () => fromHost('leaf2', 'host3'), (v) => v.received.includes('198.18.0.0/24'))
    // ...and took only what the plan gave each host (its loopback), plus host2's accept: range, plus all of host3's.
    expect(host1.accepted).toEqual([loopbackOf('host1')])
    expect(host2.accepted).toEqual([loopbackOf('host2'), '192.0.2.0/24'].sort())
    expect(host3.accepted).toEqual([loopbackOf('host3'), '198.18.0.0/24'].sort())
    // The accepted ones reach the whole fabric; the refused ones reach nobody, not even the leaf itself.
    for (const node of ['leaf1', 'leaf2', 'spine1']) {
      const table = await until(`${node} learning the accepted prefixes`, () => routes(node), (r) => ACCEPTED.every((p) => r.includes(p)))
      expect(table.filter((p) => REFUSED.includes(p)), node).toEqual([])
      for (const host of ['host1', 'host2', 'host3']) expect(table, `${node}: ${host}'s loopback`).toContain(loopbackOf(host))
    }
    // The accepted prefixes carry traffic: host1 reaches host2's address in its accept: range.
    const ping = await lab(['exec', '--lab', LAB, 'host1', '--', 'ping', '-c', '2', '-W', '2', '-I', loopbackOf('host1').split('/')[0], '192.0.2.1'])
    expect(ping.exitCode, ping.stdout).toBe(0)
    // The filter, and nothing else, kept host1's prefix out: taken off leaf1's session, the prefix spreads.
    const session = plan(LAB).nodes.find((n) => n.name === 'leaf1')!.bgp!.neighbors.find((n) => n.peer === 'host1')!
    await vtysh('leaf1', 'configure terminal', 'router bgp', 'address-family ipv4 unicast', `no neighbor ${session.interface} prefix-list FROM_host1 in`)
    await until('spine1 learning host1\'s prefix once leaf1 stops filtering', () => routes('spine1'), (r) => r.includes('198.51.100.0/24'))
    const verify = await lab(['verify', LAB, '--json'])
    const failed = (JSON.parse(verify.stdout) as {checks: {status: string}[]}).checks.filter((c) => c.status !== 'pass')
    expect(failed, verify.stdout).toEqual([])
    expect((await lab(['down', LAB])).exitCode).toBe(0)
    expect(await leftovers(LAB)).toEqual(NOTHING_LEFT)
  })
})
