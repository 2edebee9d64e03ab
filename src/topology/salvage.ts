// One-pass validation: when the schema rejects parts of a file, the rest is still resolved so its
// semantic problems (unknown nodes, ports, names) are reported with the schema's in one run. A node,
// link or check the schema rejected is left out; references to a rejected node are not reported again.
import type {Diagnostic} from './diagnostics.js'
import {rawTopologySchema, type RawTopology} from './schema.js'

/** Sections whose entries can be dropped one by one; a problem anywhere else stops at the schema's report. */
const PER_ENTRY = new Set(['nodes', 'links', 'verify'])

export interface Salvaged {
  value: RawTopology
  /** Nodes the schema rejected: they exist, so links and checks naming them are not "unknown". */
  rejectedNodes: Set<string>
}

export function salvage(data: unknown, problems: readonly Diagnostic[]): Salvaged | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined
  if (problems.some((p) => p.path.length < 2 || !PER_ENTRY.has(String(p.path[0])))) return undefined
  const copy = {...(data as Record<string, unknown>)}
  const rejectedNodes = new Set<string>()
  const dropped = new Map<string, Set<string | number>>()
  for (const {path} of problems) {
    const [section, entry] = [String(path[0]), path[1]]
    if (section === 'nodes') rejectedNodes.add(String(entry))
    dropped.set(section, (dropped.get(section) ?? new Set()).add(entry))
  }
  for (const [section, entries] of dropped) {
    const value = copy[section]
    if (Array.isArray(value)) copy[section] = value.map((item, i) => (entries.has(i) ? undefined : item))
    else if (value && typeof value === 'object') copy[section] = Object.fromEntries(Object.entries(value).filter(([k]) => !entries.has(k)))
  }
  // Dropped list entries stay as holes so every later entry keeps its index (and its place in the file).
  const parsed = rawTopologySchema.safeParse(withoutHoles(copy))
  if (!parsed.success) return undefined
  const value = parsed.data as RawTopology
  restoreIndexes(value, copy, data as Record<string, unknown>)
  return {value, rejectedNodes}
}

/** Where an entry the schema rejected stood; `original` is what the file wrote there. */
class Hole {
  constructor(readonly original: unknown) {}
}

function withoutHoles(copy: Record<string, unknown>): Record<string, unknown> {
  const result = {...copy}
  for (const key of ['links', 'verify']) if (Array.isArray(result[key])) result[key] = (result[key] as unknown[]).filter((item) => item !== undefined)
  return result
}

/** Put the parsed entries back at their original indexes, holes where entries were dropped. */
function restoreIndexes(value: RawTopology, copy: Record<string, unknown>, data: Record<string, unknown>): void {
  for (const key of ['links', 'verify'] as const) {
    const original = copy[key]
    const parsed = value[key] as unknown[] | undefined
    if (!Array.isArray(original) || !parsed) continue
    let next = 0
    const written = data[key] as unknown[]
    ;(value as Record<string, unknown>)[key] = original.map((item, i) => (item === undefined ? new Hole(written[i]) : parsed[next++]))
  }
}

export function isHole(entry: unknown): entry is Hole {
  return entry instanceof Hole
}

/** Which of `names` a rejected entry seems to name (a string in it starting with the name). */
export function nodesNamedIn(hole: Hole, names: Iterable<string>): string[] {
  const texts = JSON.stringify(hole.original ?? null).match(/"[^"]*"/g)?.map((t) => t.slice(1, -1)) ?? []
  return [...names].filter((name) => texts.some((text) => text === name || new RegExp(`^${name}[^a-z0-9]`).test(text)))
}
