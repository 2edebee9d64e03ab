// Words for counts, shared by every message that counts things.
import path from 'node:path'

/** "1 session", "2 sessions"; irregular plurals name their own: plural(n, 'prefix', 'prefixes'). */
export function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`
}

/** "1.4 s" for a duration in milliseconds. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** A path as the user would type it: relative below the current directory, else absolute. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(file)
}
