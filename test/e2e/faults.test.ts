// Faults on a real two-spine-two-leaf (root, namespaces, FRR), each measured, not assumed: a link down
// takes the BGP session down on both ends and up brings it back, a flap shows in BGP's dropped
// connections; netem delay shows in ping RTT; a capture writes a pcap tcpdump reads; an FRR edit
// applied with frr-reload.py changes what the peers see; a stopped bgpd shows DEAD and comes back.
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {applyFault, type Fault} from '../../src/kinds/faults/index.js'
import type {FaultContext} from '../../src/kinds/faults/spec.js'
import {netnsDaemonControl} from '../../src/providers/netns/daemons.js'
import {NetnsExecutor} from '../../src/providers/netns/exec.js'
import type {LabStatus} from '../../src/providers/provider.js'
import {BIN, canRunNetns, lab, LABS, leftovers, NOTHING_LEFT, plan, removeLab, REPO} from './netns-support.js'

const LAB = 't-fault-e2e'
const labDir = path.join(LABS, LAB)
const scratch = mkdtempSync(path.join(tmpdir(), 't-fault-'))

async function status(): Promise<LabStatus> {
  const result = await lab(['status', LAB, '--json'])
  return JSON.parse(result.stdout) as LabStatus
}

/** The state bgpd on `node` reports for its session to `peer`: one vtysh on that node (lab status asks every router). */
async function session(node: string, peer: string): Promise<string | undefined> {
  const neighbor = plan(LAB).nodes.find((n) => n.name === node)!.bgp!.neighbors.find((n) => n.peer === peer)!
  const result = await inNode(node, 'vtysh', '-c', 'show bgp summary json')
  try {
    return (JSON.parse(result.stdout) as {ipv4Unicast?: {peers?: Record<string, {state?: string}>}}).ipv4Unicast?.peers?.[neighbor.interface ?? neighbor.address ?? '']?.state ?? 'not configured'
  } catch {
    return `no answer: ${result.stderr.trim()}`
  }
}

/** Polls until `probe` holds (BGP needs a moment either way), bounded; fails with the last value seen. */
async function until<T>(what: string, probe: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (holds(value)) return value
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

const established = (state: string | undefined) => state === 'Established'

async function inNode(node: string, ...argv: string[]) {
  return lab(['exec', '--lab', LAB, node, '--', ...argv])
}

/** An FRR or daemon fault (no command of their own yet: exercises apply them), through the real netns executor. */
function apply(fault: Fault): Promise<string> {
  return applyFault(fault, context())
}

function context(): FaultContext {
  return {plan: plan(LAB), executor: new NetnsExecutor(LAB, labDir), labDir, daemons: netnsDaemonControl(LAB, labDir)}
}

/** Lowest RTT in ms of 5 pings from spine1 to leaf1's loopback: spine1:swp1 is the way there. */
async function minRtt(): Promise<number> {
  const leaf1 = plan(LAB).nodes.find((n) => n.name === 'leaf1')!.loopback!.split('/')[0]
  const result = await inNode('spine1', 'ping', '-c', '5', '-i', '0.2', '-W', '2', leaf1)
  const match = /= ([\d.]+)\//.exec(result.stdout)
  if (!match) throw new Error(`no RTT in: ${result.stdout}${result.stderr}`)
  return Number(match[1])
}

/** Processes (tcpdump, timeout) whose command line names this file. */
function processesWriting(file: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
        return cmdline.includes(file) && !cmdline.includes('run.js') ? [`${pid} ${cmdline}`] : []
      } catch {
        return []
      }
    })
}

describe.skipIf(!canRunNetns)('faults on a real lab', () => {
  beforeAll(async () => {
    await removeLab(LAB)
    const up = await lab(['up', 'two-spine-two-leaf', '--name', LAB])
    expect(up.exitCode, up.stderr).toBe(0)
  })

  afterAll(async () => {
    await removeLab(LAB)
    rmSync(scratch, {recursive: true, force: true})
    // The restarted bgpd (new PID) was ended by lab down like the others.
    expect(await leftovers(LAB)).toEqual(NOTHING_LEFT)
  })

  it('lab link down takes the session down on both ends; up brings it back; a flap shows in BGP', async () => {
    const down = await lab(['link', '--lab', LAB, 'leaf1:swp51', 'down', '--json'])
    expect(down.exitCode, down.stderr).toBe(0)
    expect(JSON.parse(down.stdout)).toMatchObject({lab: LAB, done: 'leaf1:swp51 down'})
    await until('leaf1 → spine1', () => session('leaf1', 'spine1'), (s) => !established(s))
    await until('spine1 → leaf1', () => session('spine1', 'leaf1'), (s) => !established(s))
    expect((await status()).links.find((l) => l.a === 'leaf1:swp51')?.up).toBe(false)

    expect((await lab(['link', '--lab', LAB, 'leaf1:swp51', 'up'])).exitCode).toBe(0)
    await until('leaf1 → spine1', () => session('leaf1', 'spine1'), established)
    await until('spine1 → leaf1', () => session('spine1', 'leaf1'), established)

    const dropped = async () => {
      const result = await inNode('spine1', 'vtysh', '-c', 'show bgp neighbors swp1 json')
      return Number((JSON.parse(result.stdout) as Record<string, {connectionsDropped?: number}>).swp1?.connectionsDropped ?? -1)
    }
    const before = await dropped()
    const flap = await lab(['link', '--lab', LAB, 'leaf1:swp51', 'flap', '--seconds', '1'])
    expect(flap.stdout).toContain('leaf1:swp51 flapped (down 1 s, then up)')
    expect(await dropped()).toBeGreaterThan(before)
    await until('spine1 → leaf1 after the flap', () => session('spine1', 'leaf1'), established)
  })

  it('lab impair --delay 40ms shows in ping RTT and in lab status; --clear removes it (or, without netem in the kernel, says so)', async () => {
    // Whether this kernel has netem, asked independently of lab impair: a throwaway qdisc on a node's lo.
    const probe = await inNode('host1', 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms')
    const kernelHasNetem = probe.exitCode === 0
    if (kernelHasNetem) await inNode('host1', 'tc', 'qdisc', 'del', 'dev', 'lo', 'root')
    expect(await minRtt()).toBeLessThan(40)

    const spine1 = async () => (await status()).nodes.find((n) => n.name === 'spine1')?.impairments
    // Any shaper on a port shows in lab status (tbf is in every kernel), and --clear removes whatever is there.
    expect((await inNode('spine1', 'tc', 'qdisc', 'replace', 'dev', 'swp1', 'root', 'tbf', 'rate', '1mbit', 'burst', '32kbit', 'latency', '400ms')).exitCode).toBe(0)
    expect(await spine1()).toEqual([{port: 'swp1', kind: 'tbf', rate: '1mbit'}])
    expect((await lab(['status', LAB])).stdout).toContain('impaired swp1: tbf rate 1mbit')
    expect((await lab(['impair', '--lab', LAB, 'spine1:swp1', '--clear'])).stdout).toContain('spine1:swp1: impairment cleared')
    expect(await spine1()).toBeUndefined()

    const impair = await lab(['impair', '--lab', LAB, 'spine1:swp1', '--delay', '40ms'])
    if (!kernelHasNetem) {
      expect(probe.stderr).toContain('qdisc kind is unknown')
      expect(impair.exitCode).toBe(1)
      expect(impair.stderr).toContain('error: spine1: this kernel has no netem queueing discipline (sch_netem), so spine1:swp1 cannot be impaired')
      expect(await spine1()).toBeUndefined()
      return
    }
    expect(impair.exitCode, impair.stderr).toBe(0)
    expect(await minRtt()).toBeGreaterThanOrEqual(40)
    expect(await spine1()).toEqual([expect.objectContaining({port: 'swp1', kind: 'netem', delay: '40ms'})])
    expect((await lab(['status', LAB])).stdout).toMatch(/impaired swp1: netem delay 40ms/)

    expect((await lab(['impair', '--lab', LAB, 'spine1:swp1', '--clear'])).exitCode).toBe(0)
    expect(await minRtt()).toBeLessThan(40)
    expect(await spine1()).toBeUndefined()
  })

  it('lab capture --count 5 --out writes a pcap that tcpdump -r reads with 5 packets', async () => {
    const file = path.join(scratch, 'x.pcap')
    const capture = await lab(['capture', '--lab', LAB, 'leaf1:swp51', '--count', '5', '--out', file, '--json'])
    expect(capture.exitCode, capture.stderr).toBe(0)
    expect(JSON.parse(capture.stdout)).toEqual({lab: LAB, endpoint: 'leaf1:swp51', file, packets: 5})
    const read = await execa('tcpdump', ['-n', '-r', file], {reject: false})
    expect(read.exitCode).toBe(0)
    expect(String(read.stdout).trim().split('\n')).toHaveLength(5)
    expect(String(read.stdout)).toMatch(/IP6 fe80::/) // BGP unnumbered and router advertisements on the link
  })

  it('Ctrl-C ends lab capture cleanly: exit 0 long before --seconds, a complete pcap, no tcpdump left', async () => {
    const file = path.join(scratch, 'interrupted.pcap')
    // Its own process group, like a terminal's foreground job: Ctrl-C is SIGINT to the whole group.
    const capture = execa('node', [BIN, 'capture', '--lab', LAB, 'leaf1:swp51', '--seconds', '60', '--out', file], {cwd: REPO, env: {LAB_HOME: LABS}, reject: false, detached: true})
    await new Promise((resolve) => setTimeout(resolve, 4000))
    const started = Date.now()
    process.kill(-capture.pid!, 'SIGINT')
    const result = await capture
    expect(Date.now() - started).toBeLessThan(5000)
    expect(result.exitCode, String(result.stderr)).toBe(0)
    const packets = Number(/(\d+) packets from leaf1:swp51 written/.exec(String(result.stdout))?.[1])
    expect(packets).toBeGreaterThan(0)
    const read = await execa('tcpdump', ['-n', '-r', file], {reject: false})
    expect(String(read.stdout).trim().split('\n')).toHaveLength(packets)
    expect(processesWriting(file)).toEqual([])
  })

  it('an frr replace is applied with frr-reload.py: the spines see it, the rendered frr.conf stays pristine', async () => {
    const rendered = readFileSync(path.join(labDir, 'leaf2', 'frr.conf'), 'utf8')
    // remote-as external accepts any other AS: with 65099 the sessions stay up, and the spines see 65099.
    expect(await apply({kind: 'frr', node: 'leaf2', replace: {'router bgp 65002': 'router bgp 65099'}})).toBe('leaf2: FRR config edited ("router bgp 65002" → "router bgp 65099") and reloaded')
    const peerAs = async () => {
      const result = await inNode('spine1', 'vtysh', '-c', 'show bgp summary json')
      return (JSON.parse(result.stdout) as {ipv4Unicast: {peers: Record<string, {remoteAs: number; state: string}>}}).ipv4Unicast.peers.swp2
    }
    await until('spine1 sees leaf2 as AS 65099', peerAs, (p) => p?.remoteAs === 65099 && p.state === 'Established')
    // The spines' own AS is refused by external peering: leaf2's fabric sessions go down.
    await apply({kind: 'frr', node: 'leaf2', replace: {'router bgp 65099': 'router bgp 65000'}})
    await until('leaf2 → spine1', () => session('leaf2', 'spine1'), (s) => !established(s))
    await until('leaf2 → spine2', () => session('leaf2', 'spine2'), (s) => !established(s))
    // A line the current (edited) config no longer has is an error naming it.
    await expect(apply({kind: 'frr', node: 'leaf2', replace: {'router bgp 65002': 'router bgp 65003'}})).rejects.toThrow('frr.replace: "router bgp 65002" is not a line of leaf2\'s FRR config')
    await apply({kind: 'frr', node: 'leaf2', replace: {'router bgp 65000': 'router bgp 65002'}})
    await until('leaf2 → spine1', () => session('leaf2', 'spine1'), established)
    await until('leaf2 → spine2', () => session('leaf2', 'spine2'), established)
    expect(readFileSync(path.join(labDir, 'leaf2', 'frr.conf'), 'utf8')).toBe(rendered)
    expect(existsSync(path.join('/run/lab', LAB, 'run', 'leaf2', 'frr.edited.conf'))).toBe(true) // the netns run dir, seen by the node too
  })

  it('a stopped bgpd shows DEAD in lab status; started again it has a new PID and the sessions come back', async () => {
    const bgpd = async () => (await status()).nodes.find((n) => n.name === 'leaf1')!.daemons.find((d) => d.name === 'bgpd')!
    const before = await bgpd()
    expect(before.alive).toBe(true)
    expect(await apply({kind: 'daemon', node: 'leaf1', daemon: 'bgpd', state: 'stopped'})).toBe('leaf1: bgpd stopped')
    expect(await bgpd()).toMatchObject({alive: false})
    expect((await lab(['status', LAB])).stdout).toMatch(/leaf1 .*bgpd DEAD/)
    await until('spine1 → leaf1', () => session('spine1', 'leaf1'), (s) => !established(s))

    expect(await apply({kind: 'daemon', node: 'leaf1', daemon: 'bgpd', state: 'started'})).toBe('leaf1: bgpd started')
    const after = await bgpd()
    expect(after.alive).toBe(true)
    expect(after.pid).not.toBe(before.pid)
    await until('leaf1 → spine1', () => session('leaf1', 'spine1'), established)
    await until('spine1 → leaf1', () => session('spine1', 'leaf1'), established)
  })

  it('bad input is exit 2 with the fix, and nothing is done', async () => {
    const port = await lab(['link', '--lab', LAB, 'leaf1:swp53', 'down'])
    expect(port.exitCode).toBe(2)
    expect(port.stderr).toContain('error: <node:port>: leaf1 has no port "swp53" (did you mean "swp51"?)\n  fix: write "leaf1:swp51"')
    const capture = await lab(['capture', '--lab', LAB, 'laef1:swp51', '--count', '1'])
    expect(capture.exitCode).toBe(2)
    expect(capture.stderr).toContain('error: <node:port>: no node named "laef1" in this topology (did you mean "leaf1"?)')
    const impair = await lab(['impair', '--lab', LAB, 'spine1:swp1'])
    expect(impair.exitCode).toBe(2)
    expect(impair.stderr).toContain('error: <node:port>: no impairment given')
    const delay = await lab(['impair', '--lab', LAB, 'spine1:swp1', '--delay', '40'])
    expect(delay.exitCode).toBe(2)
    expect(delay.stderr).toContain('error: --delay: write a time such as 40ms')
    expect((await status()).links.every((l) => l.up)).toBe(true)
  })
})
