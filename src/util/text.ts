// Words for counts, shared by every message that counts things.

/** "1 session", "2 sessions"; irregular plurals name their own: plural(n, 'prefix', 'prefixes'). */
export function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`
}

/** "1.4 s" for a duration in milliseconds. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
