/**
 * The delivery log and its per-minute counts, against the real S3 gateway and real loopback receivers: an S3 log
 * destination lists the objects it wrote (as the bucket holds them) and counts the events of batches that failed
 * and were delivered; a webhook integration counts each attempt. Retention keeps one day of minutes.
 */
import { Writable } from 'node:stream';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Retention } from '../../src/delivery/retention';
import { createLogger } from '../../src/log';
import { createMetrics } from '../../src/metrics';
import type { S3Fixture } from '../support/s3-fixture';
import { startS3Fixture } from '../support/s3-fixture';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer } from '../support/test-service';
import { until } from '../support/until';

let fx: S3Fixture;
let service: TestService;
let tenant: TenantWithKeys;
let admin: { authorization: string };

beforeAll(async () => {
  fx = await startS3Fixture('log');
  // Webhooks to loopback receivers, retried quickly.
  service = await fx.startService({ allowPrivateNetwork: true, delivery: { allowPrivateNetwork: true, webhookTimeoutMs: 2_000, webhookRetryDelaysMs: [100, 200] } });
  tenant = await service.tenant();
  admin = bearer(tenant.keys.admin.secret);
  service.engine!.start();
});
afterAll(async () => {
  await fx?.stop();
});

let buckets = 0;
async function newBucket(): Promise<string> {
  const bucket = `log-${Date.now().toString(36)}-${++buckets}`;
  await fx.ownerS3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** Creates (and so verifies) an S3 destination writing to `bucket` through the fixture's role; returns its path. */
async function s3Destination(name: string, bucket: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await service.http
    .post('/v1/s3-log-destinations')
    .set(admin)
    .send({ name, bucket_name: bucket, role_arn: fx.roleArn, endpoint_url: fx.gw.endpoint, force_path_style: true, batch_duration_in_seconds: 1, ...extra })
    .expect(201);
  return `/v1/s3-log-destinations/${created.body.id as string}`;
}

async function ingest(events: Record<string, unknown>[]): Promise<void> {
  const res = await service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send(events).expect(202);
  expect(res.body.accepted).toBe(events.length);
}

type Stats = { since: string; until: string; delivered: number; failed: number; minutes: { minute: string; delivered: number; failed: number }[] };
async function stats(path: string): Promise<Stats> {
  return (await service.http.get(`${path}/delivery-stats`).set(bearer(tenant.keys.reader.secret)).expect(200)).body as Stats;
}

/** Every page of a list, following `next_cursor`. */
async function allPages(path: string, limit: number): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { data: Record<string, any>[]; next_cursor: string | null } } = await service.http
      .get(path)
      .query({ limit, ...(cursor ? { cursor } : {}) })
      .set(admin)
      .expect(200);
    items.push(...res.body.data);
    cursor = res.body.next_cursor;
  } while (cursor);
  return items;
}

function expectWellFormed(s: Stats): void {
  expect(new Date(s.until).getTime() - new Date(s.since).getTime()).toBe(24 * 3_600_000);
  expect(new Date(s.until).getTime() % 60_000).toBe(0);
  for (const m of s.minutes) {
    expect(m.minute >= s.since && m.minute < s.until).toBe(true);
    expect(m.delivered + m.failed).toBeGreaterThan(0);
  }
  expect(s.minutes.map((m) => m.minute)).toEqual([...s.minutes.map((m) => m.minute)].sort());
  expect(s.delivered).toBe(s.minutes.reduce((n, m) => n + m.delivered, 0));
  expect(s.failed).toBe(s.minutes.reduce((n, m) => n + m.failed, 0));
}

describe('S3 log destination', () => {
  test('the log lists every object the bucket holds, newest first, with its key, size and event count, in pages', async () => {
    const bucket = await newBucket();
    // A long key prefix makes long keys, and so long page cursors.
    const path = await s3Destination('log', bucket, { maximum_batch_size: 3, key_prefix: `${'deep/'.repeat(60)}` });
    expect(await stats(path)).toMatchObject({ delivered: 0, failed: 0, minutes: [] });
    const first = Array.from({ length: 7 }, (_, i) => auditEventBody({ id: `obj-a${i}` }));
    await ingest(first);
    await until('7 events delivered', async () => (await stats(path)).delivered === 7);
    // A later batch, so the log has objects written at different times.
    await ingest([auditEventBody({ id: 'obj-b0' }), auditEventBody({ id: 'obj-b1' })]);
    await until('9 events delivered', async () => (await stats(path)).delivered === 9);

    const objects = await allPages(`${path}/deliveries`, 2);
    const listed = await fx.ownerS3.send(new ListObjectsV2Command({ Bucket: bucket }));
    // Leave out the test object create wrote.
    const inBucket = (listed.Contents ?? []).filter((o) => !o.Key!.includes('/test/'));
    expect(inBucket.every((o) => o.Key!.length > 300)).toBe(true);
    expect(objects.map((o) => o.key).sort()).toEqual(inBucket.map((o) => o.Key).sort());
    expect(new Set(objects.map((o) => o.key)).size).toBe(objects.length);
    expect(objects.reduce((n, o) => n + o.event_count, 0)).toBe(9);
    for (const o of objects) {
      expect(o).toEqual({
        key: expect.any(String),
        batch_id: expect.any(String),
        event_count: expect.any(Number),
        byte_size: expect.any(Number),
        first_sequence: expect.stringMatching(/^\d+$/),
        last_sequence: expect.stringMatching(/^\d+$/),
        delivered_at: expect.any(String),
      });
      expect(o.event_count).toBeLessThanOrEqual(3);
      expect(inBucket.find((b) => b.Key === o.key)!.Size).toBe(o.byte_size);
    }
    const times = objects.map((o) => o.delivered_at as string);
    expect(times).toEqual([...times].sort().reverse());
    // The last two events went out after the first seven, so the newest object holds one of them.
    expect(BigInt(objects[0]!.last_sequence)).toBe(objects.map((o) => BigInt(o.last_sequence)).reduce((a, b) => (b > a ? b : a)));
    // One page of everything agrees with the pages of two.
    expect((await service.http.get(`${path}/deliveries`).set(admin).expect(200)).body).toEqual({ data: objects, next_cursor: null });

    const s = await stats(path);
    expectWellFormed(s);
    expect(s).toMatchObject({ delivered: 9, failed: 0 });
  });

  test('a bucket that disappears: the failed batches count as failed events, then delivered once it is back', async () => {
    const bucket = await newBucket();
    const path = await s3Destination('gone', bucket);
    // Empty the bucket (create left a test object) and delete it.
    for (const o of (await fx.ownerS3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []) {
      await fx.ownerS3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key! }));
    }
    await fx.ownerS3.send(new DeleteBucketCommand({ Bucket: bucket }));
    await ingest(Array.from({ length: 4 }, (_, i) => auditEventBody({ id: `gone-${i}` })));
    const failing = await until('two failed writes of the batch', async () => {
      const s = await stats(path);
      return s.failed >= 8 && s;
    });
    expect(failing.delivered).toBe(0);
    expect(failing.failed % 4).toBe(0);
    const health = (await service.http.get(path).set(admin).expect(200)).body;
    expect(health.health).toMatchObject({ status: 'failing', last_error: { code: 'NoSuchBucket' } });
    expect((await service.http.get(`${path}/deliveries`).set(admin).expect(200)).body).toEqual({ data: [], next_cursor: null });

    await fx.ownerS3.send(new CreateBucketCommand({ Bucket: bucket }));
    const recovered = await until('the batch delivered', async () => {
      const s = await stats(path);
      return s.delivered === 4 && s;
    });
    expectWellFormed(recovered);
    expect(recovered.failed).toBeGreaterThanOrEqual(failing.failed);
    const objects = (await service.http.get(`${path}/deliveries`).set(admin).expect(200)).body.data;
    expect(objects.reduce((n: number, o: { event_count: number }) => n + o.event_count, 0)).toBe(4);
  });
});

describe('webhook integration', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  test('each attempt counts in its minute: a refused first attempt is failed, the retry delivered; the log agrees', async () => {
    const seen = new Set<string>();
    receiver.respond((r) => {
      const id = String(r.headers['webhook-id']);
      if (id.startsWith('auditdrain_test') || seen.has(id)) return { status: 200 };
      seen.add(id);
      return { status: 503, body: 'busy' };
    });
    const created = await service.http.post('/v1/webhook-integrations').set(admin).send({ name: 'siem', url: receiver.url }).expect(201);
    const path = `/v1/webhook-integrations/${created.body.id}`;
    await ingest(['wh-a', 'wh-b', 'wh-c'].map((id) => auditEventBody({ id })));
    const s = await until('3 delivered', async () => {
      const got = await stats(path);
      return got.delivered === 3 && got;
    });
    expectWellFormed(s);
    expect(s.failed).toBe(3);
    // The same counts as the attempts in the delivery log.
    const deliveries = (await service.http.get(`${path}/deliveries`).set(admin).expect(200)).body.data as { id: string }[];
    const attempts = [];
    for (const d of deliveries) attempts.push(...(await service.http.get(`${path}/deliveries/${d.id}`).set(admin).expect(200)).body.attempt_log);
    expect(attempts.filter((a) => a.status_code === 200)).toHaveLength(s.delivered);
    expect(attempts.filter((a) => a.status_code === 503 && a.response_excerpt === 'busy')).toHaveLength(s.failed);
  });

  test("another tenant's destination, or an id of the other kind, is not found; unknown query parameters are refused", async () => {
    const created = await service.http.post('/v1/webhook-integrations').set(admin).send({ name: 'mine', url: receiver.url }).expect(201);
    const other = await service.tenant('other');
    const res = await service.http.get(`/v1/webhook-integrations/${created.body.id}/delivery-stats`).set(bearer(other.keys.admin.secret)).expect(404);
    expect(res.body.error.code).toBe('not_found');
    await service.http.get(`/v1/s3-log-destinations/${created.body.id}/delivery-stats`).set(admin).expect(404);
    await service.http.get(`/v1/s3-log-destinations/${created.body.id}/deliveries`).set(admin).expect(404);
    const bad = await service.http.get(`/v1/webhook-integrations/${created.body.id}/delivery-stats?since=2026-01-01T00:00:00Z`).set(admin).expect(422);
    expect(bad.body.error.details[0].path).toBe('since');
  });
});

test("a forged cursor for the S3 log is refused, naming the field", async () => {
  const path = await s3Destination('cursors', fx.bucket);
  for (const cursor of [Buffer.from('v1:nope').toString('base64url'), Buffer.from('v1:123:a\u0000b').toString('base64url'), 'x']) {
    const res = await service.http.get(`${path}/deliveries`).query({ cursor }).set(admin).expect(422);
    expect(res.body.error.details).toEqual([{ path: 'cursor', message: 'is not a cursor this API returned' }]);
  }
});

test('retention keeps one day of minutes, and the stats never show older ones', async () => {
  const created = await service.http.post('/v1/webhook-integrations').set(admin).send({ name: 'aged', url: 'http://127.0.0.1:9/' }).expect(201);
  const id = created.body.id as string;
  const now = Date.now();
  const minute = (msAgo: number) => new Date(Math.floor((now - msAgo) / 60_000) * 60_000);
  await service.db.client.deliveryMinute.createMany({
    data: [
      { destinationId: id, minute: minute(25 * 3_600_000), delivered: 100, failed: 0 },
      { destinationId: id, minute: minute(24 * 3_600_000 + 120_000), delivered: 10, failed: 0 },
      { destinationId: id, minute: minute(23 * 3_600_000), delivered: 5, failed: 1 },
    ],
  });
  const before = await stats(`/v1/webhook-integrations/${id}`);
  expect(before).toMatchObject({ delivered: 5, failed: 1, minutes: [{ minute: minute(23 * 3_600_000).toISOString(), delivered: 5, failed: 1 }] });
  const log = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
  await new Retention({ db: service.db, log, metrics: createMetrics(), retentionMs: 30 * 86_400_000 }).runOnce();
  const left = await service.db.client.deliveryMinute.findMany({ where: { destinationId: id } });
  expect(left.map((m) => m.delivered)).toEqual([5]);
});
