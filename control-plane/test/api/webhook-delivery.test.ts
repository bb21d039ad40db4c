/**
 * Webhook delivery against real HTTP receivers on loopback. Signatures are checked with the `standardwebhooks`
 * package, a verifier this project did not write. The retry schedule is shortened (DeliverySettings) so a test
 * can watch several attempts; what it retries and when it stops is the production policy.
 */
import { Webhook } from 'standardwebhooks';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, hostsResolver, startTestService } from '../support/test-service';
import { testDeliverySettings } from '../support/delivery-settings';
import { until } from '../support/until';


let service: TestService;
let tenant: TenantWithKeys;
let admin: { authorization: string };
let receiver: Receiver;

beforeAll(async () => {
  service = await startTestService({ delivery: testDeliverySettings(), allowPrivateNetwork: true });
  tenant = await service.tenant();
  admin = bearer(tenant.keys.admin.secret);
  service.engine!.start();
});
afterAll(async () => {
  await service?.close();
});
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

async function integration(extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string; path: string }> {
  const created = await service.http.post('/v1/webhook-integrations').set(admin).send({ name: 'siem', url: receiver.url, ...extra }).expect(201);
  const secret = await service.http.get(`/v1/webhook-integrations/${created.body.id}/signing-secret`).set(admin).expect(200);
  return { id: created.body.id, secret: secret.body.signing_secret, path: `/v1/webhook-integrations/${created.body.id}` };
}

async function ingest(events: Record<string, unknown>[]): Promise<void> {
  await service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send(events).expect(202);
}

async function deliveries(path: string, query = ''): Promise<Record<string, any>[]> {
  return (await service.http.get(`${path}/deliveries${query}`).set(admin).expect(200)).body.data;
}

test('each event is POSTed as its JSON, signed (verified by the reference library), with the configured headers', async () => {
  const hook = await integration({ headers: [{ key: 'Authorization', value: 'Bearer s3cr3t' }, { key: 'X-Tenant', value: 'acme' }] });
  const events = [auditEventBody({ id: 'wh-1', metadata: { text: 'é ✓' } }), auditEventBody({ id: 'wh-2' })];
  await ingest(events);
  await until('two requests', async () => receiver.received.length >= 2);
  const byId = new Map(receiver.received.map((r) => [r.headers['webhook-id'], r]));
  for (const event of events) {
    const got = byId.get(event.id as string)!;
    expect(JSON.parse(got.body)).toEqual(event);
    expect(new Webhook(hook.secret).verify(got.body, got.headers as Record<string, string>)).toEqual(event);
    expect(got.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer s3cr3t',
      'x-tenant': 'acme',
      'user-agent': expect.stringMatching(/^auditdrain\/\d+\.\d+\.\d+/),
    });
  }
  const log = await until('both deliveries succeeded', async () => {
    const list = await deliveries(hook.path);
    return list.length === 2 && list.every((d) => d.status === 'succeeded') && list;
  });
  expect(log.map((d) => d.event_id).sort()).toEqual(['wh-1', 'wh-2']);
  expect(log.every((d) => d.attempts === 1 && d.last_status_code === 200)).toBe(true);
  // The first deliveries of this service: the counter holds exactly these two.
  expect((await service.http.get('/metrics').expect(200)).text).toContain('auditdrain_delivered_events_total{destination_type="webhook_integration"} 2');
});

test('filters: only matching actions, and authorization events only when asked for', async () => {
  await integration({ filter_for_actions: ['grant.*'], send_authorization_events: true });
  await ingest([
    auditEventBody({ id: 'flt-1', action: 'grant.approved' }),
    auditEventBody({ id: 'flt-2', action: 'access.viewed' }),
    auditEventBody({ id: 'flt-3', action: 'grant.revoked' }),
  ]);
  await until('two requests', async () => receiver.received.length >= 2);
  // The API calls' own authorization events (actions like event.ingest) do not match grant.*.
  await ingest([auditEventBody({ id: 'flt-4', action: 'grant.requested' })]);
  await until('three requests', async () => receiver.received.length >= 3);
  expect(receiver.received.map((r) => r.headers['webhook-id']).sort()).toEqual(['flt-1', 'flt-3', 'flt-4']);
});

test('500 three times, then 200: one successful delivery, four attempts, one webhook-id', async () => {
  const hook = await integration();
  receiver.respond((_r, n) => (n < 3 ? { status: 500, body: 'boom' } : { status: 200, body: 'ok' }));
  await ingest([auditEventBody({ id: 'retry-1' })]);
  const [delivery] = await until('success', async () => {
    const list = await deliveries(hook.path);
    return list[0]?.status === 'succeeded' && list;
  });
  expect(receiver.received).toHaveLength(4);
  expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set(['retry-1']));
  const detail = (await service.http.get(`${hook.path}/deliveries/${delivery!.id}`).set(admin).expect(200)).body;
  expect(detail).toMatchObject({ status: 'succeeded', attempts: 4, event_id: 'retry-1', last_status_code: 200 });
  expect(detail.attempt_log.map((a: any) => [a.attempt, a.status_code, a.response_excerpt])).toEqual([
    [1, 500, 'boom'],
    [2, 500, 'boom'],
    [3, 500, 'boom'],
    [4, 200, 'ok'],
  ]);
  expect(await deliveries(hook.path, '?status=failed')).toEqual([]);
  // No failure came before this test's three.
  expect((await service.http.get('/metrics').expect(200)).text).toContain('auditdrain_delivery_failures_total{destination_type="webhook_integration",code="http_500"} 3');
});

test('Retry-After is honoured on 429', async () => {
  const hook = await integration();
  receiver.respond((_r, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
  await ingest([auditEventBody({ id: 'slow-down' })]);
  await until('success', async () => (await deliveries(hook.path))[0]?.status === 'succeeded', 10_000);
  expect(receiver.received).toHaveLength(2);
  // The shortened schedule would have retried after 100 ms; the endpoint asked for 2 s.
  expect(receiver.received[1]!.at - receiver.received[0]!.at).toBeGreaterThanOrEqual(1_900);
});

test('a timeout is retried; a 4xx other than 408/429 fails at once', async () => {
  const hook = await integration();
  receiver.respond((r, n) => (r.headers['webhook-id'] === 'timeout-1' && n === 0 ? 'hang' : r.headers['webhook-id'] === 'bad-1' ? { status: 400 } : { status: 204 }));
  await ingest([auditEventBody({ id: 'timeout-1' })]);
  const timedOut = await until('success after a timeout', async () => {
    const [d] = await deliveries(hook.path);
    return d?.status === 'succeeded' && d;
  }, 10_000);
  const detail = (await service.http.get(`${hook.path}/deliveries/${timedOut.id}`).set(admin).expect(200)).body;
  expect(detail.attempt_log.map((a: any) => [a.status_code, a.error])).toEqual([
    [null, 'no complete response within 1 s'],
    [204, null],
  ]);

  await ingest([auditEventBody({ id: 'bad-1' })]);
  const failed = await until('a failed delivery', async () => {
    const [d] = await deliveries(hook.path, '?status=failed');
    return d;
  });
  expect(failed).toMatchObject({ event_id: 'bad-1', attempts: 1, last_status_code: 400, next_attempt_at: null });
});

test('410 Gone disables the integration', async () => {
  const hook = await integration();
  receiver.respond(() => ({ status: 410 }));
  await ingest([auditEventBody({ id: 'gone-1' })]);
  const got = await until('disabled', async () => {
    const res = await service.http.get(hook.path).set(admin).expect(200);
    return res.body.enabled === false && res.body;
  });
  expect(got.health).toMatchObject({ status: 'paused', last_error: { code: 'Disabled', message: expect.stringContaining('410') } });
  receiver.respond(() => ({ status: 200 }));
  // A second integration, created now, proves the engine ran over the next events; the disabled one gets none.
  await integration();
  await ingest([auditEventBody({ id: 'gone-2' })]);
  await until('the other integration got gone-2', async () => receiver.received.some((r) => r.headers['webhook-id'] === 'gone-2'));
  expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual(['gone-1', 'gone-2']);
});

test('a redirect is not followed: the delivery fails at once', async () => {
  const hook = await integration();
  const elsewhere = await startReceiver();
  try {
    receiver.respond(() => ({ status: 307, headers: { location: elsewhere.url } }));
    await ingest([auditEventBody({ id: 'redirected-1' })]);
    const [failed] = await until('failed', async () => {
      const list = await deliveries(hook.path, '?status=failed');
      return list.length > 0 && list;
    });
    expect(failed).toMatchObject({ event_id: 'redirected-1', attempts: 1, last_status_code: 307 });
    expect(elsewhere.received).toEqual([]);
  } finally {
    await elsewhere.close();
  }
});

test('an integration failing with no success for five days is disabled', async () => {
  const hook = await integration();
  receiver.respond(() => ({ status: 500 }));
  // Its last success was six days ago (the clock cannot be moved for a running engine; the record can).
  await service.db.client.deliveryState.update({ where: { destinationId: hook.id }, data: { lastSuccessAt: new Date(Date.now() - 6 * 86_400_000) } });
  await ingest([auditEventBody({ id: 'stale-1' })]);
  const got = await until('disabled', async () => {
    const res = await service.http.get(hook.path).set(admin).expect(200);
    return res.body.enabled === false && res.body;
  });
  expect(got.health.last_error.message).toMatch(/no successful delivery for 5 days/);
});

test('health: failing while the endpoint fails, healthy again after, with the backlog counted', async () => {
  const hook = await integration();
  let failing = true;
  receiver.respond(() => (failing ? { status: 503, body: 'maintenance' } : { status: 200 }));
  await ingest([auditEventBody({ id: 'health-1' }), auditEventBody({ id: 'health-2' })]);
  const bad = await until('failing', async () => {
    const res = await service.http.get(hook.path).set(admin).expect(200);
    return res.body.health.status === 'failing' && res.body.health;
  });
  expect(bad.backlog).toBe(2);
  expect(bad.last_error).toMatchObject({ operation: 'POST', code: 'http_503', http_status: 503, response_excerpt: 'maintenance' });
  failing = false;
  const good = await until('healthy', async () => {
    const res = await service.http.get(hook.path).set(admin).expect(200);
    return res.body.health.status === 'healthy' && res.body.health.backlog === 0 && res.body.health;
  });
  expect(good.last_success_at).toEqual(expect.any(String));
});

test('after a rotation both secrets sign, and each verifies', async () => {
  const hook = await integration();
  const rotated = (await service.http.post(`${hook.path}/rotate-secret`).set(admin).expect(200)).body;
  expect(rotated.signing_secret).toMatch(/^whsec_/);
  expect(rotated.signing_secret).not.toBe(hook.secret);
  expect(Date.parse(rotated.previous_secret_expires_at) - Date.now()).toBeGreaterThan(23 * 3600_000);
  await ingest([auditEventBody({ id: 'rotated-1' })]);
  const [got] = await until('a request', async () => receiver.received.length > 0 && receiver.received);
  expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
  expect(() => new Webhook(hook.secret).verify(got!.body, got!.headers as Record<string, string>)).not.toThrow();
  expect(() => new Webhook(rotated.signing_secret).verify(got!.body, got!.headers as Record<string, string>)).not.toThrow();
  const current = await service.http.get(`${hook.path}/signing-secret`).set(admin).expect(200);
  expect(current.body.signing_secret).toBe(rotated.signing_secret);
});

test('POST …/test sends a signed sample event now and reports the answer', async () => {
  const hook = await integration({ headers: [{ key: 'X-Probe', value: 'yes' }] });
  receiver.respond(() => ({ status: 202, body: 'thanks' }));
  const res = (await service.http.post(`${hook.path}/test`).set(admin).expect(200)).body;
  expect(res).toMatchObject({ ok: true, status_code: 202, error: null, response_excerpt: 'thanks', webhook_id: expect.stringMatching(/^evt_test_/) });
  const [got] = receiver.received;
  expect(got!.headers).toMatchObject({ 'x-probe': 'yes', 'webhook-id': res.webhook_id });
  expect(new Webhook(hook.secret).verify(got!.body, got!.headers as Record<string, string>)).toMatchObject({ action: 'auditdrain.webhook.test' });
  // A probe is not a delivery.
  expect(await deliveries(hook.path)).toEqual([]);
  receiver.respond(() => ({ status: 500, body: 'down' }));
  expect((await service.http.post(`${hook.path}/test`).set(admin).expect(200)).body).toMatchObject({ ok: false, status_code: 500, response_excerpt: 'down' });
});

test('a failed delivery is retried on request, with the same webhook-id; a pending one is not', async () => {
  const hook = await integration();
  receiver.respond((r) => (r.headers['webhook-id'] === 'manual-0' ? 'hang' : { status: 400 }));
  await ingest([auditEventBody({ id: 'manual-0' })]);
  const [pending] = await until('a request held open', async () => receiver.received.length > 0 && deliveries(hook.path));
  expect(pending).toMatchObject({ event_id: 'manual-0', status: 'pending' });
  const refused = await service.http.post(`${hook.path}/deliveries/${pending!.id}/retry`).set(admin).expect(409);
  expect(refused.body.error.message).toMatch(/still pending/);

  let manual1 = 0;
  receiver.respond((r) => (r.headers['webhook-id'] === 'manual-0' ? 'hang' : ++manual1 === 1 ? { status: 400 } : { status: 200 }));
  await ingest([auditEventBody({ id: 'manual-1' })]);
  const [failed] = await until('failed', async () => {
    const list = await deliveries(hook.path, '?status=failed');
    return list.length > 0 && list;
  });
  expect(failed).toMatchObject({ event_id: 'manual-1', attempts: 1, last_status_code: 400 });
  const retried = (await service.http.post(`${hook.path}/deliveries/${failed!.id}/retry`).set(admin).expect(202)).body;
  expect(retried).toEqual({ id: expect.stringMatching(/^wdl_/), event_id: 'manual-1' });
  await until('the retry succeeded', async () => (await deliveries(hook.path, '?status=succeeded')).some((d) => d.id === retried.id));
  expect(receiver.received.filter((r) => r.headers['webhook-id'] === 'manual-1')).toHaveLength(2);
  await service.http.post(`${hook.path}/deliveries/wdl_00000000000000000000000000/retry`).set(admin).expect(404);
});

test('replay re-sends the events received since a time, and only those', async () => {
  const hook = await integration();
  await ingest([auditEventBody({ id: 'replay-old' })]);
  await until('first delivery', async () => receiver.received.length === 1);
  const since = new Date().toISOString();
  await ingest([auditEventBody({ id: 'replay-new-1' }), auditEventBody({ id: 'replay-new-2' })]);
  await until('three deliveries', async () => receiver.received.length === 3);
  const replay = (await service.http.post(`${hook.path}/replay`).set(admin).send({ since }).expect(202)).body;
  expect(replay).toEqual({ replayed: 2, through: 'replay-new-2', truncated: false });
  await until('five requests', async () => receiver.received.length === 5);
  expect(receiver.received.slice(3).map((r) => r.headers['webhook-id']).sort()).toEqual(['replay-new-1', 'replay-new-2']);
  const bad = await service.http.post(`${hook.path}/replay`).set(admin).send({ since: 'yesterday' }).expect(422);
  expect(bad.body.error.details[0]).toMatchObject({ path: 'since' });
});

test('a hanging endpoint does not delay a healthy one', async () => {
  const hanging = await startReceiver();
  hanging.respond(() => 'hang');
  try {
    await service.http.post('/v1/webhook-integrations').set(admin).send({ name: 'stuck', url: hanging.url }).expect(201);
    await integration();
    await ingest([auditEventBody({ id: 'iso-1' })]);
    await until('the hanging endpoint holds a request', async () => hanging.received.length > 0);
    await until('the healthy endpoint got iso-1', async () => receiver.received.some((r) => r.headers['webhook-id'] === 'iso-1'));
    await ingest([auditEventBody({ id: 'iso-2' })]);
    await until('the healthy endpoint got iso-2', async () => receiver.received.some((r) => r.headers['webhook-id'] === 'iso-2'));
  } finally {
    await hanging.close();
  }
});

describe('SSRF guard (private networks not allowed)', () => {
  let strict: TestService;
  let key: { authorization: string };
  // Stands in for DNS: these names cannot be pointed at private addresses for real here.
  const hosts: Record<string, string[]> = {
    'internal.example.com': ['10.0.0.5'],
    'mixed.example.com': ['93.184.216.34', '192.168.1.10'],
    'public.example.com': ['93.184.216.34'],
    'rebinding.example.com': ['93.184.216.34'],
  };

  beforeAll(async () => {
    strict = await startTestService({ delivery: testDeliverySettings({ allowPrivateNetwork: false }), resolver: hostsResolver(hosts) });
    key = bearer((await strict.tenant()).keys.admin.secret);
  });
  afterAll(async () => {
    await strict?.close();
  });

  test.each([
    ['https://internal.example.com/hook', /resolves to 10\.0\.0\.5, a private address/],
    ['https://mixed.example.com/hook', /resolves to 192\.168\.1\.10/],
    ['https://127.0.0.1/hook', /loopback/],
    ['https://[::ffff:169.254.169.254]/hook', /metadata/],
    ['http://public.example.com/hook', /must use https/],
  ])('%s is refused, naming the field', async (url, message) => {
    const before = await strict.db.client.destination.count();
    const res = await strict.http.post('/v1/webhook-integrations').set(key).send({ name: 'x', url }).expect(422);
    expect(res.body.error.details[0]).toMatchObject({ path: 'url', message: expect.stringMatching(message) });
    expect(await strict.db.client.destination.count()).toBe(before);
  });

  test('a public name, and a name that does not resolve yet, are accepted', async () => {
    await strict.http.post('/v1/webhook-integrations').set(key).send({ name: 'pub', url: 'https://public.example.com/hook' }).expect(201);
    await strict.http.post('/v1/webhook-integrations').set(key).send({ name: 'later', url: 'https://not-yet.example.com/hook' }).expect(201);
  });

  test('a name re-pointed at a private address after it was saved is refused when connecting', async () => {
    const created = await strict.http.post('/v1/webhook-integrations').set(key).send({ name: 'rebind', url: 'https://rebinding.example.com/hook' }).expect(201);
    hosts['rebinding.example.com'] = ['127.0.0.1'];
    strict.engine!.start();
    await strict.http.post('/v1/events').set(key).send([auditEventBody({ id: 'rebind-1' })]).expect(202);
    const [delivery] = await until('an attempt', async () => {
      const list = (await strict.http.get(`/v1/webhook-integrations/${created.body.id}/deliveries`).set(key).expect(200)).body.data;
      return list[0]?.attempts > 0 && list;
    });
    expect(delivery.last_error).toMatch(/refusing to connect to rebinding\.example\.com: it resolves to 127\.0\.0\.1/);
    expect(delivery.last_status_code).toBeNull();
  });
});
