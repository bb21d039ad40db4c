import { MAX_ATTEMPTS, RETRY_DELAYS_MS, outcomeOf, retryAfterMs } from '../../../src/delivery/webhook/retry-schedule';

const now = new Date('2026-11-21T12:00:00Z');
const middle = () => 0.5;

test('the schedule starts within seconds and ends about three days out', () => {
  expect(RETRY_DELAYS_MS[0]).toBe(5_000);
  const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
  expect(total).toBe((70 * 3600 + 42 * 60 + 35) * 1000);
  expect(MAX_ATTEMPTS).toBe(12);
});

test.each([200, 201, 204, 299])('%i succeeds', (status) => {
  expect(outcomeOf(status, undefined, 1, now)).toEqual({ kind: 'succeeded' });
});

test.each([null, 408, 429, 500, 502, 503, 504, 599])('%p is retried on the schedule, jittered by ±20 %', (status) => {
  expect(outcomeOf(status, undefined, 1, now, middle)).toEqual({ kind: 'retry', afterMs: 5_000 });
  expect(outcomeOf(status, undefined, 2, now, () => 0)).toEqual({ kind: 'retry', afterMs: 24_000 });
  expect(outcomeOf(status, undefined, 2, now, () => 1)).toEqual({ kind: 'retry', afterMs: 36_000 });
  expect(outcomeOf(status, undefined, MAX_ATTEMPTS - 1, now, middle)).toEqual({ kind: 'retry', afterMs: 24 * 3600_000 });
});

test('after the last attempt a retryable failure fails the delivery', () => {
  expect(outcomeOf(500, undefined, MAX_ATTEMPTS, now)).toEqual({ kind: 'failed' });
});

test.each([100, 301, 302, 304, 400, 401, 403, 404, 409, 422])('%i fails at once', (status) => {
  expect(outcomeOf(status, undefined, 1, now)).toEqual({ kind: 'failed' });
});

test('410 Gone fails and says so', () => {
  expect(outcomeOf(410, undefined, 1, now)).toEqual({ kind: 'gone' });
});

test('Retry-After on 429 and 503 replaces the schedule, clamped to 1 s … 1 h', () => {
  expect(outcomeOf(429, '7', 1, now)).toEqual({ kind: 'retry', afterMs: 7_000 });
  expect(outcomeOf(503, '0', 1, now)).toEqual({ kind: 'retry', afterMs: 1_000 });
  expect(outcomeOf(429, '86400', 1, now)).toEqual({ kind: 'retry', afterMs: 3_600_000 });
  expect(outcomeOf(429, 'Sat, 21 Nov 2026 12:02:00 GMT', 1, now)).toEqual({ kind: 'retry', afterMs: 120_000 });
  // Not honoured on other statuses, nor when unreadable.
  expect(outcomeOf(500, '7', 1, now, middle)).toEqual({ kind: 'retry', afterMs: 5_000 });
  expect(outcomeOf(429, 'soon', 1, now, middle)).toEqual({ kind: 'retry', afterMs: 5_000 });
});

test('retryAfterMs reads seconds and HTTP dates', () => {
  expect(retryAfterMs(' 12 ', now)).toBe(12_000);
  expect(retryAfterMs('Sat, 21 Nov 2026 11:00:00 GMT', now)).toBe(0);
  expect(retryAfterMs(undefined, now)).toBeNull();
  expect(retryAfterMs('-1', now)).toBeNull();
});
