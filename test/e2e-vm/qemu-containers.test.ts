// Containers on the qemu provider, for real: one small lab (test/fixtures/vm/containers-vm.yaml, six
// TCG VMs) with an IPVLAN L3 host and two Fan hosts on different leaves. The containers are network
// namespaces inside their hosts' VMs, reached by `lab exec`, verify and `lab flow`.
//   IPVLAN: host2 pings host1's container; the range is announced, an address host1 adds inside it is
//   announced, one outside it is not (leaf and spine tables); an IPVLAN child brought up WITH IPv6
//   gets its own link-local and host1's unnumbered session stays Established (docs/containers.md).
//   Fan: a container on host3 reaches one on host2 over IPIP (host2's tunnel counted the packets);
//   no router holds an overlay route.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const BIN = path.join(REPO, 'bin', 'run.js')
const TOPOLOGY = path.join(REPO, 'test', 'fixtures', 'vm', 'containers-vm.yaml')
/** LAB_E2E_PREFIX keeps the lab's name apart from other people's on a shared machine. */
const LAB = `${process.env.LAB_E2E_PREFIX ?? ''}vm-ctr`
const HOME = mkdtempSync(path.join(tmpdir(), 'lab-e2e-vm-ctr-'))
const ENV = {LAB_HOME: HOME, ...(process.env.LAB_BOX_DIR && {LAB_BOX_DIR: process.env.LAB_BOX_DIR})}

async function lab(args: string[], timeoutMs = 120_000) {
  const result = await execa('node', [BIN, ...args], {cwd: REPO, reject: false, env: ENV, timeout: timeoutMs})
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}

const on = (node: string, ...argv: string[]) => lab(['exec', '--lab', LAB, node, '--', ...argv])

/** Every IPv4 prefix in a router's zebra table. */
async function zebraPrefixes(node: string): Promise<string[]> {
  const result = await on(node, 'vtysh', '-c', 'show ip route json')
  expect(result.exitCode, result.stderr).toBe(0)
  return Object.keys(JSON.parse(result.stdout) as Record<string, unknown>)
}

async function eventually(what: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    if (await what()) return true
    await new Promise((r) => setTimeout(r, 2000))
  }
  return what()
}

async function sessionState(): Promise<string> {
  const result = await on('host1', 'vtysh', '-c', 'show bgp summary json')
  const peers = (JSON.parse(result.stdout) as {ipv4Unicast: {peers: Record<string, {state: string}>}}).ipv4Unicast.peers
  return Object.values(peers).map((p) => p.state).join(',')
}

describe('qemu provider: IPVLAN L3 and Fan containers inside host VMs', () => {
  beforeAll(async () => {
    const build = await lab(['box', 'build'], 900_000)
    expect(build.exitCode, build.stderr).toBe(0)
    const up = await lab(['up', TOPOLOGY, '--name', LAB, '--provider', 'qemu'], 600_000)
    expect(up.exitCode, up.stderr).toBe(0)
  }, 900_000)

  afterAll(async () => {
    const down = await lab(['down', LAB], 180_000)
    rmSync(HOME, {recursive: true, force: true})
    expect(down.exitCode, down.stderr).toBe(0)
  }, 200_000)

  it('a container is a namespace in its host VM with its planned address', async () => {
    const ipvlan = await on('host1-c1', 'ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0')
    expect(ipvlan.exitCode, ipvlan.stderr).toBe(0)
    expect(JSON.parse(ipvlan.stdout)[0].addr_info[0].local).toBe('172.16.1.1')
    const fan = await on('host2-c1', 'ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0')
    expect(JSON.parse(fan.stdout)[0].addr_info[0].local).toBe('250.2.2.2')
    const netns = await on('host2', 'ip', 'netns', 'list')
    expect(netns.stdout).toContain('host2-c1')
  })

  it('IPVLAN: host2 pings host1-c1; leaf2 and spine1 learned the range from host1\'s BGP', async () => {
    const ping = await on('host2', 'ping', '-c', '3', '-W', '2', '172.16.1.1')
    expect(ping.exitCode, ping.stdout + ping.stderr).toBe(0)
    expect(await zebraPrefixes('leaf2')).toContain('172.16.1.0/28')
    expect(await zebraPrefixes('spine1')).toContain('172.16.1.0/28')
  })

  it('IPVLAN: an address host1 adds inside the range is announced, one outside it is not', async () => {
    expect((await on('host1', 'ip', 'addr', 'add', '172.16.1.13/32', 'dev', 'ipvl0')).exitCode).toBe(0)
    expect((await on('host1', 'ip', 'addr', 'add', '192.168.99.1/24', 'dev', 'ipvl0')).exitCode).toBe(0)
    expect(await eventually(async () => (await zebraPrefixes('spine1')).includes('172.16.1.13/32'), 30)).toBe(true)
    // The inside one arrived over the same session after the outside one was added: the outside one had its chance.
    for (const router of ['leaf1', 'spine1', 'leaf2']) {
      const prefixes = await zebraPrefixes(router)
      expect(prefixes.filter((p) => p.startsWith('192.168.99.')), router).toEqual([])
    }
  })

  it('IPVLAN: a child brought up with IPv6 gets its own link-local and host1\'s unnumbered session stays Established', async () => {
    expect(await sessionState()).toBe('Established')
    const script = [
      'ip netns add v6probe',
      'ip link add link eth1 name v6probe type ipvlan mode l3',
      'ip link set dev v6probe netns v6probe name eth9',
      'ip -n v6probe link set dev eth9 up',
      'sleep 3',
      'ip -n v6probe -j -6 addr show dev eth9',
    ].join('\n')
    const made = await on('host1', 'sh', '-ec', script)
    expect(made.exitCode, made.stderr).toBe(0)
    const childLinkLocal = (JSON.parse(made.stdout)[0].addr_info as {local: string; scope: string}[]).find((a) => a.scope === 'link')!.local
    const parent = await on('host1', 'ip', '-j', '-6', 'addr', 'show', 'dev', 'eth1')
    const parentLinkLocal = (JSON.parse(parent.stdout)[0].addr_info as {local: string; scope: string}[]).find((a) => a.scope === 'link')!.local
    expect(childLinkLocal).toMatch(/^fe80:/)
    expect(childLinkLocal).not.toBe(parentLinkLocal)
    // Two hold times (9 s each) and more.
    await new Promise((r) => setTimeout(r, 25_000))
    expect(await sessionState()).toBe('Established')
    const uptime = await on('host1', 'vtysh', '-c', 'show bgp summary json')
    const peers = Object.values((JSON.parse(uptime.stdout) as {ipv4Unicast: {peers: Record<string, {peerUptimeMsec: number}>}}).ipv4Unicast.peers)
    expect(peers[0].peerUptimeMsec).toBeGreaterThan(25_000)
    await on('host1', 'ip', 'netns', 'del', 'v6probe')
  }, 120_000)

  it('Fan: a container on host3 reaches one on host2, in IPIP between the hosts\' underlay addresses', async () => {
    const rx = async () => {
      const link = await on('host2', 'ip', '-j', '-s', 'link', 'show', 'dev', 'ftun0')
      return (JSON.parse(link.stdout)[0] as {stats64: {rx: {packets: number}}}).stats64.rx.packets
    }
    const before = await rx()
    const ping = await on('host3-c1', 'ping', '-c', '5', '-i', '0.3', '-W', '2', '250.2.2.2')
    expect(ping.exitCode, ping.stdout + ping.stderr).toBe(0)
    expect((await rx()) - before).toBeGreaterThanOrEqual(5)
    const back = await on('host2-c1', 'ping', '-c', '3', '-W', '2', '250.1.2.2')
    expect(back.exitCode, back.stdout + back.stderr).toBe(0)
    const tunnel = await on('host3', 'ip', '-d', '-j', 'link', 'show', 'dev', 'ftun0')
    const info = (JSON.parse(tunnel.stdout)[0] as {linkinfo: {info_kind: string; info_data: {local: string; remote: string}}}).linkinfo
    expect(info.info_kind).toBe('ipip')
    expect(info.info_data).toMatchObject({local: '10.1.1.2', remote: 'any'})
  })

  it('Fan: no router holds an overlay route, in zebra or in the kernel', async () => {
    for (const router of ['spine1', 'leaf1', 'leaf2']) {
      expect((await zebraPrefixes(router)).filter((p) => p.startsWith('250.')), router).toEqual([])
      const kernel = await on(router, 'ip', '-j', '-4', 'route', 'show', 'table', 'all')
      expect((JSON.parse(kernel.stdout) as {dst: string}[]).filter((r) => r.dst.startsWith('250.')), router).toEqual([])
    }
  })

  it('lab verify: the default suite (containers included) and the topology\'s checks pass', async () => {
    // --wait 60: under TCG on a loaded machine a probe's SSH can time out (10 s); failed checks are retried that long.
    const verify = await lab(['verify', LAB, '--json', '--wait', '60'], 300_000)
    const report = JSON.parse(verify.stdout) as {checks: {kind: string; name: string; status: string; detail: string}[]}
    expect(report.checks.filter((c) => c.status !== 'pass'), verify.stdout).toEqual([])
    expect(report.checks.some((c) => c.name.includes('host3-c1'))).toBe(true)
    expect(verify.exitCode).toBe(0)
  }, 300_000)

  it('lab flow from a Fan container to another follows the IPIP packets through the fabric', async () => {
    const flow = await lab(['flow', '--lab', LAB, 'host3-c1', 'host2-c1', '--seconds', '2', '--json'], 120_000)
    const result = JSON.parse(flow.stdout) as {path: string[]; bytes: number}
    expect(result.bytes).toBeGreaterThan(0)
    expect(result.path.slice(0, 2)).toEqual(['host3-c1', 'host3'])
    expect(result.path).toContain('spine1')
  }, 120_000)
})
