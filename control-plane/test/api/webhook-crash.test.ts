/**
 * kill -9 of the built service while webhook requests are in flight, then a restart on the same database: every
 * event reaches the receiver at least once, and every request carries its event's id as `webhook-id` (so a
 * duplicate is recognisable as one).
 */
import { adminKeyOf, cliEnv, serveCli } from '../support/built-cli';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import { freshDatabase } from '../support/test-service';
import { until } from '../support/until';

let receiver: Receiver;
let fresh: Awaited<ReturnType<typeof freshDatabase>>;

const serve = () =>
  serveCli(cliEnv(fresh, { AUDITDRAIN_LOG_LEVEL: 'warn', AUDITDRAIN_DELIVERY_POLL_MS: '50', AUDITDRAIN_ALLOW_PRIVATE_NETWORK: 'true' }));

beforeAll(async () => {
  receiver = await startReceiver();
  fresh = await freshDatabase();
});
afterAll(async () => {
  await receiver?.close();
  await fresh?.drop();
});

test('killed mid-delivery and restarted: every event delivered at least once, duplicates with the same webhook-id', async () => {
  // Answers take a while, so requests are in flight when the process dies.
  receiver.respond(() => 'hang');
  const first = await serve();
  const headers = { authorization: `Bearer ${adminKeyOf(first.stderr())}`, 'content-type': 'application/json' };
  const created = await fetch(`${first.url}/v1/webhook-integrations`, { method: 'POST', headers, body: JSON.stringify({ name: 'crash', url: receiver.url }) });
  expect(created.status).toBe(201);
  const ids = Array.from({ length: 300 }, (_, i) => `whcrash-${i}`);
  const sent = await fetch(`${first.url}/v1/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify(ids.map((id) => ({ id, action: 'grant.approved', occurred_at: '2026-05-01T08:00:00Z', actor: { type: 'user', id: 'u' } }))),
  });
  expect(sent.status).toBe(202);
  // The service's full concurrency is held open by the receiver: kill it now.
  await until('requests in flight', async () => receiver.received.length >= 8);
  first.child.kill('SIGKILL');
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  const beforeRestart = receiver.received.length;

  receiver.respond(() => ({ status: 200 }));
  const second = await serve();
  try {
    await until('every event received', async () => new Set(receiver.received.map((r) => r.headers['webhook-id'])).size === ids.length, 60_000, 100);
  } finally {
    await second.stop();
  }
  const received = receiver.received.map((r) => ({ header: r.headers['webhook-id'], id: (JSON.parse(r.body) as { id: string }).id }));
  expect(received.every((r) => r.header === r.id)).toBe(true);
  expect(new Set(received.map((r) => r.id))).toEqual(new Set(ids));
  // The requests that were in flight when the process died were sent again after the restart.
  const inFlight = new Set(receiver.received.slice(0, beforeRestart).map((r) => r.headers['webhook-id']));
  const resent = receiver.received.slice(beforeRestart).filter((r) => inFlight.has(r.headers['webhook-id']));
  expect(resent.length).toBe(inFlight.size);
});
