// Exercise text → the raw document (or every located problem), and a raw document with its variables
// filled in → a resolved Exercise. Pure: the caller reads the files (src/io/exercise-file.ts).
import {hasErrors, type Diagnostic} from '../topology/diagnostics.js'
import type {Topology} from '../topology/model.js'
import {documentDiagnostics} from '../topology/schema-diagnostics.js'
import {parseSource, type SourceDocument} from '../topology/source.js'
import {resolveExercise, type Exercise} from './resolve.js'
import {rawExerciseSchema, type RawExercise} from './schema.js'
import {referencedNames, substitute, type Values} from './variables.js'

export interface ParsedExercise {
  raw: RawExercise
  /** The document as parsed, for locating problems and checking kind entries. */
  data: unknown
  source: SourceDocument
}

export function parseExercise(text: string, file: string): {parsed?: ParsedExercise; diagnostics: Diagnostic[]} {
  const source = parseSource(text, file)
  if (source.syntaxErrors.length > 0) return {diagnostics: source.syntaxErrors}
  if (source.data === null || typeof source.data !== 'object' || Array.isArray(source.data)) {
    return {diagnostics: [source.locate({severity: 'error', message: 'an exercise file is a YAML mapping with exercise, title, topology, brief, faults, checks and solution', fix: 'start from exercises/wrong-asn.yaml', path: []})]}
  }
  const {value, diagnostics} = documentDiagnostics(rawExerciseSchema, source.data, [])
  const located = sortByPosition(diagnostics.map(source.locate))
  if (!value) return {diagnostics: located}
  const unknown = [...referencedNames([value.brief, source.data])].filter((name) => !(name in (value.variables ?? {})))
  const problems = unknown.map((name) =>
    source.locate({severity: 'error', message: `\${${name}} is used, but no variable "${name}" is declared`, fix: `declare it under variables, e.g. "variables: { ${name}: [a, b] }"`, path: firstUse(source.data, name) ?? ['variables']}),
  )
  return problems.length > 0 ? {diagnostics: problems} : {parsed: {raw: value, data: source.data, source}, diagnostics: located}
}

/** The exercise with these variable values, checked against its topology. */
export function instantiateExercise(parsed: ParsedExercise, where: {file: string; topologyFile: string}, topology: Topology, values: Values): {exercise?: Exercise; diagnostics: Diagnostic[]} {
  const raw = substitute(parsed.raw, values)
  const data = substitute(parsed.data, values)
  const {exercise, diagnostics} = resolveExercise(raw, data, where, topology, values)
  const located = sortByPosition(diagnostics.map(parsed.source.locate))
  return hasErrors(located) ? {diagnostics: located} : {exercise, diagnostics: located}
}

function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((x, y) => (x.line ?? 0) - (y.line ?? 0) || (x.column ?? 0) - (y.column ?? 0))
}

/** Where `${name}` is first written, to point the message there. */
function firstUse(value: unknown, name: string, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === 'string') return value.includes(`\${${name}}`) ? path : undefined
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, item] of Object.entries(value)) {
    const found = firstUse(item, name, [...path, Array.isArray(value) ? Number(key) : key])
    if (found) return found
  }
  return undefined
}
