/**
 * The delivery engine's hand-written reads of the log (store/read-events.ts), on both dialects: selection by kind
 * and action pattern exactly as `matchesActions` decides (`_`, LIKE's wildcard, in a prefix matches only itself), ranges, limits, and times to the millisecond.
 */
import { matchesActions } from '../../src/domain/events/action-patterns';
import type { EventSelection } from '../../src/store/read-events';
import { countEvents, eventBodies, nextEvents } from '../../src/store/read-events';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, startTestService } from '../support/test-service';

let service: TestService;
let tenant: TenantWithKeys;
let other: TenantWithKeys;

// Actions may hold `_` (LIKE's one-character wildcard), so a prefix must match it literally.
const ACTIONS = ['grant.approved', 'grant_x.approved', 'grantAx.approved', 'grant_xz.made', 'Grant.approved', 'grant', 'a-b:c.d', 'aXb.c', 'grant.revoked'];

interface Stored {
  sequence: bigint;
  action: string;
  kind: string;
  occurredAt: Date;
  receivedAt: Date;
  payload: string;
}
let stored: Stored[];

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.tenant();
  other = await service.tenant();
  const events = ACTIONS.map((action, i) => auditEventBody({ id: `read-${i}`, action, occurred_at: `2026-03-01T12:00:0${i}.${String(i * 111).padStart(3, '0')}Z` }));
  await service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send(events).expect(202);
  await service.http.post('/v1/events').set(bearer(other.keys.writer.secret)).send([auditEventBody({ action: 'grant.approved' })]).expect(202);
  // The log as Prisma reads it: what the hand-written reads must agree with.
  stored = (
    await service.db.client.event.findMany({ where: { tenantId: tenant.id }, orderBy: { sequence: 'asc' } })
  ).map((e) => ({ sequence: e.sequence, action: e.action, kind: e.kind, occurredAt: e.occurredAt, receivedAt: e.receivedAt, payload: e.payload }));
});
afterAll(async () => {
  await service?.close();
});

const selection = (actions: string[] | null, kinds: string[] = ['audit', 'authorization']): EventSelection => ({ tenantId: tenant.id, kinds, actions });
const expected = (actions: string[] | null, kinds: string[] = ['audit', 'authorization']) =>
  stored.filter((e) => kinds.includes(e.kind) && matchesActions(actions, e.action));

test.each([
  [['grant_x.*']],
  [['grant_xz.*']],
  [['grant.*']],
  [['grant.approved', 'a-b:c.*']],
  [['Grant.*']],
  [null],
])('actions %j select exactly what matchesActions selects', async (actions) => {
  const want = expected(actions);
  expect(want.length).toBeGreaterThan(0);
  const bodies = await eventBodies(service.db, selection(actions), 0n, 2n ** 62n);
  expect(bodies.map((b) => b.sequence)).toEqual(want.map((e) => e.sequence));
  expect(await countEvents(service.db, selection(actions), 0n)).toBe(want.length);
});

test('kinds select: audit only leaves out the authorization events of the API calls', async () => {
  const audit = await eventBodies(service.db, selection(null, ['audit']), 0n, 2n ** 62n);
  expect(audit.map((h) => h.sequence)).toEqual(expected(null, ['audit']).map((e) => e.sequence));
  expect(audit).toHaveLength(ACTIONS.length);
  expect(await eventBodies(service.db, selection(null, []), 0n, 2n ** 62n)).toEqual([]);
  expect(await nextEvents(service.db, selection(null, []), { after: 0n, through: null }, 1000)).toBeNull();
  expect(await countEvents(service.db, selection(null, []), 0n)).toBe(0);
});

test('next events: after a sequence, at most `limit`, with the first one\'s received time to the millisecond', async () => {
  const audit = expected(null, ['audit']);
  const limited = await nextEvents(service.db, selection(null, ['audit']), { after: audit[2]!.sequence, through: null }, 3);
  expect(limited).toEqual({ count: 3, first: audit[3]!.sequence, last: audit[5]!.sequence, firstReceivedAt: audit[3]!.receivedAt });
  const rest = await nextEvents(service.db, selection(['grant.*']), { after: audit[0]!.sequence, through: null }, 100);
  const grants = expected(['grant.*']).filter((e) => e.sequence > audit[0]!.sequence);
  expect(rest).toEqual({ count: grants.length, first: grants[0]!.sequence, last: grants.at(-1)!.sequence, firstReceivedAt: grants[0]!.receivedAt });
  expect(await nextEvents(service.db, selection(null), { after: stored.at(-1)!.sequence, through: null }, 100)).toBeNull();
});

test('bodies: the range is inclusive at both ends; payloads and occurred times exactly as stored', async () => {
  const audit = expected(null, ['audit']);
  const bodies = await eventBodies(service.db, selection(null, ['audit']), audit[1]!.sequence, audit[4]!.sequence);
  expect(bodies).toEqual(audit.slice(1, 5).map((e) => ({ sequence: e.sequence, occurredAt: e.occurredAt, payload: e.payload })));
  expect(bodies.map((b) => b.occurredAt.toISOString())).toEqual(['2026-03-01T12:00:01.111Z', '2026-03-01T12:00:02.222Z', '2026-03-01T12:00:03.333Z', '2026-03-01T12:00:04.444Z']);
});

test("another tenant's events are never selected", async () => {
  const mine = await eventBodies(service.db, selection(['grant.approved']), 0n, 2n ** 62n);
  expect(mine.map((b) => JSON.parse(b.payload).id)).toEqual(['read-0']);
});
