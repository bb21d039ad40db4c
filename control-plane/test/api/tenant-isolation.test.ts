/**
 * Tenant isolation: every query is tenant-scoped, and another tenant's id answers exactly like an id that does not
 * exist (404 `not_found`, same message pattern), for every verb, on every resource, without changing anything.
 * Event logs are per tenant: listings never cross, and event ids are unique per tenant only.
 */
import { randomBytes } from 'node:crypto';
import { newId } from '../../src/ids';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, eventPages, startTestService, validBodies } from '../support/test-service';

let service: TestService;
let a: TenantWithKeys;
let b: TenantWithKeys;
let adminA: { authorization: string };
let adminB: { authorization: string };

/** B's resources as B read them right after creating them. */
const ofB: { s3: Record<string, unknown>; webhook: Record<string, unknown>; signingSecret: string } = {
  s3: {},
  webhook: {},
  signingSecret: '',
};
/** A's own resources, so A's listings are not trivially empty. */
const ofA: { s3: Record<string, unknown>; webhook: Record<string, unknown> } = { s3: {}, webhook: {} };

const S3 = '/v1/s3-log-destinations';
const WEBHOOKS = '/v1/webhook-integrations';

beforeAll(async () => {
  service = await startTestService();
  a = await service.tenant('tenant A');
  b = await service.tenant('tenant B');
  adminA = bearer(a.keys.admin.secret);
  adminB = bearer(b.keys.admin.secret);

  ofB.s3 = (await service.http.post(S3).set(adminB).send({ ...validBodies.s3_log_destination(), name: 'B archive' }).expect(201)).body;
  ofB.webhook = (
    await service.http
      .post(WEBHOOKS)
      .set(adminB)
      .send({ ...validBodies.webhook_integration(), name: 'B siem', headers: [{ key: 'X-Token', value: 'b-token' }] })
      .expect(201)
  ).body;
  ofB.signingSecret = (await service.http.get(`${WEBHOOKS}/${String(ofB.webhook.id)}/signing-secret`).set(adminB).expect(200)).body
    .signing_secret;

  ofA.s3 = (await service.http.post(S3).set(adminA).send({ ...validBodies.s3_log_destination(), name: 'A archive' }).expect(201)).body;
  ofA.webhook = (await service.http.post(WEBHOOKS).set(adminA).send({ ...validBodies.webhook_integration(), name: 'A siem' }).expect(201))
    .body;
});
afterAll(() => service.close());

type Verb = 'get' | 'patch' | 'delete';

/** Every call A could make on one of B's resources; `id` picks the resource from B's set. */
const crossTenantCalls: Array<[string, Verb, string, () => string, Record<string, unknown> | undefined]> = [
  ['GET s3 destination', 'get', S3, () => String(ofB.s3.id), undefined],
  ['PATCH s3 destination', 'patch', S3, () => String(ofB.s3.id), { name: 'hijacked', bucket_name: 'attacker-bucket' }],
  ['DELETE s3 destination', 'delete', S3, () => String(ofB.s3.id), undefined],
  ['GET webhook integration', 'get', WEBHOOKS, () => String(ofB.webhook.id), undefined],
  ['PATCH webhook integration', 'patch', WEBHOOKS, () => String(ofB.webhook.id), { name: 'hijacked', url: 'https://attacker.example.com/' }],
  ['DELETE webhook integration', 'delete', WEBHOOKS, () => String(ofB.webhook.id), undefined],
];

function call(verb: Verb, path: string, auth: { authorization: string }, body?: Record<string, unknown>) {
  const req = service.http[verb](path).set(auth);
  return body === undefined ? req : req.send(body);
}

/** The 404 body with the id and request id replaced, so bodies for different ids can be compared. */
function normalised(body: { error: { request_id: string } }, id: string): unknown {
  const text = JSON.stringify(body).split(id).join('<ID>').split(body.error.request_id).join('<REQUEST_ID>');
  return JSON.parse(text) as unknown;
}

describe("A's admin key on B's resources", () => {
  test.each(crossTenantCalls)(
    '%s answers 404 not_found, indistinguishable from one for an id that does not exist',
    async (_name, verb, collection, idOf, body) => {
      const foreignId = idOf();
      const missingId = newId(foreignId.slice(0, foreignId.indexOf('_')));
      const foreign = await call(verb, `${collection}/${foreignId}`, adminA, body);
      const missing = await call(verb, `${collection}/${missingId}`, adminA, body);
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe('not_found');
      expect(foreign.body.error.message).toContain(foreignId);
      expect(foreign.text).not.toContain('b-token');
      expect(missing.status).toBe(404);
      expect(foreign.headers['content-type']).toBe(missing.headers['content-type']);
      expect(normalised(foreign.body, foreignId)).toEqual(normalised(missing.body, missingId));
      expect(Object.keys(foreign.headers).sort()).toEqual(Object.keys(missing.headers).sort());
    },
  );

  test("GET of B's webhook signing secret answers 404 not_found like a missing id's, without the secret", async () => {
    const foreignId = String(ofB.webhook.id);
    const missingId = newId('whk');
    const foreign = await service.http.get(`${WEBHOOKS}/${foreignId}/signing-secret`).set(adminA).expect(404);
    const missing = await service.http.get(`${WEBHOOKS}/${missingId}/signing-secret`).set(adminA).expect(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect(foreign.text).not.toContain(ofB.signingSecret);
    expect(normalised(foreign.body, foreignId)).toEqual(normalised(missing.body, missingId));
  });

  test("B's resources are unchanged afterwards", async () => {
    const s3 = await service.http.get(`${S3}/${String(ofB.s3.id)}`).set(adminB).expect(200);
    expect(s3.body).toEqual(ofB.s3);
    const webhook = await service.http.get(`${WEBHOOKS}/${String(ofB.webhook.id)}`).set(adminB).expect(200);
    expect(webhook.body).toEqual(ofB.webhook);
    const secret = await service.http.get(`${WEBHOOKS}/${String(ofB.webhook.id)}/signing-secret`).set(adminB).expect(200);
    expect(secret.body.signing_secret).toBe(ofB.signingSecret);
    const rows = await service.db.client.destination.findMany({ where: { tenantId: b.id }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.id).sort()).toEqual([String(ofB.s3.id), String(ofB.webhook.id)].sort());
  });
});

describe('resource ids are scoped to their kind', () => {
  test.each([
    ["B's", () => String(ofB.s3.id), () => adminA],
    ["A's own", () => String(ofA.s3.id), () => adminA],
  ])('%s S3 destination id on the webhook routes answers 404', async (_whose, idOf, auth) => {
    const id = idOf();
    for (const path of [`${WEBHOOKS}/${id}`, `${WEBHOOKS}/${id}/signing-secret`]) {
      const res = await service.http.get(path).set(auth());
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const patched = await service.http.patch(`${WEBHOOKS}/${id}`).set(auth()).send({ name: 'renamed' });
    expect(patched.status).toBe(404);
    expect(patched.body.error.code).toBe('not_found');
    const deleted = await service.http.delete(`${WEBHOOKS}/${id}`).set(auth());
    expect(deleted.status).toBe(404);
    expect(deleted.body.error.code).toBe('not_found');
    expect(await service.db.client.destination.count({ where: { id } })).toBe(1);
  });

  test("a webhook id on the S3 routes answers 404", async () => {
    const id = String(ofA.webhook.id);
    const res = await service.http.get(`${S3}/${id}`).set(adminA);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('listings', () => {
  test.each([
    ['s3 destinations', S3, () => [ofA.s3, ofB.s3]],
    ['webhook integrations', WEBHOOKS, () => [ofA.webhook, ofB.webhook]],
  ])("A's list of %s shows A's resources and none of B's", async (_name, collection, resources) => {
    const [mine, theirs] = resources();
    const res = await service.http.get(`${collection}?limit=200`).set(adminA).expect(200);
    const ids = (res.body.data as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toContain(mine!.id);
    expect(ids).not.toContain(theirs!.id);
    expect(res.text).not.toContain('B archive');
    expect(res.text).not.toContain('B siem');
    expect(res.body.next_cursor).toBeNull();
  });
});

describe('event logs', () => {
  const actionA = `tenant_a.action_${randomBytes(4).toString('hex')}`;
  const actionB = `tenant_b.action_${randomBytes(4).toString('hex')}`;
  const sharedId = `evt-shared-${randomBytes(6).toString('hex')}`;

  /** Every event in the caller's log matching `query`. */
  const allEvents = async (auth: { authorization: string }, query: Record<string, string> = {}) => (await eventPages(service, auth, query)).flat();

  test("GET /v1/events with A's key never returns B's events", async () => {
    await service.http.post('/v1/events').set(adminA).send([auditEventBody({ action: actionA }), auditEventBody({ action: actionA })]).expect(202);
    const bEvents = [auditEventBody({ action: actionB }), auditEventBody({ action: actionB, actor: { type: 'user', id: 'usr_bob' } })];
    await service.http.post('/v1/events').set(adminB).send(bEvents).expect(202);

    const seenByA = await allEvents(adminA);
    expect(seenByA.filter((e) => e.kind === 'audit' && e.event.action === actionA)).toHaveLength(2);
    expect(seenByA.some((e) => e.kind === 'audit' && e.event.action === actionB)).toBe(false);
    const bIds = bEvents.map((e) => String(e.id));
    expect(seenByA.some((e) => bIds.includes(e.id))).toBe(false);
    // B's own API calls are authorization events in B's log only.
    const bKeyIds = Object.values(b.keys).map((k) => k.id);
    const authorizationOfA = seenByA.filter((e) => e.kind === 'authorization');
    expect(authorizationOfA.length).toBeGreaterThan(0);
    expect(authorizationOfA.some((e) => bKeyIds.includes(e.event.request.principal.id))).toBe(false);

    // Filters do not widen the scope either.
    const filtered = await allEvents(adminA, { action: actionB });
    expect(filtered).toEqual([]);
    const byActor = await allEvents(adminA, { actor_id: 'usr_bob' });
    expect(byActor).toEqual([]);

    const seenByB = await allEvents(adminB);
    expect(seenByB.filter((e) => e.kind === 'audit' && e.event.action === actionB)).toHaveLength(2);
    expect(seenByB.some((e) => e.kind === 'audit' && e.event.action === actionA)).toBe(false);
  });

  test('an event id used by B can be ingested by A as a new event', async () => {
    const byB = await service.http.post('/v1/events').set(adminB).send(auditEventBody({ id: sharedId, action: actionB })).expect(202);
    expect(byB.body).toEqual({ accepted: 1, duplicates: 0, ids: [sharedId] });
    const byA = await service.http.post('/v1/events').set(adminA).send(auditEventBody({ id: sharedId, action: actionA })).expect(202);
    expect(byA.body).toEqual({ accepted: 1, duplicates: 0, ids: [sharedId] });
    // A retry is still a duplicate within A's own log.
    const retry = await service.http.post('/v1/events').set(adminA).send(auditEventBody({ id: sharedId, action: actionA })).expect(202);
    expect(retry.body).toEqual({ accepted: 0, duplicates: 1, ids: [sharedId] });

    const inA = (await allEvents(adminA)).filter((e) => e.id === sharedId);
    expect(inA).toHaveLength(1);
    expect(inA[0]!.event.action).toBe(actionA);
    const inB = (await allEvents(adminB)).filter((e) => e.id === sharedId);
    expect(inB).toHaveLength(1);
    expect(inB[0]!.event.action).toBe(actionB);
  });
});
