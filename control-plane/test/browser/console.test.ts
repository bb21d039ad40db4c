/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core) against the real HTTP app on a
 * real database: sign-in with an API key, destinations with their health, pause and resume, the identity page. The
 * page may make no request outside the service's own origin.
 */
import type { Page } from 'playwright-core';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { testDeliverySettings } from '../support/delivery-settings';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import { auditEventBody, bearer, startTestService, validBodies } from '../support/test-service';
import { until } from '../support/until';
import { hasText, signIn as signInAs, useConsolePage } from './support/console-page';

let service: TestService;
let tenant: TenantWithKeys;
let url: string;
let receiver: Receiver;
let page: Page;

beforeAll(async () => {
  // Delivery settings give the app a webhook sender for test deliveries; the receiver is on loopback.
  service = await startTestService({
    awsPrincipalArn: 'arn:aws:iam::123456789012:role/auditdrain-service',
    allowPrivateNetwork: true,
    delivery: testDeliverySettings(),
  });
  tenant = await service.tenant();
  url = await service.listen();
  receiver = await startReceiver();
}, 120_000);
afterAll(async () => {
  await service?.close();
  await receiver?.close();
});
useConsolePage(() => url, (p) => (page = p));

const signIn = (secret = tenant.keys.admin.secret) => signInAs(page, url, secret);

test('a wrong key is refused with a message; the right one opens the destinations', async () => {
  await signIn('adk_not-a-real-key');
  await hasText(page.getByRole('alert'), 'This API key is not valid.');
  await page.getByLabel('API key').fill(tenant.keys.admin.secret);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Destinations' }).waitFor();
  expect(await page.title()).toBe('Destinations · auditdrain');
  expect(await page.evaluate('sessionStorage.getItem("auditdrain.apiKey")')).toBe(tenant.keys.admin.secret);
  expect(await page.evaluate('localStorage.length')).toBe(0);
});

test('destinations show their health, and pause and resume', async () => {
  const key = bearer(tenant.keys.admin.secret);
  const s3 = (await service.http.post('/v1/s3-log-destinations').set(key).send({ ...validBodies.s3_log_destination(), name: 'archive' }).expect(201)).body;
  await service.http.post('/v1/webhook-integrations').set(key).send({ ...validBodies.webhook_integration(), name: 'siem' }).expect(201);
  await signIn();
  const rows = page.locator('tbody tr');
  await until('two rows', async () => (await rows.count()) === 2, 10_000, 50);
  const archive = page.locator(`tr[data-id="${s3.id}"]`);
  await hasText(archive.locator('.badge'), 'healthy');
  expect(await page.locator('tbody').textContent()).toContain('siem');
  expect(await page.locator('tbody').textContent()).toContain('Webhook');

  await archive.getByRole('button', { name: 'Pause archive' }).click();
  await hasText(page.getByRole('status'), 'archive paused.');
  await hasText(archive.locator('.badge'), 'paused');
  expect((await service.http.get(`/v1/s3-log-destinations/${s3.id}`).set(key).expect(200)).body.enabled).toBe(false);
  await archive.getByRole('button', { name: 'Resume archive' }).click();
  await hasText(archive.locator('.badge'), 'healthy');
});

test('the identity page shows the external id, the principal and a trust policy to copy', async () => {
  await signIn();
  await page.getByRole('link', { name: 'Identity' }).click();
  await hasText(page.locator('#external-id'), `auditdrain:${tenant.id}`);
  await hasText(page.locator('#principal'), 'arn:aws:iam::123456789012:role/auditdrain-service');
  const policy = JSON.parse((await page.locator('#trust-policy').textContent()) ?? '') as { Statement: { Principal: { AWS: string }; Condition: unknown }[] };
  expect(policy.Statement[0]).toMatchObject({
    Principal: { AWS: 'arn:aws:iam::123456789012:role/auditdrain-service' },
    Condition: { StringEquals: { 'sts:ExternalId': `auditdrain:${tenant.id}` } },
  });
});

test('the pages work at phone width and by keyboard; signing out forgets the key', async () => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn();
  await page.getByRole('heading', { name: 'Destinations' }).waitFor();
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow).toBeLessThanOrEqual(0);
  // By keyboard: the skip link moves focus to the content; a focused link and button answer Enter.
  await page.locator('.skip').focus();
  await page.keyboard.press('Enter');
  expect(await page.evaluate('document.activeElement?.id')).toBe('main');
  expect(new URL(page.url()).hash).toBe('#/destinations');
  await page.getByRole('link', { name: 'Identity' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Identity' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('API key').waitFor();
  expect(await page.evaluate('sessionStorage.getItem("auditdrain.apiKey")')).toBeNull();
});

test('a webhook integration is created from the form, with a field error first, tested, edited and deleted', async () => {
  const other = await service.tenant();
  await signIn(other.keys.admin.secret);
  await page.getByRole('link', { name: 'New webhook integration' }).click();
  await page.getByLabel('name (required)').fill('siem');
  await page.getByLabel('url (required)').fill('ftp://siem.example.com/hook');
  await page.getByRole('button', { name: 'Create webhook integration' }).click();
  const urlError = page.locator('#field-url-error');
  await until('the url field error', async () => ((await urlError.textContent()) ?? '').length > 0, 10_000, 50);
  expect(await page.getByLabel('url (required)').getAttribute('aria-invalid')).toBe('true');
  expect(await page.evaluate('document.activeElement?.id')).toBe('field-url');
  const key = bearer(other.keys.admin.secret);
  expect((await service.http.get('/v1/webhook-integrations').set(key).expect(200)).body.data).toEqual([]);

  await page.getByLabel('url (required)').fill(receiver.url);
  await page.getByRole('button', { name: 'Create webhook integration' }).click();
  await hasText(page.getByRole('status'), 'siem saved.');
  const [created] = (await service.http.get('/v1/webhook-integrations').set(key).expect(200)).body.data as { id: string; url: string }[];
  expect(created!.url).toBe(receiver.url);

  receiver.respond(() => ({ status: 202, body: 'accepted by the test receiver' }));
  await page.getByRole('button', { name: 'Test siem' }).click();
  await until('the test answer', async () => /status_code 202/.test((await page.getByRole('status').textContent()) ?? ''), 10_000, 50);
  expect(await page.getByRole('status').textContent()).toContain('accepted by the test receiver');

  await page.getByRole('link', { name: 'Edit siem' }).click();
  await page.getByLabel('name', { exact: true }).fill('siem-eu');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await hasText(page.getByRole('status'), 'siem-eu saved.');
  expect((await service.http.get(`/v1/webhook-integrations/${created!.id}`).set(key).expect(200)).body).toMatchObject({ name: 'siem-eu', url: receiver.url });

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete siem-eu' }).click();
  await hasText(page.getByRole('status'), 'siem-eu deleted.');
  await service.http.get(`/v1/webhook-integrations/${created!.id}`).set(key).expect(404);
});


test('the event explorer filters by action prefix, actor and kind, and shows an event as JSON', async () => {
  const other = await service.tenant();
  const writer = bearer(other.keys.writer.secret);
  await service.http
    .post('/v1/events')
    .set(writer)
    .send([
      auditEventBody({ id: 'ev-1', action: 'grant.approved', actor: { type: 'user', id: 'alice' } }),
      auditEventBody({ id: 'ev-2', action: 'grant.revoked', actor: { type: 'user', id: 'bob' } }),
      auditEventBody({ id: 'ev-3', action: 'session.started', actor: { type: 'user', id: 'alice' } }),
    ])
    .expect(202);
  await signIn(other.keys.admin.secret);
  await page.getByRole('link', { name: 'Events' }).click();
  // Signing in is an authorization event of its own kind; the audit events are all there.
  await page.getByLabel('Kind').selectOption('audit');
  await page.getByRole('button', { name: 'Search' }).click();
  const ids = () => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
  await until('three audit events', async () => JSON.stringify(await ids()) === JSON.stringify(['ev-1', 'ev-2', 'ev-3']), 10_000, 50);

  await page.getByLabel('Action').fill('grant.*');
  await page.getByRole('button', { name: 'Search' }).click();
  await until('the grant events', async () => JSON.stringify(await ids()) === JSON.stringify(['ev-1', 'ev-2']), 10_000, 50);
  await page.getByLabel('Actor id').fill('alice');
  await page.keyboard.press('Enter');
  await until('alice\'s grant event', async () => JSON.stringify(await ids()) === JSON.stringify(['ev-1']), 10_000, 50);

  await page.locator('tr[data-id="ev-1"] summary').click();
  const raw = JSON.parse((await page.locator('tr[data-id="ev-1"] pre').textContent()) ?? '') as { id: string; action: string };
  expect(raw).toMatchObject({ id: 'ev-1', action: 'grant.approved' });

  await page.getByLabel('Action').fill('not an action!');
  await page.getByRole('button', { name: 'Search' }).click();
  await until('the API\'s refusal', async () => /action/.test((await page.getByRole('alert').textContent().catch(() => '')) ?? ''), 10_000, 50);
});
