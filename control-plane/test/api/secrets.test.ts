/**
 * Secrets (static AWS keys, webhook header values, signing secrets, API keys): encrypted at rest with AES-256-GCM,
 * never in an API read (the signing secret only from its own endpoint), never in a log line, and bound to their
 * record so a sealed value moved onto another record does not decrypt.
 */
import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { SecretBox } from '../../src/crypto/secret-box';
import { configOf } from '../../src/domain/resources/stored-resource';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { auditEventBody, bearer, startTestService } from '../support/test-service';

let service: TestService;
let tenant: TenantWithKeys;
let admin: { authorization: string };

const S3 = '/v1/s3-log-destinations';
const WEBHOOKS = '/v1/webhook-integrations';
const SIGNING_SECRET_SHAPE = /^whsec_[A-Za-z0-9+/]{43}=$/;

const unique = (label: string) => `${label}-${randomBytes(18).toString('base64url')}`;

/** Every secret value the test hands to the service or gets from it, by what it is. */
const secrets = {
  secretAccessKeys: [unique('sak'), unique('sak')],
  headerValues: [unique('hv'), unique('hv'), unique('hv'), unique('hv')],
  signingSecrets: [] as string[],
};
const allSecrets = () => [...secrets.secretAccessKeys, ...secrets.headerValues, ...secrets.signingSecrets];

/** Every response the test received: what it was, its raw body and headers. */
const responses: Array<{ what: string; raw: string; signingSecretEndpoint: boolean }> = [];

async function record(what: string, request: PromiseLike<Response>, signingSecretEndpoint = false): Promise<Response> {
  const res = await request;
  responses.push({ what, raw: `${JSON.stringify(res.headers)}\n${res.text ?? ''}`, signingSecretEndpoint });
  return res;
}

const ids = { s3: '', webhook: '' };

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.tenant('secrets');
  admin = bearer(tenant.keys.admin.secret);
});
afterAll(() => service.close());

const box = () => new SecretBox(service.masterKey);

async function rowOf(id: string) {
  const row = await service.db.client.destination.findUnique({ where: { id } });
  if (!row) throw new Error(`no destination row ${id}`);
  return row;
}

async function signingSecretOf(id: string): Promise<string> {
  const res = await record('signing-secret read', service.http.get(`${WEBHOOKS}/${id}/signing-secret`).set(admin), true);
  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(Object.keys(res.body)).toEqual(['signing_secret']);
  expect(res.body.signing_secret).toMatch(SIGNING_SECRET_SHAPE);
  if (!secrets.signingSecrets.includes(res.body.signing_secret)) secrets.signingSecrets.push(res.body.signing_secret);
  return res.body.signing_secret;
}

describe('every endpoint, with secrets in play', () => {
  test('create an S3 destination with static keys: the secret access key is not echoed', async () => {
    const res = await record(
      'create s3',
      service.http.post(S3).set(admin).send({
        name: 'static keys',
        bucket_name: 'customer-audit-logs',
        access_key_id: 'AKIAIOSFODNN7EXAMPLE',
        secret_access_key: secrets.secretAccessKeys[0],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.access_key_id).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(res.body).not.toHaveProperty('secret_access_key');
    ids.s3 = res.body.id;
  });

  test('create a webhook integration with headers: header values and the signing secret are not echoed', async () => {
    const res = await record(
      'create webhook',
      service.http
        .post(WEBHOOKS)
        .set(admin)
        .send({
          name: 'siem',
          url: 'https://siem.example.com/hooks/auditdrain',
          headers: [
            { key: 'Authorization', value: secrets.headerValues[0] },
            { key: 'X-Tenant-Token', value: secrets.headerValues[1] },
          ],
        }),
    );
    expect(res.status).toBe(201);
    expect(res.body.headers).toEqual([{ key: 'Authorization' }, { key: 'X-Tenant-Token' }]);
    expect(res.body).not.toHaveProperty('signing_secret');
    ids.webhook = res.body.id;
  });

  test('the signing secret comes from its own endpoint, in the Standard Webhooks format, not cached', async () => {
    const first = await signingSecretOf(ids.webhook);
    expect(await signingSecretOf(ids.webhook)).toBe(first);
  });

  test.each([
    ['get s3', () => `${S3}/${ids.s3}`],
    ['get webhook', () => `${WEBHOOKS}/${ids.webhook}`],
    ['list s3', () => S3],
    ['list webhooks', () => WEBHOOKS],
  ])('%s answers 200 without secrets', async (what, path) => {
    const res = await record(what, service.http.get(path()).set(admin));
    expect(res.status).toBe(200);
    const items = (res.body.data ?? [res.body]) as Array<Record<string, unknown>>;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item).not.toHaveProperty('secret_access_key');
      expect(item).not.toHaveProperty('signing_secret');
      for (const header of (item.headers as Array<Record<string, unknown>> | null) ?? []) expect(header).not.toHaveProperty('value');
    }
  });

  test('an update of plain fields keeps the secrets as they were', async () => {
    const s3 = await record('rename s3', service.http.patch(`${S3}/${ids.s3}`).set(admin).send({ name: 'renamed' }));
    expect(s3.status).toBe(200);
    const webhook = await record('rename webhook', service.http.patch(`${WEBHOOKS}/${ids.webhook}`).set(admin).send({ name: 'renamed' }));
    expect(webhook.status).toBe(200);
    expect(configOf(await rowOf(ids.s3), box()).secret_access_key).toBe(secrets.secretAccessKeys[0]);
    expect(configOf(await rowOf(ids.webhook), box()).headers).toEqual([
      { key: 'Authorization', value: secrets.headerValues[0] },
      { key: 'X-Tenant-Token', value: secrets.headerValues[1] },
    ]);
  });

  test('an update that changes the secrets stores the new ones, sealed, and echoes none', async () => {
    const signingSecret = await signingSecretOf(ids.webhook);
    const s3 = await record(
      'rotate s3 key',
      service.http.patch(`${S3}/${ids.s3}`).set(admin).send({ secret_access_key: secrets.secretAccessKeys[1] }),
    );
    expect(s3.status).toBe(200);
    expect(s3.body).not.toHaveProperty('secret_access_key');
    const webhook = await record(
      'rotate webhook headers',
      service.http
        .patch(`${WEBHOOKS}/${ids.webhook}`)
        .set(admin)
        .send({ headers: [{ key: 'Authorization', value: secrets.headerValues[2] }, { key: 'X-Extra', value: secrets.headerValues[3] }] }),
    );
    expect(webhook.status).toBe(200);
    expect(webhook.body.headers).toEqual([{ key: 'Authorization' }, { key: 'X-Extra' }]);

    expect(configOf(await rowOf(ids.s3), box()).secret_access_key).toBe(secrets.secretAccessKeys[1]);
    const config = configOf(await rowOf(ids.webhook), box());
    expect(config.headers).toEqual([
      { key: 'Authorization', value: secrets.headerValues[2] },
      { key: 'X-Extra', value: secrets.headerValues[3] },
    ]);
    // Changing the headers does not change the signing secret.
    expect(config.signing_secret).toBe(signingSecret);
    expect(await signingSecretOf(ids.webhook)).toBe(signingSecret);
  });

  test.each([
    ['secret access key without its key id', S3, () => ({ name: 'x', bucket_name: 'customer-audit-logs', secret_access_key: secrets.secretAccessKeys[0] })],
    [
      'header value with a line break',
      WEBHOOKS,
      () => ({ name: 'x', url: 'https://siem.example.com/', headers: [{ key: 'X-Token', value: `${secrets.headerValues[0]}\r\nX-Injected: 1` }] }),
    ],
    ['reserved header name', WEBHOOKS, () => ({ name: 'x', url: 'https://siem.example.com/', headers: [{ key: 'Host', value: secrets.headerValues[1] }] })],
  ])('a refused create (%s) does not echo the secret', async (what, path, body) => {
    const res = await record(`refused create: ${what}`, service.http.post(path).set(admin).send(body()));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    for (const secret of allSecrets()) expect(res.text).not.toContain(secret);
  });

  test('ingesting and listing events, and reading the identity, answer without secrets', async () => {
    const ingest = await record('ingest', service.http.post('/v1/events').set(admin).send(auditEventBody()));
    expect(ingest.status).toBe(202);
    const list = await record('list events', service.http.get('/v1/events?limit=200').set(admin));
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(1);
    const identity = await record('identity', service.http.get('/v1/identity').set(admin));
    expect(identity.status).toBe(200);
    expect(identity.body.tenant_id).toBe(tenant.id);
  });
});

describe('at rest', () => {
  test('the destinations table holds no secret in plain text, in any column', async () => {
    const rows = await service.db.client.destination.findMany();
    expect(rows.map((r) => r.id).sort()).toEqual([ids.s3, ids.webhook].sort());
    for (const row of rows) {
      expect(row.secrets).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      const columns = Object.values(row).map((value) => (value instanceof Date ? value.toISOString() : String(value)));
      for (const secret of allSecrets()) {
        for (const column of columns) expect(column).not.toContain(secret);
      }
      const plain = JSON.parse(row.config) as Record<string, unknown>;
      expect(plain).not.toHaveProperty('secret_access_key');
      expect(plain).not.toHaveProperty('signing_secret');
      expect(plain).not.toHaveProperty('headers');
    }
  });

  test('the event log holds no secret either', async () => {
    const events = await service.db.client.event.findMany({ where: { tenantId: tenant.id } });
    expect(events.length).toBeGreaterThan(0);
    const text = events.map((e) => e.payload).join('\n');
    for (const secret of [...allSecrets(), ...Object.values(tenant.keys).map((k) => k.secret)]) expect(text).not.toContain(secret);
  });

  test('the sealed secrets decrypt with the master key only, to exactly what was stored', async () => {
    expect(configOf(await rowOf(ids.s3), box())).toMatchObject({
      access_key_id: 'AKIAIOSFODNN7EXAMPLE',
      secret_access_key: secrets.secretAccessKeys[1],
    });
    // Sealed to the record's id: the same envelope under another id does not open.
    const row = await rowOf(ids.s3);
    expect(() => configOf({ ...row, id: ids.webhook }, box())).toThrow(/could not be decrypted/);
    const wrongKey = new SecretBox(randomBytes(32));
    await expect(rowOf(ids.webhook).then((row) => configOf(row, wrongKey))).rejects.toThrow(/could not be decrypted/);
  });
});

describe('tampering', () => {
  async function webhookWithHeaders(name: string) {
    const value = unique('hv');
    secrets.headerValues.push(value);
    const res = await record(
      `create ${name}`,
      service.http.post(WEBHOOKS).set(admin).send({ name, url: 'https://siem.example.com/', headers: [{ key: 'X-Token', value }] }),
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  async function s3WithStaticKeys(name: string) {
    const value = unique('sak');
    secrets.secretAccessKeys.push(value);
    const res = await record(
      `create ${name}`,
      service.http.post(S3).set(admin).send({ name, bucket_name: 'customer-audit-logs', access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: value }),
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  test.each([
    ['two webhook integrations', () => webhookWithHeaders('tamper one'), () => webhookWithHeaders('tamper two')],
    ['two S3 destinations', () => s3WithStaticKeys('tamper one'), () => s3WithStaticKeys('tamper two')],
    ['an S3 destination and a webhook integration', () => s3WithStaticKeys('tamper s3'), () => webhookWithHeaders('tamper webhook')],
  ])("swapping the secrets of %s makes their reads fail with 500, revealing neither's secret", async (_what, makeFirst, makeSecond) => {
    const first = await makeFirst();
    const second = await makeSecond();
    for (const id of [first, second]) if (id.startsWith('whk_')) await signingSecretOf(id);
    const [one, two] = [await rowOf(first), await rowOf(second)];
    await service.db.client.destination.update({ where: { id: one.id }, data: { secrets: two.secrets } });
    await service.db.client.destination.update({ where: { id: two.id }, data: { secrets: one.secrets } });
    try {
      const reads = [first, second].flatMap((id) => {
        const collection = id.startsWith('whk_') ? WEBHOOKS : S3;
        return [
          [`tampered get ${id}`, `${collection}/${id}`, false],
          [`tampered list ${collection}`, collection, false],
          ...(id.startsWith('whk_') ? [[`tampered signing secret ${id}`, `${collection}/${id}/signing-secret`, true]] : []),
        ] as Array<[string, string, boolean]>;
      });
      for (const [what, path, own] of reads) {
        const res = await record(what, service.http.get(path).set(admin), own);
        expect({ what, status: res.status, code: res.body?.error?.code }).toEqual({ what, status: 500, code: 'internal' });
        for (const secret of allSecrets()) expect(res.text).not.toContain(secret);
      }
      const update = await record(`tampered update ${first}`, service.http.patch(`${first.startsWith('whk_') ? WEBHOOKS : S3}/${first}`).set(admin).send({ name: 'x' }));
      expect(update.status).toBe(500);
      expect(update.body.error.code).toBe('internal');
      expect((await rowOf(first)).secrets).toBe(two.secrets);
    } finally {
      await service.db.client.destination.update({ where: { id: one.id }, data: { secrets: one.secrets } });
      await service.db.client.destination.update({ where: { id: two.id }, data: { secrets: two.secrets } });
    }
    // Restored, each reads its own secrets again.
    for (const id of [first, second]) {
      const collection = id.startsWith('whk_') ? WEBHOOKS : S3;
      const res = await record(`restored get ${id}`, service.http.get(`${collection}/${id}`).set(admin));
      expect(res.status).toBe(200);
    }
  });
});

describe('nothing leaks', () => {
  test('delete answers 204 with an empty body', async () => {
    for (const path of [`${S3}/${ids.s3}`, `${WEBHOOKS}/${ids.webhook}`]) {
      const res = await record(`delete ${path}`, service.http.delete(path).set(admin));
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
    }
  });

  test('no secret appears in any response, except the signing secret in its own endpoint', () => {
    expect(responses.length).toBeGreaterThan(20);
    expect(secrets.signingSecrets.length).toBeGreaterThanOrEqual(3);
    const leaks: string[] = [];
    for (const response of responses) {
      const forbidden = response.signingSecretEndpoint ? [...secrets.secretAccessKeys, ...secrets.headerValues] : allSecrets();
      for (const secret of forbidden) if (response.raw.includes(secret)) leaks.push(`${response.what}: ${secret.slice(0, 8)}…`);
    }
    expect(leaks).toEqual([]);
    // The signing-secret responses really did carry it: the search above can find what it looks for.
    expect(responses.some((r) => r.signingSecretEndpoint && r.raw.includes(secrets.signingSecrets[0]!))).toBe(true);
  });

  test('no secret and no API key appears in any log line', () => {
    const logs = service.logs.join('\n');
    expect(service.logs.length).toBeGreaterThan(responses.length - 1);
    expect(logs).toContain('unhandled error'); // the tampered reads were logged, without their secrets
    const apiKeys = Object.values(tenant.keys).map((k) => k.secret);
    expect(apiKeys.every((k) => k.startsWith('adk_'))).toBe(true);
    for (const secret of [...allSecrets(), ...apiKeys, service.masterKey.toString('hex'), service.masterKey.toString('base64')]) {
      expect(logs).not.toContain(secret);
    }
  });
});
