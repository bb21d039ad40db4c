/**
 * Retention (store/prune-events.ts, delivery/retention.ts): an event is deleted once it is older than the retention
 * period, every destination of its tenant has passed it and no pending webhook delivery needs it; nothing else is.
 * Events are "old" here by moving the cut-off, not the clock: received times are the service's own.
 */
import { Writable } from 'node:stream';
import { Retention } from '../../src/delivery/retention';
import { createLogger } from '../../src/log';
import { createMetrics } from '../../src/metrics';
import { pruneEvents } from '../../src/store/prune-events';
import { addDeliveries } from '../../src/store/webhook-deliveries';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, startTestService } from '../support/test-service';

let service: TestService;

beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

const ingest = (tenant: TenantWithKeys, ids: string[]) =>
  service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send(ids.map((id) => auditEventBody({ id }))).expect(202);

async function auditIds(tenant: TenantWithKeys): Promise<string[]> {
  const rows = await service.db.client.event.findMany({ where: { tenantId: tenant.id, kind: 'audit' }, select: { eventId: true }, orderBy: { sequence: 'asc' } });
  return rows.map((r) => r.eventId);
}

const tomorrow = () => new Date(Date.now() + 86_400_000);
const yesterday = () => new Date(Date.now() - 86_400_000);

test('deletes what every destination passed and no pending delivery needs, once older than the cut-off', async () => {
  const tenant = await service.tenant('with destinations');
  await ingest(tenant, ['evt_1', 'evt_2', 'evt_3']);
  // Created now, both start at the end of the log: they have passed evt_1 to evt_3.
  const hook = await service.http.post('/v1/webhook-integrations').set(bearer(tenant.keys.admin.secret)).send({ name: 'siem', url: 'https://siem.example.com/a' }).expect(201);
  await service.http
    .post('/v1/webhook-integrations')
    .set(bearer(tenant.keys.admin.secret))
    .send({ name: 'second', url: 'https://siem.example.com/b' })
    .expect(201);
  await ingest(tenant, ['evt_4', 'evt_5']);
  // evt_2 has a delivery still pending (a retry, a replay): it stays until that is settled.
  const evt2 = await service.db.client.event.findFirstOrThrow({ where: { tenantId: tenant.id, eventId: 'evt_2' } });
  await addDeliveries(service.db, hook.body.id as string, [{ id: 'whd_retention_pending', sequence: evt2.sequence, eventId: 'evt_2' }], new Date());

  expect(await pruneEvents(service.db, yesterday())).toBe(0);
  expect(await auditIds(tenant)).toEqual(['evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_5']);

  expect(await pruneEvents(service.db, tomorrow())).toBeGreaterThanOrEqual(2);
  expect(await auditIds(tenant)).toEqual(['evt_2', 'evt_4', 'evt_5']);

  // One destination moves past evt_4 and evt_5, the other does not: they stay.
  const states = await service.db.client.deliveryState.findMany({ where: { destination: { tenantId: tenant.id } } });
  const end = (await service.db.client.event.aggregate({ where: { tenantId: tenant.id }, _max: { sequence: true } }))._max.sequence!;
  await service.db.client.deliveryState.update({ where: { destinationId: states[0]!.destinationId }, data: { cursor: end } });
  await pruneEvents(service.db, tomorrow());
  expect(await auditIds(tenant)).toEqual(['evt_2', 'evt_4', 'evt_5']);

  // Once both have, and the pending delivery is settled, everything old goes.
  await service.db.client.deliveryState.updateMany({ where: { destination: { tenantId: tenant.id } }, data: { cursor: end } });
  await service.db.client.webhookDelivery.update({ where: { id: 'whd_retention_pending' }, data: { status: 'succeeded' } });
  await pruneEvents(service.db, tomorrow());
  expect(await auditIds(tenant)).toEqual([]);
});

test("a tenant without destinations keeps its log for the retention period only; other tenants' cursors do not count", async () => {
  const quiet = await service.tenant('no destinations');
  const busy = await service.tenant('a destination behind');
  await ingest(quiet, ['evt_q1', 'evt_q2']);
  await service.http.post('/v1/webhook-integrations').set(bearer(busy.keys.admin.secret)).send({ name: 'siem', url: 'https://siem.example.com/c' }).expect(201);
  await ingest(busy, ['evt_b1']);
  await pruneEvents(service.db, yesterday());
  expect(await auditIds(quiet)).toEqual(['evt_q1', 'evt_q2']);
  await pruneEvents(service.db, tomorrow());
  expect(await auditIds(quiet)).toEqual([]);
  expect(await auditIds(busy)).toEqual(['evt_b1']);
});

test('the periodic runner prunes with the configured period and counts what it deleted', async () => {
  const tenant = await service.tenant('runner');
  await ingest(tenant, ['evt_r1']);
  const metrics = createMetrics();
  const log = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
  // A period of -1 day puts every event before the cut-off.
  const retention = new Retention({ db: service.db, log, metrics, retentionMs: -86_400_000 });
  expect(await retention.runOnce()).toBeGreaterThanOrEqual(1);
  expect(await auditIds(tenant)).toEqual([]);
  expect((await metrics.eventsPruned.get()).values[0]!.value).toBeGreaterThanOrEqual(1);
});
