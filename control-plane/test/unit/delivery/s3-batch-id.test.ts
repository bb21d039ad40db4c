import { createHash } from 'node:crypto';
import { BATCH_ID_LENGTH, batchIdOf } from '../../../src/delivery/s3/batch-id';

const DESTINATION = 's3d_01JDQ7Z8M5X9K2P4R6T8V0W2Y4';

test('is 26 lowercase Crockford base32 characters (never "/" or ".")', () => {
  expect(BATCH_ID_LENGTH).toBe(26);
  expect(batchIdOf(DESTINATION, 101n, 103n)).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
});

// Pinned: a batch retried by a newer release must get the key an older one wrote, or it would leave a duplicate.
test('is the base32 of the first 128 bits of SHA-256("<destination>:<first>:<last>")', () => {
  expect(createHash('sha256').update(`${DESTINATION}:101:103`).digest('hex').slice(0, 32)).toBe('462dc9cc3329ecba7ac157db0a72222e');
  expect(batchIdOf(DESTINATION, 101n, 103n)).toBe('8rpwkk1k57pbmyp1azdgmwh25r');
  expect(batchIdOf(DESTINATION, 101n, 101n)).toBe('a72jz3eq6sg5eezm0y5zk1cbqw');
});

test('the same batch always gets the same id', () => {
  expect(batchIdOf(DESTINATION, 7n, 9000n)).toBe(batchIdOf(DESTINATION, 7n, 9000n));
});

test('differs when the first sequence, the last sequence or the destination differ', () => {
  const ids = new Set([
    batchIdOf(DESTINATION, 101n, 103n),
    batchIdOf(DESTINATION, 102n, 103n),
    batchIdOf(DESTINATION, 101n, 104n),
    batchIdOf('s3d_01JDQ7Z8M5X9K2P4R6T8V0W2Y5', 101n, 103n),
    // "1:11" and "11:1" must not collide through concatenation.
    batchIdOf(DESTINATION, 1n, 11n),
    batchIdOf(DESTINATION, 11n, 1n),
  ]);
  expect(ids.size).toBe(6);
});

test('sequences beyond 2^53 are kept exactly', () => {
  expect(batchIdOf(DESTINATION, 9007199254740993n, 9007199254740993n)).not.toBe(
    batchIdOf(DESTINATION, 9007199254740992n, 9007199254740992n),
  );
});
