/**
 * Signatures checked with the `standardwebhooks` package (the Standard Webhooks reference library for JavaScript),
 * a verifier this project did not write.
 */
import { Webhook } from 'standardwebhooks';
import { newSigningSecret } from '../../../src/domain/resources/resource-kind';
import { signatureOf, standardWebhookHeaders } from '../../../src/delivery/webhook/signature';

const body = JSON.stringify({ id: 'evt_1', action: 'grant.approved', message: 'é ✓' });
const now = () => Math.floor(Date.now() / 1000);

test('the reference verifier accepts our headers', () => {
  const secret = newSigningSecret();
  const headers = standardWebhookHeaders([secret], 'evt_1', now(), body);
  expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
});

test('our signature equals the reference library\'s for the same message', () => {
  const secret = newSigningSecret();
  const at = now();
  expect(signatureOf(secret, 'evt_1', at, body)).toBe(new Webhook(secret).sign('evt_1', new Date(at * 1000), body));
});

test('during a rotation the header carries both signatures and either secret verifies', () => {
  const [current, previous] = [newSigningSecret(), newSigningSecret()];
  const headers = standardWebhookHeaders([current, previous], 'evt_1', now(), body);
  expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
  expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
  expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
});

test('another secret, another id or another body does not verify', () => {
  const secret = newSigningSecret();
  const headers = standardWebhookHeaders([secret], 'evt_1', now(), body);
  expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow(/signature/i);
  expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow(/signature/i);
  expect(() => new Webhook(secret).verify(body.replace('é', 'e'), headers)).toThrow(/signature/i);
});

test('secrets must be whsec_ secrets, and at least one is needed', () => {
  expect(() => signatureOf('not-a-secret', 'evt_1', now(), body)).toThrow(/whsec_/);
  expect(() => standardWebhookHeaders([], 'evt_1', now(), body)).toThrow(/at least one/);
});
