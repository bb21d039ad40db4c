/**
 * API key secrets: `adk_` and 43 base64url characters (256 random bits), a prefix secret scanners can spot.
 * Only a SHA-256 digest is stored: the key has full entropy, so a slow hash would add nothing but latency.
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'adk_';
const SHAPE = /^adk_[A-Za-z0-9_-]{43}$/;

export function generateApiKeySecret(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function looksLikeApiKey(value: string): boolean {
  return SHAPE.test(value);
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What people see of a key after creation: enough to recognise it, not enough to use it. */
export function apiKeyHint(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + 6) + '…';
}
