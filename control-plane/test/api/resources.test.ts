/**
 * CRUD of both resources through the real HTTP API, on the dialect under test: what a user sends is what they read
 * back, defaults are applied, every field's validation reaches the API with its path, and updates are partial.
 */
import type { Field, ResourceSpec } from '@auditdrain/schema';
import { DEFAULT_KEY_TEMPLATE, RESOURCES, outputSchema, s3LogDestination, webhookIntegration } from '@auditdrain/schema';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { bearer, startTestService, validBodies } from '../support/test-service';

let service: TestService;
let tenant: TenantWithKeys;
let admin: { authorization: string };

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.tenant();
  admin = bearer(tenant.keys.admin.secret);
});
afterAll(() => service.close());

const bodyFor = (spec: ResourceSpec) => validBodies[spec.name as keyof typeof validBodies]();

/** A value the field refuses, derived from its description. */
function invalidValue(field: Field): unknown {
  switch (field.type) {
    case 'string':
      if (field.enum) return 'not-one-of-them';
      if (field.maxLength !== undefined) return 'a'.repeat(field.maxLength + 1);
      return 42;
    case 'integer':
      return field.maximum + 1;
    case 'boolean':
      return 'true';
    case 'string_set':
      return ['same', 'same'];
    case 'object_list':
      return [{ unexpected: 1 }];
    default:
      return 12345;
  }
}

describe.each(RESOURCES.map((spec) => [spec.name, spec] as const))('%s', (_name, spec) => {
  const path = spec.collectionPath;

  test('create returns 201 with every field, defaults applied and unset fields null', async () => {
    const res = await service.http.post(path).set(admin).send(bodyFor(spec)).expect(201);
    expect(res.headers.location).toBe(`${path}/${res.body.id}`);
    expect(res.body.id).toMatch(new RegExp(`^${spec.idPrefix}_[0-9A-Z]{26}$`));
    expect(outputSchema(spec).safeParse(res.body).success).toBe(true);
    for (const [name, field] of Object.entries(spec.fields)) {
      if (field.secret) expect(res.body).not.toHaveProperty(name);
      else expect(res.body).toHaveProperty(name);
      if (field.presence === 'optional' && 'default' in field && field.default !== undefined) {
        expect(res.body[name]).toEqual(field.default);
      }
    }
    expect(Date.parse(res.body.created_at)).not.toBeNaN();
    expect(res.body.updated_at).toBe(res.body.created_at);
  });

  test('get returns what create returned', async () => {
    const created = (await service.http.post(path).set(admin).send(bodyFor(spec)).expect(201)).body;
    const got = await service.http.get(`${path}/${created.id}`).set(admin).expect(200);
    expect(got.body).toEqual(created);
  });

  test.each(
    Object.entries(spec.fields)
      .filter(([, f]) => f.presence !== 'computed')
      .map(([name, field]) => [name, field] as const),
  )('an invalid %s is refused with 422 naming the field, and nothing is stored', async (name, field) => {
    const before = await service.db.client.destination.count();
    const res = await service.http
      .post(path)
      .set(admin)
      .send({ ...bodyFor(spec), [name]: invalidValue(field) })
      .expect(422);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path.replace(/\[\d+\].*$/, ''));
    expect(paths).toContain(name);
    expect(res.body.error.message).toContain(name);
    expect(await service.db.client.destination.count()).toBe(before);
  });

  const namesOf = (presence: Field['presence']) => Object.entries(spec.fields).filter(([, f]) => f.presence === presence).map(([n]) => n);

  test.each(namesOf('required'))('a missing required %s is named', async (name) => {
    const body: Record<string, unknown> = bodyFor(spec);
    delete body[name];
    const res = await service.http.post(path).set(admin).send(body).expect(422);
    expect(res.body.error.details).toContainEqual({ path: name, message: 'is required' });
  });

  test.each(namesOf('computed'))('the computed %s cannot be written', async (name) => {
    const res = await service.http.post(path).set(admin).send({ ...bodyFor(spec), [name]: 'x' }).expect(422);
    expect(res.body.error.details).toContainEqual({ path: name, message: 'is set by the service and cannot be written' });
  });

  test('update is partial, null resets to the default, and an empty update changes nothing', async () => {
    const created = (await service.http.post(path).set(admin).send({ ...bodyFor(spec), enabled: false }).expect(201)).body;
    const renamed = await service.http.patch(`${path}/${created.id}`).set(admin).send({ name: 'renamed' }).expect(200);
    expect(renamed.body).toEqual({ ...created, name: 'renamed', updated_at: renamed.body.updated_at });
    expect(Date.parse(renamed.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.updated_at));

    const reset = await service.http.patch(`${path}/${created.id}`).set(admin).send({ enabled: null }).expect(200);
    expect(reset.body.enabled).toBe(true);

    const same = await service.http.patch(`${path}/${created.id}`).set(admin).send({}).expect(200);
    expect(same.body).toEqual(reset.body);

    const bad = await service.http.patch(`${path}/${created.id}`).set(admin).send({ name: null }).expect(422);
    expect(bad.body.error.details).toContainEqual({ path: 'name', message: 'is required' });
    expect((await service.http.get(`${path}/${created.id}`).set(admin).expect(200)).body).toEqual(reset.body);
  });

  test('delete removes it; a second delete and a get answer 404', async () => {
    const created = (await service.http.post(path).set(admin).send(bodyFor(spec)).expect(201)).body;
    await service.http.delete(`${path}/${created.id}`).set(admin).expect(204);
    const again = await service.http.delete(`${path}/${created.id}`).set(admin).expect(404);
    expect(again.body.error.code).toBe('not_found');
    await service.http.get(`${path}/${created.id}`).set(admin).expect(404);
  });

  test('list pages through every resource oldest first', async () => {
    const own = await service.tenant();
    const key = bearer(own.keys.admin.secret);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await service.http.post(path).set(key).send(bodyFor(spec)).expect(201)).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { limit: 2, ...(cursor ? { cursor } : {}) };
      const page = await service.http.get(path).query(query).set(key).expect(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((r: { id: string }) => r.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const bad = await service.http.get(path).query({ limit: 201 }).set(key).expect(422);
    expect(bad.body.error.details[0].path).toBe('limit');
  });

  test('an unknown query parameter is refused by create, read, update and delete, and nothing is written', async () => {
    const own = await service.tenant();
    const key = bearer(own.keys.admin.secret);
    const expectRefused = (res: { body: { error: { code: string; details: { path: string; message: string }[] } } }) =>
      expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'dry_run', message: expect.stringContaining('not a known field') }] });
    expectRefused(await service.http.post(path).query({ dry_run: 'true' }).set(key).send(bodyFor(spec)).expect(422));
    expect((await service.http.get(path).set(key).expect(200)).body.data).toEqual([]);
    const created = (await service.http.post(path).set(key).send(bodyFor(spec)).expect(201)).body;
    expectRefused(await service.http.get(`${path}/${created.id}`).query({ dry_run: 'true' }).set(key).expect(422));
    expectRefused(await service.http.patch(`${path}/${created.id}`).query({ dry_run: 'true' }).set(key).send({ name: 'renamed' }).expect(422));
    expectRefused(await service.http.delete(`${path}/${created.id}`).query({ dry_run: 'true' }).set(key).expect(422));
    expect((await service.http.get(`${path}/${created.id}`).set(key).expect(200)).body).toEqual(created);
  });
});

describe('s3_log_destination specifics', () => {
  const path = s3LogDestination.collectionPath;

  test('external_id is bound to the tenant', async () => {
    const res = await service.http.post(path).set(admin).send(validBodies.s3_log_destination()).expect(201);
    expect(res.body.external_id).toBe(`auditdrain:${tenant.id}`);
    expect(res.body.key_template).toBe(DEFAULT_KEY_TEMPLATE);
  });

  test('every field round-trips', async () => {
    const body = {
      name: 'full',
      bucket_name: 'audit.logs-1',
      key_prefix: 'tenants/acme',
      region: 'eu-west-1',
      access_key_id: 'AKIAIOSFODNN7EXAMPLE',
      secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      key_template: 'schema=audit_log/version=v1/year={{ .Year }}/month={{ .Month }}/day={{ .Day }}/{{ .Timestamp }}_{{ .ID }}',
      encoding: 'json',
      compression: 'gzip',
      filter_for_actions: ['grant.*', 'access.request.created'],
      send_audit_log_events: false,
      send_authorization_events: true,
      batch_duration_in_minutes: 60,
      maximum_batch_size: 100000,
      server_side_encryption: 'aws:kms',
      kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      object_acl: 'bucket-owner-full-control',
      endpoint_url: 'https://s3.eu-west-1.amazonaws.com',
      force_path_style: true,
      enabled: false,
    };
    const res = await service.http.post(path).set(admin).send(body).expect(201);
    const { secret_access_key: _secret, ...visible } = body;
    expect(res.body).toMatchObject(visible);
    expect(res.body).not.toHaveProperty('secret_access_key');
  });

  test.each([
    [{ role_arn: 'arn:aws:iam::123456789012:role/w', access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: 's' }, 'access_key_id'],
    [{ role_arn: null, access_key_id: 'AKIAIOSFODNN7EXAMPLE' }, 'secret_access_key'],
    [{ kms_key_id: 'k' }, 'kms_key_id'],
    [{ server_side_encryption: 'AES256', kms_key_id: 'k' }, 'kms_key_id'],
    [{ key_template: '{{ .Year }}/{{ .Nope }}' }, 'key_template'],
    [{ key_template: '../{{ .ID }}' }, 'key_template'],
    [{ key_prefix: 'a//b' }, 'key_prefix'],
  ])('rules across fields: %j is refused at %s', async (extra, field) => {
    const res = await service.http.post(path).set(admin).send({ ...validBodies.s3_log_destination(), ...extra }).expect(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  test('rules are checked on the merged configuration when updating', async () => {
    const created = (await service.http.post(path).set(admin).send(validBodies.s3_log_destination()).expect(201)).body;
    const conflict = await service.http
      .patch(`${path}/${created.id}`)
      .set(admin)
      .send({ access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: 'secret' })
      .expect(422);
    expect(conflict.body.error.details[0].path).toBe('access_key_id');
    const switched = await service.http
      .patch(`${path}/${created.id}`)
      .set(admin)
      .send({ role_arn: null, access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: 'secret' })
      .expect(200);
    expect(switched.body.role_arn).toBeNull();
    expect(switched.body.access_key_id).toBe('AKIAIOSFODNN7EXAMPLE');
  });
});

describe('webhook_integration specifics', () => {
  const path = webhookIntegration.collectionPath;

  test('headers are returned without their values and kept across unrelated updates', async () => {
    const created = await service.http
      .post(path)
      .set(admin)
      .send({ ...validBodies.webhook_integration(), headers: [{ key: 'Authorization', value: 'Bearer s3cr3t' }, { key: 'X-Env', value: 'prod' }] })
      .expect(201);
    expect(created.body.headers).toEqual([{ key: 'Authorization' }, { key: 'X-Env' }]);
    const updated = await service.http.patch(`${path}/${created.body.id}`).set(admin).send({ name: 'n2' }).expect(200);
    expect(updated.body.headers).toEqual([{ key: 'Authorization' }, { key: 'X-Env' }]);
  });

  test('plain http is refused unless the operator allows private networks', async () => {
    const res = await service.http.post(path).set(admin).send({ name: 'h', url: 'http://siem.example.com/x' }).expect(422);
    expect(res.body.error.details).toContainEqual({ path: 'url', message: 'must use https' });
    const open = await startTestService({ allowPrivateNetwork: true });
    try {
      const t = await open.tenant();
      await open.http.post(path).set(bearer(t.keys.admin.secret)).send({ name: 'h', url: 'http://127.0.0.1:9/x' }).expect(201);
    } finally {
      await open.close();
    }
  });

  test('the signing secret is generated once and kept across updates', async () => {
    const created = (await service.http.post(path).set(admin).send(validBodies.webhook_integration()).expect(201)).body;
    const first = await service.http.get(`${path}/${created.id}/signing-secret`).set(admin).expect(200);
    expect(first.body.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await service.http.patch(`${path}/${created.id}`).set(admin).send({ url: 'https://other.example.com/' }).expect(200);
    const second = await service.http.get(`${path}/${created.id}/signing-secret`).set(admin).expect(200);
    expect(second.body.signing_secret).toBe(first.body.signing_secret);
  });
});

test('GET /v1/identity names the tenant, its external id and the service principal', async () => {
  const res = await service.http.get('/v1/identity').set(bearer(tenant.keys.reader.secret)).expect(200);
  expect(res.body).toEqual({
    tenant_id: tenant.id,
    external_id: `auditdrain:${tenant.id}`,
    aws_principal_arn: 'arn:aws:iam::123456789012:role/auditdrain-service',
  });
});
