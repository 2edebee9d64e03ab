// Turn zod issues into diagnostics a user can act on: path, message, and "did you mean".
import type {z} from 'zod'
import type {Diagnostic, YamlPath} from './diagnostics.js'
import {rawCheckSchema, rawTopologySchema} from './schema.js'
import {suggest} from './suggest.js'

type Issue = z.core.$ZodIssue

export function schemaDiagnostics(data: unknown): {value?: z.infer<typeof rawTopologySchema>; diagnostics: Diagnostic[]} {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      diagnostics: [
        {severity: 'error', message: 'a topology file must be a YAML mapping with at least "name" and "nodes" or "fabric"', fix: 'start from topologies/two-spine-two-leaf.yaml', path: []},
      ],
    }
  }
  const result = rawTopologySchema.safeParse(data)
  if (result.success) return {value: result.data, diagnostics: []}
  const diagnostics = result.error.issues.flatMap((issue) => issueDiagnostics(issue, data))
  return {diagnostics: dedupe(diagnostics)}
}

function issueDiagnostics(issue: Issue, data: unknown): Diagnostic[] {
  const path = issue.path as (string | number)[]
  // A verify entry failed every alternative of the union: re-check it against the one kind it names.
  if (issue.code === 'invalid_union' && path[0] === 'verify' && path.length === 2) return checkDiagnostics(path, valueAt(data, path))
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => unknownKey([...path], key))
  }
  return [{severity: 'error', message: `${pathText(path)}: ${describe(issue)}`, fix: fixFor(issue, path, data), path}]
}

const checkKinds = rawCheckSchema.options.map((option) => Object.keys(option.shape)[0])

function checkDiagnostics(path: YamlPath, value: unknown): Diagnostic[] {
  const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []
  if (keys.length !== 1) {
    return [{severity: 'error', message: `${pathText(path)}: a check is a mapping with exactly one kind (${checkKinds.join(', ')})`, fix: 'write it like "- ping: { from: host1, to: host2 }"', path}]
  }
  const option = rawCheckSchema.options.find((o) => keys[0] in o.shape)
  if (!option) return [unknownKey([...path], keys[0], checkKinds, 'check kind')]
  const result = option.safeParse(value)
  return result.success ? [] : result.error.issues.flatMap((issue) => issueDiagnostics({...issue, path: [...path, ...issue.path]} as Issue, {}))
}

function unknownKey(path: (string | number)[], key: string, known = knownKeysAt(path), what = 'key'): Diagnostic {
  const guess = suggest(key, known)
  return {
    severity: 'error',
    message: `${pathText([...path, key])}: unknown ${what} "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
    fix: guess ? `rename it to "${guess}"` : `use one of: ${known.join(', ')}`,
    path: [...path, key],
    atKey: true,
  }
}

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `required ${issue.expected} is missing` : `expected ${issue.expected}, got ${typeName(issue.input)}`
    case 'invalid_value':
      return `"${String(issue.input)}" is not one of ${issue.values.map((v) => String(v)).join(', ')}`
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${issue.minimum} item(s)` : issue.origin === 'string' ? 'must not be empty' : `must be at least ${issue.minimum}`
    case 'too_big':
      return issue.origin === 'string' ? `is too long: ${issue.message.replace(/^Too big: expected string to have /, '')}`.replace('is too long: must be', 'must be') : `must be at most ${issue.maximum}`
    case 'invalid_format':
      return issue.message
    default:
      return issue.message
  }
}

function fixFor(issue: Issue, path: YamlPath, data: unknown): string | undefined {
  if (issue.code === 'invalid_value') {
    const input = String(issue.input)
    const guess = suggest(input, issue.values.map(String))
    return guess ? `did you mean "${guess}"?` : `use one of: ${issue.values.map(String).join(', ')}`
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `add "${String(path.at(-1))}:"`
  if (path.at(-1) === 'name' && path.length === 1) return 'for example "name: my-lab"'
  void data
  return undefined
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} ${JSON.stringify(value)}`
}

export function pathText(path: YamlPath): string {
  if (path.length === 0) return 'topology'
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}

function valueAt(data: unknown, path: YamlPath): unknown {
  let value = data
  for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment]
  return value
}

/** Keys the schema allows at a path (for "did you mean"). */
function knownKeysAt(path: YamlPath): string[] {
  let schema: unknown = rawTopologySchema
  for (const segment of path) {
    schema = unwrap(schema)
    const def = (schema as {def?: {type?: string}}).def
    if (def?.type === 'object') schema = (schema as z.ZodObject).shape[segment as string]
    else if (def?.type === 'record') schema = (schema as unknown as {valueType: unknown}).valueType
    else if (def?.type === 'array') schema = (schema as z.ZodArray).element
    else return []
  }
  schema = unwrap(schema)
  return (schema as {def?: {type?: string}}).def?.type === 'object' ? Object.keys((schema as z.ZodObject).shape).filter((k) => k !== '$schema') : []
}

function unwrap(schema: unknown): unknown {
  let current = schema as {def?: {type?: string; innerType?: unknown}}
  while (current?.def && (current.def.type === 'optional' || current.def.type === 'default')) current = current.def.innerType as typeof current
  return current
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return diagnostics.filter((d) => {
    const key = `${d.path.join('.')}|${d.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
