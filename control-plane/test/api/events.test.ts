/**
 * POST /v1/events (ingest: single, batch, ids, idempotency, atomicity, limits) and GET /v1/events (filters,
 * pagination, query validation), against a real app on the dialect under test.
 */
import type { Response } from 'supertest';
import type { ListedEvent as Listed, TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, eventPages, startTestService } from '../support/test-service';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
});

afterAll(async () => {
  await svc?.close();
});

let counter = 0;
/** A unique, valid event id for this file. */
const uid = (label = 'e') => `${label}-${Date.now().toString(36)}-${++counter}`;

function ingest(t: TenantWithKeys, body: unknown): Promise<Response> {
  return svc.http.post('/v1/events').set(bearer(t.keys.writer.secret)).send(body as object);
}

function list(t: TenantWithKeys, query: string | Record<string, string> = ''): Promise<Response> {
  const qs = typeof query === 'string' ? query : new URLSearchParams(query).toString();
  return svc.http.get(`/v1/events${qs ? `?${qs}` : ''}`).set(bearer(t.keys.reader.secret));
}

/** Every page of the events matching the filters, as the tenant's reader lists them `limit` at a time. */
const pages = (t: TenantWithKeys, filters: Record<string, string> = {}, limit = 200) => eventPages(svc, bearer(t.keys.reader.secret), filters, limit);

/** Every event matching the filters. */
const listAll = async (t: TenantWithKeys, filters: Record<string, string> = {}, limit = 200): Promise<Listed[]> => (await pages(t, filters, limit)).flat();

const auditCount = (t: TenantWithKeys) => svc.db.client.event.count({ where: { tenantId: t.id, kind: 'audit' } });
const storedCount = (t: TenantWithKeys, ids: string[]) =>
  svc.db.client.event.count({ where: { tenantId: t.id, eventId: { in: ids } } });

function authorizationEventBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: uid('eval-ext'),
    request: {
      principal: { type: 'User', id: 'usr_bob' },
      action: { type: 'Action', id: 'document.read' },
      resource: { type: 'Document', id: 'doc_1' },
      context: { ip: '10.0.0.1', mfa: true },
    },
    decision: 'allow',
    allowed: true,
    diagnostics: { reason: 'policy p1 permits', errors: [] },
    evaluated_at: '2026-03-01T12:00:00.123Z',
    evaluation_duration: 1234,
    ...overrides,
  };
}

function validationPaths(res: Response): string[] {
  expect(res.body.error.code).toBe('validation_failed');
  expect(Array.isArray(res.body.error.details)).toBe(true);
  return (res.body.error.details as Array<{ path: string }>).map((d) => d.path);
}

describe('POST /v1/events', () => {
  test('a single event object is accepted and reported by id', async () => {
    const t = await svc.tenant();
    const event = auditEventBody();
    const res = await ingest(t, event);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, ids: [event.id] });
    expect(await auditCount(t)).toBe(1);
  });

  test('a batch of 1000 events is accepted whole', async () => {
    const t = await svc.tenant();
    const batch = Array.from({ length: 1000 }, (_, i) => auditEventBody({ id: `big-${i}` }));
    const res = await ingest(t, batch);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1000);
    expect(res.body.duplicates).toBe(0);
    expect(res.body.ids).toEqual(batch.map((e) => e.id));
    expect(await auditCount(t)).toBe(1000);
  });

  test.each([
    ['1001 events', () => Array.from({ length: 1001 }, (_, i) => auditEventBody({ id: `over-${i}` }))],
    ['an empty batch', () => []],
  ])('%s is refused with 422 and nothing is stored', async (_name, make) => {
    const t = await svc.tenant();
    const res = await ingest(t, make());
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(await auditCount(t)).toBe(0);
  });

  test('events without an id get evt_ (audit) or eval_ (authorization) ids, returned in request order', async () => {
    const t = await svc.tenant();
    const { id: _a, ...auditNoId } = auditEventBody({ action: 'noid.audit' });
    const { id: _b, ...authzNoId } = authorizationEventBody();
    const given1 = uid('given');
    const given2 = uid('given');
    const batch = [auditEventBody({ id: given1 }), auditNoId, authzNoId, auditNoId, auditEventBody({ id: given2 })];
    const res = await ingest(t, batch);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(5);
    expect(res.body.duplicates).toBe(0);
    const ids = res.body.ids as string[];
    expect(ids).toHaveLength(5);
    expect(ids[0]).toBe(given1);
    expect(ids[1]).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ids[2]).toMatch(/^eval_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ids[3]).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ids[3]).not.toBe(ids[1]);
    expect(ids[4]).toBe(given2);

    // The assigned ids are the stored ones, in log order, and the delivered payload carries them.
    const audit = await listAll(t, { kind: 'audit' });
    expect(audit.map((e) => e.id)).toEqual([ids[0], ids[1], ids[3], ids[4]]);
    for (const e of audit) expect(e.event.id).toBe(e.id);
    const external = (await listAll(t, { kind: 'authorization' })).filter((e) => e.id === ids[2]);
    expect(external).toHaveLength(1);
    expect(external[0]!.event).toEqual({ ...authzNoId, id: ids[2] });
  });

  test('re-sending the same batch adds nothing and leaves the log unchanged', async () => {
    const t = await svc.tenant();
    const batch = Array.from({ length: 5 }, () => auditEventBody({ id: uid() }));
    const first = await ingest(t, batch);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: 5, duplicates: 0, ids: batch.map((e) => e.id) });
    const before = await listAll(t, { kind: 'audit' });

    const again = await ingest(t, batch);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ accepted: 0, duplicates: 5, ids: batch.map((e) => e.id) });
    expect(await auditCount(t)).toBe(5);
    expect(await listAll(t, { kind: 'audit' })).toEqual(before);
  });

  test('a re-sent id with a different payload is a duplicate and the first payload stays', async () => {
    const t = await svc.tenant();
    const original = auditEventBody({ message: 'the original' });
    expect((await ingest(t, original)).status).toBe(202);
    const res = await ingest(t, { ...original, message: 'an impostor', action: 'grant.revoked' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 0, duplicates: 1, ids: [original.id] });
    const stored = await listAll(t, { kind: 'audit' });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.event).toEqual(original);
  });

  test('a batch mixing known and new ids accepts only the new ones', async () => {
    const t = await svc.tenant();
    const known = Array.from({ length: 3 }, () => auditEventBody({ id: uid('known') }));
    expect((await ingest(t, known)).body.accepted).toBe(3);
    const fresh = Array.from({ length: 2 }, () => auditEventBody({ id: uid('fresh') }));
    const mixed = [known[0]!, fresh[0]!, known[1]!, fresh[1]!, known[2]!];
    const res = await ingest(t, mixed);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 2, duplicates: 3, ids: mixed.map((e) => e.id) });
    expect(await auditCount(t)).toBe(5);
    const order = (await listAll(t, { kind: 'audit' })).map((e) => e.id);
    expect(order).toEqual([...known, ...fresh].map((e) => e.id));
  });

  test('the same id twice inside one batch is stored once (the first occurrence)', async () => {
    const t = await svc.tenant();
    const id = uid('twice');
    const first = auditEventBody({ id, message: 'first' });
    const second = auditEventBody({ id, message: 'second' });
    const other = auditEventBody();
    const res = await ingest(t, [first, other, second]);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 2, duplicates: 1, ids: [id, other.id, id] });
    const stored = await listAll(t, { kind: 'audit' });
    expect(stored.map((e) => e.id)).toEqual([id, other.id]);
    expect(stored[0]!.event.message).toBe('first');
  });

  test('10 concurrent identical requests store each id exactly once', async () => {
    const t = await svc.tenant();
    const batch = Array.from({ length: 20 }, () => auditEventBody({ id: uid('race') }));
    const results = await Promise.all(Array.from({ length: 10 }, () => ingest(t, batch)));
    for (const r of results) {
      expect(r.status).toBe(202);
      expect(r.body.ids).toEqual(batch.map((e) => e.id));
      expect(r.body.accepted + r.body.duplicates).toBe(20);
    }
    expect(results.reduce((n, r) => n + (r.body.accepted as number), 0)).toBe(20);
    expect(results.reduce((n, r) => n + (r.body.duplicates as number), 0)).toBe(180);
    expect(await auditCount(t)).toBe(20);
    const stored = await listAll(t, { kind: 'audit' });
    expect(new Set(stored.map((e) => e.id))).toEqual(new Set(batch.map((e) => e.id)));
  });

  test('10 concurrent requests with overlapping batches store the union once', async () => {
    const t = await svc.tenant();
    const pool = Array.from({ length: 30 }, () => auditEventBody({ id: uid('overlap') }));
    // Request i carries events i .. i+11 of the pool: neighbours share most of their ids.
    const batches = Array.from({ length: 10 }, (_, i) => pool.slice(i * 2, i * 2 + 12));
    const results = await Promise.all(batches.map((b) => ingest(t, b)));
    for (const r of results) expect(r.status).toBe(202);
    const union = new Set(batches.flat().map((e) => e.id));
    expect(results.reduce((n, r) => n + (r.body.accepted as number), 0)).toBe(union.size);
    expect(await auditCount(t)).toBe(union.size);
  });

  test('one invalid event refuses the whole batch, naming its path, and stores nothing', async () => {
    const t = await svc.tenant();
    const batch = Array.from({ length: 10 }, () => auditEventBody({ id: uid('atomic') }));
    const { id: _dropped, ...actorWithoutId } = batch[7]!.actor as Record<string, unknown>;
    batch[7] = { ...batch[7]!, actor: actorWithoutId };
    const res = await ingest(t, batch);
    expect(res.status).toBe(422);
    expect(validationPaths(res)).toEqual(['[7].actor.id']);
    expect(await storedCount(t, batch.map((e) => String(e.id)))).toBe(0);
    expect(await auditCount(t)).toBe(0);
  });

  test.each([
    ['a wrong type deep inside', 3, (e: Record<string, unknown>) => ({ ...e, targets: [{ type: 'grant', id: 42 }] }), '[3].targets[0].id'],
    ['an unknown field', 0, (e: Record<string, unknown>) => ({ ...e, colour: 'blue' }), '[0].colour'],
    ['a bad timestamp', 9, (e: Record<string, unknown>) => ({ ...e, occurred_at: '2026-13-01T00:00:00Z' }), '[9].occurred_at'],
    ['a bad id', 5, (e: Record<string, unknown>) => ({ ...e, id: 'has space' }), '[5].id'],
    ['a bad action', 2, (e: Record<string, unknown>) => ({ ...e, action: 'grant..approved' }), '[2].action'],
  ])('%s in a batch is reported at its index and nothing is stored', async (_name, index, spoil, path) => {
    const t = await svc.tenant();
    const batch = Array.from({ length: 10 }, () => auditEventBody({ id: uid('spoil') }));
    batch[index] = spoil(batch[index]!);
    const res = await ingest(t, batch);
    expect(res.status).toBe(422);
    expect(validationPaths(res)).toContain(path);
    expect(await auditCount(t)).toBe(0);
  });

  test('the payload round-trips exactly: nested metadata, unicode, escapes, every optional field', async () => {
    const t = await svc.tenant();
    const event = auditEventBody({
      action: 'document.shared',
      occurred_at: '2026-03-01T12:00:00.123456+05:30',
      message: 'Zoë partagé le document « Überblick » 📄 — 日本語',
      actor: { type: 'user', id: 'usr_zoë', name: 'Zoë Ünïcödé', email: 'zoe@exämple.com' },
      targets: [
        { type: 'document', id: 'doc_1' },
        { type: 'folder', id: 'fld_ß' },
      ],
      context: { request: { client_addr: '2001:db8::1', user_agent: 'curl/8.5.0' }, authz: { eval: 'eval_123' } },
      caller_identity_chain: [
        { type: 'user', id: 'usr_zoë' },
        { type: 'bot', id: 'bot_ci' },
      ],
      index: 'workspace-42',
      metadata: {
        nested: { deeper: { deepest: [1, 2.5, -3e-7, 1e21, { x: null, y: [true, false, [], {}] }] } },
        'clé unicode 🔑': 'valeur — 値 — 🚀 👩‍💻',
        escapes: 'quote " backslash \\ newline \n tab \t nul \u0000 bell \u0007 line-sep \u2028',
        emptyString: '',
        emptyObject: {},
        emptyArray: [],
        zero: 0,
        big: 9007199254740991,
        negative: -42,
        flag: false,
        nothing: null,
      },
    });
    const res = await ingest(t, event);
    expect(res.status).toBe(202);
    const stored = await listAll(t, { kind: 'audit' });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).toBe(event.id);
    expect(stored[0]!.kind).toBe('audit');
    expect(stored[0]!.event).toEqual(event);
    // and nothing was added (toEqual ignores undefined properties; compare the keys too)
    expect(Object.keys(stored[0]!.event).sort()).toEqual(Object.keys(event).sort());
  });

  test('metadata keys that are special in JavaScript are stored and delivered unchanged', async () => {
    const t = await svc.tenant();
    const id = uid('proto');
    // Written as text: an object literal would not hold an own "__proto__" key.
    const metadata = '{"__proto__":{"polluted":true},"constructor":"c","toString":1,"hasOwnProperty":null,"nested":{"__proto__":[1]}}';
    const text = JSON.stringify(auditEventBody({ id })).replace(/}$/, `,"metadata":${metadata}}`);
    const res = await svc.http.post('/v1/events').set(bearer(t.keys.writer.secret)).set('content-type', 'application/json').send(text);
    expect(res.status).toBe(202);
    // supertest parses with JSON.parse, which keeps "__proto__" as an own key.
    const [stored] = await listAll(t, { kind: 'audit' });
    const served = stored!.event.metadata as Record<string, unknown>;
    expect(Object.keys(served).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'nested', 'toString']);
    expect(served).toEqual(JSON.parse(metadata));
    expect(JSON.stringify(served)).toBe(JSON.stringify(JSON.parse(metadata)));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  /** An audit event nesting `depth` levels deep in total (the event object is level 1, metadata level 2). */
  const nestedEvent = (depth: number) => auditEventBody({ metadata: Array.from({ length: depth - 2 }).reduce<unknown>((inner) => ({ a: inner }), {}) });

  test('an event nesting 64 levels deep round-trips; 65 levels is refused with 422', async () => {
    const t = await svc.tenant();
    const fits = nestedEvent(64);
    const accepted = await ingest(t, fits);
    expect(accepted.status).toBe(202);
    const [stored] = await listAll(t, { kind: 'audit' });
    expect(stored!.event).toEqual(fits);
    const refused = await ingest(t, [auditEventBody(), nestedEvent(65)]);
    expect(refused.status).toBe(422);
    expect(validationPaths(refused)).toEqual(['[1]']);
    expect(await auditCount(t)).toBe(1);
  });

  test('an event larger than 256 KiB is refused; one just below the limit is accepted', async () => {
    const t = await svc.tenant();
    const big = auditEventBody({ metadata: { blob: 'x'.repeat(256 * 1024) } });
    const refused = await ingest(t, big);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(refused.body.error.message).toMatch(/256 KiB/);
    expect(await auditCount(t)).toBe(0);

    const fits = auditEventBody({ metadata: { blob: 'x'.repeat(250 * 1024) } });
    const accepted = await ingest(t, fits);
    expect(accepted.status).toBe(202);
    expect(accepted.body.accepted).toBe(1);
  });

  test('an oversized event inside a batch is reported at its index and nothing is stored', async () => {
    const t = await svc.tenant();
    const batch = Array.from({ length: 4 }, () => auditEventBody({ id: uid('sized') }));
    batch[2] = { ...batch[2]!, metadata: { blob: 'y'.repeat(300 * 1024) } };
    const res = await ingest(t, batch);
    expect(res.status).toBe(422);
    expect(validationPaths(res)).toEqual(['[2]']);
    expect(await auditCount(t)).toBe(0);
  });

  test('authorization events from outside are accepted, round-trip and are listed as kind "authorization"', async () => {
    const t = await svc.tenant();
    const allow = authorizationEventBody();
    const deny = authorizationEventBody({ decision: 'deny', allowed: false, diagnostics: { errors: ['no policy matched'] } });
    const res = await ingest(t, [allow, deny]);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 2, duplicates: 0, ids: [allow.id, deny.id] });
    expect(await auditCount(t)).toBe(0);

    const authz = await listAll(t, { kind: 'authorization' });
    const external = authz.filter((e) => e.id === allow.id || e.id === deny.id);
    expect(external.map((e) => e.kind)).toEqual(['authorization', 'authorization']);
    expect(external.map((e) => e.event)).toEqual([allow, deny]);
    // The indexed columns come from the authorization event's request: actor = principal, action = action.
    const byPrincipal = await listAll(t, { kind: 'authorization', actor_id: 'usr_bob', action: 'document.read' });
    expect(byPrincipal.map((e) => e.id)).toEqual([allow.id, deny.id]);
    // Audit-only reads do not see them.
    expect(await listAll(t, { kind: 'audit' })).toEqual([]);
  });

  test.each([
    ['allow', false],
    ['deny', true],
  ])('an authorization event with decision %s and allowed %s is refused naming "allowed"', async (decision, allowed) => {
    const t = await svc.tenant();
    const event = authorizationEventBody({ decision, allowed });
    const res = await ingest(t, event);
    expect(res.status).toBe(422);
    expect(validationPaths(res)).toEqual(['allowed']);
    expect(await storedCount(t, [String(event.id)])).toBe(0);
  });

  test('the disagreeing authorization event is located by index inside a batch', async () => {
    const t = await svc.tenant();
    const res = await ingest(t, [auditEventBody(), authorizationEventBody({ decision: 'deny', allowed: true })]);
    expect(res.status).toBe(422);
    expect(validationPaths(res)).toEqual(['[1].allowed']);
    expect(await auditCount(t)).toBe(0);
  });

  test('idempotency is per tenant: the same id in two tenants is stored in both, and each sees only its own', async () => {
    const a = await svc.tenant();
    const b = await svc.tenant();
    const event = auditEventBody({ id: uid('shared') });
    expect((await ingest(a, event)).body).toEqual({ accepted: 1, duplicates: 0, ids: [event.id] });
    expect((await ingest(b, { ...event, message: 'tenant b' })).body).toEqual({ accepted: 1, duplicates: 0, ids: [event.id] });
    const seenByA = await listAll(a, { kind: 'audit' });
    const seenByB = await listAll(b, { kind: 'audit' });
    expect(seenByA.map((e) => e.event.message)).toEqual([event.message]);
    expect(seenByB.map((e) => e.event.message)).toEqual(['tenant b']);
  });

  test('a reader key may not ingest (403) and nothing is stored', async () => {
    const t = await svc.tenant();
    const res = await svc.http.post('/v1/events').set(bearer(t.keys.reader.secret)).send(auditEventBody());
    expect(res.status).toBe(403);
    expect(await auditCount(t)).toBe(0);
  });
});

describe('GET /v1/events', () => {
  let t: TenantWithKeys;
  /** name -> event id, in ingest order. */
  const ids: Record<string, string> = {};
  const fixtures: Array<[name: string, action: string, actor: string, occurredAt: string]> = [
    // instants (UTC): 10:00, 10:30, 11:00, 11:30.5, 23:15 on 2026-03-01
    ['approved', 'grant.approved', 'usr_a', '2026-03-01T10:00:00Z'],
    ['revoked', 'grant.revoked', 'usr_b', '2026-03-01T12:30:00+02:00'],
    ['grantee', 'grantee.x', 'usr_a', '2026-03-01T06:00:00-05:00'],
    ['upper', 'GRANT.approved', 'usr_a', '2026-03-01T11:30:00.500Z'],
    ['access', 'access.requested', 'usr_c', '2026-03-02T00:15:00+01:00'],
    ['underscore', 'grant_x.approved', 'usr_b', '2026-03-01T10:00:00Z'],
    ['lookalike', 'grantyx.approved', 'usr_b', '2026-03-01T10:00:00Z'],
    ['nested', 'grant.approved.twice', 'usr_a', '2026-03-01T10:30:00Z'],
  ];
  const all = fixtures.map(([name]) => name);

  beforeAll(async () => {
    t = await svc.tenant();
    const batch = fixtures.map(([name, action, actor, occurredAt]) =>
      auditEventBody({ id: uid(name), action, occurred_at: occurredAt, actor: { type: 'user', id: actor } }),
    );
    const res = await ingest(t, batch);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(fixtures.length);
    fixtures.forEach(([name], i) => (ids[name] = (res.body.ids as string[])[i]!));
    // Another tenant's matching events must never show up.
    const other = await svc.tenant();
    await ingest(other, fixtures.map(([, action, actor, occurredAt]) => auditEventBody({ action, occurred_at: occurredAt, actor: { type: 'user', id: actor } })));
  });

  const names = (events: Listed[]) => events.map((e) => Object.keys(ids).find((n) => ids[n] === e.id) ?? `?${e.id}`);

  test('kind=audit lists exactly the tenant\'s audit events, in log order', async () => {
    expect(names(await listAll(t, { kind: 'audit' }))).toEqual(all);
  });

  test.each<[string, Record<string, string>, string[]]>([
    ['exact action', { action: 'grant.approved' }, ['approved']],
    ['exact action is case-sensitive', { action: 'GRANT.approved' }, ['upper']],
    ['prefix', { action: 'grant.*' }, ['approved', 'revoked', 'nested']],
    ['prefix is case-sensitive', { action: 'GRANT.*' }, ['upper']],
    ['prefix treats "_" literally', { action: 'grant_x.*' }, ['underscore']],
    ['deeper prefix', { action: 'grant.approved.*' }, ['nested']],
    ['"*" matches every action', { action: '*' }, all],
    ['unknown action', { action: 'nothing.here' }, []],
    ['actor_id', { actor_id: 'usr_a' }, ['approved', 'grantee', 'upper', 'nested']],
    ['actor_id is exact, not a prefix', { actor_id: 'usr_' }, []],
    ['since is inclusive', { since: '2026-03-01T10:30:00Z' }, ['revoked', 'upper', 'access', 'nested', 'grantee']],
    ['until is exclusive', { until: '2026-03-01T10:30:00Z' }, ['approved', 'underscore', 'lookalike']],
    ['since and until', { since: '2026-03-01T10:30:00Z', until: '2026-03-01T11:00:00Z' }, ['revoked', 'nested']],
    ['since with an offset compares instants', { since: '2026-03-01T13:00:00+02:00', until: '2026-03-02T00:00:00+01:00' }, ['grantee', 'upper']],
    ['until with an offset compares instants', { until: '2026-03-01T06:00:00.001-05:00', since: '2026-03-01T05:59:59-05:00' }, ['grantee']],
    ['event on the next local day is the same UTC day', { since: '2026-03-01T23:00:00Z', until: '2026-03-01T23:30:00Z' }, ['access']],
    ['fractional seconds', { since: '2026-03-01T11:30:00.5Z', until: '2026-03-01T11:30:00.501Z' }, ['upper']],
    ['empty range', { since: '2026-03-01T11:00:00Z', until: '2026-03-01T11:00:00Z' }, []],
    ['combined action prefix and actor', { action: 'grant.*', actor_id: 'usr_a' }, ['approved', 'nested']],
    ['combined action, actor and time', { action: 'grant.*', actor_id: 'usr_a', since: '2026-03-01T10:00:00.001Z' }, ['nested']],
    ['combined actor and until', { actor_id: 'usr_b', until: '2026-03-01T10:30:00Z' }, ['underscore', 'lookalike']],
  ])('filter: %s', async (_name, filters, expected) => {
    const got = names(await listAll(t, { kind: 'audit', ...filters }));
    // Results are in log order; compare against the expected names put into log order.
    const inLogOrder = all.filter((n) => expected.includes(n));
    expect(got).toEqual(inLogOrder);
  });

  test('kind=authorization lists only authorization events, including the ones API calls produce', async () => {
    const before = await list(t, { kind: 'audit', limit: '1' });
    const requestId = before.headers['x-request-id'] as string;
    const authz = await listAll(t, { kind: 'authorization' });
    expect(authz.length).toBeGreaterThan(0);
    for (const e of authz) {
      expect(e.kind).toBe('authorization');
      expect(e.id).toMatch(/^eval_/);
      expect(e.event).toHaveProperty('decision');
    }
    // The GET just made was authorized and recorded, with its request id.
    const recorded = authz.filter((e) => (e.event.request as { context?: { request_id?: string } }).context?.request_id === requestId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.event).toMatchObject({
      request: { principal: { type: 'Auditdrain::ApiKey', id: t.keys.reader.id }, action: { id: 'event.list' } },
      decision: 'allow',
      allowed: true,
    });
    // Without a kind filter both kinds appear.
    const everything = await listAll(t);
    expect(new Set(everything.map((e) => e.kind))).toEqual(new Set(['audit', 'authorization']));
  });

  test.each([1, 2, 3, 8])('limit=%i walks the whole filtered log with no gaps or duplicates', async (limit) => {
    const walk = await pages(t, { kind: 'audit' }, limit);
    const walked = walk.flat();
    expect(names(walked)).toEqual(all);
    // Every page but the last is full; the last is not empty unless the log is.
    for (const page of walk.slice(0, -1)) expect(page).toHaveLength(limit);
    expect(walk[walk.length - 1]!.length).toBeGreaterThan(0);
    expect(walk).toHaveLength(Math.ceil(all.length / limit));
    const sequences = walked.map((e) => BigInt(e.sequence));
    for (let i = 1; i < sequences.length; i++) expect(sequences[i]! > sequences[i - 1]!).toBe(true);
  });

  test('limit=2 walks the whole unfiltered log, which grows while it is read, in strictly increasing sequence', async () => {
    const walked = await listAll(t, {}, 2);
    const sequences = walked.map((e) => BigInt(e.sequence));
    for (let i = 1; i < sequences.length; i++) expect(sequences[i]! > sequences[i - 1]!).toBe(true);
    expect(new Set(walked.map((e) => e.id)).size).toBe(walked.length);
    expect(names(walked.filter((e) => e.kind === 'audit'))).toEqual(all);
    // Every authorization event stored before the walk started was seen.
    const stored = await svc.db.client.event.findMany({ where: { tenantId: t.id }, orderBy: { sequence: 'asc' }, select: { eventId: true } });
    const seen = new Set(walked.map((e) => e.id));
    const missed = stored.map((r) => r.eventId).filter((id) => !seen.has(id));
    // Each page request records its own authorization event before reading, so the walk missed nothing.
    expect(missed).toEqual([]);
  });

  test.each([1, 2, 3])('limit=%i pages through a "_" prefix filter among many look-alikes with full pages', async (limit) => {
    const u = await svc.tenant();
    const actions = ['a_b.1', 'axb.1', 'axb.2', 'a_b.2', 'axb.3', 'axb.4', 'axb.5', 'ayb.6', 'a_b.3', 'azb.7'];
    const res = await ingest(u, actions.map((action) => auditEventBody({ action })));
    expect(res.status).toBe(202);
    const walk = (await pages(u, { kind: 'audit', action: 'a_b.*' }, limit)).map((page) => page.map((e) => String(e.event.action)));
    expect(walk.flat()).toEqual(['a_b.1', 'a_b.2', 'a_b.3']);
    for (const page of walk.slice(0, -1)) expect(page).toHaveLength(limit);
  });

  test('a listed event carries id, kind, sequence, received_at and event', async () => {
    const res = await list(t, { kind: 'audit', limit: '1' });
    expect(res.body.data).toHaveLength(1);
    const first = res.body.data[0] as Listed;
    expect(Object.keys(first).sort()).toEqual(['event', 'id', 'kind', 'received_at', 'sequence']);
    expect(first.sequence).toMatch(/^\d+$/);
    expect(new Date(first.received_at).toISOString()).toBe(first.received_at);
  });

  test('the next_cursor of the last page is null even when the last page is exactly full', async () => {
    const res = await list(t, { kind: 'audit', limit: String(all.length) });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(all.length);
    expect(res.body.next_cursor).toBeNull();
  });

  const cursorOf = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

  test.each<[string, string, string]>([
    ['limit=0', 'limit=0', 'limit'],
    ['limit=201', 'limit=201', 'limit'],
    ['limit=abc', 'limit=abc', 'limit'],
    ['limit=-1', 'limit=-1', 'limit'],
    ['limit=1.5', 'limit=1.5', 'limit'],
    ['an empty limit', 'limit=', 'limit'],
    ['an unknown parameter', 'colour=blue', 'colour'],
    ['an unknown parameter next to known ones', 'kind=audit&actorid=usr_a', 'actorid'],
    ['a garbage cursor', 'cursor=%21%21not-a-cursor%21%21', 'cursor'],
    ['a base64 cursor of garbage', `cursor=${cursorOf('hello world')}`, 'cursor'],
    ['a cursor with a non-numeric position', `cursor=${cursorOf('v1:abc')}`, 'cursor'],
    ['a cursor with a negative position', `cursor=${cursorOf('v1:-5')}`, 'cursor'],
    ['a cursor beyond 64 bits', `cursor=${cursorOf('v1:99999999999999999999')}`, 'cursor'],
    ['a repeated kind', 'kind=audit&kind=audit', 'kind'],
    ['a repeated limit', 'limit=2&limit=2', 'limit'],
    ['an unknown kind', 'kind=everything', 'kind'],
    ['a bad since', 'since=yesterday', 'since'],
    ['a date without a time', 'until=2026-03-01', 'until'],
    ['an impossible date', 'since=2026-02-30T00:00:00Z', 'since'],
    ['an action wildcard in the middle', 'action=grant.*.approved', 'action'],
    ['an action with SQL wildcards', 'action=grant.%25', 'action'],
    ['an empty actor_id', 'actor_id=', 'actor_id'],
    ['an actor_id holding NUL', 'actor_id=usr%00a', 'actor_id'],
  ])('%s is refused with 422 naming the parameter', async (_name, query, path) => {
    const res = await list(t, query);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(validationPaths(res)).toContain(path);
    expect(res.body.error.message).toContain(path);
  });

  test('a well-formed cursor past the end of the log gives an empty last page', async () => {
    const res = await list(t, { kind: 'audit', cursor: cursorOf('v1:9223372036854775807') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], next_cursor: null });
  });
});
