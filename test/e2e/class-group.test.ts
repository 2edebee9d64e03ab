// e2e (root, real users, real sudo, real namespaces and FRR): students without root. The teacher runs
// `lab setup --class-group`; members then run lab as themselves (through sudo and the class helper)
// on their own labs only, another member's lab is refused, a non-member gets one clear message, and
// a student's node hides the machine's secrets. Real accounts are created and removed by the test.
import {chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, canRunNetns, lab, leftovers, NOTHING_LEFT, namespacesOf, REPO, type CliResult} from './netns-support.js'

const GROUP = 'labe2ecls'
const STUDENT = 'labe2estu1'
const OTHER = 'labe2estu2'
const OUTSIDER = 'labe2eout'
const LAB = 'cg9-e2e-a'
const WORK = '/tmp/cg9-e2e'
const HELPER = '/usr/local/libexec/lab/class-helper'
const SETUP_FILES = ['/etc/sudoers.d/lab-class', HELPER, '/etc/lab/class.json']
const canRunSudo = existsSync('/usr/bin/sudo') && existsSync('/usr/sbin/visudo')

/** lab as a real, unprivileged user, from a directory of theirs. */
async function labAs(user: string, args: string[]): Promise<CliResult> {
  const result = await execa('runuser', ['-u', user, '--', process.execPath, BIN, ...args], {cwd: path.join(WORK, user), reject: false, timeout: 170_000})
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}

function uidOf(user: string): number {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`))
  return Number(line!.split(':')[2])
}

/** A teacher's existing class setup is put back afterwards. */
const saved = new Map<string, Buffer>()

describe.skipIf(!canRunNetns || !canRunSudo)('students without root: a class group', () => {
  beforeAll(async () => {
    for (const file of SETUP_FILES) if (existsSync(file)) saved.set(file, readFileSync(file))
    for (const user of [STUDENT, OTHER, OUTSIDER]) {
      await execa('userdel', [user], {reject: false})
      await execa('useradd', ['--no-create-home', '--shell', '/bin/sh', user])
      mkdirSync(path.join(WORK, user), {recursive: true, mode: 0o755})
      chownSync(path.join(WORK, user), uidOf(user), uidOf(user))
    }
    const setup = await lab(['setup', '--class-group', GROUP])
    expect(setup.stderr).toBe('')
    expect(setup.stdout).toContain(`created group ${GROUP}`)
    for (const user of [STUDENT, OTHER]) await execa('usermod', ['-aG', GROUP, user])
  })

  afterAll(async () => {
    await lab(['down', LAB])
    await lab(['down', OTHER])
    await lab(['setup', '--remove'])
    for (const [file, content] of saved) {
      mkdirSync(path.dirname(file), {recursive: true})
      writeFileSync(file, content, {mode: file.includes('sudoers') ? 0o440 : file === HELPER ? 0o755 : 0o644})
    }
    for (const user of [STUDENT, OTHER, OUTSIDER]) {
      await execa('userdel', [user], {reject: false})
      rmSync(path.join('/var/lib/lab/users', user), {recursive: true, force: true})
    }
    await execa('groupdel', [GROUP], {reject: false})
    rmSync(WORK, {recursive: true, force: true})
  })

  it('the setup is a visudo-checked rule for the group and a root-owned helper', () => {
    const rule = readFileSync('/etc/sudoers.d/lab-class', 'utf8')
    expect(rule).toContain(`%${GROUP} ALL=(root) NOPASSWD: ${HELPER}`)
    const helper = statSync(HELPER)
    expect([helper.uid, helper.mode & 0o777]).toEqual([0, 0o755])
    expect(readFileSync(HELPER, 'utf8')).toContain(`'${path.join(REPO, 'bin', 'run.js')}' "$@"`)
    expect(statSync('/etc/sudoers.d/lab-class').mode & 0o777).toBe(0o440)
  })

  it('a non-member gets one clear message, and nothing is built', async () => {
    const result = await labAs(OUTSIDER, ['up', 'two-spine-two-leaf', '--name', LAB])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`members of the class group ${GROUP} run it without, and ${OUTSIDER} is not one`)
    expect(result.stderr).toContain(`fix: ask your teacher to add you: sudo usermod -aG ${GROUP} ${OUTSIDER}`)
    expect(result.stderr.trim().split('\n')).toHaveLength(2)
    expect(namespacesOf(LAB)).toEqual([])
  })

  it('a member brings up, uses and verifies a lab of their own, without root', async () => {
    const up = await labAs(STUDENT, ['up', 'two-spine-two-leaf', '--name', LAB, '--json'])
    expect(up.stderr).toBe('')
    expect(up.exitCode).toBe(0)
    expect(JSON.parse(up.stdout)).toMatchObject({sessions: 10})
    // Rendered into the member's own root-owned directory, readable by their group.
    const dir = `/var/lib/lab/users/${STUDENT}`
    expect(JSON.parse(up.stdout).dir).toBe(path.join(dir, LAB))
    const stat = statSync(dir)
    expect([stat.uid, stat.gid, stat.mode & 0o777]).toEqual([0, uidOf(STUDENT), 0o750])
    // root sees the owner
    const status = await lab(['status', LAB, '--json'])
    expect(JSON.parse(status.stdout).owner).toBe(STUDENT)

    const bgp = await labAs(STUDENT, ['exec', 'leaf1', '--', 'vtysh', '-c', 'show bgp summary json'])
    expect(bgp.exitCode).toBe(0)
    expect(JSON.parse(bgp.stdout).ipv4Unicast.peerCount).toBe(2)
    const verify = await labAs(STUDENT, ['verify', '--skip', 'iperf', '--junit', 'report.xml'])
    expect(verify.exitCode).toBe(0)
    expect(verify.stdout).toContain('0 failed')
    // The report is the member's file, written with their rights.
    expect(statSync(path.join(WORK, STUDENT, 'report.xml')).uid).toBe(uidOf(STUDENT))
  })

  it("Ctrl-C in a member's terminal reaches lab through sudo: what was built is torn down", async () => {
    const name = 'cg9-e2e-int'
    // script(1) gives the member a terminal; ^C typed there is SIGINT to its foreground processes.
    const terminal = execa('script', ['-qfec', `runuser -u ${STUDENT} -- ${process.execPath} ${BIN} up two-spine-two-leaf --name ${name}`, '/dev/null'], {cwd: path.join(WORK, STUDENT), reject: false, timeout: 120_000})
    const deadline = Date.now() + 90_000
    while (namespacesOf(name).length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(namespacesOf(name)).toHaveLength(6)
    terminal.stdin!.write('\x03')
    const ended = await terminal
    expect(String(ended.stdout)).toContain(`interrupted (SIGINT): lab ${name} was torn down`)
    expect(ended.exitCode).toBe(1)
    expect(await leftovers(name)).toEqual(NOTHING_LEFT)
  })

  it("a member's node shows none of the machine's secrets", async () => {
    const secrets = await labAs(STUDENT, ['exec', 'leaf1', '--', 'sh', '-c', 'cat /etc/shadow /etc/gshadow /etc/sudoers; ls -A /home /var/lib/lab /etc/sudoers.d'])
    expect(secrets.exitCode).toBe(0)
    expect(secrets.stdout.split('\n').filter((line) => line && !line.endsWith(':'))).toEqual([])
    // /root is the node's own, empty but for what the node writes there (vtysh's history)
    const home = await labAs(STUDENT, ['exec', 'leaf1', '--', 'ls', '-A', '/root'])
    const machineRoot = readdirSync('/root').filter((entry) => entry !== '.history_frr')
    expect(machineRoot.length).toBeGreaterThan(0)
    expect(home.stdout.split('\n').filter((entry) => machineRoot.includes(entry))).toEqual([])
  })

  it('files a member names are read and written with their own rights', async () => {
    const secret = path.join(WORK, 'root-only.yaml')
    writeFileSync(secret, readFileSync(path.join(REPO, 'topologies', 'two-spine-two-leaf.yaml')), {mode: 0o600})
    const read = await labAs(STUDENT, ['up', secret, '--name', 'cg9-e2e-b'])
    expect(read.exitCode).toBe(2)
    expect(read.stderr).toContain(`you may not read the topology file ${secret}`)
    const write = await labAs(STUDENT, ['verify', LAB, '--skip', 'iperf', '--junit', '/root/cg9-e2e.xml'])
    expect(write.stderr).toContain('EACCES')
    expect(existsSync('/root/cg9-e2e.xml')).toBe(false)
    const vm = await labAs(STUDENT, ['up', 'two-spine-two-leaf', '--name', 'cg9-e2e-b', '--provider', 'qemu'])
    expect(vm.exitCode).toBe(2)
    expect(vm.stderr).toContain('class members run netns labs')
  })

  it("another member cannot exec into, read, verify or stop the lab; their `down --all` leaves it", async () => {
    for (const args of [['exec', '--lab', LAB, 'leaf1', '--', 'true'], ['status', LAB], ['verify', LAB], ['down', LAB]]) {
      const refused = await labAs(OTHER, args)
      expect(refused.exitCode).toBe(2)
      expect(refused.stderr).toContain(`lab ${LAB} is not yours`)
    }
    const all = await labAs(OTHER, ['down', '--all'])
    expect(all.exitCode).toBe(0)
    expect(all.stdout).toContain('no lab is up')
    expect(namespacesOf(LAB)).toHaveLength(6)
  })

  it("the teacher's commands stay root's, even through the helper", async () => {
    const direct = await execa('runuser', ['-u', STUDENT, '--', 'sudo', '-n', HELPER, 'setup', '--remove'], {reject: false})
    expect(direct.exitCode).toBe(2)
    expect(String(direct.stderr)).toContain("lab setup is the teacher's")
    expect(existsSync('/etc/sudoers.d/lab-class')).toBe(true)
  })

  it('through the helper by hand, root runs only what needs root: render/graph/export are refused', async () => {
    for (const args of [['render', 'two-spine-two-leaf', '--out', '/etc/cg9-e2e-render'], ['graph', 'two-spine-two-leaf', '--out', '/etc/cg9-e2e-graph.svg']]) {
      const direct = await execa('runuser', ['-u', STUDENT, '--', 'sudo', '-n', HELPER, ...args], {reject: false})
      expect(direct.exitCode).toBe(2)
      expect(String(direct.stderr)).toContain('needs no root: run it as yourself')
      expect(existsSync(args[3])).toBe(false)
    }
  })

  it("a member's share: no lab named after another account, at most the class's nodes", async () => {
    const squat = await labAs(STUDENT, ['up', 'two-spine-two-leaf', '--name', OTHER])
    expect(squat.exitCode).toBe(2)
    expect(squat.stderr).toContain(`lab name ${OTHER} is another user's name`)
    const big = await labAs(STUDENT, ['up', path.join(REPO, 'bench', 'fabric-40.yaml'), '--name', 'cg9-e2e-big'])
    expect(big.exitCode).toBe(2)
    expect(big.stderr).toMatch(/has \d+ nodes and your labs 6; a class member may have 40 nodes up/)
    expect(namespacesOf('cg9-e2e-big')).toEqual([])
  })

  it("a class gives each student with an account their own lab, which they grade themselves", async () => {
    const students = path.join(WORK, 'students.txt')
    writeFileSync(students, `${OTHER}\n`)
    const up = await lab(['class', 'up', 'link-down', '--students', students])
    expect(up.exitCode).toBe(0)
    const check = await labAs(OTHER, ['exercise', 'check', OTHER, '--json'])
    expect(check.exitCode).toBe(1) // faulted: not every check passes
    expect(JSON.parse(check.stdout)).toMatchObject({lab: OTHER, exercise: "link-down"})
    expect(JSON.parse(check.stdout).score).toBeLessThan(JSON.parse(check.stdout).max)
    const foreign = await labAs(STUDENT, ['exercise', 'check', OTHER])
    expect(foreign.exitCode).toBe(2)
  })

  it("a teacher's exercise in /etc/lab/exercises: the member starts and grades it by id, but cannot read, prove or see its faults", async () => {
    const dir = '/etc/lab/exercises'
    const made = !existsSync(dir)
    mkdirSync(dir, {recursive: true, mode: 0o700})
    if (made) chmodSync(dir, 0o700)
    const exercise = path.join(dir, 'cg9-secret.yaml')
    const topology = path.join(dir, 'cg9-secret-fabric.yaml') // beside it, read as root too
    writeFileSync(topology, readFileSync(path.join(REPO, 'topologies', 'two-spine-two-leaf.yaml')), {mode: 0o600})
    writeFileSync(exercise, [
      'exercise: cg9-secret', 'title: Half the uplinks', 'topology: cg9-secret-fabric.yaml', 'brief: Find what is wrong on the fabric.',
      'faults:', '  - link: { endpoint: leaf1:swp52, state: down }',
      'checks:', '  - name: uplinks', '    bgp: { node: leaf1 }', '    points: 100',
      'solution:', '  - link: { endpoint: leaf1:swp52, state: up }', '',
    ].join('\n'), {mode: 0o600})
    const secretLab = 'cg9-e2e-s'
    try {
      const cat = await execa('runuser', ['-u', STUDENT, '--', 'cat', exercise], {reject: false})
      expect(cat.exitCode).not.toBe(0)
      const start = await labAs(STUDENT, ['exercise', 'start', 'cg9-secret', '--name', secretLab, '--json'])
      expect(start.exitCode, start.stderr).toBe(0)
      const report = JSON.parse(start.stdout)
      expect(report).toMatchObject({exercise: 'cg9-secret', lab: secretLab})
      expect(report.faults).toBeUndefined() // what the faults did is the answer
      expect(start.stdout + start.stderr).not.toContain('swp52')
      const check = await labAs(STUDENT, ['exercise', 'check', secretLab, '--json'])
      expect(check.exitCode).toBe(1)
      expect(JSON.parse(check.stdout)).toMatchObject({exercise: 'cg9-secret', score: 0, max: 100})
      const prove = await labAs(STUDENT, ['exercise', 'prove', 'cg9-secret'])
      expect(prove.exitCode).toBe(2)
      expect(prove.stderr).toContain("cg9-secret is your teacher's exercise: its faults and solution are kept from the class")
      expect(await leftovers('prove-cg9-secret')).toEqual(NOTHING_LEFT)
      // Root (the teacher) is shown what the faults did.
      const reset = await lab(['exercise', 'reset', secretLab, '--json'])
      expect(reset.exitCode, reset.stderr).toBe(0)
      expect(JSON.stringify(JSON.parse(reset.stdout).faults)).toContain('swp52')
      // A teacher's directory others could write to is refused, with the fix.
      chmodSync(dir, 0o777)
      const open = await labAs(STUDENT, ['exercise', 'check', secretLab])
      expect(open.exitCode).toBe(2)
      expect(open.stderr).toContain(`${dir} can be changed by someone other than root`)
    } finally {
      chmodSync(dir, 0o700)
      await lab(['down', secretLab])
      rmSync(exercise, {force: true})
      rmSync(topology, {force: true})
      if (made) rmdirSync(dir)
    }
    expect(await leftovers(secretLab)).toEqual(NOTHING_LEFT)
  })

  it('the member takes their lab down; nothing is left', async () => {
    const down = await labAs(STUDENT, ['down', LAB])
    expect(down.exitCode).toBe(0)
    expect(await leftovers(LAB)).toEqual(NOTHING_LEFT)
  })
})
