/**
 * Operational endpoints, and the OpenAPI document against the routes the service really has.
 */
import type express from 'express';
import request from 'supertest';
import { openApiDocument } from '@auditdrain/schema';
import { SecretBox } from '../../src/crypto/secret-box';
import { createApp } from '../../src/http/app';
import type { Lifecycle } from '../../src/http/routes/operations';
import { createMetrics } from '../../src/metrics';
import { createLogger } from '../../src/log';
import { documentedOperations, routedOperations } from '../support/api-document';
import type { TestService } from '../support/test-service';
import { auditEventBody, bearer, startTestService } from '../support/test-service';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => service.close());

/** Another app on the service's database, in the given lifecycle. */
function appWith(lifecycle: Lifecycle): express.Express {
  return createApp({
    db: service.db,
    box: new SecretBox(service.masterKey),
    log: createLogger('silent'),
    metrics: createMetrics(),
    lifecycle,
    allowPrivateNetwork: false,
    awsPrincipalArn: null,
    maxBodyBytes: 1024,
  });
}

test('/healthz answers without a key', async () => {
  const res = await service.http.get('/healthz').expect(200);
  expect(res.body).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
});

test('/readyz checks the database and turns 503 once shutdown begins', async () => {
  await service.http.get('/readyz').expect(200, { status: 'ready' });
  await request(appWith({ accepting: false })).get('/readyz').expect(503, { status: 'shutting_down' });
});

test('/metrics serves Prometheus text with request and ingest counters', async () => {
  const tenant = await service.tenant();
  await service.http.post('/v1/events').set(bearer(tenant.keys.writer.secret)).send([auditEventBody(), auditEventBody()]).expect(202);
  const res = await service.http.get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(res.text).toMatch(/^auditdrain_http_requests_total\{method="POST",route="\/v1\/events",status="202"\} 1$/m);
  expect(res.text).toMatch(/^auditdrain_events_ingested_total\{kind="audit"\} 2$/m);
  expect(res.text).toMatch(/^auditdrain_process_resident_memory_bytes \d+/m);
});

test('/v1/openapi.json is served without a key and is the derived document', async () => {
  const res = await service.http.get('/v1/openapi.json').expect(200);
  expect(res.body.openapi).toBe('3.1.0');
  expect(res.body.paths).toEqual(JSON.parse(JSON.stringify(openApiDocument(res.body.info.version).paths)));
});

test('the OpenAPI document lists exactly the /v1 routes the service serves', () => {
  const served = routedOperations(appWith({ accepting: true })).filter((r) => r.split(' ')[1]!.startsWith('/v1/') && r !== 'GET /v1/openapi.json');
  expect(served.length).toBeGreaterThan(10);
  expect(served).toEqual(documentedOperations());
});
