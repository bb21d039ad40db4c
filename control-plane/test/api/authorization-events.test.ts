/**
 * The control plane's own authorization events: a scripted session of mixed calls (successes, a validation
 * failure, 404s, a malformed body, ingests, unauthenticated calls) leaves exactly one authorization event per
 * authenticated call, in call order, each a valid event carrying the response's request id.
 */
import type { Response, Test } from 'supertest';
import { isRfc3339, validateEvent } from '@auditdrain/schema';
import { newId } from '../../src/ids';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, startTestService, validBodies } from '../support/test-service';

let service: TestService;
let tenant: TenantWithKeys;

const S3 = '/v1/s3-log-destinations';
const missingWebhook = newId('whk');
const WEBHOOKS = '/v1/webhook-integrations';

interface State {
  s3: string;
  webhook: string;
}

interface Step {
  /** The operation the authorization event names, or null for a call that is not authenticated. */
  operation: string | null;
  status: number;
  call: (state: State, admin: Record<string, string>) => Test;
  after?: (res: Response, state: State) => void;
}

const SESSION: Step[] = [
  { operation: 'identity.get', status: 200, call: (_s, admin) => service.http.get('/v1/identity').set(admin) },
  {
    operation: 's3_log_destination.create',
    status: 201,
    call: (_s, admin) => service.http.post(S3).set(admin).send(validBodies.s3_log_destination()),
    after: (res, s) => (s.s3 = res.body.id),
  },
  {
    operation: 'webhook_integration.create',
    status: 201,
    call: (_s, admin) => service.http.post(WEBHOOKS).set(admin).send(validBodies.webhook_integration()),
    after: (res, s) => (s.webhook = res.body.id),
  },
  { operation: 's3_log_destination.list', status: 200, call: (_s, admin) => service.http.get(S3).set(admin) },
  {
    operation: 's3_log_destination.get',
    status: 200,
    call: (s, admin) => service.http.get(`${S3}/${s.s3}`).set(admin).set('x-request-id', 'trace-from-caller.42'),
  },
  {
    operation: 's3_log_destination.create',
    status: 422,
    call: (_s, admin) => service.http.post(S3).set(admin).send({ ...validBodies.s3_log_destination(), bucket_name: 'Not A Bucket!' }),
  },
  { operation: null, status: 401, call: () => service.http.get(S3) },
  { operation: 'webhook_integration.get', status: 404, call: (_s, admin) => service.http.get(`${WEBHOOKS}/${missingWebhook}`).set(admin) },
  {
    operation: 'webhook_integration.create',
    status: 400,
    call: (_s, admin) => service.http.post(WEBHOOKS).set(admin).set('content-type', 'application/json').send('{"name": "broken", '),
  },
  { operation: 'event.ingest', status: 202, call: (_s, admin) => service.http.post('/v1/events').set(admin).send(auditEventBody()) },
  {
    operation: 'webhook_integration.update',
    status: 200,
    call: (s, admin) => service.http.patch(`${WEBHOOKS}/${s.webhook}`).set(admin).send({ enabled: false }),
  },
  {
    operation: 'webhook_integration.read_signing_secret',
    status: 200,
    call: (s, admin) => service.http.get(`${WEBHOOKS}/${s.webhook}/signing-secret`).set(admin),
  },
  { operation: 'event.list', status: 200, call: (_s, admin) => service.http.get('/v1/events?kind=audit').set(admin) },
  { operation: null, status: 401, call: () => service.http.get('/v1/identity').set(bearer(`adk_${'x'.repeat(43)}`)) },
  { operation: 's3_log_destination.delete', status: 204, call: (s, admin) => service.http.delete(`${S3}/${s.s3}`).set(admin) },
  { operation: 's3_log_destination.get', status: 404, call: (s, admin) => service.http.get(`${S3}/${s.s3}`).set(admin) },
  {
    operation: 'event.ingest',
    status: 422,
    call: (_s, admin) => service.http.post('/v1/events').set(admin).send({ ...auditEventBody(), actor: undefined }),
  },
  { operation: 'webhook_integration.list', status: 422, call: (_s, admin) => service.http.get(`${WEBHOOKS}?limit=0`).set(admin) },
];

const state: State = { s3: '', webhook: '' };
/** The response to each step of the session, in order. */
const responses: Response[] = [];
/** The HTTP method and path (without the query) of each step's request. */
const methods: string[] = [];
const paths: string[] = [];
/** The tenant's authorization events after the session, read from the store, in log order. */
let events: Array<{ eventId: string; action: string; event: any }> = [];

const authenticated = SESSION.map((step, index) => ({ step, index })).filter(({ step }) => step.operation !== null);

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.tenant('authorization events');
  const admin = bearer(tenant.keys.admin.secret);
  for (const step of SESSION) {
    const request = step.call(state, admin);
    methods.push(request.method);
    paths.push(new URL(request.url).pathname);
    const res = await request;
    responses.push(res);
    step.after?.(res, state);
  }
  const rows = await service.db.client.event.findMany({ where: { tenantId: tenant.id, kind: 'authorization' }, orderBy: { sequence: 'asc' } });
  events = rows.map((r) => ({ eventId: r.eventId, action: r.action, event: JSON.parse(r.payload) as any }));
});
afterAll(() => service.close());

test('every call of the session answered as scripted', () => {
  expect(responses.map((r) => r.status)).toEqual(SESSION.map((s) => s.status));
  const codes = responses.map((r) => r.body?.error?.code ?? null);
  expect(codes).toEqual(
    SESSION.map(
      (s) =>
        ({ 400: 'bad_request', 401: 'unauthenticated', 404: 'not_found', 422: 'validation_failed' })[s.status as 400 | 401 | 404 | 422] ??
        null,
    ),
  );
});

test('there is exactly one authorization event per authenticated call, in call order', () => {
  expect(authenticated.length).toBeGreaterThanOrEqual(15);
  expect(events).toHaveLength(authenticated.length);
  expect(events.map((e) => e.event.request.action.id)).toEqual(authenticated.map(({ step }) => step.operation));
  expect(events.map((e) => e.action)).toEqual(authenticated.map(({ step }) => step.operation));
});

test('the log holds no other events but the one audit event ingested', async () => {
  const kinds = await service.db.client.event.groupBy({ by: ['kind'], where: { tenantId: tenant.id }, _count: { _all: true } });
  const counts = Object.fromEntries(kinds.map((k) => [k.kind, k._count._all]));
  expect(counts).toEqual({ audit: 1, authorization: authenticated.length });
});

describe.each(authenticated.map(({ step, index }) => [index + 1, step.operation, step.status, index] as const))(
  'call %i (%s, answered %i)',
  (_n, operation, _status, index) => {
    const eventOf = () => events[authenticated.findIndex((a) => a.index === index)]!.event;

    test('its event validates as an authorization event', () => {
      const result = validateEvent(eventOf());
      expect(result.ok ? [] : result.issues).toEqual([]);
      expect(result.ok && result.value.kind).toBe('authorization');
    });

    test('its event names the caller, the operation and the decision', () => {
      const event = eventOf();
      expect(event.id).toMatch(/^eval_[0-9A-Z]{26}$/);
      expect(event.request.principal).toEqual({ type: 'Auditdrain::ApiKey', id: tenant.keys.admin.id });
      expect(event.request.action).toEqual({ type: 'Auditdrain::Action', id: operation });
      expect(event.decision).toBe('allow');
      expect(event.allowed).toBe(true);
      expect(event.request.context.role).toBe('admin');
      expect(event.request.context.method).toBe(methods[index]);
      expect(event.request.context.path).toBe(paths[index]);
    });

    test('its evaluated_at is an RFC 3339 time and evaluation_duration a non-negative integer', () => {
      const event = eventOf();
      expect(typeof event.evaluated_at).toBe('string');
      expect(isRfc3339(event.evaluated_at)).toBe(true);
      expect(event.evaluated_at).toMatch(/Z$/);
      expect(Number.isInteger(event.evaluation_duration)).toBe(true);
      expect(event.evaluation_duration).toBeGreaterThanOrEqual(0);
    });

    test("its context.request_id is the response's x-request-id", () => {
      const requestId = responses[index]!.headers['x-request-id'];
      expect(requestId).toEqual(expect.any(String));
      expect(eventOf().request.context.request_id).toBe(requestId);
      if (responses[index]!.body?.error) expect(responses[index]!.body.error.request_id).toBe(requestId);
    });
  },
);

test("a caller's own x-request-id is the one recorded", () => {
  const index = SESSION.findIndex((s) => s.operation === 's3_log_destination.get');
  expect(responses[index]!.headers['x-request-id']).toBe('trace-from-caller.42');
  expect(events.some((e) => e.event.request.context.request_id === 'trace-from-caller.42')).toBe(true);
});

test('evaluated_at never goes backwards along the log', () => {
  const times = events.map((e) => Date.parse(e.event.evaluated_at));
  expect(times.every((t) => !Number.isNaN(t))).toBe(true);
  expect(times).toEqual([...times].sort((x, y) => x - y));
});

test('GET /v1/events?kind=authorization returns them, plus the one for the listing call itself', async () => {
  const res = await service.http.get('/v1/events?kind=authorization&limit=200').set(bearer(tenant.keys.admin.secret)).expect(200);
  const listed = res.body.data as Array<{ id: string; kind: string; event: any }>;
  expect(listed).toHaveLength(events.length + 1);
  expect(listed.every((e) => e.kind === 'authorization')).toBe(true);
  expect(listed.slice(0, -1).map((e) => e.event)).toEqual(events.map((e) => e.event));
  expect(listed.slice(0, -1).map((e) => e.id)).toEqual(events.map((e) => e.eventId));
  const own = listed[listed.length - 1]!;
  expect(own.event.request.action.id).toBe('event.list');
  expect(own.event.request.context.request_id).toBe(res.headers['x-request-id']);
  expect(res.body.next_cursor).toBeNull();
});
