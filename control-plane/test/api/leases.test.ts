/**
 * Delivery leases (store/leases.ts) on the dialect under test: a destination is claimed by one process at a time,
 * taken over when its lease expires, and a process that lost its lease cannot commit progress (fencing). Then two
 * delivery engines on one database, as two processes would be: every event reaches the webhook exactly once.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { SecretBox } from '../../src/crypto/secret-box';
import { DeliveryEngine } from '../../src/delivery/engine';
import { createLogger } from '../../src/log';
import { createMetrics } from '../../src/metrics';
import type { Lease } from '../../src/store/leases';
import { claimDue, LeaseLost, releaseLease, renewLease } from '../../src/store/leases';
import { announceWork, listenForEvents } from '../../src/store/event-notifications';
import { addDeliveries, recordAttempts } from '../../src/store/webhook-deliveries';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, dialectUnderTest, startTestService } from '../support/test-service';
import { testDeliverySettings } from '../support/delivery-settings';
import { until } from '../support/until';

const settings = testDeliverySettings({ pollMs: 20, concurrency: 4, webhookTimeoutMs: 2_000, webhookRetryDelaysMs: [100] });
/** A delivery engine of its own process, as far as leases go, on the test service's database. */
const engineWith = (overrides: Partial<typeof settings> = {}) =>
  new DeliveryEngine({ db: service.db, box: new SecretBox(service.masterKey), log: quietLog(), metrics: createMetrics(), settings: { ...settings, ...overrides } });
const TYPES = ['webhook_integration', 's3_log_destination'];
const LEASE_MS = 10_000;

let service: TestService;
let tenant: TenantWithKeys;

beforeAll(async () => {
  service = await startTestService({ delivery: settings, allowPrivateNetwork: true });
  tenant = await service.tenant();
});
afterAll(async () => {
  await service?.close();
});

async function integration(url: string): Promise<string> {
  const created = await service.http.post('/v1/webhook-integrations').set(bearer(tenant.keys.admin.secret)).send({ name: 'siem', url }).expect(201);
  return created.body.id as string;
}

const claim = (owner: string, now: Date, extra: { limit?: number; skip?: string[] } = {}) =>
  claimDue(service.db, { owner, now, leaseMs: LEASE_MS, limit: extra.limit ?? 100, types: TYPES, skip: extra.skip ?? [] });

describe('leases', () => {
  let ids: string[];
  const t0 = new Date(Date.now() + 60_000);

  beforeAll(async () => {
    ids = [await integration('http://127.0.0.1:9/a'), await integration('http://127.0.0.1:9/b'), await integration('http://127.0.0.1:9/c')];
  });
  afterEach(async () => {
    // Leave every lease free for the next test.
    await service.db.client.deliveryState.updateMany({ data: { leaseOwner: null, leaseExpiresAt: null } });
  });

  test('a due destination is claimed by one owner; a second claim finds it taken until the lease expires', async () => {
    const first = await claim('process-a', t0);
    expect(first.map((l) => l.destinationId).sort()).toEqual([...ids].sort());
    expect(await claim('process-b', new Date(t0.getTime() + LEASE_MS - 1))).toEqual([]);
    const taken = await claim('process-b', new Date(t0.getTime() + LEASE_MS));
    expect(taken.map((l) => l.destinationId).sort()).toEqual([...ids].sort());
    for (const lease of taken) {
      const before = first.find((l) => l.destinationId === lease.destinationId)!;
      expect(lease.token).toBe(before.token + 1n);
    }
  });

  test('the limit, the skip list, disabled and not-yet-due destinations are respected', async () => {
    expect(await claim('p', t0, { limit: 2 })).toHaveLength(2);
    await service.db.client.deliveryState.updateMany({ data: { leaseOwner: null, leaseExpiresAt: null } });
    expect((await claim('p', t0, { skip: [ids[0]!] })).map((l) => l.destinationId).sort()).toEqual([ids[1], ids[2]].sort());
    await service.db.client.deliveryState.updateMany({ data: { leaseOwner: null, leaseExpiresAt: null } });
    await service.http.patch(`/v1/webhook-integrations/${ids[0]}`).set(bearer(tenant.keys.admin.secret)).send({ enabled: false }).expect(200);
    await service.db.client.deliveryState.update({ where: { destinationId: ids[1]! }, data: { nextAttemptAt: new Date(t0.getTime() + 1) } });
    expect((await claim('p', t0)).map((l) => l.destinationId)).toEqual([ids[2]]);
    await service.http.patch(`/v1/webhook-integrations/${ids[0]}`).set(bearer(tenant.keys.admin.secret)).send({ enabled: true }).expect(200);
    await service.db.client.deliveryState.update({ where: { destinationId: ids[1]! }, data: { nextAttemptAt: t0 } });
  });

  test('claims made at the same moment never share a destination', async () => {
    const owners = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const claims = await Promise.all(owners.map((o) => claim(o, t0, { limit: 1 })));
    const claimed = claims.flat().map((l) => l.destinationId);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual([...ids].sort());
  });

  describe('a lease taken over by another process', () => {
    let old: Lease;
    let current: Lease;
    beforeEach(async () => {
      old = (await claim('paused', t0, { limit: 1 }))[0]!;
      current = (await claim('other', new Date(t0.getTime() + LEASE_MS))).find((l) => l.destinationId === old.destinationId)!;
    });

    test('cannot be renewed, and releasing it leaves the new holder alone', async () => {
      expect(await renewLease(service.db, old, new Date(t0.getTime() + LEASE_MS), LEASE_MS)).toBe(false);
      await releaseLease(service.db, old);
      const state = await service.db.client.deliveryState.findUniqueOrThrow({ where: { destinationId: old.destinationId } });
      expect(state).toMatchObject({ leaseOwner: 'other', leaseToken: current.token });
      expect(await renewLease(service.db, current, new Date(t0.getTime() + LEASE_MS), LEASE_MS)).toBe(true);
    });

    test('cannot move the cursor or record attempts: the whole write is refused', async () => {
      const before = await service.db.client.deliveryState.findUniqueOrThrow({ where: { destinationId: old.destinationId } });
      const late = [{ id: 'whd_late_handoff', sequence: before.cursor + 1000n, eventId: 'evt_late' }];
      await expect(addDeliveries(service.db, old.destinationId, late, t0, { cursor: before.cursor + 1000n, lease: old })).rejects.toBeInstanceOf(LeaseLost);
      await expect(
        recordAttempts(service.db, old.destinationId, old, [], { lastSuccessAt: t0, consecutiveFailures: 0 }, t0),
      ).rejects.toBeInstanceOf(LeaseLost);
      const after = await service.db.client.deliveryState.findUniqueOrThrow({ where: { destinationId: old.destinationId } });
      expect(after.cursor).toBe(before.cursor);
      expect(after.lastSuccessAt).toEqual(before.lastSuccessAt);
      expect(await service.db.client.webhookDelivery.count({ where: { id: 'whd_late_handoff' } })).toBe(0);
      // The holder's own writes go through.
      await addDeliveries(service.db, current.destinationId, [], t0, { cursor: before.cursor, lease: current });
    });
  });
});

const quietLog = () => createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));

describe('two delivery engines on one database', () => {
  let receiver: Receiver;
  const engines: DeliveryEngine[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    await service.db.client.destination.deleteMany({});
    await integration(receiver.url);
    for (let i = 0; i < 2; i++) {
      engines.push(engineWith());
    }
    for (const engine of engines) engine.start();
  });
  afterAll(async () => {
    for (const engine of engines) await engine.stop();
    await receiver?.close();
  });

  test('every event reaches the webhook exactly once', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `evt_two_engines_${i}`);
    for (let i = 0; i < ids.length; i += 50) {
      await service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send(ids.slice(i, i + 50).map((id) => auditEventBody({ id }))).expect(202);
      for (const engine of engines) engine.wake();
    }
    await until('all 300 delivered', async () => (receiver.received.length >= ids.length ? true : undefined));
    // A little longer: a second delivery of any event would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const delivered = receiver.received.map((r) => (JSON.parse(r.body) as { id: string }).id);
    expect(delivered.length).toBe(ids.length);
    expect(new Set(delivered)).toEqual(new Set(ids));
  });
});

if (dialectUnderTest() === 'postgresql') {
  describe("a delivery process woken by another process's ingest", () => {
    let receiver: Receiver;
    let engine: DeliveryEngine;
    let listener: { close(): Promise<void> };
    let wakes = 0;
    const handedOver: string[] = [];

    beforeAll(async () => {
      receiver = await startReceiver();
      await service.db.client.destination.deleteMany({});
      await integration(receiver.url);
      // Polls once a minute: only a notification can make it deliver within the test's time.
      engine = engineWith({ pollMs: 60_000 });
      engine.start();
      listener = listenForEvents(
        (service.database as { url: string }).url,
        {
          onEvents: () => {
            wakes++;
            engine.wake();
          },
          onHandOver: (id) => handedOver.push(id),
        },
        quietLog(),
      );
      await until('listening', async () => (wakes > 0 ? true : undefined));
      // Let the engine's first look (at start) finish, so what follows is found only by a wake-up.
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    afterAll(async () => {
      await listener?.close();
      await engine?.stop();
      await receiver?.close();
    });

    test('an event ingested through the API (not this engine) is delivered without waiting for the poll', async () => {
      const before = wakes;
      await service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send(auditEventBody({ id: 'evt_notified' })).expect(202);
      await until('delivered', async () => (receiver.received.some((r) => r.body.includes('evt_notified')) ? true : undefined), 10_000);
      expect(wakes).toBeGreaterThan(before);
    });

    test("a hand-over names its destination and is not taken for new events", async () => {
      const before = wakes;
      const pg = service.db.driver;
      if (pg.dialect !== 'postgresql') throw new Error('this block runs on PostgreSQL');
      await announceWork(pg.pool, 'whk_handed_over');
      await until('the hand-over heard', async () => (handedOver.includes('whk_handed_over') ? true : undefined));
      expect(wakes).toBe(before);
    });

    test('after its connection is cut (as by a database restart) it listens again, and the next event still wakes it', async () => {
      const pool = (service.db.driver as { pool: import('pg').Pool }).pool;
      const { rows } = await pool.query<{ pid: number }>(
        `SELECT "pid" FROM pg_stat_activity WHERE "datname" = current_database() AND "query" LIKE 'LISTEN%'`,
      );
      expect(rows).toHaveLength(1);
      await pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      // On reconnecting it wakes the engine once (events may have come meanwhile); wait for that, then ingest.
      const cut = wakes;
      await until('listening again', async () => (wakes > cut ? true : undefined), 10_000);
      const before = wakes;
      await service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send(auditEventBody({ id: 'evt_after_cut' })).expect(202);
      await until('delivered', async () => (receiver.received.some((r) => r.body.includes('evt_after_cut')) ? true : undefined), 10_000);
      expect(wakes).toBeGreaterThan(before);
    });
  });
}

describe('a lease held through a step longer than the lease', () => {
  let receiver: Receiver;
  let engine: DeliveryEngine;
  const leaseMs = 600;

  beforeAll(async () => {
    receiver = await startReceiver();
    receiver.respond(() => 'hang');
    await service.db.client.destination.deleteMany({});
    await integration(receiver.url);
    engine = engineWith({ leaseMs, webhookTimeoutMs: 5_000 });
    engine.start();
  });
  afterAll(async () => {
    await engine?.stop();
    await receiver?.close();
  });

  test('is renewed while the request hangs, so no other process can claim the destination', async () => {
    await service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send(auditEventBody({ id: 'evt_slow' })).expect(202);
    engine.wake();
    await until('the request is in flight', async () => (receiver.received.length > 0 ? true : undefined));
    // Well past the lease's length since it was claimed: without renewal it would have expired by now.
    await new Promise((resolve) => setTimeout(resolve, 3 * leaseMs));
    expect(await claim('another-process', new Date())).toEqual([]);
    const state = await service.db.client.deliveryState.findFirstOrThrow({});
    expect(state.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now());
  });
});
