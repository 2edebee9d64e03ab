// The one worker pool: convergence polling, building nodes, status and verify all bound their parallel work here.

/** Run tasks with at most `limit` at once; results in input order. Rejects with the first error once all settled. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let firstError: unknown
  const workers = Array.from({length: Math.min(Math.max(1, limit), items.length)}, async () => {
    while (next < items.length) {
      const index = next++
      try {
        results[index] = await task(items[index], index)
      } catch (error) {
        firstError ??= error
      }
    }
  })
  await Promise.all(workers)
  if (firstError !== undefined) throw firstError
  return results
}
