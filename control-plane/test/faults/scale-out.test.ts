/**
 * The fault suite of scale-out on PostgreSQL: several built `auditdrain serve` processes on one PostgreSQL server of
 * this file's own (so it can be restarted), an S3 destination on the S3 gateway and two webhook integrations on
 * loopback receivers.
 *
 * - 100,000 events are ingested through all three processes at once while, every few seconds, one of them is
 *   killed with SIGKILL and started again, and once the database server itself is restarted. Afterwards every
 *   event is in exactly one S3 object, and every event reached each webhook receiver at least once, every
 *   request of an event carrying that event's id as `webhook-id`.
 * - A process paused (SIGSTOP) with a webhook request in flight loses its lease to another process, which delivers
 *   the event; when the paused process resumes (SIGCONT) and its request is answered, its late write is refused.
 * - Three processes starting at once on an empty database: one migrates and sets it up, all of them serve.
 * - While the database is down the API answers 503 with Retry-After; afterwards delivery carries on, and the outage
 *   is not held against the destination.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import type { PostgresServer } from '@auditdrain/test-services';
import { startPostgres } from '@auditdrain/test-services';
import type { ServingCli } from '../support/built-cli';
import { adminKeyOf, cliEnv, serveCli } from '../support/built-cli';
import type { PostgresDatabase } from '../support/postgres-database';
import { createPostgresDatabase } from '../support/postgres-database';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import type { S3Fixture } from '../support/s3-fixture';
import { startS3Fixture } from '../support/s3-fixture';
import { until } from '../support/until';
import { listMigrations } from '../../src/store/migrate';

const EVENTS = Number(process.env.AUDITDRAIN_FAULT_EVENTS ?? 100_000);
const PROCESSES = 3;
const BATCH = 500;
const SENDERS = 4;
const KILL_EVERY_MS = 3_000;
const LEASE_SECONDS = 3;

let pg: PostgresServer;
let s3: S3Fixture;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  pg = await startPostgres();
  s3 = await startS3Fixture('faults');
}, 180_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await s3?.stop();
  await pg?.stop();
}, 120_000);

/** A new database on this file's server, with a data directory for the processes. */
async function database(): Promise<{ database: { dialect: 'postgresql'; url: string }; dataDir: string }> {
  const db: PostgresDatabase = await createPostgresDatabase(pg.url);
  cleanups.push(() => db.drop());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditdrain-faults-'));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  return { database: { dialect: 'postgresql', url: db.url }, dataDir };
}

/** One process slot: started, killed and started again by the test; an exit it did not cause is recorded. */
class Slot {
  current: ServingCli | undefined;
  readonly unexpectedExits: string[] = [];
  #killing = false;

  constructor(
    readonly index: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async start(): Promise<ServingCli> {
    const serving = await serveCli(this.env);
    this.current = serving;
    void serving.exited.then((exit) => {
      if (!this.#killing) this.unexpectedExits.push(`process ${this.index} exited on its own (${JSON.stringify(exit)}):\n${serving.stderr().slice(-4_000)}`);
    });
    cleanups.push(async () => {
      if (serving.child.exitCode === null && serving.child.signalCode === null) serving.child.kill('SIGKILL');
      await serving.exited;
    });
    return serving;
  }

  async killAndRestart(): Promise<void> {
    const serving = this.current!;
    this.current = undefined;
    this.#killing = true;
    serving.child.kill('SIGKILL');
    const exit = await serving.exited;
    this.#killing = false;
    if (exit.signal !== 'SIGKILL') {
      throw new Error(`process ${this.index} ended with ${JSON.stringify(exit)} instead of SIGKILL:\n${serving.stderr().slice(-4_000)}\n${serving.stdout().slice(-4_000)}`);
    }
    await this.start();
  }
}

/** A webhook endpoint keeping only what the checks need: requests per event id, and any header/body mismatch. */
async function countingReceiver(options: { refuseOnceEvery?: number } = {}) {
  const counts = new Map<string, number>();
  const refused = new Set<string>();
  const mismatches: string[] = [];
  let requests = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const header = String(req.headers['webhook-id']);
      let id: string;
      try {
        id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }).id;
      } catch {
        mismatches.push(`unparseable body for webhook-id ${header}`);
        res.writeHead(400).end();
        return;
      }
      if (header !== id || !req.headers['webhook-signature']) mismatches.push(`webhook-id ${header} on event ${id}`);
      const seen = counts.get(id) ?? 0;
      // Some first attempts are refused, with a short Retry-After, so retries are part of the run.
      if (options.refuseOnceEvery && seen === 0 && !refused.has(id) && requests % options.refuseOnceEvery === 0) {
        refused.add(id);
        res.writeHead(503, { 'retry-after': '1' }).end();
        return;
      }
      counts.set(id, seen + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  server.keepAliveTimeout = 30_000;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/auditdrain`,
    counts,
    mismatches,
    get requests() {
      return requests;
    },
    /** Events received at least once (refusals not counted). */
    received: () => counts.size,
  };
}

function processEnv(fresh: Awaited<ReturnType<typeof database>>, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cliEnv(fresh, {
    AUDITDRAIN_LOG_LEVEL: 'warn',
    AUDITDRAIN_DELIVERY_POLL_MS: '100',
    AUDITDRAIN_DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS),
    AUDITDRAIN_ALLOW_PRIVATE_NETWORK: 'true',
    AUDITDRAIN_STS_ENDPOINT: s3.gw.endpoint,
    AUDITDRAIN_AWS_REGION: 'default',
    AWS_ACCESS_KEY_ID: s3.serviceUser.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.serviceUser.secretAccessKey,
    ...extra,
  });
}

async function api(url: string, key: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const event = (id: string, n: number) => ({
  id,
  action: n % 3 === 0 ? 'access.granted' : n % 3 === 1 ? 'grant.approved' : 'session.started',
  occurred_at: '2026-05-01T08:00:00Z',
  actor: { type: 'user', id: `u-${n % 97}` },
  targets: [{ type: 'role', id: `r-${n % 13}` }],
});

async function readObjects(prefix: string): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await s3.ownerS3.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix, ContinuationToken: token }));
    // Not the test object written when the destination was saved (<prefix>test/…).
    for (const object of (page.Contents ?? []).filter((o) => !o.Key!.startsWith(`${prefix}test/`))) {
      const got = await s3.ownerS3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: object.Key }));
      for (const line of (await got.Body!.transformToString()).split('\n')) {
        if (line) {
          const id = (JSON.parse(line) as { id: string }).id;
          seen.set(id, (seen.get(id) ?? 0) + 1);
        }
      }
    }
    token = page.NextContinuationToken;
  } while (token);
  return seen;
}

test(
  `${PROCESSES} processes, ${EVENTS} events, SIGKILL every few seconds and a database restart: each event in exactly one S3 object, at every webhook at least once`,
  async () => {
    const fresh = await database();
    const env = processEnv(fresh, { AUDITDRAIN_WEBHOOK_CONCURRENCY: '32' });
    const slots = Array.from({ length: PROCESSES }, (_, i) => new Slot(i, env));
    const first = await slots[0]!.start();
    const key = adminKeyOf(first.stderr());
    await Promise.all(slots.slice(1).map((slot) => slot.start()));

    const receivers = [await countingReceiver(), await countingReceiver({ refuseOnceEvery: 200 })];
    // Objects written by the role are readable by the bucket's owner once they grant it full control.
    const roleArn = await s3.gw.createRole(
      'fault-writer',
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [s3.serviceUser.arn] }, Action: ['sts:AssumeRole'] }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketLocation'], Resource: ['arn:aws:s3:::*'] }] },
    );
    const prefix = 'faults';
    const s3Created = await api(first.url, key, 'POST', '/v1/s3-log-destinations', {
      name: 'archive',
      bucket_name: s3.bucket,
      key_prefix: prefix,
      region: 'default',
      role_arn: roleArn,
      endpoint_url: s3.gw.endpoint,
      force_path_style: true,
      object_acl: 'bucket-owner-full-control',
      batch_duration_in_seconds: 1,
      maximum_batch_size: 5_000,
    });
    expect(s3Created.status).toBe(201);
    const destinations = [{ path: `/v1/s3-log-destinations/${s3Created.body.id}` }];
    for (const [i, receiver] of receivers.entries()) {
      const created = await api(first.url, key, 'POST', '/v1/webhook-integrations', { name: `siem-${i}`, url: receiver.url });
      expect(created.status).toBe(201);
      destinations.push({ path: `/v1/webhook-integrations/${created.body.id}` });
    }

    const ids = Array.from({ length: EVENTS }, (_, n) => `fault-${n}`);
    const live = () => slots.map((s) => s.current).filter((s): s is ServingCli => s !== undefined);
    const refusals = new Map<string, number>();
    let acknowledged = 0;
    let nextBatch = 0;
    const batches = Math.ceil(EVENTS / BATCH);
    const sender = async () => {
      for (let b = nextBatch++; b < batches && !stopFaults; b = nextBatch++) {
        const body = JSON.stringify(ids.slice(b * BATCH, (b + 1) * BATCH).map((id, i) => event(id, b * BATCH + i)));
        for (let attempt = 0; ; attempt++) {
          const targets = live();
          const target = targets[(b + attempt) % Math.max(1, targets.length)];
          const outcome = target
            ? await fetch(`${target.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body }).then(
                (r) => r.status,
                () => 'connection',
              )
            : 'no process';
          if (outcome === 202) break;
          // A process that died mid-request, or a database that is restarting: send the batch again (ingest is
          // idempotent by event id), elsewhere. Anything else is a defect.
          if (typeof outcome === 'number' && outcome !== 503) throw new Error(`ingest answered ${outcome}`);
          refusals.set(String(outcome), (refusals.get(String(outcome)) ?? 0) + 1);
          if (attempt > 600 || stopFaults) throw new Error(`batch ${b} was not accepted after ${attempt} attempts`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        acknowledged += BATCH;
      }
    };

    const delivered = () => receivers.every((r) => r.received() === EVENTS);
    let kills = 0;
    let databaseRestarted = false;
    let stopFaults = false;
    // Faults until everything is ingested, the database has been restarted and there were at least six kills;
    // the deliveries go on meanwhile and drain afterwards.
    const faults = (async () => {
      for (let round = 0; !stopFaults; round++) {
        await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
        if (stopFaults) break;
        if (!databaseRestarted && acknowledged >= EVENTS / 2) {
          await pg.restart(2_000);
          databaseRestarted = true;
          continue;
        }
        await slots[round % PROCESSES]!.killAndRestart();
        kills++;
        if (acknowledged >= EVENTS && databaseRestarted && kills >= 6) break;
      }
    })();

    const started = Date.now();
    let ingestSeconds = Number.NaN;
    try {
      await Promise.all([
        Promise.all(Array.from({ length: SENDERS }, sender)).then(() => (ingestSeconds = (Date.now() - started) / 1000)),
        faults,
      ]);
      await until('every event at both webhooks', async () => delivered() || undefined, 400_000, 500);
    } finally {
      // A failure ends the faults and the load too.
      stopFaults = true;
      await faults.catch(() => undefined);
    }

    // The S3 destination has delivered everything too: its backlog, read through any process, is 0.
    const anyProcess = live()[0]!;
    await until(
      'no backlog at any destination',
      async () => {
        for (const d of destinations) {
          const got = await api(anyProcess.url, key, 'GET', d.path);
          if (got.status !== 200 || got.body.health.backlog !== 0) return false;
        }
        return true;
      },
      120_000,
      500,
    );

    const inObjects = await readObjects(`${prefix}/`);
    const missing = ids.filter((id) => !inObjects.has(id));
    const twice = [...inObjects].filter(([, n]) => n !== 1);
    const unknown = [...inObjects.keys()].filter((id) => !id.startsWith('fault-'));
    const duplicates = receivers.map((r) => [...r.counts.values()].filter((n) => n > 1).length);
    process.stderr.write(
      `[faults] ${EVENTS} events ingested in ${ingestSeconds.toFixed(1)} s and delivered in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${kills} kills, database restarted: ${databaseRestarted}; ingest retries ${JSON.stringify(Object.fromEntries(refusals))}; ` +
        `webhook requests ${receivers.map((r) => r.requests).join('/')}, events received more than once ${duplicates.join('/')}\n`,
    );
    expect({ missing: missing.slice(0, 5), twice: twice.slice(0, 5), unknown: unknown.slice(0, 5) }).toEqual({ missing: [], twice: [], unknown: [] });
    expect(inObjects.size).toBe(EVENTS);
    for (const receiver of receivers) {
      expect(receiver.mismatches.slice(0, 5)).toEqual([]);
      expect(ids.filter((id) => !receiver.counts.has(id)).slice(0, 5)).toEqual([]);
    }
    expect(kills).toBeGreaterThanOrEqual(6);
    expect(databaseRestarted).toBe(true);
    expect(slots.flatMap((s) => s.unexpectedExits)).toEqual([]);
  },
  900_000,
);

test('a process paused past its lease loses the destination; its late write is refused', async () => {
  const fresh = await database();
  const env = processEnv(fresh, { AUDITDRAIN_DELIVERY_LEASE_SECONDS: '2', AUDITDRAIN_WEBHOOK_TIMEOUT_SECONDS: '120' });
  const receiver: Receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  let answerHeld!: (status: number) => void;
  const held = new Promise<{ status: number }>((resolve) => (answerHeld = (status) => resolve({ status })));
  // The first request is held open until the test answers it; the others are answered at once.
  receiver.respond((_request, index) => (index === 0 ? held : { status: 200 }));

  const a = new Slot(0, env);
  const holder = await a.start();
  const key = adminKeyOf(holder.stderr());
  const created = await api(holder.url, key, 'POST', '/v1/webhook-integrations', { name: 'paused', url: receiver.url });
  expect(created.status).toBe(201);
  const deliveries = `/v1/webhook-integrations/${created.body.id}/deliveries`;
  expect((await api(holder.url, key, 'POST', '/v1/events', [event('paused-1', 1)])).status).toBe(202);
  await until('the request of the first process', async () => receiver.received.length === 1);

  holder.child.kill('SIGSTOP');
  try {
    // A second process takes the destination over once the paused one's lease has expired, and delivers the event.
    const b = new Slot(1, env);
    const taker = await b.start();
    await until(
      'the delivery by the second process',
      async () => {
        const got = await api(taker.url, key, 'GET', deliveries);
        return got.body.data[0]?.status === 'succeeded';
      },
      30_000,
      200,
    );
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual(['paused-1', 'paused-1']);

    // The paused process wakes up to the answer of its request; what it then writes is refused.
    answerHeld(200);
    holder.child.kill('SIGCONT');
    await until(
      'the late write to be refused',
      async () => /auditdrain_delivery_lease_writes_refused_total 1\b/.test(await (await fetch(`${holder.url}/metrics`)).text()),
      20_000,
      200,
    );
    const listed = await api(taker.url, key, 'GET', deliveries);
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).toMatchObject({ event_id: 'paused-1', status: 'succeeded', attempts: 1 });
    const detail = await api(taker.url, key, 'GET', `${deliveries}/${listed.body.data[0].id}`);
    expect(detail.body.attempt_log).toHaveLength(1);
    expect(a.unexpectedExits).toEqual([]);
    expect(b.unexpectedExits).toEqual([]);
  } finally {
    holder.child.kill('SIGCONT');
  }
}, 120_000);

test('three processes starting at once on an empty database: one migrates and sets it up, all of them serve', async () => {
  const fresh = await database();
  const env = processEnv(fresh);
  const slots = [0, 1, 2].map((i) => new Slot(i, env));
  const started = await Promise.all(slots.map((slot) => slot.start()));
  const keys = started.map((s) => /(adk_[A-Za-z0-9_-]{43})/.exec(s.stderr())?.[1]).filter((k) => k !== undefined);
  expect(keys).toHaveLength(1);
  const client = new Client({ connectionString: fresh.database.url });
  await client.connect();
  try {
    const versions = (await client.query<{ version: string }>('SELECT version FROM _auditdrain_migrations ORDER BY version')).rows.map((r) => r.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions).toEqual(listMigrations('postgresql').map((m) => m.version));
    expect((await client.query('SELECT count(*)::int AS n FROM tenants')).rows).toEqual([{ n: 1 }]);
  } finally {
    await client.end();
  }
  for (const serving of started) {
    expect((await api(serving.url, keys[0]!, 'GET', '/v1/identity')).status).toBe(200);
  }
  expect(slots.flatMap((s) => s.unexpectedExits)).toEqual([]);
}, 120_000);

test('while the database is down the API answers 503 with Retry-After; a delivery in flight waits for it without an error held against the destination', async () => {
  const fresh = await database();
  const slot = new Slot(0, processEnv(fresh));
  const serving = await slot.start();
  const key = adminKeyOf(serving.stderr());
  const receiver: Receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  const created = await api(serving.url, key, 'POST', '/v1/webhook-integrations', { name: 'outage', url: receiver.url });
  expect(created.status).toBe(201);
  const ingest = (id: string) =>
    fetch(`${serving.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([event(id, 1)]),
    });

  // A request in flight: the endpoint holds it until the database is down, so recording its attempt finds no database.
  let answer: (a: { status: number }) => void = () => undefined;
  receiver.respond(() => new Promise((resolve) => (answer = resolve)));
  expect((await ingest('outage-0')).status).toBe(202);
  await until('the request held', async () => receiver.received.length > 0, 10_000, 50);

  const restarted = pg.restart(3_000);
  const refused = await until('a request while the database is down', async () => {
    const res = await ingest('outage-1');
    return res.status === 202 ? undefined : res;
  }, 10_000, 50);
  receiver.respond(() => ({ status: 200 }));
  answer({ status: 200 });
  await restarted;
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unavailable');
  await until('the delivery waiting for the database', async () => serving.stdout().includes('database unavailable; delivery resumes when it is back'), 10_000, 100);

  await until('the event accepted once the database is back', async () => (await ingest('outage-1')).status === 202, 30_000, 200);
  // The attempt that could not be recorded is made again (same webhook-id), and the new event goes out.
  await until('both events delivered', async () => receiver.received.filter((r) => r.headers['webhook-id'] === 'outage-0').length >= 2 && receiver.received.some((r) => r.headers['webhook-id'] === 'outage-1'), 30_000, 100);
  const health = (await api(serving.url, key, 'GET', `/v1/webhook-integrations/${created.body.id}`)).body.health;
  expect(health).toMatchObject({ status: 'healthy', last_error: null, backlog: 0 });
  // The outage was a warning, never an error of the delivery engine nor a failure of the destination.
  expect(serving.stdout()).not.toMatch(/delivery (turn|step|loop) failed|delivery failed; will retry/);
  expect(slot.unexpectedExits).toEqual([]);
}, 120_000);
