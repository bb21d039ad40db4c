/**
 * The console's deliveries in a real browser, against real delivery: an S3 log destination created from the form
 * (a field error first, then verified by the service against the S3 gateway), tested, then events ingested while
 * its page shows the objects arriving and the chart counting them; a webhook integration on a loopback receiver
 * that refuses each first attempt, with its attempts, retry and replay.
 */
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import type { S3Fixture } from '../support/s3-fixture';
import { startS3Fixture } from '../support/s3-fixture';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer } from '../support/test-service';
import { until } from '../support/until';
import { hasText, signIn, textMatches, useConsolePage } from './support/console-page';

let fx: S3Fixture;
let service: TestService;
let url: string;
let page: Page;

beforeAll(async () => {
  fx = await startS3Fixture('console');
  service = await fx.startService({ allowPrivateNetwork: true, delivery: { allowPrivateNetwork: true, webhookTimeoutMs: 2_000, webhookRetryDelaysMs: [300] } });
  url = await service.listen();
  service.engine!.start();
}, 180_000);
afterAll(async () => {
  await fx?.stop();
});
useConsolePage(() => url, (p) => (page = p));

async function ingest(tenant: TenantWithKeys, events: Record<string, unknown>[]): Promise<void> {
  await service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send(events).expect(202);
}

const chart = () => page.locator('figure.chart-figure');
const chartCount = async (what: 'delivered' | 'failed') => Number(await chart().getAttribute(`data-${what}`, { timeout: 5_000 }).catch(() => -1));

test('an S3 destination is created from the form (a field error first), tested, and its page shows objects and the chart as events arrive', async () => {
  const tenant = await service.tenant();
  const bucket = `console-${Date.now().toString(36)}`;
  await fx.ownerS3.send(new CreateBucketCommand({ Bucket: bucket }));
  await signIn(page, url, tenant.keys.admin.secret);
  await page.getByRole('link', { name: 'New S3 destination' }).click();
  await page.getByLabel('name (required)', { exact: true }).fill('archive');
  await page.getByLabel('bucket_name (required)').fill('Not A Bucket');
  await page.getByLabel('role_arn', { exact: true }).fill(fx.roleArn);
  await page.getByLabel('endpoint_url', { exact: true }).fill(fx.gw.endpoint);
  await page.getByLabel('force_path_style', { exact: true }).selectOption('true');
  await page.getByLabel('batch_duration_in_seconds', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Create S3 destination' }).click();
  await textMatches(page.locator('#field-bucket_name-error'), /./);
  expect(await page.getByLabel('bucket_name (required)').getAttribute('aria-invalid')).toBe('true');

  // A bucket that does not exist: the service's test write fails, and the form says what the gateway answered.
  await page.getByLabel('bucket_name (required)').fill(`${bucket}-missing`);
  await page.getByRole('button', { name: 'Create S3 destination' }).click();
  await textMatches(page.getByRole('alert'), /^could not write a test object to s3:\/\/.+-missing\/test\/.+: \w+ answered NoSuchBucket: .+\(\{.*"request_id":"tx.+\}\)$/);
  expect(await page.getByLabel('bucket_name (required)').getAttribute('aria-invalid')).toBeNull();
  expect(await page.locator('#field-bucket_name-error').textContent()).toBe('');

  await page.getByLabel('bucket_name (required)').fill(bucket);
  await page.getByRole('button', { name: 'Create S3 destination' }).click();
  await hasText(page.getByRole('status'), 'archive saved.');
  // Saving verified the destination: the service wrote its test object into the bucket.
  const listed = await fx.ownerS3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'test/' }));
  expect(listed.KeyCount).toBe(1);

  await page.getByRole('button', { name: 'Test archive' }).click();
  await textMatches(page.getByRole('status'), new RegExp(`^Test of archive: ok true, bucket ${bucket}, key test/`));

  await page.getByRole('link', { name: 'archive', exact: true }).click();
  await page.getByRole('heading', { name: 'Deliveries: archive' }).waitFor();
  expect(await page.title()).toBe('Deliveries · auditdrain');
  await hasText(page.locator('.chart-summary'), 'Last 24 hours: 0 delivered, 0 failed; nothing yet.');
  await hasText(page.locator('main p', { hasText: 'No objects written yet.' }), 'No objects written yet.');

  // Events arrive while the page is open: it updates by itself.
  await ingest(tenant, Array.from({ length: 25 }, (_, i) => auditEventBody({ id: `console-${i}` })));
  await until('the chart counts 25 delivered', async () => (await chartCount('delivered')) === 25, 30_000, 200);
  await textMatches(page.locator('.chart-summary'), /^Last 24 hours: 25 delivered, 0 failed; busiest minute .+ with 25\.$/);
  expect(await page.locator('svg.chart rect.delivered').count()).toBeGreaterThan(0);
  expect(await page.locator('svg.chart').getAttribute('aria-label')).toContain('25 delivered');
  // The log lists the bucket's objects (the chart and the log are read side by side, so the log may lag an update).
  const inBucket = ((await fx.ownerS3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key).filter((k) => !k!.startsWith('test/'));
  const rows = page.locator('#delivery-log > tbody > tr');
  const logKeys = async () => (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).sort();
  await until("the bucket's objects listed", async () => JSON.stringify(await logKeys()) === JSON.stringify(inBucket.sort()), 10_000, 100);
  const events = await page.locator('#delivery-log tbody td[data-label="Events"]').allTextContents();
  expect(events.reduce((n, t) => n + Number(t), 0)).toBe(25);
  await hasText(page.locator('dl.facts dd').first(), 'healthy');

  // The last hour, where the minutes are wide enough to tell apart; it stays chosen as the page updates.
  await page.getByLabel('1 hour').check();
  await textMatches(page.locator('.chart-summary'), /^Last hour: 25 delivered, 0 failed; /);
  await ingest(tenant, Array.from({ length: 5 }, (_, i) => auditEventBody({ id: `console-late-${i}` })));
  await textMatches(page.locator('.chart-summary'), /^Last hour: 30 delivered, 0 failed; /, 30_000);
  expect(await chart().getAttribute('data-range')).toBe('hour');

  // At phone width the page, its chart and its log fit without scrolling sideways.
  await page.setViewportSize({ width: 375, height: 740 });
  expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
  expect(await page.evaluate<number>('document.querySelector("svg.chart").getBoundingClientRect().width')).toBeLessThanOrEqual(375);
});

test('a webhook integration: attempts with status, latency and the answer; retry and replay; the chart counts the failures', async () => {
  const tenant = await service.tenant();
  const receiver: Receiver = await startReceiver();
  try {
    const seen = new Set<string>();
    receiver.respond((r) => {
      const id = String(r.headers['webhook-id']);
      if (seen.has(id)) return { status: 200, body: 'stored' };
      seen.add(id);
      return { status: 503, body: 'busy, try later' };
    });
    const key = bearer(tenant.keys.admin.secret);
    const hook = (await service.http.post('/v1/webhook-integrations').set(key).send({ name: 'siem', url: receiver.url }).expect(201)).body as { id: string };
    await signIn(page, url, tenant.keys.admin.secret);
    await page.getByRole('link', { name: 'siem', exact: true }).click();
    await page.getByRole('heading', { name: 'Deliveries: siem' }).waitFor();
    await hasText(page.locator('main p', { hasText: 'No deliveries yet.' }), 'No deliveries yet.');

    await ingest(tenant, ['wh-1', 'wh-2', 'wh-3'].map((id) => auditEventBody({ id })));
    await until('3 delivered and 3 failed in the chart', async () => (await chartCount('delivered')) === 3 && (await chartCount('failed')) === 3, 30_000, 200);
    expect(await page.locator('svg.chart rect.failed').count()).toBeGreaterThan(0);
    // The log's own rows, not those of an attempts table inside one.
    const rows = page.locator('#delivery-log > tbody > tr');
    await until('three succeeded deliveries', async () => (await rows.locator('.badge.succeeded').count()) === 3, 10_000, 100);
    expect(await rows.locator('td[data-label="Attempts"]').allTextContents()).toEqual(['2', '2', '2']);

    // The attempts of one delivery: the refusal with its body, then the success, each with its latency.
    const first = rows.filter({ hasText: 'wh-1' });
    await first.getByText('Attempts', { exact: true }).click();
    const attempts = first.locator('table.attempts tbody tr');
    await until('two attempts', async () => (await attempts.count()) === 2, 10_000, 50);
    expect(await attempts.nth(0).textContent()).toMatch(/^1.*HTTP 503\d+ msbusy, try later$/);
    expect(await attempts.nth(1).textContent()).toMatch(/^2.*HTTP 200\d+ msstored$/);

    await first.getByRole('button', { name: 'Retry wh-1' }).click();
    await textMatches(page.getByRole('status'), /^Sending wh-1 again \(delivery wdl_/);
    await until('a fourth delivery, succeeded', async () => (await rows.count()) === 4 && (await rows.locator('.badge.succeeded').count()) === 4, 20_000, 100);

    await page.getByLabel('Send again every event received since').fill('2020-01-01T00:00');
    await page.getByRole('button', { name: 'Replay' }).click();
    await hasText(page.getByRole('status'), 'Replay: 3 deliveries added.');
    await until('seven deliveries', async () => (await rows.count()) === 7, 20_000, 100);
    const log = (await service.http.get(`/v1/webhook-integrations/${hook.id}/deliveries`).set(key).expect(200)).body.data as unknown[];
    expect(log).toHaveLength(7);
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await hasText(page.locator('main p', { hasText: 'No deliveries with this status.' }), 'No deliveries with this status.');
  } finally {
    await receiver.close();
  }
});
