/**
 * The id of one S3 object's batch: the `.ID` of its key.
 *
 * Format: 26 lowercase Crockford base32 characters (`0-9a-z` without `i l o u`), the first 128 bits of
 * SHA-256(`<destination id>:<first sequence>:<last sequence>`), most significant bits first, the last character
 * carrying the final 3 bits followed by two zero bits.
 *
 * Derived, never random: a batch that is retried after a crash between PutObject and the cursor commit gets the same
 * id, hence the same key, and overwrites its own object instead of adding a duplicate. Its characters are never `/`
 * or `.`, which key-template.ts relies on to keep keys under the destination's prefix.
 */
import { createHash } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const DIGEST_BYTES = 16;
export const BATCH_ID_LENGTH = Math.ceil((DIGEST_BYTES * 8) / 5);

export function batchIdOf(destinationId: string, firstSequence: bigint, lastSequence: bigint): string {
  const digest = createHash('sha256').update(`${destinationId}:${firstSequence}:${lastSequence}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, DIGEST_BYTES)) bits = (bits << 8n) | BigInt(byte);
  // Pad to a multiple of 5 bits so every character holds a full group.
  bits <<= BigInt(BATCH_ID_LENGTH * 5 - DIGEST_BYTES * 8);
  let id = '';
  for (let i = 0; i < BATCH_ID_LENGTH; i++) {
    id = ALPHABET[Number(bits & 31n)] + id;
    bits >>= 5n;
  }
  return id;
}
