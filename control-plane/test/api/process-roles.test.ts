/**
 * A delivery-only process (AUDITDRAIN_ROLE=delivery) serves its operations endpoints and refuses the API with a
 * 503 that says where to send it; the API is served by processes whose role is `all` or `api`.
 */
import type { TenantWithKeys, TestService } from '../support/test-service';
import { bearer, startTestService } from '../support/test-service';

let service: TestService;
let tenant: TenantWithKeys;

beforeAll(async () => {
  service = await startTestService({ serveApi: false });
  tenant = await service.tenant();
});
afterAll(async () => {
  await service?.close();
});

test('health, readiness and metrics are served', async () => {
  await service.http.get('/healthz').expect(200);
  await service.http.get('/readyz').expect(200);
  await service.http.get('/metrics').expect(200);
});

test.each([
  ['GET', '/v1/identity'],
  ['POST', '/v1/events'],
  ['GET', '/v1/s3-log-destinations'],
])('%s %s answers 503 naming the role, authenticated or not', async (method, path) => {
  for (const auth of [bearer(tenant.keys.admin.secret), {}]) {
    const answer = await (method === 'GET' ? service.http.get(path) : service.http.post(path).send({})).set(auth).expect(503);
    expect(answer.body.error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('AUDITDRAIN_ROLE=delivery') });
  }
});
