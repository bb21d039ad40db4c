/**
 * What a read of a resource returns: every field but the secrets, unset ones as null.
 */
import {
  RESOURCES,
  encryptedFieldNames,
  identity,
  outputSchema,
  resolveCreate,
  s3LogDestination,
  secretFieldNames,
  webhookIntegration,
} from '../src';
import type { Doc } from './fixtures';
import { FULL_S3, FULL_WEBHOOK, MINIMAL_S3, issuesOf } from './fixtures';

const COMPUTED = { created_at: '2026-01-31T09:05:07Z', updated_at: '2026-01-31T09:05:07Z' };

/** What the API would serve for a create body: the resolved configuration, the computed fields, no secrets. */
function readOf(spec: typeof s3LogDestination, body: Doc, computed: Doc): Doc {
  const result = resolveCreate(spec, body);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const read: Doc = { ...result.value, ...COMPUTED, ...computed };
  for (const name of secretFieldNames(spec)) delete read[name];
  if (Array.isArray(read.headers)) read.headers = read.headers.map(({ key }: { key: string }) => ({ key }));
  return read;
}

const HEALTH = { status: 'healthy', last_success_at: null, last_error: null, backlog: 0 };
const S3_COMPUTED = { id: 's3d_1', external_id: 'auditdrain:tnt_1', health: HEALTH };
const S3_READ = readOf(s3LogDestination, FULL_S3, S3_COMPUTED);
const WEBHOOK_READ = readOf(webhookIntegration, FULL_WEBHOOK, { id: 'whk_1', health: HEALTH });

describe('outputSchema', () => {
  test.each([...RESOURCES, identity].map((spec) => ({ title: spec.name, spec })))(
    '$title: has every field but the secrets',
    ({ spec }) => {
      const secrets = secretFieldNames(spec);
      expect(Object.keys(outputSchema(spec).shape).sort()).toEqual(
        Object.keys(spec.fields)
          .filter((n) => !secrets.includes(n))
          .sort(),
      );
    },
  );

  test('the secrets are the static secret key and the signing secret; header values are encrypted too', () => {
    expect(secretFieldNames(s3LogDestination)).toEqual(['secret_access_key']);
    expect(secretFieldNames(webhookIntegration)).toEqual(['signing_secret']);
    expect(encryptedFieldNames(webhookIntegration)).toEqual(['headers', 'signing_secret']);
    expect(secretFieldNames(identity)).toEqual([]);
  });

  test.each([
    ['an S3 log destination', s3LogDestination, S3_READ],
    ['a webhook integration', webhookIntegration, WEBHOOK_READ],
  ])('a read of %s passes', (_, spec, read) => {
    expect(issuesOf(outputSchema(spec), read)).toEqual([]);
  });

  test.each([
    ['secret_access_key', s3LogDestination, { ...S3_READ, secret_access_key: 'x' }],
    ['signing_secret', webhookIntegration, { ...WEBHOOK_READ, signing_secret: 'whsec_x' }],
  ])('a read carrying %s is refused', (name, spec, read) => {
    expect(issuesOf(outputSchema(spec), read)).toEqual([{ path: name, message: 'is not a known field' }]);
  });

  test('header items have a key and no value', () => {
    const schema = outputSchema(webhookIntegration);
    expect(issuesOf(schema, { ...WEBHOOK_READ, headers: [{ key: 'Authorization' }] })).toEqual([]);
    expect(issuesOf(schema, { ...WEBHOOK_READ, headers: [{ key: 'Authorization', value: 'Bearer x' }] })).toEqual([
      { path: 'headers[0].value', message: 'is not a known field' },
    ]);
  });

  test('an unset optional field is present as null, not left out', () => {
    const read = readOf(s3LogDestination, MINIMAL_S3, S3_COMPUTED);
    const schema = outputSchema(s3LogDestination);
    expect(read.region).toBeNull();
    expect(issuesOf(schema, read)).toEqual([]);
    const { region: _, ...withoutRegion } = read;
    expect(issuesOf(schema, withoutRegion)).toEqual([{ path: 'region', message: 'is required' }]);
  });

  test('computed fields are present and not null', () => {
    const schema = outputSchema(s3LogDestination);
    expect(issuesOf(schema, { ...S3_READ, id: null }).map((i) => i.path)).toEqual(['id']);
    expect(issuesOf(schema, { ...S3_READ, created_at: 'yesterday' }).map((i) => i.path)).toEqual(['created_at']);
  });
});
