/**
 * S3 delivery against a real S3 server (Ceph's RADOS Gateway, with real SigV4 and STS): the bucket belongs to
 * another user, so only the role the destination names can write to it. External-id enforcement and AWS's STS
 * error shapes come from the project's STS test double (rgw's STS ignores ExternalId), because AWS STS cannot be
 * reached from here.
 */
import net from 'node:net';
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3Gateway, S3GatewayUser, StsServer } from '@auditdrain/test-services';
import { startS3Gateway, startStsServer } from '@auditdrain/test-services';
import type { DeliverySettings } from '../../src/delivery/settings';
import { s3DeliverySettings } from '../support/delivery-settings';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, startTestService } from '../support/test-service';
import { until } from '../support/until';

let gw: S3Gateway;
let owner: S3GatewayUser;
let svc: S3GatewayUser;
let ownerS3: S3Client;
let roleArn: string;
let service: TestService;
let tenant: TenantWithKeys;
let admin: { authorization: string };

const settings = (overrides: Partial<DeliverySettings> = {}): DeliverySettings => s3DeliverySettings(gw.endpoint, svc, { concurrency: 4, ...overrides });

let buckets = 0;
async function newBucket(): Promise<string> {
  const bucket = `audit-${Date.now().toString(36)}-${++buckets}`;
  await ownerS3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

async function listKeys(bucket: string, prefix = ''): Promise<string[]> {
  const out = await ownerS3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key as string).sort();
}

async function readObject(bucket: string, key: string): Promise<{ text: string; encoding: string | undefined; type: string | undefined }> {
  const out = await ownerS3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const raw = Buffer.from(await out.Body!.transformToByteArray());
  return { text: (out.ContentEncoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'), encoding: out.ContentEncoding, type: out.ContentType };
}

/** The keys under `prefix` once there are at least `count` of them. */
function keysOnceThere(bucket: string, prefix: string, count: number): Promise<string[]> {
  return until(`${count} object(s) under ${prefix}`, async () => {
    const keys = await listKeys(bucket, prefix);
    return keys.length >= count && keys;
  });
}

function destinationBody(bucket: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'archive',
    bucket_name: bucket,
    role_arn: roleArn,
    endpoint_url: gw.endpoint,
    force_path_style: true,
    batch_duration_in_seconds: 1,
    object_acl: 'bucket-owner-full-control',
    ...extra,
  };
}

async function ingest(events: Record<string, unknown>[]): Promise<void> {
  const res = await service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send(events).expect(202);
  expect(res.body.accepted).toBe(events.length);
}

beforeAll(async () => {
  gw = await startS3Gateway();
  owner = await gw.createUser('bucket-owner');
  svc = await gw.createUser('auditdrain-service');
  ownerS3 = new S3Client({
    endpoint: gw.endpoint,
    region: gw.region,
    forcePathStyle: true,
    credentials: { accessKeyId: owner.accessKeyId, secretAccessKey: owner.secretAccessKey },
  });
  roleArn = await gw.createRole(
    'auditdrain-writer',
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [svc.arn] }, Action: ['sts:AssumeRole'] }] },
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketLocation'], Resource: ['arn:aws:s3:::*'] }] },
  );
  service = await startTestService({ delivery: settings() });
  tenant = await service.tenant();
  admin = bearer(tenant.keys.admin.secret);
  service.engine!.start();
});
afterAll(async () => {
  await service?.close();
  ownerS3?.destroy();
  await gw?.stop();
});

test('create verifies with a test object; events arrive as gzip JSON Lines under the default layout, in log order', async () => {
  const bucket = await newBucket();
  const created = await service.http.post('/v1/s3-log-destinations').set(admin).send(destinationBody(bucket, { compression: 'gzip' })).expect(201);
  expect(created.body.health).toMatchObject({ status: 'healthy', backlog: 0 });
  expect(await listKeys(bucket, 'test/')).toHaveLength(1);

  const events = Array.from({ length: 5 }, (_, i) =>
    auditEventBody({ id: `evt-default-${i}`, occurred_at: `2026-03-01T12:0${i}:00Z`, metadata: { i, text: 'é ✓' } }),
  );
  await ingest(events);
  const keys = await keysOnceThere(bucket, '2026/', 1);
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatch(/^2026\/03\/01\/12_00_00_[0-9a-z]{26}\.jsonl\.gz$/);
  const object = await readObject(bucket, keys[0]!);
  expect(object.encoding).toBe('gzip');
  expect(object.type).toBe('application/x-ndjson');
  const lines = object.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.map((l) => l.id)).toEqual(events.map((e) => e.id));
  expect(lines[3]).toEqual(events[3]);

  const health = await until('health to show the delivery', async () => {
    const got = await service.http.get(`/v1/s3-log-destinations/${created.body.id}`).set(admin).expect(200);
    return got.body.health.last_success_at && got.body.health;
  });
  expect(health).toMatchObject({ status: 'healthy', backlog: 0, last_error: null });

  // The first delivery of this service: the counters hold exactly this batch (the test object is not counted).
  const metrics = (await service.http.get('/metrics').expect(200)).text;
  expect(metrics).toContain('auditdrain_delivered_events_total{destination_type="s3_log_destination"} 5');
  expect(metrics).toContain('auditdrain_delivered_objects_total{destination_type="s3_log_destination"} 1');
  const { size } = await ownerS3.send(new HeadObjectCommand({ Bucket: bucket, Key: keys[0] })).then((h) => ({ size: h.ContentLength }));
  expect(metrics).toContain(`auditdrain_delivered_bytes_total{destination_type="s3_log_destination"} ${size}`);
});

test('Hive layout under a key prefix, JSON arrays, split by day; filters choose the events', async () => {
  const bucket = await newBucket();
  await service.http
    .post('/v1/s3-log-destinations')
    .set(admin)
    .send(
      destinationBody(bucket, {
        key_prefix: 'acme/audit',
        encoding: 'json',
        key_template: 'schema=audit_log/version=v1/year={{ .Year }}/month={{ .Month }}/day={{ .Day }}/{{ .Timestamp }}_{{ .ID }}',
        filter_for_actions: ['grant.*'],
      }),
    )
    .expect(201);
  await ingest([
    auditEventBody({ id: 'hive-1', action: 'grant.approved', occurred_at: '2026-03-01T23:59:00Z' }),
    auditEventBody({ id: 'hive-2', action: 'access.request.created', occurred_at: '2026-03-01T23:59:30Z' }),
    auditEventBody({ id: 'hive-3', action: 'grant.revoked', occurred_at: '2026-03-02T00:00:10Z' }),
  ]);
  const keys = await keysOnceThere(bucket, 'acme/audit/schema=', 2);
  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^acme\/audit\/schema=audit_log\/version=v1\/year=2026\/month=03\/day=01\/\d{13}_[0-9a-z]{26}\.json$/);
  expect(keys[1]).toMatch(/\/day=02\//);
  const first = JSON.parse((await readObject(bucket, keys[0]!)).text) as { id: string }[];
  const second = JSON.parse((await readObject(bucket, keys[1]!)).text) as { id: string }[];
  expect([first.map((e) => e.id), second.map((e) => e.id)]).toEqual([['hive-1'], ['hive-3']]);
});

test('send_authorization_events with filter_for_actions: only the matching authorization decisions, allowed and denied', async () => {
  const bucket = await newBucket();
  await service.http
    .post('/v1/s3-log-destinations')
    .set(admin)
    .send(destinationBody(bucket, { send_audit_log_events: false, send_authorization_events: true, filter_for_actions: ['event.*'] }))
    .expect(201);
  await ingest([auditEventBody({ id: 'authz-audit-1' })]);
  await service.http.post('/v1/events').set(bearer(tenant.keys.reader.secret)).send([auditEventBody({ id: 'authz-denied' })]).expect(403);
  await service.http.get('/v1/events').set(bearer(tenant.keys.reader.secret)).expect(200);
  // The admin's calls (s3_log_destination.*) and the audit event are filtered out; the three event.* decisions remain.
  const delivered = await until('three authorization events delivered', async () => {
    const keys = (await listKeys(bucket)).filter((k) => !k.startsWith('test/'));
    const events = (await Promise.all(keys.map(async (k) => (await readObject(bucket, k)).text.trimEnd().split('\n'))))
      .flat()
      .map((l) => JSON.parse(l) as { id: string; decision: string; request: { action: { id: string }; principal: { id: string } } });
    return events.length >= 3 && events;
  });
  expect(delivered.map((e) => [e.request.action.id, e.decision, e.request.principal.id]).sort()).toEqual([
    ['event.ingest', 'allow', tenant.keys.writer.id],
    ['event.ingest', 'deny', tenant.keys.reader.id],
    ['event.list', 'allow', tenant.keys.reader.id],
  ]);
  expect(delivered.every((e) => e.id.startsWith('eval_'))).toBe(true);
});

test('aws:kms:dsse, which the gateway does not support, surfaces its 400 through the API and saves nothing', async () => {
  const before = await service.db.client.destination.count();
  const res = await service.http
    .post('/v1/s3-log-destinations')
    .set(admin)
    .send(destinationBody(await newBucket(), { server_side_encryption: 'aws:kms:dsse', kms_key_id: gw.kmsKeyIds[0] }))
    .expect(422);
  expect(res.body.error.code).toBe('verification_failed');
  expect(res.body.error.details).toMatchObject({ operation: 'PutObject', http_status: 400, code: expect.any(String) });
  expect(await service.db.client.destination.count()).toBe(before);
});

test('a batch closes at maximum_batch_size before its window ends', async () => {
  const bucket = await newBucket();
  const created = await service.http
    .post('/v1/s3-log-destinations')
    .set(admin)
    .send(destinationBody(bucket, { batch_duration_in_seconds: null, batch_duration_in_minutes: 60, maximum_batch_size: 3 }))
    .expect(201);
  const ids = Array.from({ length: 9 }, (_, i) => `size-${i}`);
  await ingest(ids.slice(0, 7).map((id) => auditEventBody({ id })));
  // Two full batches of three are written and committed; the seventh event waits for its hour-long window...
  await until('two batches committed', async () => {
    const got = await service.http.get(`/v1/s3-log-destinations/${created.body.id}`).set(admin).expect(200);
    return got.body.health.backlog === 1;
  });
  // The two full batches of the backlog were written in one step, committed together.
  const committed = await service.db.client.s3Delivery.findMany({ where: { destinationId: created.body.id }, orderBy: { firstSequence: 'asc' } });
  expect(committed.map((d) => d.eventCount)).toEqual([3, 3]);
  expect(committed[0]!.deliveredAt).toEqual(committed[1]!.deliveredAt);
  // ...until two more fill its batch: it was not written on its own meanwhile.
  await ingest(ids.slice(7).map((id) => auditEventBody({ id })));
  const keys = await keysOnceThere(bucket, '2026/', 3);
  const batches = await Promise.all(keys.map(async (k) => (await readObject(bucket, k)).text.trimEnd().split('\n').map((l) => JSON.parse(l).id as string)));
  expect(batches.sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6, 9)]);
});

test('SSE-KMS and the canned ACL reach the server', async () => {
  const bucket = await newBucket();
  await service.http
    .post('/v1/s3-log-destinations')
    .set(admin)
    .send(destinationBody(bucket, { server_side_encryption: 'aws:kms', kms_key_id: gw.kmsKeyIds[0] }))
    .expect(201);
  await ingest([auditEventBody({ id: 'sse-1' })]);
  const [key] = await keysOnceThere(bucket, '2026/', 1);
  const head = await ownerS3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  expect(head.ServerSideEncryption).toBe('aws:kms');
  const acl = await ownerS3.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }));
  expect(acl.Grants?.some((g) => g.Grantee?.ID === owner.uid && g.Permission === 'FULL_CONTROL')).toBe(true);
});

test("the service's own identity cannot write to another user's bucket: create answers 422 with the remote error", async () => {
  const bucket = await newBucket();
  const before = await service.db.client.destination.count();
  const res = await service.http
    .post('/v1/s3-log-destinations')
    .set(admin)
    .send({ ...destinationBody(bucket), role_arn: null, region: 'default' })
    .expect(422);
  expect(res.body.error.code).toBe('verification_failed');
  expect(res.body.error.details).toMatchObject({ operation: 'PutObject', code: 'AccessDenied', http_status: 403 });
  expect(res.body.error.details.request_id).toEqual(expect.any(String));
  expect(await service.db.client.destination.count()).toBe(before);
});

test('the gateway stopped for 30 s while events arrive: health shows failing, then everything is delivered', async () => {
  const bucket = await newBucket();
  const created = await service.http.post('/v1/s3-log-destinations').set(admin).send(destinationBody(bucket)).expect(201);
  const path = `/v1/s3-log-destinations/${created.body.id}`;
  const sent: string[] = [];
  const send = async (wave: number) => {
    const ids = Array.from({ length: 4 }, (_, i) => `outage-${wave}-${i}`);
    await ingest(ids.map((id) => auditEventBody({ id })));
    sent.push(...ids);
  };
  await gw.pause();
  const stoppedAt = Date.now();
  try {
    await send(0);
    const failing = await until('failing health', async () => {
      const got = await service.http.get(path).set(admin).expect(200);
      return got.body.health.status === 'failing' && got.body.health;
    });
    expect(failing.backlog).toBe(4);
    // Cached role credentials make PutObject the first call to fail; after they are dropped it is AssumeRole.
    expect(['AssumeRole', 'PutObject']).toContain(failing.last_error.operation);
    expect(failing.last_error.message).toEqual(expect.any(String));
    // More events keep arriving while the gateway stays down, which it does for 30 s in all.
    for (let wave = 1; Date.now() - stoppedAt < 30_000; wave++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, Math.max(0, 30_000 - (Date.now() - stoppedAt)))));
      await send(wave);
    }
    const stillFailing = (await service.http.get(path).set(admin).expect(200)).body.health;
    expect(stillFailing).toMatchObject({ status: 'failing', backlog: sent.length });
    expect((await service.http.get('/metrics').expect(200)).text).toMatch(/^auditdrain_delivery_failures_total\{destination_type="s3_log_destination",code="[^"]+"\} [1-9]/m);
  } finally {
    await gw.resume();
  }
  const healthy = await until('recovery', async () => {
    const got = await service.http.get(path).set(admin).expect(200);
    return got.body.health.status === 'healthy' && got.body.health.backlog === 0 && got.body.health;
  }, 60_000);
  expect(healthy.last_error).not.toBeNull();
  const keys = await listKeys(bucket, '2026/');
  const ids = (await Promise.all(keys.map(async (k) => (await readObject(bucket, k)).text.trimEnd().split('\n')))).flat().map((l) => JSON.parse(l).id);
  // Every event exactly once.
  expect(ids.sort()).toEqual([...sent].sort());
}, 120_000);

test('a paused destination keeps its place and catches up when enabled again', async () => {
  const paused = await newBucket();
  const created = await service.http.post('/v1/s3-log-destinations').set(admin).send(destinationBody(paused, { enabled: false })).expect(201);
  const path = `/v1/s3-log-destinations/${created.body.id}`;
  // A second, enabled destination of the same tenant proves the engine ran over these events meanwhile.
  const witness = await newBucket();
  await service.http.post('/v1/s3-log-destinations').set(admin).send(destinationBody(witness)).expect(201);
  await ingest(Array.from({ length: 3 }, (_, i) => auditEventBody({ id: `paused-${i}` })));
  await keysOnceThere(witness, '2026/', 1);
  expect(await listKeys(paused, '2026/')).toEqual([]);
  expect((await service.http.get(path).set(admin).expect(200)).body.health).toMatchObject({ status: 'paused', backlog: 3 });

  await service.http.patch(path).set(admin).send({ enabled: true }).expect(200);
  const [key] = await keysOnceThere(paused, '2026/', 1);
  const ids = (await readObject(paused, key!)).text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
  expect(ids).toEqual(['paused-0', 'paused-1', 'paused-2']);
  await until('an empty backlog', async () => (await service.http.get(path).set(admin).expect(200)).body.health.backlog === 0);
});

test('a destination whose endpoint hangs does not delay another', async () => {
  // An "S3 endpoint" that accepts connections and never answers.
  const open = new Set<net.Socket>();
  const hanging = net.createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const hangingUrl = `http://127.0.0.1:${(hanging.address() as net.AddressInfo).port}`;
  // Requests time out after a minute here, far longer than the healthy destination needs.
  const slow = await startTestService({ delivery: settings({ verify: false, requestTimeoutMs: 60_000 }) });
  try {
    const t = await slow.tenant();
    const key = bearer(t.keys.admin.secret);
    await slow.http.post('/v1/s3-log-destinations').set(key).send(destinationBody('never-answers', { endpoint_url: hangingUrl, region: 'default' })).expect(201);
    const healthy = await newBucket();
    await slow.http.post('/v1/s3-log-destinations').set(key).send(destinationBody(healthy)).expect(201);
    slow.engine!.start();
    const send = (ids: string[]) =>
      slow.http.post('/v1/events').set(bearer(t.keys.writer.secret)).send(ids.map((id) => auditEventBody({ id }))).expect(202);
    await send(['hang-0']);
    await until('the hanging endpoint to hold a request', async () => open.size > 0);
    await keysOnceThere(healthy, '2026/', 1);
    // A second batch, sent while the other destination's request still hangs, is delivered too.
    await send(['hang-1']);
    await keysOnceThere(healthy, '2026/', 2);
    expect(open.size).toBeGreaterThan(0);
  } finally {
    // Hang up first: stopping waits for the turn still inside the hanging request.
    hanging.close();
    for (const socket of open) socket.destroy();
    await slow.close();
  }
});

describe('external id (STS test double)', () => {
  let sts: StsServer;
  let strict: TestService;
  let t: TenantWithKeys;
  const stsRole = 'arn:aws:iam::210987654321:role/customer-audit-writer';

  beforeAll(async () => {
    sts = await startStsServer({
      credentials: { [svc.accessKeyId]: svc.secretAccessKey },
      // A successful AssumeRole hands out the bucket owner's keys, which the gateway accepts.
      issue: () => ({ accessKeyId: owner.accessKeyId, secretAccessKey: owner.secretAccessKey }),
    });
    strict = await startTestService({ delivery: settings({ stsEndpoint: sts.endpoint, awsRegion: 'us-east-1' }) });
    t = await strict.tenant();
  });
  afterAll(async () => {
    await strict?.close();
    await sts?.stop();
  });

  test("AssumeRole carries the tenant's external id and a session name naming the destination", async () => {
    sts.setRole(stsRole, { trustedAccessKeyIds: [svc.accessKeyId], externalId: `auditdrain:${t.id}` });
    const bucket = await newBucket();
    const res = await strict.http
      .post('/v1/s3-log-destinations')
      .set(bearer(t.keys.admin.secret))
      .send({ ...destinationBody(bucket), role_arn: stsRole, region: 'default' })
      .expect(201);
    const call = sts.calls.find((c) => c.roleArn === stsRole && c.decision === 'allowed');
    expect(call?.externalId).toBe(`auditdrain:${t.id}`);
    expect(call?.roleSessionName).toBe(`auditdrain-${res.body.id}`);

    // The role's credentials are cached: two more test deliveries assume it no more.
    const assumed = () => sts.calls.filter((c) => c.roleSessionName === `auditdrain-${res.body.id}` && c.decision === 'allowed').length;
    for (let i = 0; i < 2; i++) {
      const tested = await strict.http.post(`/v1/s3-log-destinations/${res.body.id}/test`).set(bearer(t.keys.admin.secret)).expect(200);
      expect(tested.body).toMatchObject({ ok: true, bucket, key: expect.stringMatching(/^test\/auditdrain-test-/) });
    }
    expect(assumed()).toBe(1);
  });

  test('a role expecting another external id: 422 with AccessDenied and the STS request id', async () => {
    sts.setRole(stsRole, { trustedAccessKeyIds: [svc.accessKeyId], externalId: 'auditdrain:tnt_someone_else' });
    const res = await strict.http
      .post('/v1/s3-log-destinations')
      .set(bearer(t.keys.admin.secret))
      .send({ ...destinationBody(await newBucket()), role_arn: stsRole, region: 'default' })
      .expect(422);
    const denied = sts.calls.filter((c) => c.roleArn === stsRole && c.decision === 'denied');
    expect(res.body.error.details).toMatchObject({ operation: 'AssumeRole', code: 'AccessDenied', http_status: 403 });
    expect(denied.map((c) => c.requestId)).toContain(res.body.error.details.request_id);
  });

  test('a role that becomes assumable a moment after create (same terraform apply) is retried until it is', async () => {
    const lateRole = 'arn:aws:iam::210987654321:role/created-just-now';
    sts.setRole(lateRole, {
      trustedAccessKeyIds: [svc.accessKeyId],
      externalId: `auditdrain:${t.id}`,
      notAssumableUntil: new Date(Date.now() + 1_200),
    });
    await strict.http
      .post('/v1/s3-log-destinations')
      .set(bearer(t.keys.admin.secret))
      .send({ ...destinationBody(await newBucket()), role_arn: lateRole, region: 'default' })
      .expect(201);
    const decisions = sts.calls.filter((c) => c.roleArn === lateRole).map((c) => c.decision);
    expect(decisions[0]).toBe('denied');
    expect(decisions.at(-1)).toBe('allowed');
  });

  test('a role still not assumable when verification gives up: 422 AccessDenied after retrying', async () => {
    const neverRole = 'arn:aws:iam::210987654321:role/not-yet-propagated';
    sts.setRole(neverRole, {
      trustedAccessKeyIds: [svc.accessKeyId],
      externalId: `auditdrain:${t.id}`,
      notAssumableUntil: new Date(Date.now() + 600_000),
    });
    const res = await strict.http
      .post('/v1/s3-log-destinations')
      .set(bearer(t.keys.admin.secret))
      .send({ ...destinationBody(await newBucket()), role_arn: neverRole, region: 'default' })
      .expect(422);
    expect(res.body.error.details).toMatchObject({ operation: 'AssumeRole', code: 'AccessDenied', http_status: 403 });
    expect(sts.calls.filter((c) => c.roleArn === neverRole).length).toBeGreaterThan(1);
  });
});
