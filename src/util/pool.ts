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

/**
 * Like mapLimit, but stops starting tasks once one returns false (those already running finish).
 * Convergence polling: while the first routers asked are not done, the rest are not asked this round.
 */
export async function mapWhile<T>(items: readonly T[], limit: number, task: (item: T) => Promise<boolean>): Promise<void> {
  let next = 0
  let stop = false
  let firstError: unknown
  const workers = Array.from({length: Math.min(Math.max(1, limit), items.length)}, async () => {
    while (!stop && next < items.length) {
      const item = items[next++]
      try {
        if (!(await task(item))) stop = true
      } catch (error) {
        firstError ??= error
        stop = true
      }
    }
  })
  await Promise.all(workers)
  if (firstError !== undefined) throw firstError
}

/** A gate for tasks that arrive over time: at most `limit` run at once, started in the order given. */
export function limiter(limit: number): <R>(task: () => Promise<R>) => Promise<R> {
  let running = 0
  const waiting: (() => void)[] = []
  return async <R>(task: () => Promise<R>): Promise<R> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    running++
    try {
      return await task()
    } finally {
      running--
      waiting.shift()?.()
    }
  }
}
