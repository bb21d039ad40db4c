/** The gate that bounds how many S3 steps hold payloads at once: never more than its limit, and no one left out. */
import { Gate } from '../../../src/delivery/gate';

test('at most `limit` run at once, the rest in arrival order, and a failure frees its place', async () => {
  const gate = new Gate(2);
  let running = 0;
  let most = 0;
  const order: number[] = [];
  const releases: Array<() => void> = [];
  const task = (n: number) =>
    gate.run(async () => {
      running++;
      most = Math.max(most, running);
      order.push(n);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
      if (n === 1) throw new Error('step 1 failed');
      return n;
    });
  const results = [1, 2, 3, 4, 5].map((n) => task(n).catch((err: Error) => err.message));
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  await settle();
  expect(order).toEqual([1, 2]);
  while (releases.length > 0) {
    releases.shift()!();
    await settle();
  }
  expect(await Promise.all(results)).toEqual(['step 1 failed', 2, 3, 4, 5]);
  expect(order).toEqual([1, 2, 3, 4, 5]);
  expect(most).toBe(2);
});
