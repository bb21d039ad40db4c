/**
 * The README's screenshots of the web console (docs/images/console-*.png), taken from a real run: the built service
 * on SQLite writing to Ceph's RADOS Gateway and POSTing to a receiver on loopback, events ingested over a few
 * minutes, then each page opened in Debian's Chromium. Not part of `npm test` or `npm run bench`:
 *
 *   npm run screenshots            (SCREENSHOT_MINUTES, default 3: how many minutes of events the chart shows)
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '@auditdrain/test-services';
import { benchDestination, startBenchGateway } from '../s3/gateway';
import { startChildService } from '../lib/service';

const OUT = path.resolve(__dirname, '..', '..', '..', 'docs', 'images');
const MINUTES = Number(process.env.SCREENSHOT_MINUTES ?? 3);
const ACTIONS = ['grant.approved', 'grant.requested', 'grant.revoked', 'session.started', 'access_rule.updated'];
const ACTORS = ['usr_alice', 'usr_bob', 'usr_chen', 'svc_deployer'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(base: string, key: string, method: string, route: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A SIEM stand-in: accepts most requests, asks for about one first attempt in ten to come back later. */
async function startReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const seen = new Set<string>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      const refuse = !seen.has(id) && parseInt(id.slice(-2), 16) % 10 === 0;
      seen.add(id);
      res.writeHead(refuse ? 503 : 200, { 'content-type': 'application/json' });
      res.end(refuse ? '{"error":"ingest queue full, retry later"}' : '{"status":"indexed"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/collector/auditdrain`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function event(i: number): Record<string, unknown> {
  const actor = ACTORS[i % ACTORS.length]!;
  return {
    id: `evt_${randomBytes(10).toString('hex')}`,
    action: ACTIONS[i % ACTIONS.length],
    occurred_at: new Date().toISOString(),
    actor: { type: actor.startsWith('svc') ? 'service' : 'user', id: actor },
    targets: [{ type: 'grant', id: `gra_${1000 + (i % 37)}` }],
    metadata: { reason: 'on-call rotation', ticket: `OPS-${4000 + (i % 50)}` },
  };
}

/** The page as the window shows it (`whole`: all of it, for the narrow phone view). */
async function shoot(page: Page, name: string, whole = false): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(OUT, `console-${name}.png`), fullPage: whole });
  process.stdout.write(`  docs/images/console-${name}.png\n`);
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditdrain-screenshots-'));
  const gateway = await startBenchGateway();
  const receiver = await startReceiver();
  const service = await startChildService({
    dataDir: dir,
    env: {
      AUDITDRAIN_MASTER_KEY: randomBytes(32).toString('hex'),
      AUDITDRAIN_STS_ENDPOINT: gateway.gw.endpoint,
      AUDITDRAIN_AWS_REGION: gateway.gw.region,
      AUDITDRAIN_AWS_PRINCIPAL_ARN: gateway.service.arn,
      AUDITDRAIN_ALLOW_PRIVATE_NETWORK: 'true',
      AWS_ACCESS_KEY_ID: gateway.service.accessKeyId,
      AWS_SECRET_ACCESS_KEY: gateway.service.secretAccessKey,
    },
  });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const { url, adminKey } = service;
    const bucket = await gateway.newBucket('acme-audit-logs');
    await call(url, adminKey, 'POST', '/v1/s3-log-destinations', {
      ...benchDestination(gateway, bucket, 500, { key_prefix: 'auditdrain/', batch_duration_in_seconds: 5 }),
      name: 'acme-archive',
    });
    const siem = await call(url, adminKey, 'POST', '/v1/webhook-integrations', { name: 'siem', url: receiver.url, filter_for_actions: ['grant.*'] });
    // An endpoint nobody listens on: the destinations page shows what failing looks like.
    await call(url, adminKey, 'POST', '/v1/webhook-integrations', { name: 'legacy-siem', url: 'http://127.0.0.1:9/hooks' });

    process.stdout.write(`ingesting for ${MINUTES} minute(s)…\n`);
    let n = 0;
    const end = Date.now() + MINUTES * 60_000;
    while (Date.now() < end) {
      const batch = Array.from({ length: 20 + Math.floor(Math.random() * 60) }, () => event(n++));
      await call(url, adminKey, 'POST', '/v1/events', batch);
      await sleep(2_000 + Math.random() * 3_000);
    }
    await sleep(8_000);

    const page = await browser.newPage({ viewport: { width: 1280, height: 1350 } });
    await page.goto(`${url}/`);
    await page.getByLabel('API key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('tbody tr').nth(2).waitFor();
    await shoot(page, 'destinations');

    await page.getByRole('link', { name: 'acme-archive', exact: true }).click();
    await page.locator('#delivery-log').waitFor();
    await page.getByLabel('1 hour').check();
    await shoot(page, 'deliveries-s3');

    await page.goto(`${url}/#/deliveries/webhook/${siem.id as string}`);
    await page.locator('#delivery-log').waitFor();
    await page.getByLabel('Update every 5 seconds').uncheck();
    await page.getByLabel('1 hour').check();
    const first = page.locator('#delivery-log > tbody > tr').first();
    await first.locator('summary').click();
    await first.locator('table.attempts').waitFor();
    await shoot(page, 'deliveries-webhook');

    await page.getByRole('link', { name: 'Events' }).click();
    await page.locator('tbody tr').first().waitFor();
    await page.locator('tbody tr summary').first().click();
    await shoot(page, 'events');

    await page.getByRole('link', { name: 'Identity' }).click();
    await page.locator('#trust-policy').waitFor();
    await shoot(page, 'identity');

    await page.goto(`${url}/#/new/webhook`);
    await page.getByLabel('name (required)', { exact: true }).fill('splunk');
    await page.getByLabel('url (required)').fill('ftp://splunk.example.com/hook');
    await page.getByRole('button', { name: 'Create webhook integration' }).click();
    await page.locator('#field-url-error').filter({ hasText: /./ }).waitFor();
    await shoot(page, 'form-error');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/#/destinations`);
    await page.locator('tbody tr').nth(2).waitFor();
    await shoot(page, 'destinations-phone', true);
  } finally {
    await browser.close();
    await service.stop();
    await receiver.close();
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
