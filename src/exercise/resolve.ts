// Raw exercise (variables already substituted) + its topology → a resolved Exercise, or every problem:
// each check names exactly one check kind with a valid body and nodes of the topology; `needs` name
// checks before it; each fault and solution step is one fault kind that fits the topology.
import {nodesWithContainers} from '../topology/containers.js'
import {z} from 'zod'
import {CHECK_SPECS, checkReferences, type Check} from '../kinds/checks/index.js'
import {FAULT_SPECS, faultReferences, type Fault} from '../kinds/faults/index.js'
import type {Diagnostic, YamlPath} from '../topology/diagnostics.js'
import type {Topology} from '../topology/model.js'
import {portsByNode, referenceContext} from '../topology/references.js'
import {Report} from '../topology/report.js'
import {documentDiagnostics, pathText, unknownKey} from '../topology/schema-diagnostics.js'
import type {RawExercise} from './schema.js'
import type {Values} from './variables.js'

export interface GradedCheck {
  name: string
  points: number
  hint?: string
  needs: string[]
  check: Check
}

export interface Exercise {
  id: string
  title: string
  /** The exercise file, and the topology it builds on, as read. */
  file: string
  topologyFile: string
  brief: string
  values: Values
  faults: Fault[]
  checks: GradedCheck[]
  solution: Fault[]
}

const GRADING_KEYS = ['name', 'points', 'hint', 'needs']

interface KindSpec {
  kind: string
  body(zod: typeof z): z.ZodType
}

/** The one kind an entry names (besides `ignore`d keys), its body checked against that kind's schema. */
function kindEntry(data: unknown, path: YamlPath, specs: readonly KindSpec[], what: string, report: Report, ignore: string[] = []): {kind: string; body: Record<string, unknown>} | undefined {
  const entry = (pathValue(data, path) ?? {}) as Record<string, unknown>
  const kinds = specs.map((s) => s.kind)
  const keys = Object.keys(entry).filter((k) => !ignore.includes(k))
  const named = keys.filter((k) => kinds.includes(k))
  if (named.length !== 1) {
    const stray = keys.filter((k) => !kinds.includes(k))
    if (named.length === 0 && stray.length > 0) for (const key of stray) report.diagnostics.push(unknownKey([...path], key, kinds, `${what} kind`))
    else report.error(path, `${pathText(path)}: ${named.length === 0 ? `names no ${what} kind` : `names ${named.length} ${what} kinds (${named.join(', ')})`}; give exactly one of ${kinds.join(', ')}`, `write it like "- ${kinds[0]}: { … }"`)
    return undefined
  }
  const kind = named[0]
  for (const key of keys.filter((k) => k !== kind)) report.diagnostics.push(unknownKey([...path], key, [...kinds, ...ignore], 'key'))
  const spec = specs.find((s) => s.kind === kind)!
  const {value, diagnostics} = documentDiagnostics(spec.body(z), data, [...path, kind])
  report.diagnostics.push(...diagnostics)
  return value === undefined ? undefined : {kind, body: value as Record<string, unknown>}
}

function pathValue(data: unknown, path: YamlPath): unknown {
  return path.reduce<unknown>((value, segment) => (value as Record<string | number, unknown> | undefined)?.[segment], data)
}

function resolveSteps(data: unknown, section: 'faults' | 'solution', count: number, topology: Topology, report: Report): Fault[] {
  const nodes = nodesWithContainers(topology)
  const ports = portsByNode(topology.links)
  const steps: Fault[] = []
  for (let i = 0; i < count; i++) {
    const entry = kindEntry(data, [section, i], FAULT_SPECS, 'fault', report)
    if (!entry) continue
    const fault = {kind: entry.kind, ...entry.body} as Fault
    faultReferences(fault, referenceContext([section, i, entry.kind], nodes, report, ports))
    steps.push(fault)
  }
  return steps
}

function resolveChecks(raw: RawExercise, data: unknown, topology: Topology, report: Report): GradedCheck[] {
  const nodes = nodesWithContainers(topology)
  const ports = portsByNode(topology.links)
  const seen = new Set<string>()
  const graded: GradedCheck[] = []
  raw.checks.forEach((rawCheck, i) => {
    const path = ['checks', i]
    if (seen.has(rawCheck.name)) report.error([...path, 'name'], `${pathText([...path, 'name'])}: two checks are named "${rawCheck.name}"`, 'give each check its own name')
    for (const [j, needed] of (rawCheck.needs ?? []).entries()) {
      const where = pathText([...path, 'needs', j])
      if (needed === rawCheck.name) report.error([...path, 'needs', j], `${where}: ${rawCheck.name} needs itself`, 'name another check, or remove it from needs')
      else if (!seen.has(needed)) {
        const later = raw.checks.some((c) => c.name === needed)
        report.error([...path, 'needs', j], later ? `${where}: ${rawCheck.name} needs "${needed}", which comes after it` : `${where}: ${rawCheck.name} needs "${needed}": no check has that name`, later ? `move ${needed} above ${rawCheck.name}` : `name one of: ${[...seen].join(', ') || '(no check before it)'}`)
      }
    }
    seen.add(rawCheck.name)
    const entry = kindEntry(data, path, CHECK_SPECS, 'check', report, GRADING_KEYS)
    if (!entry) return
    const check = {kind: entry.kind, ...entry.body} as Check
    checkReferences(check, referenceContext([...path, entry.kind], nodes, report, ports))
    graded.push({name: rawCheck.name, points: rawCheck.points, ...(rawCheck.hint && {hint: rawCheck.hint}), needs: rawCheck.needs ?? [], check})
  })
  if (raw.checks.every((c) => c.points === 0)) report.error(['checks'], 'no check is worth any points', 'give the checks that prove the fix points (the score is their sum)')
  return graded
}

export function resolveExercise(raw: RawExercise, data: unknown, where: {file: string; topologyFile: string}, topology: Topology, values: Values): {exercise?: Exercise; diagnostics: Diagnostic[]} {
  const report = new Report()
  const faults = resolveSteps(data, 'faults', raw.faults.length, topology, report)
  const checks = resolveChecks(raw, data, topology, report)
  const solution = resolveSteps(data, 'solution', raw.solution.length, topology, report)
  if (report.diagnostics.some((d) => d.severity === 'error')) return {diagnostics: report.diagnostics}
  return {exercise: {id: raw.exercise, title: raw.title, ...where, brief: raw.brief, values, faults, checks, solution}, diagnostics: report.diagnostics}
}
