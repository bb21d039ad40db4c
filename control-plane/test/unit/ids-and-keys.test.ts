import { apiKeyHint, generateApiKeySecret, hashApiKeySecret, looksLikeApiKey } from '../../src/crypto/api-key-secret';
import { isIdOf, newId } from '../../src/ids';

test('ids carry their prefix, 26 Crockford characters, and sort by creation time', () => {
  const a = newId('s3d', 1_700_000_000_000);
  const b = newId('s3d', 1_700_000_000_001);
  expect(a).toMatch(/^s3d_[0-9A-HJKMNP-TV-Z]{26}$/);
  expect(isIdOf('s3d', a)).toBe(true);
  expect(isIdOf('whk', a)).toBe(false);
  expect(a < b).toBe(true);
  expect(new Set(Array.from({ length: 1000 }, () => newId('evt'))).size).toBe(1000);
});

test('API key secrets: adk_ prefix, 256 random bits, hashed with SHA-256, shown as a short hint', () => {
  const secret = generateApiKeySecret();
  expect(secret).toMatch(/^adk_[A-Za-z0-9_-]{43}$/);
  expect(looksLikeApiKey(secret)).toBe(true);
  expect(looksLikeApiKey(secret.slice(0, -1))).toBe(false);
  expect(generateApiKeySecret()).not.toBe(secret);
  expect(hashApiKeySecret(secret)).toMatch(/^[0-9a-f]{64}$/);
  expect(hashApiKeySecret(secret)).not.toContain(secret.slice(4, 20));
  expect(apiKeyHint(secret)).toBe(secret.slice(0, 10) + '…');
});
