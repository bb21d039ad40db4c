/**
 * PostgreSQL takes sequence numbers at insert and commits transactions in any order: an ingest transaction holding
 * sequence 10 may still be open when 11, 12 and 13 are committed. Delivery must not move a cursor past 10 then, or
 * that event is never delivered. Here a transaction is held open with an event in it while later ingests commit;
 * the log's horizon stays below it, nothing after it is handed to the webhook, and once it commits every event is
 * delivered, itself included. On SQLite writers take turns, so sequence numbers commit in order and there is no
 * horizon.
 */
import pg from 'pg';
import { eventIdsAfter, logHorizon, nextEvents } from '../../src/store/read-events';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, dialectUnderTest, startTestService } from '../support/test-service';
import { testDeliverySettings } from '../support/delivery-settings';
import { until } from '../support/until';

const settings = testDeliverySettings({ pollMs: 20, concurrency: 4, webhookTimeoutMs: 2_000, webhookRetryDelaysMs: [100] });

let service: TestService;
let tenant: TenantWithKeys;

beforeAll(async () => {
  service = await startTestService({ delivery: settings, allowPrivateNetwork: true });
  tenant = await service.tenant();
});
afterAll(async () => {
  await service?.close();
});

const ingest = (ids: string[]) =>
  service.http
    .post('/v1/events')
    .set(bearer(tenant.keys.writer.secret))
    .send(ids.map((id) => auditEventBody({ id })))
    .expect(202);

/** The service's own PostgreSQL pool (the tests below run on PostgreSQL only). */
function pool(): pg.Pool {
  const driver = service.db.driver;
  if (driver.dialect !== 'postgresql') throw new Error('only on PostgreSQL');
  return driver.pool;
}

const selection = () => ({ tenantId: tenant.id, kinds: ['audit'], actions: null });

if (dialectUnderTest() === 'sqlite') {
  test('SQLite has no horizon: its writers commit in sequence order', async () => {
    await ingest(['evt_sqlite_1']);
    expect(await logHorizon(service.db)).toBeNull();
  });
} else {
  describe('an ingest transaction held open while later ones commit', () => {
    let held: pg.Client;
    let receiver: Receiver;
    let heldSequence: bigint;

    beforeAll(async () => {
      receiver = await startReceiver();
      await service.http
        .post('/v1/webhook-integrations')
        .set(bearer(tenant.keys.admin.secret))
        .send({ name: 'siem', url: receiver.url })
        .expect(201);
      held = new pg.Client({ connectionString: (service.database as { url: string }).url });
      await held.connect();
      await held.query('BEGIN');
      const { rows } = await held.query<{ sequence: string }>(
        `INSERT INTO "events" ("tenant_id", "event_id", "kind", "action", "actor_id", "occurred_at", "received_at", "payload")
         VALUES ($1, 'evt_held', 'audit', 'grant.approved', 'usr_held', now(), now(), $2) RETURNING "sequence"::text`,
        [tenant.id, JSON.stringify(auditEventBody({ id: 'evt_held' }))],
      );
      heldSequence = BigInt(rows[0]!.sequence);
      await ingest(['evt_after_1', 'evt_after_2', 'evt_after_3']);
      service.engine!.start();
    });
    afterAll(async () => {
      await held?.end();
      await receiver?.close();
    });

    test('the later events are committed with higher sequence numbers, and the horizon stays below the held one', async () => {
      const { rows } = await pool().query<{ sequence: string }>(
        `SELECT "sequence"::text FROM "events" WHERE "tenant_id" = $1 AND "kind" = 'audit' ORDER BY "sequence"`,
        [tenant.id],
      );
      expect(rows.map((r) => BigInt(r.sequence) > heldSequence)).toEqual([true, true, true]);
      expect(await logHorizon(service.db)).toBe(heldSequence - 1n);
      // Readers bounded by the horizon see none of them: not the S3 batcher's, not the webhook dispatcher's.
      const range = { after: 0n, through: await logHorizon(service.db) };
      expect(await nextEvents(service.db, selection(), range, 100)).toBeNull();
      expect(await eventIdsAfter(service.db, selection(), range, 100)).toEqual([]);
    });

    test('delivery waits: nothing is sent and the cursor does not pass the held event', async () => {
      // Long enough for many engine polls (20 ms) to have dispatched the later events, had they been readable.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(receiver.received).toHaveLength(0);
      const states = await service.db.client.deliveryState.findMany({ select: { cursor: true } });
      expect(states.every((s) => s.cursor < heldSequence)).toBe(true);
    });

    test('once it commits, every event is delivered, the held one included', async () => {
      await held.query('COMMIT');
      service.engine!.wake();
      const ids = await until('all four events delivered', async () => {
        const got = receiver.received.map((r) => (JSON.parse(r.body) as { id: string }).id).sort();
        return got.length >= 4 ? got : undefined;
      });
      expect(ids).toEqual(['evt_after_1', 'evt_after_2', 'evt_after_3', 'evt_held']);
      expect(await logHorizon(service.db)).toBeGreaterThanOrEqual(heldSequence + 3n);
    });
  });

  test('a transaction that rolls back leaves a gap the horizon moves past', async () => {
    const client = new pg.Client({ connectionString: (service.database as { url: string }).url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO "events" ("tenant_id", "event_id", "kind", "action", "actor_id", "occurred_at", "received_at", "payload")
         VALUES ($1, 'evt_rolled_back', 'audit', 'grant.approved', 'usr_x', now(), now(), '{}')`,
        [tenant.id],
      );
      const during = await logHorizon(service.db);
      await client.query('ROLLBACK');
      await ingest(['evt_after_rollback']);
      const after = await logHorizon(service.db);
      expect(after).not.toBeNull();
      expect(after!).toBeGreaterThan(during!);
      const { rows } = await client.query<{ max: string }>(`SELECT max("sequence")::text AS "max" FROM "events"`);
      expect(after).toBe(BigInt(rows[0]!.max));
    } finally {
      await client.end();
    }
  });
}
