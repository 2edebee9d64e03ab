// Run async jobs with at most `limit` in flight: the machine has two cores, and each CLI or
// `vagrant validate` run is a whole Node or Ruby process.
import os from 'node:os'

export const PROCESS_LIMIT = Math.max(2, Math.min(4, os.availableParallelism()))

export async function mapLimit<T, R>(items: readonly T[], limit: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await job(items[index], index)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return results
}
