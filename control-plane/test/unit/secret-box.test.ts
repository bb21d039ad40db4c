import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from '../../src/crypto/secret-box';

const box = new SecretBox(randomBytes(32));

test('seals and opens; the envelope does not contain the plaintext', () => {
  const sealed = box.seal('wJalrXUtnFEMI/K7MDENG', 's3d_1');
  expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
  expect(sealed).not.toContain('wJalrXUtnFEMI');
  expect(box.open(sealed, 's3d_1')).toBe('wJalrXUtnFEMI/K7MDENG');
});

test('the same plaintext seals differently each time (fresh nonce)', () => {
  expect(box.seal('x', 'a')).not.toBe(box.seal('x', 'a'));
});

test.each([
  ['bound to another record', (s: string) => [s, 's3d_2']],
  ['under another key', (s: string) => [s, 's3d_1', new SecretBox(randomBytes(32))]],
  ['with a flipped ciphertext bit', (s: string) => {
    const [v, n, body] = s.split('.') as [string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] = (bytes[0] as number) ^ 1;
    return [`${v}.${n}.${bytes.toString('base64url')}`, 's3d_1'];
  }],
  ['truncated', (s: string) => [s.slice(0, 20), 's3d_1']],
  ['not an envelope', () => ['plaintext', 's3d_1']],
])('refuses a secret %s', (_what, mutate) => {
  const [envelope, boundTo, other] = mutate(box.seal('secret', 's3d_1')) as [string, string, SecretBox?];
  expect(() => (other ?? box).open(envelope, boundTo)).toThrow(SecretBoxError);
});

test('only 32-byte keys are accepted', () => {
  expect(() => new SecretBox(randomBytes(16))).toThrow(SecretBoxError);
});
