// e2e (root, real namespaces, real FRR): a node is a sandbox. From `lab exec` and from a verify `exec`
// check, each escape the audit found fails (the machine's /tmp and disk, other namespaces through
// /run/netns, the machine's network through /proc/1, mounts, sysrq), while vtysh, ip, ping, tcpdump
// and iperf3 still work inside. Ends with nothing of the lab left.
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {VerifyResult} from '../../src/verify/types.js'
import {BIN, canRunNetns, leftovers, machineDirOf, NOTHING_LEFT, REPO} from './netns-support.js'

const LAB = 's9-t-sandbox'
const HOME = '/tmp/s9-e2e-sandbox'
const MARK = `/tmp/s9-sandbox-mark-${process.pid}`

async function lab(...args: string[]) {
  const result = await execa('node', [BIN, ...args], {cwd: REPO, reject: false, env: {LAB_HOME: HOME}, stdin: 'ignore', timeout: 120_000})
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}

const inNode = (node: string, ...argv: string[]) => lab('exec', '--lab', LAB, node, '--', ...argv)

/** Escapes tried by a shared topology file's verify `exec` checks; each must print "blocked". */
const ESCAPES: Record<string, string> = {
  'write the machine /tmp': `touch ${MARK} && id -u > ${MARK}.out && echo blocked-only-in-node`,
  'write the disk': 'touch /etc/s9-escape 2>/dev/null && echo escaped || echo blocked',
  'another namespace': `ip netns exec lab_${LAB}_host2 true 2>/dev/null && echo escaped || echo blocked`,
  'the machine network': 'nsenter --net=/proc/1/ns/net true 2>/dev/null && echo escaped || echo blocked',
  mount: 'mount -t tmpfs x /mnt 2>/dev/null && echo escaped || echo blocked',
}

function topology(): string {
  const base = readFileSync(path.join(REPO, 'topologies/two-spine-two-leaf.yaml'), 'utf8').replace(/^verify:[\s\S]*$/m, '')
  const checks = Object.entries(ESCAPES).map(([name, command]) => `  - exec: {name: "${name}", node: host1, command: ${JSON.stringify(command)}, expect: "blocked"}`)
  return `${base}verify:\n${checks.join('\n')}\n  - iperf: {from: host1, to: host2, min_gbps: 0.01}\n`
}

describe.skipIf(!canRunNetns)('a node is a sandbox', () => {
  beforeAll(async () => {
    mkdirSync(HOME, {recursive: true})
    writeFileSync(path.join(HOME, 'sandbox.yaml'), topology())
    const up = await lab('up', path.join(HOME, 'sandbox.yaml'), '--name', LAB)
    expect(up.exitCode, up.stderr).toBe(0)
  })
  afterAll(async () => {
    await lab('down', LAB)
    rmSync(HOME, {recursive: true, force: true})
    rmSync(MARK, {force: true})
    rmSync(`${MARK}.out`, {force: true})
  })

  it('lab exec: private /tmp, read-only machine, no other namespace, no machine network, no mount', async () => {
    expect((await inNode('host1', 'touch', MARK)).exitCode).toBe(0)
    expect(existsSync(MARK)).toBe(false)
    const disk = await inNode('host1', 'touch', '/etc/s9-escape')
    expect(disk.stderr).toMatch(/Read-only file system/)
    expect(existsSync('/etc/s9-escape')).toBe(false)
    expect((await inNode('host1', 'touch', path.join(REPO, 's9-escape'))).exitCode).not.toBe(0)
    expect((await inNode('host1', 'ls', '/run/netns')).exitCode).not.toBe(0)
    expect((await inNode('host1', 'ip', 'netns', 'exec', `lab_${LAB}_host2`, 'ip', 'a')).exitCode).not.toBe(0)
    const machineNet = await inNode('host1', 'nsenter', '--net=/proc/1/ns/net', 'ip', 'link')
    expect(machineNet.exitCode).not.toBe(0)
    expect((await inNode('host1', 'mount', '-t', 'tmpfs', 'x', '/mnt')).exitCode).not.toBe(0)
    expect((await inNode('host1', 'sh', '-c', 'echo h > /proc/sysrq-trigger')).exitCode).not.toBe(0)
    expect((await inNode('host1', 'sysctl', '-w', 'kernel.domainname=s9')).exitCode).not.toBe(0)
    // Its own PID namespace: PID 1 is the node's init, and only the node's processes are there.
    expect((await inNode('host1', 'cat', '/proc/1/cmdline')).stdout.replaceAll('\0', ' ').trim()).toBe('sleep infinity')
    const capabilities = (await inNode('host1', 'grep', 'CapBnd', '/proc/self/status')).stdout
    expect(BigInt(`0x${capabilities.split(/\s+/)[1]}`) & (1n << 21n)).toBe(0n) // no CAP_SYS_ADMIN
    expect((await inNode('host1', 'hostname')).stdout.trim()).toBe('host1')
    expect((await inNode('host1', 'cat', '/etc/hosts')).stdout).toMatch(/^10\.0\.0\.5\thost2$/m)
  })

  it('a verify exec check from the topology file cannot escape either', async () => {
    const verify = await lab('verify', LAB, '--json')
    const result = JSON.parse(verify.stdout) as VerifyResult
    const escapes = result.checks.filter((c) => c.kind === 'exec')
    expect(escapes.map((c) => c.name).sort()).toEqual(Object.keys(ESCAPES).sort())
    for (const check of escapes) expect(check.status, `${check.name}: ${check.detail}`).toBe('pass')
    expect(existsSync(MARK)).toBe(false)
    expect(existsSync(`${MARK}.out`)).toBe(false)
  })

  it('vtysh, ip, ping, tcpdump and iperf3 still work inside', async () => {
    expect((await inNode('leaf1', 'vtysh', '-c', 'show bgp summary')).stdout).toMatch(/Total number of neighbors 2/)
    expect((await inNode('leaf1', 'ip', '-br', 'link', 'show', 'swp51')).stdout).toMatch(/^swp51@\S+\s+UP/)
    expect((await inNode('host1', 'ping', '-c', '1', '-W', '2', '10.0.0.5')).exitCode).toBe(0)
    // Pings until tcpdump (slow to start on a loaded machine) has seen one.
    let captured = false
    const capture = inNode('leaf1', 'timeout', '20', 'tcpdump', '-n', '-c', '1', '-i', 'swp1', 'icmp').finally(() => (captured = true))
    while (!captured) await inNode('host1', 'ping', '-c', '1', '-W', '1', '10.0.0.5')
    expect((await capture).stdout).toMatch(/ICMP echo/)
    const server = inNode('host2', 'iperf3', '-s', '-1', '-p', '5301')
    let client = await inNode('host1', 'iperf3', '-c', '10.0.0.5', '-p', '5301', '-t', '1')
    for (let attempt = 0; attempt < 20 && /Connection refused/.test(client.stderr); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500)) // the server is slow to start on a loaded machine
      client = await inNode('host1', 'iperf3', '-c', '10.0.0.5', '-p', '5301', '-t', '1')
    }
    expect(client.stdout, client.stderr).toMatch(/receiver/)
    await server
  })

  it("a node's own /dev holds no disk or terminal of the machine; its init's record is out of its reach", async () => {
    const dev = await inNode('leaf1', 'ls', '-A', '/dev')
    expect(dev.stdout.trim().split('\n').sort()).toEqual(['fd', 'full', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero'])
    const devices = await inNode('leaf1', 'sh', '-c', 'echo x > /dev/null && head -c 4 /dev/urandom | wc -c')
    expect(devices.stdout.trim()).toBe('4')
    // the inits are recorded beside the node run dirs, which a node cannot list
    expect(existsSync(`/run/lab/${LAB}/run/.inits/leaf1.pid`)).toBe(true)
    const record = await inNode('leaf1', 'ls', `/run/lab/${LAB}/run/.inits`)
    expect(record.exitCode).not.toBe(0)
  })

  it('exit codes: a command killed by SIGKILL is 137, as in a shell', async () => {
    expect((await inNode('host1', 'sh', '-c', 'kill -9 $$')).exitCode).toBe(137)
    expect((await inNode('host1', 'sh', '-c', 'exit 7')).exitCode).toBe(7)
  })

  it('the iperf check is not fooled by a foreign iperf3 server on its port', async () => {
    // The check's port is 5201 + its index in verify: (after the exec checks); a student's server holds it.
    const port = String(5201 + Object.keys(ESCAPES).length)
    expect((await inNode('host2', 'iperf3', '-s', '-p', port, '-D')).exitCode).toBe(0)
    const verify = await lab('verify', LAB, '--only', 'iperf', '--json')
    const iperf = (JSON.parse(verify.stdout) as VerifyResult).checks.find((c) => c.kind === 'iperf')!
    expect(iperf.status).toBe('fail')
    expect(iperf.detail).toMatch(new RegExp(`lab's iperf3 server could not serve on port ${port} .*the client reached another process there`))
    expect(verify.exitCode).toBe(1)
  })

  it('down leaves nothing: no namespace, daemon, sandbox, mount or /run/lab entry', async () => {
    expect((await lab('down', LAB)).exitCode).toBe(0)
    const {rootLinks: _ignored, ...left} = await leftovers(LAB)
    const {rootLinks: _none, ...nothing} = NOTHING_LEFT
    expect(left).toEqual(nothing)
    expect(existsSync(machineDirOf(LAB))).toBe(false)
  })
})
