/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-signature` is `v1,` + base64 of
 * HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the bytes the `whsec_` secret encodes.
 * During a rotation the header carries one signature per live secret, separated by spaces; a receiver accepts the
 * message when any of them verifies.
 */
import { createHmac } from 'node:crypto';

const PREFIX = 'whsec_';

/** The HMAC key a `whsec_…` secret encodes. */
function keyOf(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new RangeError('a signing secret starts with "whsec_"');
  return Buffer.from(secret.slice(PREFIX.length), 'base64');
}

/** `v1,<base64>` for one secret. */
export function signatureOf(secret: string, id: string, timestampSeconds: number, body: Buffer | string): string {
  const mac = createHmac('sha256', keyOf(secret));
  mac.update(`${id}.${timestampSeconds}.`);
  mac.update(body);
  return `v1,${mac.digest('base64')}`;
}

/** The three Standard Webhooks headers, signed with every secret given (the current one first). */
export function standardWebhookHeaders(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: Buffer | string,
): { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string } {
  if (secrets.length === 0) throw new RangeError('at least one signing secret is needed');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => signatureOf(s, id, timestampSeconds, body)).join(' '),
  };
}
