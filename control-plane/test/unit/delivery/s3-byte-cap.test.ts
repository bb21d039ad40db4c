/** A step never holds more than MAX_BATCH_BYTES of payloads (docs/delivery.md promises 64 MiB), yet always one event. */
import { MAX_BATCH_BYTES, withinByteCap } from '../../../src/delivery/s3/deliver-s3';

// One 30 MiB payload shared by every event: three of them pass the cap, two do not.
const big = 'x'.repeat(30 * 1024 * 1024);
const event = (n: number, payload = big) => ({ sequence: BigInt(n), occurredAt: new Date('2026-11-21T00:00:00Z'), payload });

test('the cap is 64 MiB', () => {
  expect(MAX_BATCH_BYTES).toBe(64 * 1024 * 1024);
});

test('a run is cut before the event that would pass the cap', () => {
  expect(withinByteCap([event(1), event(2), event(3), event(4)]).map((e) => e.sequence)).toEqual([1n, 2n]);
});

test('a run under the cap is kept whole, and payload bytes are counted as UTF-8', () => {
  const small = [event(1, 'é'.repeat(1000)), event(2, '{}')];
  expect(withinByteCap(small)).toEqual(small);
  // 17 MiB characters of two bytes each: 34 MiB apiece, so the second passes the cap.
  const wide = 'é'.repeat(17 * 1024 * 1024);
  expect(withinByteCap([event(1, wide), event(2, wide)]).map((e) => e.sequence)).toEqual([1n]);
});

test('one event larger than the cap still goes, alone', () => {
  const huge = 'y'.repeat(MAX_BATCH_BYTES + 1);
  expect(withinByteCap([event(1, huge), event(2, '{}')]).map((e) => e.sequence)).toEqual([1n]);
});
