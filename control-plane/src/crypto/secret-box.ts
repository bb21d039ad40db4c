/**
 * Encryption of secrets at rest: AES-256-GCM under the master key, a fresh 96-bit nonce per value, and the
 * owning record's id as additional data, so a ciphertext copied onto another record does not decrypt.
 *
 * Envelope: `v1.<base64url nonce>.<base64url ciphertext+tag>`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new SecretBoxError('the master key must be 32 bytes');
    this.#key = Buffer.from(key);
  }

  seal(plaintext: string, boundTo: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
  }

  open(envelope: string, boundTo: string): string {
    const [version, nonceText, bodyText] = envelope.split('.');
    if (version !== VERSION || !nonceText || !bodyText) throw new SecretBoxError('not a sealed secret');
    const nonce = Buffer.from(nonceText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (nonce.length !== 12 || body.length < 16) throw new SecretBoxError('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce);
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    try {
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('a secret could not be decrypted: wrong master key, or the record was tampered with');
    }
  }
}
