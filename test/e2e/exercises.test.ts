// Classroom exercises on real labs (root, namespaces, FRR): every shipped exercise proven by
// `lab exercise prove`; three done as a student would (start, check, fix with lab exec, check,
// reset); a class of three brought up, graded into a gradebook and taken down; a class too big for
// the machine refused before any lab starts. Nothing is left.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {Ajv} from 'ajv'
import {afterAll, describe, expect, it} from 'vitest'
import {canRunNetns, lab, leftovers, NOTHING_LEFT, REPO, removeLab} from './netns-support.js'

const SHIPPED = ['bgpd-stopped', 'container-off-bridge', 'host-announces-nothing', 'host-subnet-filtered', 'link-down', 'lossy-link', 'mtu-mismatch', 'multipath-relax', 'no-default-route', 'wrong-asn']
/** LAB_E2E_PREFIX keeps the exercise labs apart from other people's on a shared machine. */
const PREFIX = process.env.LAB_E2E_PREFIX ?? ''
const proveName = (id: string) => `${PREFIX}prove-${id}`.slice(0, 24).replace(/-$/, '')
const validate = new Ajv().compile(JSON.parse(readFileSync(path.join(REPO, 'schema/exercise-result.schema.json'), 'utf8')))

interface Result {
  score: number
  max: number
  checks: {name: string; status: string; detail: string; hint?: string}[]
}

async function check(name: string, ...args: string[]): Promise<{exitCode: number; result: Result}> {
  const out = await lab(['exercise', 'check', name, '--json', ...args])
  const result = JSON.parse(out.stdout) as Result
  expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
  return {exitCode: out.exitCode, result}
}

const statuses = (result: Result) => Object.fromEntries(result.checks.map((c) => [c.name, c.status]))

describe.skipIf(!canRunNetns)('exercises', () => {
  const labs = [`${PREFIX}t-ex-alice`, `${PREFIX}t-ex-bob`, `${PREFIX}t-ex-carol`, 't-cls-a', 't-cls-b', 't-cls-c', ...SHIPPED.map(proveName)]
  afterAll(async () => {
    for (const name of labs) await removeLab(name)
  })

  it.each(SHIPPED)('%s is proven: passes before the faults, fails after, passes after the solution', async (id) => {
    const proof = await lab(['exercise', 'prove', id, '--name', proveName(id), '--json'])
    expect(proof.exitCode, proof.stderr).toBe(0)
    const {stages} = JSON.parse(proof.stdout) as {stages: {stage: string; score: number; max: number}[]}
    expect(stages.map((s) => s.stage)).toEqual(['before the faults', 'after the faults', 'after the solution'])
    expect(stages[1].score).toBeLessThan(stages[1].max)
    expect(await leftovers(proveName(id))).toEqual(NOTHING_LEFT)
  })

  it('link-down as a student: pings pass but the score says the fabric is degraded; fixed, full score; reset brings the fault back', async () => {
    const name = `${PREFIX}t-ex-alice`
    const start = await lab(['exercise', 'start', 'link-down', '--name', name])
    expect(start.exitCode, start.stderr).toBe(0)
    expect(start.stdout).toMatch(/Pings work, but is the fabric healthy\?/)
    const before = await check(name)
    expect(before.exitCode).toBe(1)
    expect(statuses(before.result)).toEqual({reach: 'pass', uplinks: 'fail', ecmp: 'blocked'})
    expect(before.result.checks.find((c) => c.name === 'uplinks')!.hint).toMatch(/interface/)
    expect(before.result.score).toBe(10)
    expect((await lab(['exec', '--lab', name, 'leaf1', '--', 'ip', 'link', 'set', 'swp52', 'up'])).exitCode).toBe(0)
    const after = await check(name, '--wait', '30')
    expect(after.exitCode, JSON.stringify(after.result)).toBe(0)
    expect(after.result.score).toBe(100)
    const reset = await lab(['exercise', 'reset', name])
    expect(reset.exitCode, reset.stderr).toBe(0)
    expect(statuses((await check(name)).result).uplinks).toBe('fail')
    expect((await lab(['down', name])).exitCode).toBe(0)
    expect(await leftovers(name)).toEqual(NOTHING_LEFT)
  })

  it('no-default-route as a student: fixed with ip route on host1', async () => {
    const name = `${PREFIX}t-ex-bob`
    expect((await lab(['exercise', 'start', 'no-default-route', '--name', name])).exitCode).toBe(0)
    expect(statuses((await check(name)).result)).toEqual({gateway: 'fail', reach: 'blocked'})
    expect((await lab(['exec', '--lab', name, 'host1', '--', 'ip', 'route', 'add', 'default', 'via', '10.1.0.1'])).exitCode).toBe(0)
    const after = await check(name, '--wait', '10')
    expect(after.result.score, JSON.stringify(after.result)).toBe(100)
    expect((await lab(['down', name])).exitCode).toBe(0)
  })

  it('host-subnet-filtered as a student: fixed in leaf1 with vtysh', async () => {
    const name = `${PREFIX}t-ex-carol`
    expect((await lab(['exercise', 'start', 'host-subnet-filtered', '--name', name])).exitCode).toBe(0)
    const before = await check(name)
    expect(statuses(before.result)).toMatchObject({sessions: 'pass', announced: 'fail', reach: 'blocked'})
    const fix = await lab(['exec', '--lab', name, 'leaf1', '--', 'vtysh', '-c', 'configure terminal', '-c', 'ip prefix-list LOCAL_PREFIXES seq 20 permit 10.1.0.0/24'])
    expect(fix.exitCode, fix.stderr).toBe(0)
    const after = await check(name, '--wait', '30')
    expect(after.result.score, JSON.stringify(after.result)).toBe(100)
    expect((await lab(['down', name])).exitCode).toBe(0)
  })

  it('a class the machine cannot hold is refused by the netns preflight, with the numbers, before any lab starts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-class-'))
    try {
      // 1,000 two-spine-two-leaf labs: about 100 GB by the preflight's estimate, far past this machine.
      const students = Array.from({length: 1000}, (_, i) => `t-big-${i + 1}`)
      writeFileSync(path.join(dir, 'students.txt'), `${students.join('\n')}\n`)
      const up = await lab(['class', 'up', 'link-down', '--students', path.join(dir, 'students.txt')])
      expect(up.exitCode, up.stderr).toBe(2)
      expect(up.stderr).toMatch(/this machine cannot run a class of 1000 labs of link-down:\n {2}- not enough memory: the 1000 labs need about [\d,]+ MB \(6000 namespaces, 10000 FRR daemons\)/)
      expect(up.stderr).toMatch(/split the class \(fewer names in the students file; each lab takes about \d+ MB\)/)
      for (const student of ['t-big-1', 't-big-1000']) expect(await leftovers(student)).toEqual(NOTHING_LEFT)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('a class of three: up in parallel, a gradebook with every student, down', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-class-'))
    try {
      writeFileSync(path.join(dir, 'students.txt'), 't-cls-a\nt-cls-b\nt-cls-c\n')
      const up = await lab(['class', 'up', 'link-down', '--students', path.join(dir, 'students.txt')])
      expect(up.exitCode, up.stderr).toBe(0)
      const csv = path.join(dir, 'grades.csv')
      const book = await lab(['class', 'check', 'link-down', '--csv', csv, '--json'])
      expect(book.exitCode, book.stderr).toBe(0)
      const {students} = JSON.parse(book.stdout) as {students: {student: string; result: Result}[]}
      expect(students.map((s) => [s.student, s.result.score])).toEqual([['t-cls-a', 10], ['t-cls-b', 10], ['t-cls-c', 10]])
      expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe('student,score,max,hints,reach,uplinks,ecmp')
      const down = await lab(['class', 'down', 'link-down'])
      expect(down.exitCode, down.stderr).toBe(0)
      for (const student of ['t-cls-a', 't-cls-b', 't-cls-c']) expect(await leftovers(student)).toEqual(NOTHING_LEFT)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
