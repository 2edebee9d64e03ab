// The netns provider's builds of the link kinds this machine's kernel lacks (bonding, 802.1Q, dummy,
// IPVLAN, IPIP), run for real inside one qemu VM whose kernel (Debian 12, 6.1, every module) has them.
// The VM is vm1 of a two-router qemu lab (test/fixtures/vm/netns-in-vm.yaml; vm2 exists only because
// every node needs a link), with 1.5 GiB and 2 vCPUs. This checkout (dist, production node_modules)
// and this machine's node binary go in as one tarball through `lab exec vm1 -- tar x`
// (scripts/guest-payload.sh); inside, as root, `lab up` (netns, the default) builds bond-trunk,
// ipvlan-containers and fan in turn, each verified by its own checks and asserted like the VM tests:
//   bond-trunk: an 802.3ad bond of 2 ports with leaf1 as LACP partner, VLAN separation, the dummy's
//   prefix in spine1's BGP table, pings surviving one member down.
//   ipvlan-containers: the range announced, an address added inside it announced, one outside not.
//   fan: container to container over IPIP (host2's tunnel counts it), no overlay route on any router.
// Probes go by namespace in one SSH round trip per batch (inVm): each inner `lab exec` would start a
// node process in the guest, seconds apiece under TCG.
// Each inner lab is taken down and leaves no namespace in the VM; none ever exists on this machine.
// `lab down` of the outer lab runs even on failure (afterAll).
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const BIN = path.join(REPO, 'bin', 'run.js')
const TOPOLOGY = path.join(REPO, 'test', 'fixtures', 'vm', 'netns-in-vm.yaml')
/** LAB_E2E_PREFIX keeps the lab's name apart from other people's on a shared machine. */
const PREFIX = process.env.LAB_E2E_PREFIX ?? ''
const LAB = `${PREFIX}netns-vm`
const HOME = mkdtempSync(path.join(tmpdir(), 'lab-e2e-netns-vm-'))
const PAYLOAD = path.join(HOME, 'lab.tar.gz')
// One VM carries up to ten namespaces with FRR and a node process: 1.5 GiB (both VMs touch only what they use).
const ENV = {LAB_HOME: HOME, LAB_QEMU_MEMORY: '1536', LAB_QEMU_CPUS: '2', ...(process.env.LAB_BOX_DIR && {LAB_BOX_DIR: process.env.LAB_BOX_DIR})}
/** How `lab` runs inside vm1: its own node, its own LAB_HOME (labs under /var/lib/lab-in-vm). */
const GUEST_ENV = ['env', 'LAB_HOME=/var/lib/lab-in-vm', 'PATH=/opt/lab/bin-node:/usr/sbin:/usr/bin:/sbin:/bin']
const GUEST_LAB = [...GUEST_ENV, 'node', '/opt/lab/bin/run.js']
const GUEST_LAB_SH = 'node /opt/lab/bin/run.js'
/** A shell script in vm1 (one SSH round trip), `lab` in it spelled GUEST_LAB_SH. */
const guestShell = (script: string, timeoutMs: number) => vm([...GUEST_ENV, 'sh', '-c', script], timeoutMs)

interface Run {
  exitCode: number
  stdout: string
  stderr: string
}

async function lab(args: string[], timeoutMs = 180_000, input?: string): Promise<Run> {
  const result = await execa('node', [BIN, ...args], {cwd: REPO, reject: false, env: ENV, timeout: timeoutMs, ...(input ? {inputFile: input} : {})})
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}

/** A command in vm1 (root, the VM's own namespaces). */
const vm = (argv: string[], timeoutMs = 180_000) => lab(['exec', '--lab', LAB, 'vm1', '--', ...argv], timeoutMs)
/** `lab …` inside vm1: the netns provider on the guest's kernel. */
const inner = (args: string[], timeoutMs = 300_000) => vm([...GUEST_LAB, ...args], timeoutMs)
const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`

/**
 * Commands in vm1, in one SSH round trip (each costs seconds under TCG): each command's stdout
 * (stderr dropped) and exit code. Nodes are reached by namespace (`ip -n lab_<lab>_<node>`,
 * `ip netns exec`), which needs no node process in the guest; only vtysh would, and the kernel's
 * tables (FRR installs what it selects) and the topologies' own `route` checks stand for zebra's.
 */
async function inVm(commands: string[][]): Promise<Run[]> {
  const script = commands.map((argv) => `${argv.map(quote).join(' ')} 2>/dev/null; rc=$?; echo; echo "@@@ $rc"`).join('\n')
  const result = await vm(['sh', '-c', script])
  expect(result.exitCode, result.stderr).toBe(0)
  const parts = result.stdout.split(/^@@@ (\d+)$\n?/m)
  return commands.map((_, i) => ({stdout: parts[2 * i], exitCode: Number(parts[2 * i + 1]), stderr: ''}))
}

const ns = (inLab: string, node: string) => `lab_${inLab}_${node}`
/** argv in a node's network namespace (network state only: /proc/net, routes, links, ping). */
const inNode = (inLab: string, node: string, argv: string[]) => ['ip', 'netns', 'exec', ns(inLab, node), ...argv]
const kernelRoutes = (inLab: string, node: string) => ['ip', '-n', ns(inLab, node), '-j', '-4', 'route', 'show', 'table', 'all']
const dsts = (run: Run) => (JSON.parse(run.stdout) as {dst: string; protocol?: string}[])

async function eventually(what: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    if (await what()) return true
    await new Promise((r) => setTimeout(r, 2000))
  }
  return what()
}

/**
 * Up (netns, in vm1), then its own checks and the default suite, all passing; one SSH round trip.
 * Meanwhile no namespace of the inner lab exists on this machine (they are all in the VM).
 */
async function upAndVerify(topology: string, name: string): Promise<void> {
  const both = await guestShell(`${GUEST_LAB_SH} up ${topology} --name ${name} --timeout 300 >&2 && ${GUEST_LAB_SH} verify ${name} --json --wait 30`, 600_000)
  expect(both.stdout, both.stderr).not.toBe('')
  const result = JSON.parse(both.stdout) as {provider: string; passed: number; checks: {kind: string; name: string; status: string}[]}
  expect(result.provider).toBe('netns')
  expect(result.checks.filter((c) => c.status !== 'pass'), both.stdout).toEqual([])
  expect(result.passed).toBeGreaterThan(5)
  expect(hostNamespaces().filter((n) => n.startsWith(`lab_${name}_`))).toEqual([])
}

/** Down in vm1 leaves no namespace of the lab there. */
async function downAndGone(name: string): Promise<void> {
  const down = await guestShell(`${GUEST_LAB_SH} down ${name} >&2 && ip netns list`, 180_000)
  expect(down.exitCode, down.stderr).toBe(0)
  expect(down.stdout).not.toContain(`lab_${name}_`)
}

function hostNamespaces(): string[] {
  try {
    return readdirSync('/run/netns')
  } catch {
    return []
  }
}

describe('the netns provider inside a qemu VM (bonds, VLANs, dummies, IPVLAN, the Fan)', () => {
  beforeAll(async () => {
    const build = await lab(['box', 'build'], 900_000)
    expect(build.exitCode, build.stderr).toBe(0)
    // The tarball is packed while the VMs boot.
    const [payload, up] = await Promise.all([
      execa('bash', [path.join(REPO, 'scripts', 'guest-payload.sh'), PAYLOAD], {cwd: REPO, reject: false, timeout: 180_000}),
      lab(['up', TOPOLOGY, '--name', LAB, '--provider', 'qemu', '--timeout', '300'], 600_000),
    ])
    expect(payload.exitCode, String(payload.stderr)).toBe(0)
    expect(up.exitCode, up.stderr + up.stdout).toBe(0)
    const unpack = await lab(['exec', '--lab', LAB, 'vm1', '--', 'tar', '-C', '/opt', '-xzf', '-'], 300_000, PAYLOAD)
    expect(unpack.exitCode, unpack.stderr).toBe(0)
  }, 900_000)

  afterAll(async () => {
    const down = await lab(['down', LAB], 300_000)
    rmSync(HOME, {recursive: true, force: true})
    expect(down.exitCode, down.stderr).toBe(0)
  }, 320_000)

  it('the guest kernel is one with the drivers this machine lacks, and runs this checkout', async () => {
    const kernel = await vm(['uname', '-r'])
    expect(kernel.stdout.trim()).toMatch(/^6\.1\./)
    const version = await inner(['--version'])
    expect(version.exitCode, version.stderr).toBe(0)
    expect(version.stdout).toContain(JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version)
  })

  it('bond-trunk: 802.3ad bond with leaf1 as partner, VLAN separation, the dummy announced; survives a member down', async () => {
    const name = `${PREFIX}bt`
    await upAndVerify('bond-trunk', name)
    const [bond, sameVlan, ttl1, subinterface, dummy, spine] = await inVm([
      inNode(name, 'host1', ['cat', '/proc/net/bonding/bond0']),
      // VLAN 20 is one segment (TTL 1 reaches host1's bond0.20); VLAN 10 only through leaf1's routing.
      inNode(name, 'host2', ['ping', '-c', '2', '-W', '2', '-t', '1', '10.1.1.2']),
      inNode(name, 'host2', ['ping', '-c', '1', '-W', '2', '-t', '1', '10.1.0.2']),
      ['ip', '-n', ns(name, 'host1'), '-d', '-j', 'link', 'show', 'dev', 'bond0.10'],
      ['ip', '-n', ns(name, 'leaf1'), '-d', '-j', 'link', 'show', 'dev', 'svc0'],
      ['ip', '-n', ns(name, 'spine1'), '-j', 'route', 'show', '192.0.2.10/32'],
    ])
    expect(bond.stdout).toContain('Bonding Mode: IEEE 802.3ad Dynamic link aggregation')
    expect(bond.stdout).toMatch(/Number of ports: 2\b/)
    expect(bond.stdout).toContain('Partner Mac Address: 02:4c:41:00:00:01')
    expect(bond.stdout).not.toContain('Partner Mac Address: 00:00:00:00:00:00')
    expect(sameVlan.exitCode, sameVlan.stdout).toBe(0)
    expect(ttl1.exitCode).not.toBe(0)
    expect(ttl1.stdout).toContain('Time to live exceeded')
    expect(JSON.parse(subinterface.stdout)[0].linkinfo).toMatchObject({info_kind: 'vlan', info_data: {protocol: '802.1Q', id: 10}})
    // leaf1's dummy holds the service address; spine1 installed its /32 from BGP.
    expect(JSON.parse(dummy.stdout)[0].linkinfo.info_kind).toBe('dummy')
    expect(dsts(spine)).toMatchObject([{dst: '192.0.2.10', protocol: 'bgp'}])
    // One member down: LACP drops it, both VLANs and the spine keep reaching host1.
    expect((await inner(['link', '--lab', name, 'leaf1:swp1', 'down'])).exitCode).toBe(0)
    const ports = async () => (await inVm([inNode(name, 'host1', ['cat', '/proc/net/bonding/bond0'])]))[0].stdout
    expect(await eventually(async () => /Number of ports: 1\b/.test(await ports()), 40)).toBe(true)
    const pings = await inVm([
      inNode(name, 'host2', ['ping', '-c', '5', '-i', '0.3', '-W', '3', '10.1.0.2']),
      inNode(name, 'host2', ['ping', '-c', '5', '-i', '0.3', '-W', '3', '10.1.1.2']),
      inNode(name, 'spine1', ['ping', '-c', '3', '-W', '3', '10.1.0.2']),
    ])
    for (const ping of pings) expect(ping.exitCode, ping.stdout).toBe(0)
    await downAndGone(name)
  }, 900_000)

  it('ipvlan-containers: the range announced, an address inside it announced, one outside it not', async () => {
    const name = `${PREFIX}ipv`
    await upAndVerify('ipvlan-containers', name)
    const [child, inside, outside] = await inVm([
      ['ip', '-n', ns(name, 'host1-c1'), '-d', '-j', 'link', 'show', 'dev', 'eth0'],
      ['ip', '-n', ns(name, 'host1'), 'addr', 'add', '172.16.1.13/32', 'dev', 'ipvl0'],
      ['ip', '-n', ns(name, 'host1'), 'addr', 'add', '192.168.99.1/24', 'dev', 'ipvl0'],
    ])
    expect(JSON.parse(child.stdout)[0].linkinfo).toMatchObject({info_kind: 'ipvlan', info_data: {mode: 'l3'}})
    expect([inside.exitCode, outside.exitCode]).toEqual([0, 0])
    const spineHas = async () => dsts((await inVm([kernelRoutes(name, 'spine1')]))[0]).some((r) => r.dst === '172.16.1.13' && r.protocol === 'bgp')
    expect(await eventually(spineHas, 60)).toBe(true)
    // The inside one arrived over the same session after the outside one was added: the outside one had its chance.
    const routers = ['leaf1', 'spine1', 'leaf2']
    const tables = await inVm(routers.map((router) => kernelRoutes(name, router)))
    tables.forEach((table, i) => {
      expect(dsts(table).map((r) => r.dst), routers[i]).toContain('172.16.1.0/28')
      expect(dsts(table).filter((r) => r.dst.startsWith('192.168.99.')), routers[i]).toEqual([])
    })
    await downAndGone(name)
  }, 900_000)

  it('fan: container to container over IPIP between the hosts, no overlay route on any router', async () => {
    const name = `${PREFIX}fan`
    await upAndVerify('fan', name)
    const rxCount = ['ip', '-n', ns(name, 'host2'), '-j', '-s', 'link', 'show', 'dev', 'ftun0']
    const rx = (run: Run) => (JSON.parse(run.stdout)[0] as {stats64: {rx: {packets: number}}}).stats64.rx.packets
    const routers = ['spine1', 'spine2', 'leaf1', 'leaf2']
    const [before, ping, after, tunnel, ...tables] = await inVm([
      rxCount,
      inNode(name, 'host1-c1', ['ping', '-c', '5', '-i', '0.3', '-W', '2', '250.1.2.2']),
      rxCount,
      ['ip', '-n', ns(name, 'host1'), '-d', '-j', 'link', 'show', 'dev', 'ftun0'],
      ...routers.map((router) => kernelRoutes(name, router)),
    ])
    expect(ping.exitCode, ping.stdout).toBe(0)
    expect(rx(after) - rx(before)).toBeGreaterThanOrEqual(5)
    expect(JSON.parse(tunnel.stdout)[0].linkinfo).toMatchObject({info_kind: 'ipip', info_data: {local: '10.1.0.2', remote: 'any'}})
    // zebra's side is the topology's own `route … present: false` checks, which verify passed.
    tables.forEach((table, i) => {
      expect(dsts(table).length, routers[i]).toBeGreaterThan(3)
      expect(dsts(table).filter((r) => r.dst.startsWith('250.')), routers[i]).toEqual([])
    })
    await downAndGone(name)
  }, 900_000)
})
