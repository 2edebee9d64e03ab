// "did you mean": one rule for every misspelt name (nodes, keys, kinds, providers, topologies).
import {closest, distance} from 'fastest-levenshtein'

/** The closest known name, if it is plausibly a typo of `word`. */
export function suggest(word: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined
  const best = closest(word, [...known])
  const limit = Math.max(2, Math.floor(best.length / 3))
  return distance(word, best) <= limit ? best : undefined
}

/** ` (did you mean "leaf1"?)` to append to a message, or '' when there is no guess. */
export function didYouMean(guess: string | undefined): string {
  return guess ? ` (did you mean "${guess}"?)` : ''
}

export function listNames(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).join(', ')
  return names.length > max ? `${shown}, … (${names.length} in all)` : shown
}
