// Turn zod issues into diagnostics a user can act on: path, message, and "did you mean".
import type {z} from 'zod'
import type {Diagnostic, YamlPath} from './diagnostics.js'
import {rawCheckSchema, rawTopologySchema} from './schema.js'
import {didYouMean, suggest} from '../util/suggest.js'

type Issue = z.core.$ZodIssue

export function schemaDiagnostics(data: unknown): {value?: z.infer<typeof rawTopologySchema>; diagnostics: Diagnostic[]} {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const what = data === null || data === undefined ? 'the file is empty' : Array.isArray(data) ? 'the file holds a list' : `the file holds only the value ${JSON.stringify(data)}`
    return {
      diagnostics: [
        {severity: 'error', message: `${what}; a topology file is a YAML mapping with at least "name" and "nodes" or "fabric"`, fix: 'start from topologies/two-spine-two-leaf.yaml', path: []},
      ],
    }
  }
  return documentDiagnostics(rawTopologySchema, data, [])
}

/** Where a schema is applied: the whole document (path []) or a part of it, such as one kind's body. */
interface Scope {
  schema: unknown
  path: YamlPath
}

/**
 * `data` at `path` checked against `schema`: the parsed value, or every problem in lab's words, with
 * "did you mean" for unknown keys. Exercise files check their kind entries (a check's or a fault's
 * body) with it, as topology files check the whole document.
 */
export function documentDiagnostics<S extends z.ZodType>(schema: S, data: unknown, path: YamlPath): {value?: z.infer<S>; diagnostics: Diagnostic[]} {
  const result = schema.safeParse(valueAt(data, path))
  if (result.success) return {value: result.data, diagnostics: []}
  const scope: Scope = {schema, path}
  const issues = result.error.issues.map((issue) => ({...issue, path: [...path, ...issue.path]}) as Issue)
  const diagnostics = dedupe(issues.flatMap((issue) => issueDiagnostics(issue, data, scope)))
  // "paht: unknown key (did you mean path?)" already says what "path is missing" would: keep one message.
  const renamedTo = new Set(diagnostics.flatMap((d) => (suggestions.has(d) ? [[...d.path.slice(0, -1), suggestions.get(d)].join('.')] : [])))
  return {diagnostics: diagnostics.filter((d) => !(d.message.endsWith(' is missing') && renamedTo.has(d.path.join('.'))))}
}

const TOPOLOGY: Scope = {schema: rawTopologySchema, path: []}

function issueDiagnostics(issue: Issue, data: unknown, scope: Scope = TOPOLOGY): Diagnostic[] {
  const path = issue.path as (string | number)[]
  // A verify entry failed every alternative of the union: re-check it against the one kind it names.
  if (issue.code === 'invalid_union' && path[0] === 'verify' && path.length === 2) return checkDiagnostics(path, data)
  // Another union (a link's short or long form): report the alternative whose type the value has.
  const branch = issue.code === 'invalid_union' ? matchingBranch(issue) : undefined
  if (branch) return branch.flatMap((inner) => issueDiagnostics({...inner, path: [...path, ...inner.path]} as Issue, data, scope))
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => unknownKey([...path], key, knownKeysAt(path, scope), unknownWhat(path, scope)))
  }
  // zod does not report the offending value; read it from the document so messages can quote it.
  const input = valueAt(data, path)
  return [{severity: 'error', message: `${pathText(path)}: ${describe(issue, input)}`, fix: fixFor(issue, path, input), path}]
}

/** The issues of the one alternative the value's type fits (a list for the short form, a mapping for the long one). */
function matchingBranch(issue: Issue & {code: 'invalid_union'}): Issue[] | undefined {
  const fitting = issue.errors.filter((branch) => !branch.some((inner) => inner.path.length === 0 && inner.code === 'invalid_type'))
  return fitting.length >= 1 ? (fitting[0] as Issue[]) : undefined
}

const checkKinds = rawCheckSchema.options.map((option) => Object.keys(option.shape)[0])

function checkDiagnostics(path: YamlPath, data: unknown): Diagnostic[] {
  const value = valueAt(data, path)
  const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []
  if (keys.length !== 1) {
    return [{severity: 'error', message: `${pathText(path)}: a check is a mapping with exactly one kind (${checkKinds.join(', ')})`, fix: 'write it like "- ping: { from: host1, to: host2 }"', path}]
  }
  const option = rawCheckSchema.options.find((o) => keys[0] in o.shape)
  if (!option) return [unknownKey([...path], keys[0], checkKinds, 'check kind')]
  const result = option.safeParse(value)
  if (result.success) return []
  return result.error.issues.flatMap((issue) => issueDiagnostics({...issue, path: [...path, ...issue.path]} as Issue, data))
}

/** Unknown-key diagnostics and the known key each suggests. */
const suggestions = new WeakMap<Diagnostic, string>()

/** "ping field" inside a kind's body (a topology's verify entry, an exercise's check or fault), else "key". */
function unknownWhat(path: YamlPath, scope: Scope): string {
  if (scope.path.length > 0 && path.length === scope.path.length) return `${String(path.at(-1))} field`
  return path[0] === 'verify' && path.length === 3 ? `${path[2]} field` : 'key'
}

export function unknownKey(path: (string | number)[], key: string, known = knownKeysAt(path, TOPOLOGY), what = unknownWhat(path, TOPOLOGY)): Diagnostic {
  const guess = suggest(key, known)
  const diagnostic: Diagnostic = {
    severity: 'error',
    message: `${pathText([...path, key])}: unknown ${what} "${key}"${didYouMean(guess)}`,
    fix: guess ? `rename it to "${guess}"` : `use one of: ${known.join(', ')}`,
    path: [...path, key],
    atKey: true,
  }
  if (guess) suggestions.set(diagnostic, guess)
  return diagnostic
}

function describe(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `required ${issue.expected} is missing`
      return issue.expected === 'tuple' ? `expected a list of two endpoints like [leaf1:swp51, spine1:swp1], got ${typeName(input)}` : `expected ${article(issue.expected)}, got ${typeName(input)}`
    case 'invalid_value':
      if (isAccept(issue.path)) return `expected a list of prefixes or any, got ${JSON.stringify(input)}`
      return `"${String(input)}" is not one of ${issue.values.map((v) => String(v)).join(', ')}`
    case 'too_small':
      if (issue.origin === 'array' && isLink(issue.path)) return `a link joins exactly two endpoints; this one has ${Array.isArray(input) ? input.length : 'fewer'}`
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item(s)`
      if (issue.origin === 'string') return 'must not be empty'
      return `${JSON.stringify(input)} is too small: must be at least ${issue.minimum}`
    case 'too_big':
      if (issue.origin === 'array' && isLink(issue.path)) return `a link joins exactly two endpoints; this one has ${Array.isArray(input) ? input.length : 'more'}`
      if (issue.origin === 'array') return `has ${Array.isArray(input) ? input.length : 'too many'} items; at most ${issue.maximum} are allowed`
      if (issue.origin === 'string') return `"${String(input)}" is ${String(input).length} characters; at most ${issue.maximum} are allowed`
      return `${JSON.stringify(input)} is too large: must be at most ${issue.maximum}`
    case 'invalid_format':
      return typeof input === 'string' ? `"${input}" ${issue.message}` : issue.message
    case 'invalid_union':
      if (isLink(issue.path)) return `expected a link: [a:port, b:port] or { endpoints: [a:port, b:port], subnet, mtu }, got ${typeName(input)}`
      return issue.message
    default:
      return issue.message
  }
}

function fixFor(issue: Issue, path: YamlPath, input: unknown): string | undefined {
  if (issue.code === 'invalid_value' && isAccept(path as PropertyKey[])) return 'write more prefixes its leaves take, e.g. accept: [192.0.2.0/24], or accept: any for no filter'
  if (issue.code === 'invalid_value') {
    const guess = suggest(String(input), issue.values.map(String))
    return guess ? `did you mean "${guess}"?` : `use one of: ${issue.values.map(String).join(', ')}`
  }
  if (issue.code === 'invalid_type' && input === undefined) return `add "${String(path.at(-1))}:"`
  if (issue.code === 'too_small' && issue.origin === 'number') return `use ${issue.minimum} or more`
  if (issue.code === 'too_big' && issue.origin === 'number') return `use ${issue.maximum} or less`
  if (path.at(-1) === 'name' && path.length === 1) return 'for example "name: my-lab"'
  if (isLink(path as PropertyKey[])) return 'write each link as [node:port, node:port], e.g. [leaf1:swp51, spine1:swp1]'
  if (path[0] === 'links' && (typeof path[2] === 'number' || typeof path[3] === 'number')) return 'write the endpoint as node:port, e.g. leaf1:swp51'
  if (path[0] === 'links' && path[2] === 'subnet') return 'write a network address and length, e.g. 10.9.0.0/31'
  if (path.length === 1 && path[0] === 'nodes') return 'write nodes as a mapping, e.g. "spine1: { role: spine }"'
  if (issue.code === 'invalid_type' && ['number', 'string', 'boolean'].includes(issue.expected)) return `write ${article(issue.expected)}${issue.expected === 'number' ? ' without quotes or units' : ''}`
  return undefined
}

function article(type: string): string {
  if (type === 'record' || type === 'object') return 'a mapping'
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}

function isLink(path: PropertyKey[]): boolean {
  return path[0] === 'links' && (path.length === 2 || (path.length === 3 && path[2] === 'endpoints'))
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

export function valueAt(data: unknown, path: YamlPath): unknown {
  let value = data
  for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment]
  return value
}

/** Keys the schema allows at a path (for "did you mean"). */
function knownKeysAt(path: YamlPath, scope: Scope): string[] {
  let schema: unknown = scope.schema
  for (const segment of path.slice(scope.path.length)) {
    schema = unwrap(schema)
    const def = (schema as {def?: {type?: string}}).def
    if (def?.type === 'union') schema = (schema as z.ZodUnion<z.ZodObject[]>).options.find((o) => (o as {def?: {type?: string}}).def?.type === 'object' && segment in o.shape)?.shape[segment as string]
    else if (def?.type === 'object') schema = (schema as z.ZodObject).shape[segment as string]
    else if (def?.type === 'record') schema = (schema as unknown as {valueType: unknown}).valueType
    else if (def?.type === 'array') schema = (schema as z.ZodArray).element
    else return []
  }
  schema = unwrap(schema)
  const def = (schema as {def?: {type?: string}}).def
  // A union (a link's short or long form): the keys of its mapping alternatives.
  const objects = def?.type === 'union' ? (schema as z.ZodUnion<z.ZodObject[]>).options.map(unwrap).filter((o) => (o as {def?: {type?: string}}).def?.type === 'object') : [schema]
  return objects.flatMap((o) => ((o as {def?: {type?: string}}).def?.type === 'object' ? Object.keys((o as z.ZodObject).shape).filter((k) => k !== '$schema') : []))
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

/** A host's `accept:` (a list of prefixes or any): its own words, not "one of any". */
function isAccept(path: readonly PropertyKey[]): boolean {
  return path.length === 3 && path[0] === 'nodes' && path[2] === 'accept'
}
