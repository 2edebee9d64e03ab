// Per-student variation: each variable takes one of its declared values, picked from a seed, so
// neighbours get different answers and the same seed always gives the same exercise.

export type Values = Record<string, string | number>

/** FNV-1a, then mulberry32: a small, well-spread generator that is the same on every machine. */
function generator(seed: string): () => number {
  let state = 0x811c9dc5
  for (const char of seed) state = Math.imul(state ^ char.codePointAt(0)!, 0x01000193) >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One value per variable, in name order, from the seed. */
export function pickValues(variables: Record<string, readonly (string | number)[]>, seed: string): Values {
  const next = generator(seed)
  return Object.fromEntries(
    Object.keys(variables)
      .sort()
      .map((name) => [name, variables[name][Math.floor(next() * variables[name].length)]]),
  )
}

const REFERENCE = /\$\{([a-z][a-z0-9_]*)\}/g

/** `${name}` replaced in every string of `value`; a string that is only `${name}` takes the value's type. */
export function substitute<T>(value: T, values: Values): T {
  if (typeof value === 'string') {
    const whole = /^\$\{([a-z][a-z0-9_]*)\}$/.exec(value)
    if (whole && whole[1] in values) return values[whole[1]] as T
    return value.replace(REFERENCE, (text, name: string) => (name in values ? String(values[name]) : text)) as T
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, values)) as T
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, values)])) as T
  return value
}

/** Names used as `${name}` anywhere in `value`. */
export function referencedNames(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const match of value.matchAll(REFERENCE)) found.add(match[1])
  else if (Array.isArray(value)) for (const item of value) referencedNames(item, found)
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) referencedNames(item, found)
  return found
}
