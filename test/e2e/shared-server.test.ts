// e2e (root, real namespaces, real FRR): a lab is one identity on the machine whatever LAB_HOME is,
// no failure leaks (full or read-only disk, SIGHUP, SIGQUIT), and a forged state file makes `down`
// touch nothing that is not the lab's. Every test ends with nothing of its labs left.
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {execa, type ResultPromise} from 'execa'
import {afterAll, afterEach, describe, expect, it} from 'vitest'
import {BIN, canRunNetns, leftovers, machineDirOf, namespacesOf, NOTHING_LEFT, REPO, type CliResult} from './netns-support.js'

const HOME_A = '/tmp/s9-e2e-home-a'
const HOME_B = '/tmp/s9-e2e-home-b'
const TINY = '/tmp/s9-e2e-tiny'

function labIn(home: string, args: string[]): ResultPromise {
  return execa('node', [BIN, ...args], {cwd: REPO, reject: false, env: {LAB_HOME: home}, timeout: 170_000})
}

async function labAt(home: string, args: string[]): Promise<CliResult> {
  const result = await labIn(home, args)
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}

/** Nothing of the lab anywhere: namespaces, daemons, mounts, /run/lab/<name> (lock, state, run files). */
async function expectNothingLeft(name: string): Promise<void> {
  const {rootLinks: _ignored, ...left} = await leftovers(name)
  const {rootLinks: _none, ...nothing} = NOTHING_LEFT
  expect(left).toEqual(nothing)
  expect(existsSync(machineDirOf(name))).toBe(false)
}

async function until(condition: () => boolean, boundMs = 60_000): Promise<void> {
  const deadline = Date.now() + boundMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function isMounted(dir: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => line.split(' ')[4] === dir)
}

async function unmount(dir: string): Promise<void> {
  if (isMounted(dir)) await execa('umount', [dir], {reject: false})
  rmSync(dir, {recursive: true, force: true})
}

const used = new Set<string>()
const named = (name: string) => {
  used.add(name)
  return name
}

describe.skipIf(!canRunNetns)('a shared server: one identity per lab, no leak, state not trusted', () => {
  afterEach(async () => {
    for (const name of used) await labAt(HOME_A, ['down', name])
    used.clear()
    await unmount(TINY)
    await unmount(machineDirOf('s9-t-full'))
  })
  afterAll(() => {
    for (const home of [HOME_A, HOME_B]) rmSync(home, {recursive: true, force: true})
  })

  it('two LAB_HOMEs racing for one name: one lab, the loser touches nothing, down from the other LAB_HOME removes all', async () => {
    const name = named('s9-t-race')
    const [a, b] = await Promise.all([labAt(HOME_A, ['up', 'two-spine-two-leaf', '--name', name]), labAt(HOME_B, ['up', 'two-spine-two-leaf', '--name', name])])
    const [winner, loser] = a.exitCode === 0 ? [a, b] : [b, a]
    expect(winner.exitCode, winner.stderr).toBe(0)
    expect(loser.exitCode).toBe(2)
    expect(loser.stderr).toMatch(/being changed right now|is already up/)
    expect(loser.stderr).not.toMatch(/fix: lab down/)
    const status = JSON.parse((await labAt(HOME_B, ['status', name, '--json'])).stdout) as {state: string; owner: string}
    expect(status.state).toBe('up')
    expect(status.owner).toBe('root')
    const down = await labAt(a.exitCode === 0 ? HOME_B : HOME_A, ['down', name])
    expect(down.exitCode, down.stderr).toBe(0)
    expect(down.stdout).toMatch(/removed \d+ processes, \/run\/lab\/s9-t-race\/run, state\.json, 6 namespaces/)
    await expectNothingLeft(name)
  })

  it('down during an up refuses clearly and changes nothing; the up finishes', async () => {
    const name = named('s9-t-busy')
    const up = labIn(HOME_A, ['up', 'two-spine-two-leaf', '--name', name])
    await until(() => existsSync(path.join(machineDirOf(name), 'lock')))
    const down = await labAt(HOME_B, ['down', name])
    expect(down.exitCode).toBe(2)
    expect(down.stderr).toMatch(/being changed right now by another lab command \(process \d+\); nothing was done/)
    expect(down.stderr).toMatch(/kill -INT \d+/)
    expect((await up).exitCode).toBe(0)
    expect((await labAt(HOME_B, ['down', name])).exitCode).toBe(0)
    await expectNothingLeft(name)
  })

  it.each(['SIGHUP', 'SIGQUIT'] as const)('%s mid-up tears everything down, lock included', async (signal) => {
    const name = named(`s9-t-${signal.toLowerCase()}`)
    const up = labIn(HOME_A, ['up', 'two-spine-two-leaf', '--name', name])
    await until(() => namespacesOf(name).length > 0)
    up.kill(signal)
    const result = await up
    expect(result.exitCode).toBe(1)
    expect(String(result.stderr)).toMatch(new RegExp(`interrupted \\(${signal}\\)`))
    await expectNothingLeft(name)
  })

  it('a full LAB_HOME (tiny tmpfs): the cause and the fix, no "bug in lab", nothing left', async () => {
    const name = named('s9-t-enospc')
    mkdirSync(TINY, {recursive: true})
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=16k', 's9-tiny', TINY])
    const up = await labAt(TINY, ['up', 'two-spine-two-leaf', '--name', name])
    expect(up.exitCode).toBe(1)
    expect(up.stderr).toMatch(/no space left on the device \(ENOSPC\)/)
    expect(up.stderr).toMatch(/fix: free space on the filesystem holding/)
    expect(up.stderr).not.toMatch(/bug in lab/)
    await expectNothingLeft(name)
  })

  it('a read-only LAB_HOME: EROFS named with its fix', async () => {
    const name = named('s9-t-erofs')
    mkdirSync(TINY, {recursive: true})
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 's9-tiny', TINY])
    const up = await labAt(TINY, ['up', 'two-spine-two-leaf', '--name', name])
    expect(up.exitCode).toBe(1)
    expect(up.stderr).toMatch(/read-only \(EROFS\)/)
    expect(up.stderr).toMatch(/fix: set LAB_HOME to a writable directory/)
    await expectNothingLeft(name)
  })

  it('the run files filling up mid-build (ENOSPC after namespaces and daemons exist): torn down, nothing left', async () => {
    const name = named('s9-t-full')
    mkdirSync(machineDirOf(name), {recursive: true})
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=24k', 's9-full', machineDirOf(name)])
    const up = await labAt(HOME_A, ['up', 'two-spine-two-leaf', '--name', name])
    expect(up.exitCode).toBe(1)
    expect(up.stderr).toMatch(/ENOSPC|No space left/)
    expect(up.stderr).toMatch(/failed: tearing down what was built/)
    expect(up.stderr).not.toMatch(/bug in lab|could not remove/)
    await unmount(machineDirOf(name))
    await expectNothingLeft(name)
  })

  it("a forged state.json naming another lab's namespace and an unrelated process: down touches neither", async () => {
    const victim = named('s9-t-victim')
    const forged = named('s9-t-forged')
    expect((await labAt(HOME_A, ['up', 'two-spine-two-leaf', '--name', victim])).exitCode).toBe(0)
    const sleeper = execa('sleep', ['600'], {reject: false})
    await until(() => existsSync(`/proc/${sleeper.pid}/stat`))
    const stat = readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8')
    const startTime = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19])
    const state = {
      version: 1, lab: forged, provider: 'netns', status: 'up', cliPid: sleeper.pid, startedAt: new Date().toISOString(), labDir: path.join(HOME_A, victim),
      namespaces: [{node: 'spine1', netns: `lab_${victim}_spine1`}, {node: 'x', netns: `lab_${victim}_leaf1`}],
      daemons: [{node: 'spine1', daemon: 'zebra', pid: sleeper.pid, startTime}],
    }
    // Both places a state file could be looked for: the machine-wide one and the old per-LAB_HOME one.
    for (const dir of [machineDirOf(forged), path.join(HOME_A, forged)]) {
      mkdirSync(dir, {recursive: true})
      writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state))
    }
    // Not root: one message with the fix, nothing touched.
    const asNobody = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', BIN, 'down', victim], {cwd: '/', reject: false, env: {LAB_HOME: HOME_A, HOME: '/tmp'}})
    expect(asNobody.exitCode).toBe(2)
    expect(String(asNobody.stderr)).toMatch(/^error: lab down needs root: .*\n {2}fix: sudo lab down s9-t-victim$/)
    expect(String(asNobody.stderr)).not.toMatch(/Permission denied/)
    expect(namespacesOf(victim)).toHaveLength(6)
    // Two labs up: `lab down` without a name says which to name, and never suggests --all.
    const which = await labAt(HOME_A, ['down'])
    expect(which.exitCode).toBe(2)
    expect(which.stderr).toMatch(/labs are up \(.*s9-t-forged.*s9-t-victim.*\); say which/)
    expect(which.stderr).toMatch(/fix: name one, e\.g\. lab down [a-z0-9-]+$/m)
    expect(which.stderr).not.toMatch(/--all/)
    const down = await labAt(HOME_A, ['down', forged])
    expect(down.exitCode, down.stderr).toBe(0)
    expect(down.stdout).not.toMatch(/process|namespace/)
    expect(existsSync(`/proc/${sleeper.pid}/stat`)).toBe(true)
    expect(namespacesOf(victim)).toHaveLength(6)
    const status = JSON.parse((await labAt(HOME_A, ['status', victim, '--json'])).stdout) as {state: string}
    expect(status.state).toBe('up')
    sleeper.kill('SIGKILL')
    await sleeper
    expect((await labAt(HOME_A, ['down', victim])).exitCode).toBe(0)
    await expectNothingLeft(victim)
    await expectNothingLeft(forged)
  })
})
