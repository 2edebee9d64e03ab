// json: run a command that prints JSON on a node (vtysh or iproute2) and compare a subset of it, by
// FRR topotests' json_cmp rules: the expected value's keys must be there with equal values (objects
// recursively), `null` means the key must be absent, "*" that it must be present with any value, and
// every element of an expected list must match a distinct element of the actual one, in any order.
// Retried like every settling check, so it can wait for state (a session coming up) within --wait.
import type {ExecResult} from '../../io/executor.js'
import {commandError, fail, pass, runProbe} from '../../verify/probe.js'
import type {Probe, Verdict} from '../../verify/types.js'
import {plural} from '../../util/text.js'
import {defineCheck, NAME_FIELD, type Named} from './spec.js'

export interface JsonCheck extends Named {
  node: string
  /** A vtysh command (`show bgp summary json`); or, instead, `command`. */
  vtysh?: string
  /** Any command printing JSON: a list is argv, a string runs through sh. */
  command?: string | string[]
  expect: unknown
}

export const ANY_VALUE = '*'

/** Where the actual JSON differs from the expected subset, one line per difference ("$.peers.swp1.state is …"). */
export function jsonSubsetDiff(expected: unknown, actual: unknown, where = '$'): string[] {
  if (expected === ANY_VALUE) return actual === undefined ? [`${where} is absent, expected present`] : []
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${where} is ${shown(actual)}, expected a list`]
    const unused = [...actual]
    const missing: string[] = []
    expected.forEach((item, i) => {
      const match = unused.findIndex((candidate) => jsonSubsetDiff(item, candidate).length === 0)
      if (match === -1) missing.push(`${where}[${i}] ${shown(item)} has no match in the list`)
      else unused.splice(match, 1)
    })
    return missing
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${where} is ${shown(actual)}, expected an object`]
    return Object.entries(expected).flatMap(([key, value]) => {
      const inner = (actual as Record<string, unknown>)[key]
      const path = `${where}.${key}`
      if (value === null) return inner === undefined ? [] : [`${path} is ${shown(inner)}, expected absent`]
      if (inner === undefined) return [`${path} is absent, expected ${value === ANY_VALUE ? 'present' : shown(value)}`]
      return jsonSubsetDiff(value, inner, path)
    })
  }
  return Object.is(expected, actual) ? [] : [`${where} is ${shown(actual)}, expected ${shown(expected)}`]
}

function shown(value: unknown): string {
  if (value === undefined) return 'absent'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}

export function jsonProbe(check: JsonCheck): Probe {
  if (check.vtysh !== undefined) return {node: check.node, argv: ['vtysh', '-c', check.vtysh]}
  const command = check.command ?? []
  return {node: check.node, argv: typeof command === 'string' ? ['sh', '-c', command] : [...command]}
}

const commandText = (check: JsonCheck) => check.vtysh ?? (typeof check.command === 'string' ? check.command : (check.command ?? []).join(' '))

export function evaluateJson(check: JsonCheck, result: ExecResult): Verdict {
  const label = `\`${commandText(check)}\` on ${check.node}`
  let actual: unknown
  try {
    actual = JSON.parse(result.stdout)
  } catch {
    return fail(`${label} printed no JSON: ${commandError(result)}`)
  }
  const differences = jsonSubsetDiff(check.expect, actual)
  if (differences.length === 0) return pass(`${label} matches the expected JSON`)
  const more = differences.length > 3 ? `; and ${differences.length - 3} more` : ''
  return fail(`${label}: ${plural(differences.length, 'difference')}: ${differences.slice(0, 3).join('; ')}${more}`)
}

export const jsonCheck = defineCheck<'json', JsonCheck>({
  kind: 'json',
  summary: 'a command printing JSON on a node contains the expected subset (null: absent, "*": present)',
  body: (z) =>
    z
      .object({
        node: z.string().min(1),
        vtysh: z.string().min(1).optional().describe('vtysh command whose JSON is compared, e.g. "show bgp summary json"'),
        command: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional().describe('instead of vtysh: any command printing JSON (a list is argv)'),
        expect: z.unknown().describe('the JSON subset expected: null = key absent, "*" = key present'),
        name: NAME_FIELD(z),
      })
      .strict(),
  references(check, refs) {
    refs.node('node', check.node)
    if ((check.vtysh === undefined) === (check.command === undefined)) {
      refs.error([], `${refs.where([])}: give exactly one of vtysh or command`, 'e.g. vtysh: "show bgp summary json", or command: [ip, -j, link, show]')
    }
    if (check.expect === undefined) refs.error([], `${refs.where([])}: expect is missing`, 'give the JSON subset to find, e.g. expect: { ipv4Unicast: { peers: { swp51: { state: Established } } } }')
  },
  prepare(check) {
    return {
      kind: 'json',
      name: check.name ?? `${check.node}: ${commandText(check)}`,
      key: `json:${check.node}:${commandText(check)}:${JSON.stringify(check.expect)}`,
      settles: true,
      async run(context) {
        return evaluateJson(check, await runProbe(context, jsonProbe(check)))
      },
    }
  },
})
