/**
 * When a failed webhook attempt is tried again. The schedule follows the shape of Standard Webhooks' own
 * (seconds, then minutes, then hours) and reaches about three days: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h,
 * 12 h, 24 h, 24 h after each failure, 70 h 42 min 35 s in all, each delay jittered by ±20 % so endpoints that
 * failed together are not retried in lockstep. After the last one the delivery has failed.
 *
 * What is retried: network errors, timeouts, 408, 429 and 5xx. 429 and 503 may say when in `Retry-After`; that
 * wait is used instead, clamped to [1 s, 1 h]. Any other status below 200 or from 300 up fails the delivery at
 * once (redirects are not followed); 410 Gone also disables the integration.
 */

export const RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  30_000,
  2 * 60_000,
  10 * 60_000,
  30 * 60_000,
  60 * 60_000,
  3 * 60 * 60_000,
  6 * 60 * 60_000,
  12 * 60 * 60_000,
  24 * 60 * 60_000,
  24 * 60 * 60_000,
];

/** Attempts in all: the first and one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

const RETRY_AFTER_MIN_MS = 1_000;
const RETRY_AFTER_MAX_MS = 60 * 60_000;

/** What one attempt's outcome means for the delivery. */
export type Outcome =
  | { kind: 'succeeded' }
  | { kind: 'retry'; afterMs: number }
  | { kind: 'failed' }
  /** 410 Gone: the delivery fails and the integration is disabled. */
  | { kind: 'gone' };

/**
 * What an attempt's answer means: `status` is the response status, or null for a network error or a timeout;
 * `attemptsSoFar` counts this one. `schedule` is RETRY_DELAYS_MS except in tests.
 */
export function outcomeOf(
  status: number | null,
  retryAfter: string | undefined,
  attemptsSoFar: number,
  now: Date,
  random: () => number = Math.random,
  schedule: readonly number[] = RETRY_DELAYS_MS,
): Outcome {
  if (status !== null && status >= 200 && status < 300) return { kind: 'succeeded' };
  if (status === 410) return { kind: 'gone' };
  const retryable = status === null || status === 408 || status === 429 || status >= 500;
  if (!retryable || attemptsSoFar > schedule.length) return { kind: 'failed' };
  const asked = status === 429 || status === 503 ? retryAfterMs(retryAfter, now) : null;
  if (asked !== null) return { kind: 'retry', afterMs: Math.min(Math.max(asked, RETRY_AFTER_MIN_MS), RETRY_AFTER_MAX_MS) };
  const base = schedule[attemptsSoFar - 1]!;
  return { kind: 'retry', afterMs: Math.round(base * (0.8 + 0.4 * random())) };
}

/** `Retry-After` as milliseconds from now: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its weekday and month; Date.parse would also take "-1" as a year.
  if (!/^[A-Za-z]{3}, /.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
