/**
 * When to try a failing destination again: exponential backoff from one second, doubling, capped at five minutes,
 * with jitter (a random point in the upper half of the window) so destinations that failed together do not retry
 * in lockstep.
 */
export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 5 * 60_000;

export function retryDelayMs(consecutiveFailures: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(consecutiveFailures - 1, 0), 30);
  const window = Math.min(FIRST_RETRY_MS * 2 ** exponent, MAX_RETRY_MS);
  return Math.round(window / 2 + (random() * window) / 2);
}
