// Shipped exercises lint clean; seeds pick variables deterministically; grading applies needs
// (blocked, not failed) and points, on recorded node answers.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv} from 'ajv'
import {describe, expect, it} from 'vitest'
import {gradeExercise} from '../../src/exercise/grade.js'
import {pickValues, substitute} from '../../src/exercise/variables.js'
import type {ExecResult, NodeExecutor} from '../../src/io/executor.js'
import {lintExercise, readExercise, shippedExercises} from '../../src/io/exercise-file.js'
import {gradebookCsv, readStudents} from '../../src/lab/class.js'
import {fixture, ROOT, shippedPlan} from '../core/verify-helpers.js'

describe('shipped exercises', () => {
  const shipped = shippedExercises()
  it('at least eight, each linted clean', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(8)
    for (const {id, file} of shipped) expect(lintExercise(file).id).toBe(id)
  })
})

describe('variables', () => {
  it('the same seed gives the same values; different seeds spread over the choices', () => {
    const variables = {spine: ['spine1', 'spine2'], port: ['swp1', 'swp2']}
    expect(pickValues(variables, 'alice')).toEqual(pickValues(variables, 'alice'))
    const seen = new Set(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'].map((s) => JSON.stringify(pickValues(variables, s))))
    expect(seen.size).toBeGreaterThan(2)
  })

  it('substitutes in strings, keeps a whole reference typed', () => {
    expect(substitute({endpoint: '${spine}:${port}', n: '${count}', list: ['${spine}']}, {spine: 'spine2', port: 'swp1', count: 3})).toEqual({endpoint: 'spine2:swp1', n: 3, list: ['spine2']})
  })

  it('a student of lossy-link gets one of the four ports, the same every time', () => {
    const one = readExercise('lossy-link', 'alice')
    expect(one.values).toEqual(readExercise('lossy-link', 'alice').values)
    expect(['spine1', 'spine2']).toContain(one.values.spine)
    expect(one.faults[0]).toMatchObject({kind: 'exec', node: one.values.spine})
    expect(String((one.faults[0] as {command: string}).command)).toContain(`oifname ${one.values.port} `)
  })
})

const answer = (stdout: string, exitCode = 0): ExecResult => ({stdout, stderr: '', exitCode})

describe('grading', () => {
  const plan = shippedPlan('two-spine-two-leaf')
  const exercise = readExercise('wrong-asn', 'x')
  const validate = new Ajv().compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/exercise-result.schema.json'), 'utf8')))

  it('a check whose prerequisite fails is blocked, with the hint only where it fails', async () => {
    const executor: NodeExecutor = {
      async exec(node, argv) {
        // leaf2's bgpd is not answering, as vtysh -d bgpd says it.
        if (argv.join(' ').includes('summary')) return {stdout: '', stderr: 'Exiting: failed to connect to any daemons.', exitCode: 1}
        if (argv[0] === 'ping') return answer(fixture('verify/ping-no-reply.txt'), 1)
        return answer('{}')
      },
    }
    const result = await gradeExercise(exercise, plan, executor, {waitMs: 0})
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
    expect(result).toMatchObject({exercise: 'wrong-asn', lab: 'two-spine-two-leaf', score: 0, max: 100})
    expect(result.checks.map((c) => [c.name, c.status])).toEqual([['sessions', 'fail'], ['reach', 'blocked']])
    expect(result.checks[0].hint).toMatch(/AS number/)
    expect(result.checks[1].hint).toBeUndefined()
    expect(result.checks[1].detail).toMatch(/^blocked until sessions passes; /)
  })

  it('full score when every check passes', async () => {
    const executor: NodeExecutor = {
      async exec(node, argv) {
        if (argv.join(' ').includes('summary')) return answer(fixture('frr/leaf2-bgp-ipv4-summary.json'))
        return answer(fixture('verify/ping-host1-host2.txt'))
      },
    }
    const result = await gradeExercise(exercise, plan, executor, {waitMs: 0})
    expect(result.checks.map((c) => c.status)).toEqual(['pass', 'pass'])
    expect(result.score).toBe(100)
  })
})

describe('a class', () => {
  it('reads students one per line, refusing names that cannot name a lab, with file:line', () => {
    const file = path.join(ROOT, 'test/fixtures/class/students-bad.txt')
    expect(() => readStudents(file)).toThrow(/students-bad\.txt:3:1: lab name "Bob Smith"/)
    expect(readStudents(path.join(ROOT, 'test/fixtures/class/students.txt'))).toEqual(['alice', 'bob', 'carol'])
  })

  it('writes the gradebook as CSV', () => {
    const row = (student: string, score: number) => ({student, hints: score === 100 ? 0 : 1, result: {exercise: 'e', lab: student, score, max: 100, checks: [{name: 'a', kind: 'bgp', points: 100, status: score === 100 ? ('pass' as const) : ('fail' as const), detail: 'd', durationMs: 1}]}})
    expect(gradebookCsv([row('alice', 100), row('bob', 0)])).toBe('student,score,max,hints,a\nalice,100,100,0,pass\nbob,0,100,1,fail\n')
  })
})
