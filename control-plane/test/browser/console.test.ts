/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core) against the real HTTP app on a
 * real database: sign-in with an API key, destinations with their health, pause and resume, the identity page. The
 * page may make no request outside the service's own origin.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '@auditdrain/test-services';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { bearer, startTestService, validBodies } from '../support/test-service';
import { until } from '../support/until';

let service: TestService;
let tenant: TenantWithKeys;
let url: string;
let browser: Browser;
let page: Page;
const foreign: string[] = [];

beforeAll(async () => {
  service = await startTestService({ awsPrincipalArn: 'arn:aws:iam::123456789012:role/auditdrain-service' });
  tenant = await service.tenant();
  url = await service.listen();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await service?.close();
});
beforeEach(async () => {
  page = await browser.newPage();
  page.on('request', (request) => {
    if (!request.url().startsWith(url) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
});
afterEach(async () => {
  await page.close();
  expect(foreign).toEqual([]);
});

/** Waits until the element's text is `text` (the page updates after its requests answer). */
function hasText(locator: Locator, text: string): Promise<unknown> {
  return until(`"${text}" in ${locator.toString()}`, async () => (await locator.textContent({ timeout: 5_000 }).catch(() => null))?.trim() === text, 10_000, 50);
}

async function signIn(secret = tenant.keys.admin.secret): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('API key').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

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
