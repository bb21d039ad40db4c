/**
 * The error envelope and bad input: every error answers `{ error: { code, message, details, request_id } }` with a
 * 4xx (never a 500), the request id is the one in `x-request-id`, and a refused create or update leaves no
 * half-written row behind. Ends with a seeded fuzz of random JSON against every endpoint that takes a body.
 */
import type { Response, Test } from 'supertest';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, startTestService, validBodies } from '../support/test-service';

const S3 = '/v1/s3-log-destinations';
const WEBHOOKS = '/v1/webhook-integrations';
const EVENTS = '/v1/events';

let svc: TestService;
let tenant: TenantWithKeys;
/** Existing resources of `tenant`, created in beforeAll. */
const existing = { s3: '', webhook: '' };

beforeAll(async () => {
  svc = await startTestService();
  tenant = await svc.tenant();
  const s3 = await svc.http.post(S3).set(admin()).send(validBodies.s3_log_destination());
  expect(s3.status).toBe(201);
  existing.s3 = s3.body.id as string;
  const webhook = await svc.http.post(WEBHOOKS).set(admin()).send(validBodies.webhook_integration());
  expect(webhook.status).toBe(201);
  existing.webhook = webhook.body.id as string;
});

afterAll(async () => {
  await svc?.close();
});

const admin = () => bearer(tenant.keys.admin.secret);

type Method = 'post' | 'patch' | 'get' | 'put' | 'delete';

/** A request with a raw body and content type, as a client might really send it. */
function raw(method: Method, path: string, body: string | Buffer, contentType = 'application/json', service = () => svc, key = admin): Test {
  return service().http[method](path).set(key()).set('content-type', contentType).send(body);
}

/** A JSON request: any JSON value, serialised as is (null, numbers and strings included). */
const json = (method: Method, path: string, value: unknown): Test => raw(method, path, JSON.stringify(value));

const s3Item = () => `${S3}/${existing.s3}`;
const webhookItem = () => `${WEBHOOKS}/${existing.webhook}`;

const REQUEST_ID = /^req_[0-9A-HJKMNP-TV-Z]{26}$/;

/** The one error shape: exactly {error:{code,message,details,request_id}}, the id echoed in the header. */
function expectEnvelope(res: Response): { code: string; message: string; details: unknown; request_id: string } {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(600);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(res.body as object)).toEqual(['error']);
  const error = res.body.error as { code: string; message: string; details: unknown; request_id: string };
  expect(Object.keys(error).sort()).toEqual(['code', 'details', 'message', 'request_id']);
  expect(typeof error.code).toBe('string');
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(error.request_id).toBe(res.headers['x-request-id']);
  return error;
}

function issuePaths(details: unknown): string[] {
  expect(Array.isArray(details)).toBe(true);
  return (details as Array<{ path: string; message: string }>).map((d) => {
    expect(typeof d.message).toBe('string');
    return d.path;
  });
}

/** Everything a failed request must leave unchanged: the tenant's destination rows, byte for byte, and its audit log. */
async function snapshot() {
  const [destinations, auditEvents] = await Promise.all([
    svc.db.client.destination.findMany({ where: { tenantId: tenant.id }, orderBy: { id: 'asc' } }),
    svc.db.client.event.count({ where: { tenantId: tenant.id, kind: 'audit' } }),
  ]);
  return { destinations, auditEvents };
}

describe('x-request-id', () => {
  test.each<[string, string, boolean]>([
    ['a short id', 'abc-123', true],
    ['every allowed character', 'Az09._:-', true],
    ['a uuid', '3f0c0b5e-1c2d-4e5f-9a8b-7c6d5e4f3a2b', true],
    ['128 characters', 'r'.repeat(128), true],
    ['129 characters', 'r'.repeat(129), false],
    ['300 characters', 'x'.repeat(300), false],
    ['a space inside', 'has space', false],
    ['a slash', 'a/b', false],
    ['markup', '<script>', false],
    ['a quote', 'ab"cd', false],
    ['a tab inside', 'a\tb', false],
    ['an empty value', '', false],
    ['latin-1 letters', 'idé', false],
  ])('%s: echoed=%s, on errors and on successes', async (_name, given, echoed) => {
    const responses = await Promise.all([
      svc.http.get('/v1/no-such-route').set(admin()).set('x-request-id', given), // 404
      svc.http.get(S3).set('x-request-id', given), // 401, no key
      json('post', S3, { colour: 'blue' }).set('x-request-id', given), // 422
      svc.http.get(S3).set(admin()).set('x-request-id', given), // 200
    ]);
    expect(responses.map((r) => r.status)).toEqual([404, 401, 422, 200]);
    for (const res of responses) {
      const header = res.headers['x-request-id'] as string;
      if (echoed) expect(header).toBe(given);
      else {
        expect(header).not.toBe(given);
        expect(header).toMatch(REQUEST_ID);
      }
      if (res.status >= 400) expect(expectEnvelope(res).request_id).toBe(header);
    }
  });

  test('a request without x-request-id gets a fresh one per request', async () => {
    const [a, b] = await Promise.all([svc.http.get('/v1/nope').set(admin()), svc.http.get('/v1/nope').set(admin())]);
    expect(a.headers['x-request-id']).toMatch(REQUEST_ID);
    expect(b.headers['x-request-id']).toMatch(REQUEST_ID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    expect(expectEnvelope(a).request_id).toBe(a.headers['x-request-id']);
  });
});

interface Case {
  name: string;
  send: () => Test;
  /** The status expected, or the statuses allowed. */
  status: number | number[];
  code?: string;
  /** A field path the validation details must name. */
  path?: string;
  /** Exempt from "the error is small (does not echo a large value back)". */
  echoes?: true;
}

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const MB = 1024 * 1024;

/** An audit event as JSON text whose metadata is nested `depth` objects deep. */
const eventWithDeepMetadata = (depth: number) => JSON.stringify(auditEventBody()).replace(/}$/, `,"metadata":${deepObject(depth)}}`);

const CASES: Case[] = [
  // Not JSON, not the right media type, too large
  { name: 'malformed JSON on create', send: () => raw('post', S3, '{"name": '), status: 400, code: 'bad_request' },
  { name: 'malformed JSON on update', send: () => raw('patch', s3Item(), '{"name" "x"}'), status: 400, code: 'bad_request' },
  { name: 'malformed JSON on ingest', send: () => raw('post', EVENTS, '[{"id": "a",]'), status: 400, code: 'bad_request' },
  { name: 'JSON followed by garbage', send: () => raw('post', S3, '{"name":"x"} trailing'), status: 400, code: 'bad_request' },
  { name: 'an empty JSON body', send: () => raw('post', S3, ''), status: [400, 422] },
  { name: 'text/plain on create', send: () => raw('post', S3, JSON.stringify(validBodies.s3_log_destination()), 'text/plain'), status: 415, code: 'unsupported_media_type' },
  { name: 'text/plain on update', send: () => raw('patch', s3Item(), '{"name":"x"}', 'text/plain'), status: 415, code: 'unsupported_media_type' },
  { name: 'text/plain on ingest', send: () => raw('post', EVENTS, JSON.stringify(auditEventBody()), 'text/plain'), status: 415, code: 'unsupported_media_type' },
  { name: 'a form body', send: () => raw('post', WEBHOOKS, 'name=x&url=https://a.example', 'application/x-www-form-urlencoded'), status: 415, code: 'unsupported_media_type' },
  { name: 'JSON in a charset other than UTF-8', send: () => raw('post', S3, '{"name":"x"}', 'application/json; charset=latin1'), status: 415, code: 'unsupported_media_type' },
  {
    name: 'a body over the configured limit',
    send: () => raw('post', S3, JSON.stringify({ ...validBodies.s3_log_destination(), name: 'n'.repeat(4096) }), 'application/json', () => small, smallAdmin),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'an event batch over the configured limit',
    send: () => raw('post', EVENTS, JSON.stringify(Array.from({ length: 20 }, () => auditEventBody())), 'application/json', () => small, smallAdmin),
    status: 413,
    code: 'payload_too_large',
  },
  { name: 'a body declaring gzip that is not gzip', send: () => raw('post', S3, '{"name":"x"}').set('content-encoding', 'gzip'), status: 400, code: 'bad_request' },
  { name: 'an event declaring deflate that is not deflate', send: () => raw('post', EVENTS, JSON.stringify(auditEventBody())).set('content-encoding', 'deflate'), status: 400, code: 'bad_request' },
  { name: 'an unknown content encoding', send: () => raw('post', S3, '{"name":"x"}').set('content-encoding', 'compress'), status: 415, code: 'unsupported_media_type' },

  // Unknown routes (with a valid key)
  { name: 'an unknown collection', send: () => svc.http.get('/v1/nothing-here').set(admin()), status: 404, code: 'not_found' },
  { name: 'an unknown sub-resource', send: () => json('post', `${s3Item()}/frobnicate`, {}), status: 404, code: 'not_found' },
  { name: 'an unsupported method on a collection', send: () => json('put', S3, validBodies.s3_log_destination()), status: [404, 405] },
  { name: 'a nonexistent resource id', send: () => json('patch', `${S3}/s3d_00000000000000000000000000`, { name: 'x' }), status: 404, code: 'not_found' },
  { name: 'a resource id that is not an id', send: () => svc.http.get(`${S3}/not-an-id`).set(admin()), status: 404, code: 'not_found' },
  { name: 'a resource id of another kind', send: () => svc.http.get(`${S3}/${existing.webhook}`).set(admin()), status: 404, code: 'not_found' },
  { name: 'a resource id holding NUL (GET)', send: () => svc.http.get(`${S3}/s3d_%00`).set(admin()), status: 404, code: 'not_found' },
  { name: 'a resource id holding NUL (PATCH)', send: () => json('patch', `${WEBHOOKS}/whk_a%00b`, { name: 'x' }), status: 404, code: 'not_found' },
  { name: 'a resource id holding NUL (DELETE)', send: () => svc.http.delete(`${S3}/${existing.s3}%00`).set(admin()), status: 404, code: 'not_found' },
  { name: 'a resource id holding NUL (test delivery)', send: () => json('post', `${S3}/s3d_%00/test`, {}), status: 404, code: 'not_found' },

  // Unknown fields
  { name: 'an unknown field on create', send: () => json('post', S3, { ...validBodies.s3_log_destination(), colour: 'blue' }), status: 422, code: 'validation_failed', path: 'colour' },
  { name: 'an unknown nested field', send: () => json('post', WEBHOOKS, { ...validBodies.webhook_integration(), headers: [{ key: 'x-a', value: 'b', extra: 1 }] }), status: 422, path: 'headers[0].extra' },
  { name: 'an unknown field on update', send: () => json('patch', s3Item(), { name: 'renamed', bucketName: 'x' }), status: 422, path: 'bucketName' },
  { name: 'an unknown field on ingest', send: () => json('post', EVENTS, { ...auditEventBody(), severity: 'high' }), status: 422, path: 'severity' },

  // Wrong types
  { name: 'a string for an integer', send: () => json('post', S3, { ...validBodies.s3_log_destination(), batch_duration_in_minutes: '5' }), status: 422, path: 'batch_duration_in_minutes' },
  { name: 'a number for a string', send: () => json('post', S3, { ...validBodies.s3_log_destination(), name: 42 }), status: 422, path: 'name' },
  { name: '"true" for a boolean', send: () => json('post', WEBHOOKS, { ...validBodies.webhook_integration(), enabled: 'true' }), status: 422, path: 'enabled' },
  { name: 'an object for an array', send: () => json('post', S3, { ...validBodies.s3_log_destination(), filter_for_actions: { a: 1 } }), status: 422, path: 'filter_for_actions' },
  { name: 'an object for a list of objects', send: () => json('post', WEBHOOKS, { ...validBodies.webhook_integration(), headers: { key: 'a', value: 'b' } }), status: 422, path: 'headers' },
  { name: 'a number inside a string set', send: () => json('post', S3, { ...validBodies.s3_log_destination(), filter_for_actions: ['grant.*', 7] }), status: 422, path: 'filter_for_actions[1]' },
  { name: 'a boolean for an integer on update', send: () => json('patch', s3Item(), { maximum_batch_size: true }), status: 422, path: 'maximum_batch_size' },
  { name: '"false" for a boolean on update', send: () => json('patch', webhookItem(), { enabled: 'false' }), status: 422, path: 'enabled' },
  { name: 'a string for an object on ingest', send: () => json('post', EVENTS, { ...auditEventBody(), actor: 'alice' }), status: 422, path: 'actor' },
  { name: 'an array for a JSON object on ingest', send: () => json('post', EVENTS, { ...auditEventBody(), metadata: [1, 2] }), status: 422, path: 'metadata' },

  // Out of range
  { name: 'an integer below its minimum', send: () => json('post', S3, { ...validBodies.s3_log_destination(), batch_duration_in_minutes: 0 }), status: 422, path: 'batch_duration_in_minutes' },
  { name: 'an integer above its maximum', send: () => json('post', S3, { ...validBodies.s3_log_destination(), batch_duration_in_minutes: 61 }), status: 422, path: 'batch_duration_in_minutes' },
  { name: 'a fraction for an integer', send: () => json('post', S3, { ...validBodies.s3_log_destination(), maximum_batch_size: 1.5 }), status: 422, path: 'maximum_batch_size' },
  { name: 'a huge integer', send: () => raw('post', S3, JSON.stringify(validBodies.s3_log_destination()).replace(/}$/, ',"maximum_batch_size":1e400}')), status: [400, 422] },
  { name: 'an empty required string', send: () => json('post', S3, { ...validBodies.s3_log_destination(), name: '' }), status: 422, path: 'name' },
  { name: 'a string over its maximum length', send: () => json('post', S3, { ...validBodies.s3_log_destination(), name: 'n'.repeat(129) }), status: 422, path: 'name' },
  { name: 'a value outside an enum', send: () => json('post', S3, { ...validBodies.s3_log_destination(), encoding: 'xml' }), status: 422, path: 'encoding' },
  { name: 'a bucket name with capitals', send: () => json('post', S3, { ...validBodies.s3_log_destination(), bucket_name: 'My-Bucket' }), status: 422, path: 'bucket_name' },
  { name: 'too many filter entries', send: () => json('post', S3, { ...validBodies.s3_log_destination(), filter_for_actions: Array.from({ length: 101 }, (_, i) => `a${i}.*`) }), status: 422, path: 'filter_for_actions' },
  { name: 'a non-https webhook url', send: () => json('post', WEBHOOKS, { ...validBodies.webhook_integration(), url: 'ftp://files.example.com/x' }), status: 422, path: 'url' },
  { name: 'a plain http webhook url', send: () => json('post', WEBHOOKS, { ...validBodies.webhook_integration(), url: 'http://siem.example.com/x' }), status: 422, path: 'url' },
  { name: 'a negative evaluation_duration', send: () => json('post', EVENTS, { request: { principal: { type: 'u', id: 'a' }, action: { type: 'a', id: 'x.y' }, resource: { type: 'r', id: 'b' } }, decision: 'allow', allowed: true, evaluated_at: '2026-03-01T00:00:00Z', evaluation_duration: -1 }), status: 422, path: 'evaluation_duration' },

  // Bodies of the wrong JSON type
  ...(
    [
      ['an array', []],
      ['an array of objects', [{ name: 'x' }]],
      ['a string', 'just a string'],
      ['null', null],
      ['a number', 42],
      ['a boolean', true],
    ] as Array<[string, unknown]>
  ).flatMap(([what, value]): Case[] => [
    { name: `${what} as a create body`, send: () => json('post', S3, value), status: [400, 422] },
    { name: `${what} as a webhook create body`, send: () => json('post', WEBHOOKS, value), status: [400, 422] },
    { name: `${what} as an update body`, send: () => json('patch', s3Item(), value), status: [400, 422] },
    ...(Array.isArray(value) ? [] : [{ name: `${what} as an event`, send: () => json('post', EVENTS, value), status: [400, 422] }]),
  ]),

  // Updates that would break the resource
  { name: 'PATCH a required field to null', send: () => json('patch', s3Item(), { name: null }), status: 422, path: 'name' },
  { name: 'PATCH another required field to null', send: () => json('patch', s3Item(), { bucket_name: null }), status: 422, path: 'bucket_name' },
  { name: 'PATCH a webhook url to null', send: () => json('patch', webhookItem(), { url: null }), status: 422, path: 'url' },
  { name: 'PATCH the id', send: () => json('patch', s3Item(), { id: 's3d_00000000000000000000000000' }), status: 422, path: 'id' },
  { name: 'PATCH the external id', send: () => json('patch', s3Item(), { external_id: 'auditdrain:tnt_other' }), status: 422, path: 'external_id' },
  { name: 'PATCH the signing secret', send: () => json('patch', webhookItem(), { signing_secret: 'whsec_mine' }), status: 422, path: 'signing_secret' },
  { name: 'PATCH a valid name with an invalid bucket', send: () => json('patch', s3Item(), { name: 'renamed', bucket_name: 'BAD' }), status: 422, path: 'bucket_name' },
  { name: 'PATCH static keys next to the role', send: () => json('patch', s3Item(), { name: 'renamed', access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: 'secret' }), status: 422, path: 'access_key_id' },
  { name: 'PATCH half of the static keys', send: () => json('patch', s3Item(), { role_arn: null, access_key_id: 'AKIAIOSFODNN7EXAMPLE' }), status: 422, path: 'secret_access_key' },
  { name: 'PATCH a KMS key without KMS encryption', send: () => json('patch', s3Item(), { kms_key_id: 'alias/audit' }), status: 422, path: 'kms_key_id' },
  { name: 'PATCH an unknown template variable', send: () => json('patch', s3Item(), { name: 'renamed', key_template: '{{ .Nope }}/{{ .ID }}' }), status: 422, path: 'key_template' },
  { name: 'PATCH a webhook to plain http', send: () => json('patch', webhookItem(), { name: 'renamed', url: 'http://siem.example.com/x' }), status: 422, path: 'url' },
  { name: 'PATCH a reserved webhook header', send: () => json('patch', webhookItem(), { name: 'renamed', headers: [{ key: 'Content-Type', value: 'text/plain' }] }), status: 422, path: 'headers[0].key' },

  // Pathological sizes and shapes: refused, never a 500
  { name: 'a 10,000-level nested array on create', send: () => raw('post', S3, deepArray(10_000)), status: [400, 422] },
  { name: 'a 10,000-level nested array on update', send: () => raw('patch', s3Item(), deepArray(10_000)), status: [400, 422] },
  { name: 'a 10,000-level nested array on ingest', send: () => raw('post', EVENTS, deepArray(10_000)), status: [400, 422] },
  { name: 'a 10,000-level nested object on create', send: () => raw('post', WEBHOOKS, deepObject(10_000)), status: [400, 422] },
  { name: 'a 10,000-level nested array in a field', send: () => raw('post', S3, `{"name":"n","bucket_name":"bucket-x","filter_for_actions":${deepArray(10_000)}}`), status: [400, 422] },
  { name: 'a 1 MB name on create', send: () => json('post', S3, { ...validBodies.s3_log_destination(), name: 'n'.repeat(MB) }), status: 422, path: 'name' },
  { name: 'a 1 MB name on update', send: () => json('patch', s3Item(), { name: 'n'.repeat(MB) }), status: 422, path: 'name' },
  { name: 'a 1 MB header value', send: () => json('post', WEBHOOKS, { ...validBodies.webhook_integration(), headers: [{ key: 'authorization', value: 'v'.repeat(MB) }] }), status: 422, path: 'headers[0].value' },
  { name: 'a 1 MB event message', send: () => json('post', EVENTS, auditEventBody({ message: 'm'.repeat(MB) })), status: 422, path: 'message' },
  { name: 'a 1 MB metadata string', send: () => json('post', EVENTS, auditEventBody({ metadata: { blob: 'b'.repeat(MB) } })), status: 422 },
  // The name of an unknown field is echoed in full (message and details path: a 2 MB answer).
  { name: 'a 1 MB unknown field name', send: () => json('post', S3, { ...validBodies.s3_log_destination(), ['k'.repeat(MB)]: 1 }), status: 422, echoes: true },
];

let small: TestService;
let smallTenant: TenantWithKeys;
const smallAdmin = () => bearer(smallTenant.keys.admin.secret);

describe('bad requests', () => {
  beforeAll(async () => {
    small = await startTestService({ maxBodyBytes: 2048 });
    smallTenant = await small.tenant();
  });

  afterAll(async () => {
    await small?.close();
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await snapshot();
    const res = await c.send();
    const allowed = Array.isArray(c.status) ? c.status : [c.status];
    expect(allowed).toContain(res.status);
    const error = expectEnvelope(res);
    // A large value sent is never echoed back.
    if (!c.echoes) expect(res.text.length).toBeLessThan(16 * 1024);
    if (c.code) expect(error.code).toBe(c.code);
    if (res.status === 422) expect(['validation_failed', 'verification_failed']).toContain(error.code);
    if (c.path !== undefined) {
      expect(issuePaths(error.details)).toContain(c.path);
      expect(error.message).toContain(c.path);
    }
    // No half-written rows: the destinations (count, every column, updated_at included) and the log are as before.
    expect(await snapshot()).toEqual(before);
  });

  test('a successful update after all those failures still changes exactly what it names', async () => {
    const before = await svc.http.get(s3Item()).set(admin());
    const res = await json('patch', s3Item(), { name: 'renamed for real' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before.body, name: 'renamed for real', updated_at: res.body.updated_at });
    expect(res.body.updated_at >= before.body.updated_at).toBe(true);
  });
});

describe('strings PostgreSQL cannot store are refused alike on every store, never a 500', () => {
  test.each<[string, () => Test, string]>([
    ['a NUL character in a resource name', () => json('post', S3, { ...validBodies.s3_log_destination(), name: 'before\u0000after' }), 'name'],
    ['a NUL character in a renamed resource', () => json('patch', webhookItem(), { name: 'before\u0000after' }), 'name'],
    ['a NUL character in a key prefix', () => json('post', S3, { ...validBodies.s3_log_destination(), key_prefix: 'logs/\u0000' }), 'key_prefix'],
    ['a NUL character in an actor id', () => json('post', EVENTS, auditEventBody({ actor: { type: 'user', id: 'usr\u0000x' } })), 'actor.id'],
    ['a NUL character in a batch', () => json('post', EVENTS, [auditEventBody(), auditEventBody({ targets: [{ type: 't', id: '\u0000' }] })]), '[1].targets[0].id'],
    [
      'a NUL character in an authorization principal',
      () =>
        json('post', EVENTS, {
          request: { principal: { type: 'u', id: 'p\u0000q' }, action: { type: 'a', id: 'x.y' }, resource: { type: 'r', id: 'b' } },
          decision: 'deny',
          allowed: false,
          evaluated_at: '2026-03-01T00:00:00Z',
        }),
      'request.principal.id',
    ],
  ])('%s: 422 naming the field', async (_name, send, path) => {
    const before = await snapshot();
    const res = await send();
    expect(res.status).toBe(422);
    expect(issuePaths(expectEnvelope(res).details)).toEqual([path]);
    expect(await snapshot()).toEqual(before);
  });

  test('a NUL character inside free-form metadata is fine: it is stored escaped and round-trips', async () => {
    const event = auditEventBody({ id: 'nul-in-metadata', metadata: { note: 'a\u0000b', list: ['\u0000'] } });
    const res = await json('post', EVENTS, event);
    expect(res.status).toBe(202);
    const listed = await svc.http.get(`${EVENTS}?kind=audit&actor_id=usr_alice&limit=200`).set(admin());
    const found = (listed.body.data as Array<{ id: string; event: unknown }>).find((e) => e.id === 'nul-in-metadata');
    expect(found?.event).toEqual(event);
  });

  test('a lone surrogate in a resource name round-trips (JSON escapes it)', async () => {
    const res = await raw('post', WEBHOOKS, JSON.stringify({ ...validBodies.webhook_integration(), name: 'x' }).replace('"x"', '"lone \\ud800 surrogate"'));
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('lone \ud800 surrogate');
    const read = await svc.http.get(`${WEBHOOKS}/${String(res.body.id)}`).set(admin());
    expect(read.body.name).toBe('lone \ud800 surrogate');
  });

  test.each([
    ['single', (body: string) => body, ''],
    ['in a batch', (body: string) => `[${JSON.stringify(auditEventBody())},${body}]`, '[1]'],
  ])('a 10,000-level nested metadata object (%s) is refused with 422, not a 500', async (_name, wrap, path) => {
    const before = await snapshot();
    const res = await raw('post', EVENTS, wrap(eventWithDeepMetadata(10_000)));
    expect(res.status).toBe(422);
    expect(issuePaths(expectEnvelope(res).details)).toEqual([path]);
    expect(await snapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property-style fuzz: seeded random JSON against every endpoint that takes a body.

/** mulberry32: a small, fast, seeded PRNG in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KNOWN_FIELDS = [
  // resources
  'id', 'name', 'bucket_name', 'key_prefix', 'region', 'role_arn', 'access_key_id', 'secret_access_key', 'external_id',
  'key_template', 'encoding', 'compression', 'filter_for_actions', 'send_audit_log_events', 'send_authorization_events',
  'batch_duration_in_minutes', 'maximum_batch_size', 'server_side_encryption', 'kms_key_id', 'object_acl', 'endpoint_url',
  'force_path_style', 'enabled', 'created_at', 'updated_at', 'url', 'headers', 'key', 'value', 'signing_secret',
  // events
  'action', 'occurred_at', 'actor', 'type', 'email', 'targets', 'message', 'context', 'request', 'client_addr', 'user_agent',
  'authz', 'eval', 'caller_identity_chain', 'index', 'metadata', 'principal', 'resource', 'decision', 'allowed',
  'diagnostics', 'reason', 'errors', 'evaluated_at', 'evaluation_duration', '__proto__', 'constructor', 'toString',
];

const PLAUSIBLE_STRINGS = [
  '', ' ', 'x', 'audit archive', 'customer-audit-logs', 'eu-west-1', 'arn:aws:iam::123456789012:role/auditdrain-writer',
  'AKIAIOSFODNN7EXAMPLE', 'https://siem.example.com/hook', 'http://127.0.0.1/x', 'https://user:pw@example.com/',
  'jsonl', 'json', 'gzip', 'none', 'AES256', 'aws:kms', 'bucket-owner-full-control', 'grant.*', 'grant.approved', '*',
  '{{ .Year }}/{{ .ID }}', '{{ .Nope }}', '{{', '2026-03-01T12:00:00Z', '2026-02-30T00:00:00Z', 'allow', 'deny', 'user',
  'true', 'null', '0', '-1', '../..', '/abs', 'a\\b', 'line\nbreak', 'nul\u0000byte', 'lone\ud800', 'ünïcödé 🚀',
  'Content-Type', 'x-api-key', 'evt-1', 'has space', "quote'); DROP TABLE events; --",
];

const PLAUSIBLE_NUMBERS = [0, 1, -1, 5, 60, 61, 100_000, 100_001, 1.5, -0.5, 1e21, 2 ** 53, Number.MAX_SAFE_INTEGER, 3.14e-300];

function generator(seed: number) {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

  const string = (): string => {
    const r = random();
    if (r < 0.5) return pick(PLAUSIBLE_STRINGS);
    if (r < 0.9) {
      const alphabet = 'abcXYZ019._:-/ {}"\\\n\u00e9\u4e2d\u{1F600}';
      const chars = Array.from(alphabet);
      return Array.from({ length: int(24) }, () => pick(chars)).join('');
    }
    return pick(['a', 'Z', '0']).repeat(100 + int(5000));
  };

  const key = (): string => (random() < 0.75 ? pick(KNOWN_FIELDS) : string().slice(0, 40));

  const value = (depth: number): unknown => {
    const r = random();
    if (depth > 4 || r < 0.55) {
      const leaf = int(6);
      if (leaf === 0) return null;
      if (leaf === 1) return random() < 0.5;
      if (leaf === 2) return random() < 0.6 ? pick(PLAUSIBLE_NUMBERS) : (random() - 0.5) * 10 ** int(12);
      return string();
    }
    if (r < 0.75) return Array.from({ length: int(5) }, () => value(depth + 1));
    return object(depth + 1);
  };

  const object = (depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let i = int(7); i > 0; i--) Object.defineProperty(out, key(), { value: value(depth), enumerable: true, writable: true, configurable: true });
    return out;
  };

  const validStart = (): Record<string, unknown> => {
    const n = int(1_000_000_000);
    return pick([
      () => validBodies.s3_log_destination(),
      () => validBodies.webhook_integration(),
      () => auditEventBody({ id: `fuzz-${seed}-${n}` }),
      () => ({
        id: `fuzz-eval-${seed}-${n}`,
        request: { principal: { type: 'u', id: 'p' }, action: { type: 'a', id: 'x.y' }, resource: { type: 'r', id: 'b' } },
        decision: 'allow',
        allowed: true,
        evaluated_at: '2026-03-01T00:00:00Z',
      }),
    ])();
  };

  /** A body: often a valid one slightly spoiled, mostly a random object, sometimes any JSON value. */
  return (): unknown => {
    const r = random();
    if (r < 0.4) {
      const body = validStart();
      for (let i = int(3); i > 0; i--) {
        const action = int(3);
        const keys = Object.keys(body);
        if (action === 0 && keys.length > 0) delete body[pick(keys)];
        else if (action === 1 && keys.length > 0) body[pick(keys)] = value(1);
        else Object.defineProperty(body, key(), { value: value(1), enumerable: true, writable: true, configurable: true });
      }
      return body;
    }
    if (r < 0.85) return object(0);
    if (r < 0.93) return Array.from({ length: int(4) }, () => (random() < 0.5 ? validStart() : value(1)));
    return value(3);
  };
}

describe('fuzz: 300 seeded random JSON bodies', () => {
  test('never a 5xx, every 4xx in the envelope, rows grow only by the 2xx answers', async () => {
    const t = await svc.tenant('fuzz');
    const key = () => bearer(t.keys.admin.secret);
    const s3 = await svc.http.post(S3).set(key()).send(validBodies.s3_log_destination());
    const webhook = await svc.http.post(WEBHOOKS).set(key()).send(validBodies.webhook_integration());
    expect([s3.status, webhook.status]).toEqual([201, 201]);
    const targets = [
      { method: 'post' as const, path: S3, success: 201 },
      { method: 'post' as const, path: WEBHOOKS, success: 201 },
      { method: 'post' as const, path: EVENTS, success: 202 },
      { method: 'patch' as const, path: `${S3}/${String(s3.body.id)}`, success: 200 },
      { method: 'patch' as const, path: `${WEBHOOKS}/${String(webhook.body.id)}`, success: 200 },
    ];
    const destinationCount = () => svc.db.client.destination.count({ where: { tenantId: t.id } });
    const eventCount = () => svc.db.client.event.count({ where: { tenantId: t.id } });
    const rowOf = (id: string) => svc.db.client.destination.findUniqueOrThrow({ where: { id } });

    const next = generator(20260301);
    const statuses: Record<string, number> = {};
    const outcomes: Record<string, { ok: number; refused: number }> = {};
    const failures: string[] = [];
    let destinations = await destinationCount();
    const events = await eventCount();
    let requests = 0;
    let accepted = 0;

    for (let i = 0; i < 300; i++) {
      const body = next();
      const text = JSON.stringify(body);
      for (const target of targets) {
        const patched = target.method === 'patch' ? await rowOf(target.path.split('/').pop()!) : undefined;
        const res = await svc.http[target.method](target.path).set(key()).set('content-type', 'application/json').send(text);
        requests++;
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const tally = (outcomes[`${target.method} ${target.path}`] ??= { ok: 0, refused: 0 });
        if (res.status < 300) tally.ok++;
        else tally.refused++;
        const where = `#${i} ${target.method.toUpperCase()} ${target.path} ${text.slice(0, 200)} -> ${res.status} ${res.text.slice(0, 300)}`;
        if (res.status >= 500 || (res.status >= 200 && res.status < 300 && res.status !== target.success)) {
          failures.push(where);
          continue;
        }
        if (res.status >= 400) {
          expectEnvelope(res);
          if (patched) expect(await rowOf(patched.id)).toEqual(patched);
        } else {
          if (target.path === S3 || target.path === WEBHOOKS) destinations++;
          if (target.path === EVENTS) accepted += res.body.accepted as number;
        }
      }
      // Rows grow only by what the 2xx answers reported: one destination per 201, the accepted events, and one
      // authorization event per (authorized) request.
      expect(await destinationCount()).toBe(destinations);
      expect(await eventCount()).toBe(events + requests + accepted);
    }
    expect(failures).toEqual([]);
    // The fuzz reached both outcomes on each kind of endpoint, or it proved little.
    for (const [target, { ok, refused }] of Object.entries(outcomes)) {
      expect([target, ok > 0, refused > 0]).toEqual([target, true, true]);
    }
    expect(statuses['422'] ?? 0).toBeGreaterThan(500);
  });
});
