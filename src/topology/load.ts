// load → validate → resolve: text in, a Topology (or every problem) out. Pure.
import {hasErrors, TopologyError, type Diagnostic} from './diagnostics.js'
import type {Topology} from './model.js'
import {planLab, type LabPlan} from '../plan/plan.js'
import {resolveTopology, type ResolveOptions} from './resolve.js'
import {schemaDiagnostics} from './schema-diagnostics.js'
import {parseSource} from './source.js'

export interface LoadResult {
  topology?: Topology
  /** Errors and warnings, each located (file:line:column). */
  diagnostics: Diagnostic[]
}

export function loadTopology(text: string, file: string, options: ResolveOptions = {}): LoadResult {
  const source = parseSource(text, file)
  if (source.syntaxErrors.length > 0) return {diagnostics: source.syntaxErrors}
  const {value, diagnostics: schemaProblems} = schemaDiagnostics(source.data)
  if (!value) return {diagnostics: sortByPosition(schemaProblems.map(source.locate))}
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
