// The qemu provider for real: the box built from Debian packages, two-spine-two-leaf booted as six
// QEMU VMs (TCG on this machine kind), the default suite and the topology's checks run over SSH,
// then `lab down` leaves no QEMU process of the lab and no overlay. Only in the e2e-vm project,
// which vitest.config.ts defines only where root and QEMU are present (CI: after scripts/setup).
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const BIN = path.join(REPO, 'bin', 'run.js')
const LAB = 'vm-e2e'
const HOME = mkdtempSync(path.join(tmpdir(), 'lab-e2e-vm-'))
const LAB_DIR = path.join(HOME, LAB)
const INTERRUPTED = 'vm-e2e-int'
/** The machine-wide box (built once, reused by later runs), unless the environment says otherwise. */
const ENV = {LAB_HOME: HOME, ...(process.env.LAB_BOX_DIR && {LAB_BOX_DIR: process.env.LAB_BOX_DIR})}

interface Cli {
  exitCode: number
  stdout: string
  stderr: string
  ms: number
}

async function lab(args: string[], timeoutMs = 600_000): Promise<Cli> {
  const started = Date.now()
  const result = await execa('node', [BIN, ...args], {cwd: REPO, reject: false, env: ENV, timeout: timeoutMs})
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), ms: Date.now() - started}
}

/** QEMU processes whose command line names this lab's directory: what `down` must leave none of. */
function labQemus(labDir = LAB_DIR): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (cmdline.startsWith('qemu-system') && cmdline.includes(`${labDir}/`)) pids.push(Number(entry))
    } catch {
      // gone
    }
  }
  return pids
}

function overlays(labDir = LAB_DIR): string[] {
  const dir = path.join(labDir, 'run', 'qemu')
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.qcow2')) : []
}

const timings: Record<string, number> = {}

describe('qemu provider: two-spine-two-leaf as VMs', () => {
  beforeAll(async () => {
    const build = await lab(['box', 'build'], 900_000)
    timings.boxBuild = build.ms
    expect(build.exitCode, build.stderr).toBe(0)
  }, 900_000)

  afterAll(async () => {
    // Whatever happened above: nothing of the lab stays.
    await lab(['down', LAB], 120_000)
    await lab(['down', INTERRUPTED], 120_000)
    for (const pid of [...labQemus(), ...labQemus(path.join(HOME, INTERRUPTED))]) process.kill(pid, 'SIGKILL')
    rmSync(HOME, {recursive: true, force: true})
    process.stderr.write(`e2e-vm timings (ms): ${JSON.stringify(timings)}\n`)
  }, 180_000)

  it('a second box build is instant: the cached box is current', async () => {
    const again = await lab(['box', 'build', '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    const result = JSON.parse(again.stdout) as {built: boolean; manifest: {recipe: string; files: Record<string, {bytes: number; sha256: string}>}}
    expect(result.built).toBe(false)
    expect(result.manifest.files['root.qcow2'].sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(again.ms).toBeLessThan(5000)
  })

  it('Ctrl-C while the VMs boot stops every QEMU process of the lab and removes its overlays', async () => {
    const dir = path.join(HOME, INTERRUPTED)
    const child = execa('node', [BIN, 'up', 'two-spine-two-leaf', '--provider', 'qemu', '--name', INTERRUPTED], {cwd: REPO, reject: false, env: ENV})
    // Interrupt once all six QEMU processes are recorded as started.
    const deadline = Date.now() + 60_000
    let started = 0
    while (Date.now() < deadline) {
      try {
        started = (JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as {vms: {pid: number}[]}).vms.filter((v) => v.pid > 0).length
      } catch {
        started = 0
      }
      if (started === 6) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(started).toBe(6)
    expect(labQemus(dir)).toHaveLength(6)
    child.kill('SIGINT')
    const result = await child
    expect(result.exitCode).toBe(1)
    expect(String(result.stderr)).toMatch(/interrupted \(SIGINT\): lab vm-e2e-int was torn down/)
    expect(labQemus(dir)).toEqual([])
    expect(overlays(dir)).toEqual([])
    expect(existsSync(path.join(dir, 'state.json'))).toBe(false)
  }, 120_000)

  it('lab up --provider qemu boots six VMs and waits until BGP has converged', async () => {
    const up = await lab(['up', 'two-spine-two-leaf', '--provider', 'qemu', '--name', LAB, '--timeout', '240', '--json'], 600_000)
    timings.up = up.ms
    expect(up.exitCode, up.stderr).toBe(0)
    const result = JSON.parse(up.stdout) as {provider: string; nodes: number; sessions: number; convergenceMs: number}
    expect(result).toMatchObject({provider: 'qemu', nodes: 6, sessions: 10})
    expect(labQemus()).toHaveLength(6)
    expect(overlays()).toHaveLength(6)
  }, 600_000)

  it('the guests run the rendered files: frr.conf as rendered, ports named as planned', async () => {
    const conf = await lab(['exec', '--lab', LAB, 'leaf1', '--', 'cat', '/etc/frr/frr.conf'])
    expect(conf.exitCode, conf.stderr).toBe(0)
    // (execa drops the output's final newline)
    expect(conf.stdout).toBe(readFileSync(path.join(LAB_DIR, 'leaf1', 'frr.conf'), 'utf8').replace(/\n$/, ''))
    const links = await lab(['exec', '--lab', LAB, 'leaf1', '--', 'ip', '-j', 'link', 'show'])
    const names = (JSON.parse(links.stdout) as {ifname: string}[]).map((l) => l.ifname).sort()
    expect(names).toEqual(['eth0', 'lo', 'swp1', 'swp51', 'swp52'])
    const hostname = await lab(['exec', '--lab', LAB, 'host2', '--', 'hostname'])
    expect(hostname.stdout.trim()).toBe('host2')
  })

  it('lab status sees every VM, daemon, link and session up', async () => {
    const status = await lab(['status', LAB, '--json'])
    expect(status.exitCode, status.stderr).toBe(0)
    const result = JSON.parse(status.stdout) as {provider: string; state: string; healthy: boolean; nodes: {running: boolean}[]; links: {up: boolean}[]}
    expect(result).toMatchObject({provider: 'qemu', state: 'up', healthy: true})
    expect(result.nodes.every((n) => n.running)).toBe(true)
    expect(result.links).toHaveLength(6)
  })

  it('lab impair inside a VM (netem: none in this machine kernel): 40 ms of delay shows in ping RTT and in lab status, --clear removes it', async () => {
    const plan = JSON.parse(readFileSync(path.join(LAB_DIR, 'plan.json'), 'utf8')) as {nodes: {name: string; loopback?: string}[]}
    const leaf1 = plan.nodes.find((n) => n.name === 'leaf1')!.loopback!.split('/')[0]
    // spine1 reaches leaf1's loopback only over swp1: the delay on that port's egress adds to every echo.
    const minRtt = async () => {
      const ping = await lab(['exec', '--lab', LAB, 'spine1', '--', 'ping', '-c', '5', '-i', '0.2', '-q', leaf1])
      expect(ping.exitCode, ping.stderr).toBe(0)
      return Number(/= ([\d.]+)\//.exec(ping.stdout)![1])
    }
    const before = await minRtt()
    const impair = await lab(['impair', '--lab', LAB, 'spine1:swp1', '--delay', '40ms'])
    expect(impair.exitCode, impair.stderr).toBe(0)
    const delayed = await minRtt()
    expect(delayed - before).toBeGreaterThanOrEqual(39)
    expect(delayed).toBeLessThan(before + 60)
    const status = await lab(['status', LAB])
    expect(status.stdout).toMatch(/spine1 .*\n\s+impaired swp1: netem delay 40ms/)
    expect((await lab(['impair', '--lab', LAB, 'spine1:swp1', '--clear'])).exitCode).toBe(0)
    expect(await minRtt()).toBeLessThan(before + 20)
    expect((await lab(['status', LAB])).stdout).not.toMatch(/impaired/)
    timings.impairedRttMs = delayed
  })

  it('lab verify over SSH: the default suite passes, and so does every topology check but the 1 Gbit/s iperf (TCG)', async () => {
    // --wait 20: under TCG a first ping can lose an echo to its 1 s reply bound (seen once: 2/3
    // replies); a failing check is retried for up to 20 s, as state settling is retried on netns.
    const verify = await lab(['verify', LAB, '--json', '--wait', '20'], 300_000)
    timings.verify = verify.ms
    const report = JSON.parse(verify.stdout) as {provider: string; checks: {kind: string; name: string; status: string; detail: string}[]}
    expect(report.provider).toBe('qemu')
    const failed = report.checks.filter((c) => c.status !== 'pass')
    // Under TCG iperf3 measures tens of Mbit/s: the check runs and reports a real number, below the topology's 1 Gbit/s.
    for (const check of failed) {
      expect(check.kind, `${check.name}: ${check.detail}`).toBe('iperf')
      expect(check.detail).toMatch(/Gbit\/s received over \d+ s/)
    }
    const kinds = new Set(report.checks.filter((c) => c.status === 'pass').map((c) => c.kind))
    for (const kind of ['bgp', 'ping', 'ecmp', 'path']) expect(kinds, `no passing ${kind} check`).toContain(kind)
    // 5 routers' sessions, 1 host pair, ECMP both ways, 1 path (the topology's own bgp/ping/ecmp checks replace the same default ones), and the iperf.
    expect(report.checks).toHaveLength(10)
    expect(report.checks.filter((c) => c.status === 'pass')).toHaveLength(9)
  }, 300_000)

  it('a fabric link down inside a VM: ECMP from leaf1 fails, host pings survive', async () => {
    const down = await lab(['exec', '--lab', LAB, 'leaf1', '--', 'ip', 'link', 'set', 'swp52', 'down'])
    expect(down.exitCode, down.stderr).toBe(0)
    const verify = await lab(['verify', LAB, '--json', '--only', 'ecmp,ping', '--wait', '30'], 300_000)
    const report = JSON.parse(verify.stdout) as {checks: {kind: string; name: string; status: string; detail: string}[]}
    const ecmp = report.checks.filter((c) => c.kind === 'ecmp' && c.name.startsWith('leaf1'))
    expect(ecmp.length).toBeGreaterThan(0)
    expect(ecmp.some((c) => c.status === 'fail')).toBe(true)
    const pings = report.checks.filter((c) => c.kind === 'ping')
    expect(pings.length).toBeGreaterThan(0)
    expect(pings.every((c) => c.status === 'pass'), JSON.stringify(pings)).toBe(true)
  }, 300_000)

  it('lab down stops only the lab\'s QEMU processes and removes every overlay', async () => {
    const down = await lab(['down', LAB, '--json'])
    expect(down.exitCode, down.stderr).toBe(0)
    const report = (JSON.parse(down.stdout) as {labs: {lab: string; processes: number; paths: string[]}[]}).labs[0]
    expect(report).toMatchObject({lab: LAB, processes: 6})
    // The VM directory (overlays, consoles, config tarballs) and the state file.
    expect(report.paths.map((p) => path.basename(p))).toEqual(['qemu', 'state.json'])
    expect(labQemus()).toEqual([])
    expect(overlays()).toEqual([])
    expect(existsSync(path.join(LAB_DIR, 'state.json'))).toBe(false)
    const again = await lab(['down', LAB])
    expect(again.exitCode, again.stderr).toBe(0)
  })
})
