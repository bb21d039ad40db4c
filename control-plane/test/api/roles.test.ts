/**
 * Roles: every operation of the API against every role. Allowed calls succeed, forbidden ones answer 403
 * `forbidden`, and each authenticated call appends exactly one authorization event recording the decision.
 * Calls that fail authentication answer 401 `unauthenticated` and append nothing.
 */
import { createApiKey } from '../../src/domain/api-keys/create-api-key';
import { revokeApiKey } from '../../src/domain/api-keys/revoke-api-key';
import type { Role } from '../../src/domain/access/roles';
import { documentedOperations } from '../support/api-document';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, startTestService, validBodies } from '../support/test-service';

let service: TestService;
let tenant: TenantWithKeys;

const S3 = '/v1/s3-log-destinations';
const WEBHOOKS = '/v1/webhook-integrations';

type Method = 'get' | 'post' | 'patch' | 'delete';

/** Ids of resources made for one test; `delivery` names a webhook delivery that does not exist (answers 404). */
type Fresh = { s3: string; webhook: string; delivery: string };

interface Operation {
  name: string;
  method: Method;
  /** The path; item operations get a fresh resource of the tenant's, created with the admin key. */
  path: (fresh: Fresh) => string;
  body?: () => unknown;
  allowed: readonly Role[];
  /** The status an allowed call answers. */
  success: number;
  /** The resource id the authorization event names; undefined for collection-wide operations (the tenant). */
  resourceId?: (fresh: Fresh) => string;
}

const ALL: readonly Role[] = ['admin', 'writer', 'reader'];

/** list, create, get, update and delete of one kind of resource, and its delivery stats. */
function crudOperations(kind: keyof typeof validBodies, collection: string, idOf: (fresh: Fresh) => string): Operation[] {
  const item = (f: Fresh) => `${collection}/${idOf(f)}`;
  return [
    { name: `${kind}.list`, method: 'get', path: () => collection, allowed: ['admin', 'reader'], success: 200 },
    { name: `${kind}.create`, method: 'post', path: () => collection, body: () => ({ ...validBodies[kind](), name: 'made in roles test' }), allowed: ['admin'], success: 201 },
    { name: `${kind}.get`, method: 'get', path: item, allowed: ['admin', 'reader'], success: 200, resourceId: idOf },
    { name: `${kind}.update`, method: 'patch', path: item, body: () => ({ name: 'renamed in roles test' }), allowed: ['admin'], success: 200, resourceId: idOf },
    { name: `${kind}.delete`, method: 'delete', path: item, allowed: ['admin'], success: 204, resourceId: idOf },
    { name: `${kind}.get_delivery_stats`, method: 'get', path: (f) => `${item(f)}/delivery-stats`, allowed: ['admin', 'reader'], success: 200, resourceId: idOf },
  ];
}

const OPERATIONS: Operation[] = [
  ...crudOperations('s3_log_destination', S3, (f) => f.s3),
  {
    name: 's3_log_destination.test',
    method: 'post',
    path: (f) => `${S3}/${f.s3}/test`,
    allowed: ['admin'],
    // This service runs without destination verification, so an allowed test delivery answers 503.
    success: 503,
    resourceId: (f) => f.s3,
  },
  ...crudOperations('webhook_integration', WEBHOOKS, (f) => f.webhook),
  {
    name: 'webhook_integration.read_signing_secret',
    method: 'get',
    path: (f) => `${WEBHOOKS}/${f.webhook}/signing-secret`,
    allowed: ['admin'],
    success: 200,
    resourceId: (f) => f.webhook,
  },
  {
    name: 'webhook_integration.rotate_secret',
    method: 'post',
    path: (f) => `${WEBHOOKS}/${f.webhook}/rotate-secret`,
    allowed: ['admin'],
    success: 200,
    resourceId: (f) => f.webhook,
  },
  {
    name: 'webhook_integration.test',
    method: 'post',
    path: (f) => `${WEBHOOKS}/${f.webhook}/test`,
    allowed: ['admin'],
    // This service runs no delivery engine, so an allowed test answers 503.
    success: 503,
    resourceId: (f) => f.webhook,
  },
  {
    name: 'webhook_integration.replay',
    method: 'post',
    path: (f) => `${WEBHOOKS}/${f.webhook}/replay`,
    body: () => ({ since: '2026-01-01T00:00:00Z' }),
    allowed: ['admin'],
    success: 202,
    resourceId: (f) => f.webhook,
  },
  {
    name: 's3_log_destination.list_deliveries',
    method: 'get',
    path: (f) => `${S3}/${f.s3}/deliveries`,
    allowed: ['admin', 'reader'],
    success: 200,
    resourceId: (f) => f.s3,
  },
  {
    name: 'webhook_integration.list_deliveries',
    method: 'get',
    path: (f) => `${WEBHOOKS}/${f.webhook}/deliveries`,
    allowed: ['admin', 'reader'],
    success: 200,
    resourceId: (f) => f.webhook,
  },
  {
    name: 'webhook_integration.get_delivery',
    method: 'get',
    path: (f) => `${WEBHOOKS}/${f.webhook}/deliveries/${f.delivery}`,
    allowed: ['admin', 'reader'],
    success: 404,
    resourceId: (f) => f.webhook,
  },
  {
    name: 'webhook_integration.retry_delivery',
    method: 'post',
    path: (f) => `${WEBHOOKS}/${f.webhook}/deliveries/${f.delivery}/retry`,
    allowed: ['admin'],
    success: 404,
    resourceId: (f) => f.webhook,
  },
  { name: 'event.ingest', method: 'post', path: () => '/v1/events', body: () => auditEventBody(), allowed: ['admin', 'writer'], success: 202 },
  { name: 'event.list', method: 'get', path: () => '/v1/events', allowed: ['admin', 'reader'], success: 200 },
  { name: 'identity.get', method: 'get', path: () => '/v1/identity', allowed: ALL, success: 200 },
];

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.tenant('roles');
});
afterAll(() => service.close());

function send(op: Operation, fresh: Fresh, headers: Record<string, string>) {
  const req = service.http[op.method](op.path(fresh)).set(headers);
  return op.body ? req.send(op.body() as object) : req;
}

/** The tenant's authorization events, read straight from the store (reading through the API would add one). */
async function authorizationEvents(tenantId: string) {
  const rows = await service.db.client.event.findMany({ where: { tenantId, kind: 'authorization' }, orderBy: { sequence: 'asc' } });
  return rows.map((r) => ({ sequence: r.sequence, action: r.action, actorId: r.actorId, event: JSON.parse(r.payload) as any }));
}

/** A resource of each kind, made with the admin key, for item operations to act on. */
async function freshResources(): Promise<Fresh> {
  const admin = bearer(tenant.keys.admin.secret);
  const s3 = await service.http.post(S3).set(admin).send(validBodies.s3_log_destination()).expect(201);
  const webhook = await service.http.post(WEBHOOKS).set(admin).send(validBodies.webhook_integration()).expect(201);
  return { s3: String(s3.body.id), webhook: String(webhook.body.id), delivery: 'wdl_00000000000000000000000000' };
}

const cases = ALL.flatMap((role) => OPERATIONS.map((op) => [role, op.name, op.allowed.includes(role) ? 'allowed' : 'forbidden', op] as const));

describe.each(ALL)('role %s', (role) => {
  test.each(cases.filter(([r]) => r === role))('%s: %s is %s, and exactly one authorization event records it', async (_role, name, verdict, op) => {
    const fresh = await freshResources();
    const key = tenant.keys[role];
    const before = await authorizationEvents(tenant.id);

    const res = await send(op, fresh, bearer(key.secret));

    if (verdict === 'allowed') {
      expect(res.status).toBe(op.success);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.message).toContain(role);
    }

    const after = await authorizationEvents(tenant.id);
    const added = after.slice(before.length);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(added).toHaveLength(1);
    const event = added[0]!.event;
    expect(added[0]!.action).toBe(name);
    expect(added[0]!.actorId).toBe(key.id);
    expect(event.request.action.id).toBe(name);
    expect(event.request.principal.id).toBe(key.id);
    expect(event.request.principal.type).toBe('Auditdrain::ApiKey');
    expect(event.decision).toBe(verdict === 'allowed' ? 'allow' : 'deny');
    expect(event.allowed).toBe(verdict === 'allowed');
    expect(event.request.context.role).toBe(role);
    expect(event.request.context.request_id).toBe(res.headers['x-request-id']);
    expect(event.request.resource.id).toBe(op.resourceId ? op.resourceId(fresh) : tenant.id);
  });
});

test('the table lists every operation of the published API document', () => {
  const tabled = OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path({ s3: '{id}', webhook: '{id}', delivery: '{delivery_id}' })}`);
  expect(new Set(tabled).size).toBe(tabled.length);
  expect([...tabled].sort()).toEqual(documentedOperations());
});

describe.each(['writer', 'reader'] as const)("a %s's refused create", (role) => {
  test.each([
    ['s3 destination', S3, () => validBodies.s3_log_destination()],
    ['webhook integration', WEBHOOKS, () => validBodies.webhook_integration()],
  ])('of a %s leaves no destination row', async (_what, path, body) => {
    const name = `refused ${role} ${path}`;
    const before = await service.db.client.destination.count({ where: { tenantId: tenant.id } });
    const res = await service.http
      .post(path)
      .set(bearer(tenant.keys[role].secret))
      .send({ ...body(), name });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(await service.db.client.destination.count({ where: { tenantId: tenant.id } })).toBe(before);
    expect(await service.db.client.destination.count({ where: { name } })).toBe(0);
  });
});

describe('unauthenticated calls', () => {
  let revokedSecret = '';

  beforeAll(async () => {
    const key = await createApiKey(service.db.client, { tenantId: tenant.id, role: 'admin', name: 'to be revoked' });
    // The key works before it is revoked...
    await service.http.get('/v1/identity').set(bearer(key.secret)).expect(200);
    await revokeApiKey(service.db.client, key.id);
    revokedSecret = key.secret;
  });

  const credentials: Array<[string, () => Record<string, string>]> = [
    ['no authorization header', () => ({})],
    ['a Basic authorization header', () => ({ authorization: 'Basic YWRtaW46YWRtaW4=' })],
    ['a bearer token that is not an API key', () => ({ authorization: 'Bearer not-an-api-key' })],
    ['an empty bearer token', () => ({ authorization: 'Bearer ' })],
    ['a key one character short', () => ({ authorization: `Bearer ${tenant.keys.admin.secret.slice(0, -1)}` })],
    ['an unknown key of the right shape', () => ({ authorization: `Bearer adk_${'A'.repeat(43)}` })],
    ['a revoked key', () => ({ authorization: `Bearer ${revokedSecret}` })],
  ];
  const unauthenticatedCases = credentials.flatMap(([what, headers]) => OPERATIONS.map((op) => [what, op.name, headers, op] as const));

  test.each(unauthenticatedCases)('%s: %s answers 401 and appends no event', async (_what, _name, headers, op) => {
    const fresh = { s3: 's3d_00000000000000000000000000', webhook: 'whk_00000000000000000000000000', delivery: 'wdl_00000000000000000000000000' };
    const eventsBefore = await service.db.client.event.count();
    const destinationsBefore = await service.db.client.destination.count();

    const res = await send(op, fresh, headers());

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(await service.db.client.event.count()).toBe(eventsBefore);
    expect(await service.db.client.destination.count()).toBe(destinationsBefore);
  });

  test("revoking one admin key leaves the tenant's other admin key working", async () => {
    await service.http.get('/v1/identity').set(bearer(tenant.keys.admin.secret)).expect(200);
  });
});
