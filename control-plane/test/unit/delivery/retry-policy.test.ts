import { FIRST_RETRY_MS, MAX_RETRY_MS, retryDelayMs } from '../../../src/delivery/retry-policy';

test.each([
  [1, FIRST_RETRY_MS],
  [2, 2 * FIRST_RETRY_MS],
  [5, 16 * FIRST_RETRY_MS],
  [9, 256 * FIRST_RETRY_MS],
  [10, MAX_RETRY_MS],
  [1000, MAX_RETRY_MS],
])('failure %i waits within the upper half of a %i ms window', (failures, window) => {
  expect(retryDelayMs(failures, () => 0)).toBe(window / 2);
  expect(retryDelayMs(failures, () => 1)).toBe(window);
  const jittered = retryDelayMs(failures);
  expect(jittered).toBeGreaterThanOrEqual(window / 2);
  expect(jittered).toBeLessThanOrEqual(window);
});

test('jitter spreads destinations that failed together', () => {
  expect(new Set(Array.from({ length: 50 }, () => retryDelayMs(6))).size).toBeGreaterThan(10);
});
