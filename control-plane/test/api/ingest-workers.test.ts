/**
 * Ingest with batches prepared on worker threads answers exactly as ingest on the main thread: same statuses,
 * same error details, same stored rows.
 */
import { INLINE_BODY_BYTES, workerPreparer } from '../../src/domain/events/event-preparer';
import type { TestService } from '../support/test-service';
import { auditEventBody, bearer, startTestService } from '../support/test-service';

let inline: TestService;
let workers: TestService;
beforeAll(async () => {
  inline = await startTestService();
  workers = await startTestService({ preparer: workerPreparer(2) });
});
afterAll(async () => {
  await inline.close();
  await workers.close();
});

/** A batch large enough to go to a worker. */
function bigBatch(tag: string, mutate: (events: Record<string, unknown>[]) => void = () => undefined): Record<string, unknown>[] {
  const events = Array.from({ length: 200 }, (_, i) => auditEventBody({ id: `${tag}-${i}`, metadata: { note: 'x'.repeat(300), i } }));
  mutate(events);
  expect(Buffer.byteLength(JSON.stringify(events))).toBeGreaterThan(INLINE_BODY_BYTES);
  return events;
}

const cases: [string, () => string, number][] = [
  ['a valid batch', () => JSON.stringify(bigBatch('ok')), 202],
  ['a batch with duplicates inside it', () => JSON.stringify(bigBatch('dup', (e) => e.push({ ...e[0]! }))), 202],
  ['an invalid event at index 7', () => JSON.stringify(bigBatch('bad', (e) => delete (e[7]!.actor as Record<string, unknown>).id)), 422],
  ['malformed JSON', () => JSON.stringify(bigBatch('broken')).slice(0, -2), 400],
  ['events without ids', () => JSON.stringify(bigBatch('noid', (e) => e.forEach((x) => delete x.id))), 202],
];

test.each(cases)('%s: the same answer with and without workers', async (_name, body, status) => {
  const text = body();
  const answers = [];
  for (const service of [inline, workers]) {
    const tenant = await service.tenant();
    const res = await service.http
      .post('/v1/events')
      .set(bearer(tenant.keys.writer.secret))
      .set('content-type', 'application/json')
      .send(text);
    const rows = await service.db.client.event.findMany({ where: { tenantId: tenant.id, kind: 'audit' }, orderBy: { sequence: 'asc' } });
    answers.push({
      status: res.status,
      body: res.body.error ? { code: res.body.error.code, details: res.body.error.details } : { ...res.body, ids: res.body.ids.length },
      payloads: rows.map((r) => r.payload.replace(/"id":"evt_[0-9A-Z]{26}"/, '"id":"<assigned>"')),
    });
  }
  expect(answers[0]!.status).toBe(status);
  expect(answers[1]).toEqual(answers[0]);
});
