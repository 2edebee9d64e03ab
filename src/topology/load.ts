// load → validate → resolve: text in, a Topology (or every problem) out. Pure.
import {hasErrors, TopologyError, type Diagnostic} from './diagnostics.js'
import type {Topology} from './model.js'
import {planLab, type LabPlan} from '../plan/plan.js'
import {resolveTopology, type ResolveOptions} from './resolve.js'
import {schemaDiagnostics} from './schema-diagnostics.js'
import {parseSource} from './source.js'
import {salvage} from './salvage.js'

export interface LoadResult {
  topology?: Topology
  /** Errors and warnings, each located (file:line:column). */
  diagnostics: Diagnostic[]
}

export function loadTopology(text: string, file: string, options: ResolveOptions = {}): LoadResult {
  const source = parseSource(text, file)
  if (source.syntaxErrors.length > 0) return {diagnostics: source.syntaxErrors}
  const {value, diagnostics: schemaProblems} = schemaDiagnostics(source.data)
  if (!value) {
    // One pass: what the schema rejected is left out and the rest still resolved, so both kinds of problem show.
    const rest = salvage(source.data, schemaProblems)
    const semantic = rest ? resolveTopology(rest.value, options, source.data, rest.rejectedNodes).diagnostics : []
    return {diagnostics: sortByPosition(dedupe([...schemaProblems, ...semantic]).map(source.locate))}
  }
  const {topology, diagnostics} = resolveTopology(value, options, source.data)
  const located = sortByPosition(diagnostics.map(source.locate))
  return hasErrors(located) ? {diagnostics: located} : {topology, diagnostics: located}
}

/** Load and plan, or throw a TopologyError carrying every problem. */
export function planFromText(text: string, file: string, options: ResolveOptions = {}): {plan: LabPlan; warnings: Diagnostic[]} {
  const {topology, diagnostics} = loadTopology(text, file, options)
  if (!topology) throw new TopologyError(diagnostics)
  return {plan: planLab(topology), warnings: diagnostics}
}

function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((x, y) => (x.line ?? 0) - (y.line ?? 0) || (x.column ?? 0) - (y.column ?? 0))
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return diagnostics.filter((d) => {
    const key = `${d.path.join('.')}|${d.message}`
    return !seen.has(key) && Boolean(seen.add(key))
  })
}
