import {closest, distance} from 'fastest-levenshtein'

/** "did you mean" for a misspelt name: the closest known one, if it is plausibly a typo. */
export function suggest(word: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined
  const best = closest(word, [...known])
  const limit = Math.max(2, Math.floor(best.length / 3))
  return distance(word, best) <= limit ? best : undefined
}

// One collator for every comparison: localeCompare with options builds a new one per call, which
// dominated planning time on big fabrics.
const natural = new Intl.Collator('en', {numeric: true})

/** Sort names so that leaf2 comes before leaf10. */
export function naturalCompare(a: string, b: string): number {
  return natural.compare(a, b)
}

export function listNames(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).join(', ')
  return names.length > max ? `${shown}, … (${names.length} in all)` : shown
}
