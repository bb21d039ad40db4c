/**
 * Prefixed, time-ordered ids: `<prefix>_` then 26 Crockford base32 characters (48 bits of milliseconds, 80 random
 * bits), so ids sort by creation time and listing by id is listing oldest first.
 */
import { randomBytes } from 'node:crypto';

export const ID_PREFIXES = {
  tenant: 'tnt',
  apiKey: 'key',
  s3LogDestination: 's3d',
  webhookIntegration: 'whk',
  event: 'evt',
  authorizationEvent: 'eval',
  request: 'req',
  webhookDelivery: 'wdl',
} as const;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}

export function newId(prefix: string, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${encodeRandom()}`;
}

/** Whether a string has the shape of an id with this prefix (it may still not exist). */
export function isIdOf(prefix: string, value: string): boolean {
  return value.length === prefix.length + 27 && value.startsWith(`${prefix}_`) && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value.slice(prefix.length + 1));
}
