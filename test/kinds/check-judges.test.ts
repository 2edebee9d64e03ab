// Every registered check kind, judged on recorded node answers: the kind's own probes go to an
// executor that replays what real nodes printed, and the verdict must be exactly the expected one.
// The registry is the only list of kinds: a kind with no fixture file, or a fixture with no kind, fails.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {parse} from 'yaml'
import {describe, expect, it} from 'vitest'
import type {ExecResult, NodeExecutor} from '../../src/io/executor.js'
import {CHECK_KINDS, prepareCheck, type Check} from '../../src/kinds/checks/index.js'
import {rawCheckSchema} from '../../src/topology/schema.js'
import {labFacts} from '../../src/verify/facts.js'
import {fixture, ROOT, shippedPlan} from '../core/verify-helpers.js'

interface Answer {
  node: string
  when?: string
  file?: string
  stdout?: string
  stderr?: string
  exitCode?: number
  /** Answered once, in order: a probe asked twice (counters before and after a flow) gets each in turn. */
  once?: boolean
}
interface Case {
  case: string
  topology: string
  check: Record<string, unknown>
  answers: Answer[]
  verdict: {status: string; detail: string}
}

const DIR = path.join(ROOT, 'test/fixtures/checks')

/** Answers what the fixture recorded; a question nobody recorded is exit 127, which no passing case gets. */
function replay(answers: Answer[], asked: string[]): NodeExecutor {
  const used = new Set<Answer>()
  return {
    async exec(node, argv): Promise<ExecResult> {
      const line = argv.join(' ')
      asked.push(`${node}: ${line}`)
      const answer = answers.find((a) => a.node === node && (a.when === undefined || line.includes(a.when)) && !used.has(a))
      if (answer?.once) used.add(answer)
      if (!answer) return {stdout: '', stderr: `no recorded answer for ${node}: ${line}`, exitCode: 127}
      return {stdout: answer.file ? fixture(answer.file) : (answer.stdout ?? ''), stderr: answer.stderr ?? '', exitCode: answer.exitCode ?? 0}
    },
  }
}

describe('the check registry', () => {
  it('is the one list: the schema offers exactly the registered kinds, each with a fixture file', () => {
    const schemaKinds = rawCheckSchema.options.map((option) => Object.keys((option as {shape: object}).shape)[0])
    expect(schemaKinds).toEqual([...CHECK_KINDS])
    expect(new Set(CHECK_KINDS).size).toBe(CHECK_KINDS.length)
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''))
    expect(files.sort()).toEqual([...CHECK_KINDS].sort())
  })

  it('names exactly the registered kinds in the published lab verify --json schema', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/verify-result.schema.json'), 'utf8')) as {properties: {checks: {items: {properties: {kind: {enum: string[]}}}}}}
    expect(schema.properties.checks.items.properties.kind.enum).toEqual([...CHECK_KINDS])
  })
})

describe.each([...CHECK_KINDS])('%s judge', (kind) => {
  const file = path.join(DIR, `${kind}.yaml`)
  const cases: Case[] = existsSync(file) ? (parse(readFileSync(file, 'utf8')) as Case[]) : []

  it('has a passing and a failing case', () => {
    expect(cases.map((c) => c.verdict.status)).toContain('pass')
    expect(cases.map((c) => c.verdict.status)).toContain('fail')
  })

  it.each(cases.map((c) => [c.case, c] as const))('%s', async (_name, c) => {
    const plan = shippedPlan(c.topology)
    // The body goes through the published schema first, as a topology file's would (defaults filled in).
    const parsed = rawCheckSchema.parse({[kind]: c.check}) as Record<string, Record<string, unknown>>
    const check = {kind, ...parsed[kind]} as Check
    const asked: string[] = []
    const prepared = prepareCheck(check, labFacts(plan), 0)
    expect(prepared.kind).toBe(kind)
    const verdict = await prepared.run({executor: replay(c.answers, asked), signal: new AbortController().signal})
    expect(verdict, `asked: ${asked.join(' | ')}`).toEqual(c.verdict)
  })
})
