/**
 * A bounded pool for the delivery engine's concurrent I/O (the objects of a step, webhook requests).
 *
 * Runs `fn` over `items` with at most `limit` at a time; rejects with the first failure once all have settled.
 */
export async function eachConcurrently<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item).catch((err: unknown) => failures.push(err));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}
