/**
 * resolveCreate and resolveUpdate: defaults, nulls, unknown and computed fields, the rules across fields, and the
 * checks of webhook headers.
 */
import type { FieldIssue, Presence, ResourceConfig, ResourceSpec } from '../src';
import {
  DEFAULT_KEY_TEMPLATE,
  RESERVED_WEBHOOK_HEADERS,
  RESOURCES,
  createSchema,
  defaultOf,
  resolveCreate,
  resolveUpdate,
  s3LogDestination,
  updateSchema,
  webhookIntegration,
  writableFields,
} from '../src';
import type { Doc } from './fixtures';
import { FULL_S3, FULL_WEBHOOK, MINIMAL_S3, MINIMAL_WEBHOOK } from './fixtures';

const STATIC_KEYS = { access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' };
const ROLE = { role_arn: 'arn:aws:iam::123456789012:role/auditdrain-writer' };

/** Each resource with its minimal and full create bodies, and the documented configuration of the minimal one. */
const RESOURCE_CASES = [
  {
    spec: s3LogDestination,
    minimal: MINIMAL_S3,
    full: FULL_S3,
    minimalConfig: {
      name: 'audit',
      bucket_name: 'acme-audit-logs',
      key_prefix: null,
      region: null,
      role_arn: null,
      access_key_id: null,
      secret_access_key: null,
      key_template: '{{ .Year }}/{{ .Month }}/{{ .Day }}/{{ .Hour }}_{{ .Minute }}_{{ .Second }}_{{ .ID }}',
      encoding: 'jsonl',
      compression: 'none',
      filter_for_actions: null,
      send_audit_log_events: true,
      send_authorization_events: false,
      batch_duration_in_minutes: 5,
      batch_duration_in_seconds: null,
      maximum_batch_size: 5000,
      server_side_encryption: null,
      kms_key_id: null,
      object_acl: null,
      endpoint_url: null,
      force_path_style: false,
      enabled: true,
    },
  },
  {
    spec: webhookIntegration,
    minimal: MINIMAL_WEBHOOK,
    full: FULL_WEBHOOK,
    minimalConfig: {
      name: 'siem',
      url: 'https://siem.example.com/hook',
      headers: null,
      send_audit_log_events: true,
      send_authorization_events: false,
      filter_for_actions: null,
      enabled: true,
    },
  },
].map((c) => ({ ...c, title: c.spec.name }));

/** One case per field of a resource with the given presence, titled `<resource>.<field>`. */
const fieldCases = (presence: Presence) =>
  RESOURCE_CASES.flatMap((c) =>
    Object.entries(c.spec.fields)
      .filter(([, f]) => f.presence === presence)
      .map(([name, field]) => ({ ...c, title: `${c.spec.name}.${name}`, name, field })),
  );

test('the resource cases cover every resource', () => {
  expect(RESOURCE_CASES.map((c) => c.spec)).toEqual([...RESOURCES]);
});

test.each(RESOURCE_CASES)('$title: the create and update validators are built once, not per request', ({ spec }) => {
  expect(createSchema(spec)).toBe(createSchema(spec));
  expect(updateSchema(spec)).toBe(updateSchema(spec));
  expect(createSchema(spec)).not.toBe(updateSchema(spec));
});

/** The configuration of a create body that must succeed. */
function created(spec: ResourceSpec, body: unknown): ResourceConfig {
  const result = resolveCreate(spec, body);
  if (!result.ok) throw new Error(`expected ${spec.name} to be created: ${JSON.stringify(result.issues)}`);
  return result.value;
}

function issuesOfCreate(spec: ResourceSpec, body: unknown): FieldIssue[] {
  const result = resolveCreate(spec, body);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

function updated(spec: ResourceSpec, current: ResourceConfig, patch: unknown) {
  const result = resolveUpdate(spec, current, patch);
  if (!result.ok) throw new Error(`expected the update to succeed: ${JSON.stringify(result.issues)}`);
  return result.value;
}

function issuesOfUpdate(spec: ResourceSpec, current: ResourceConfig, patch: unknown): FieldIssue[] {
  const result = resolveUpdate(spec, current, patch);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

const paths = (issues: FieldIssue[]) => issues.map((i) => i.path);

describe('resolveCreate: defaults and unset fields', () => {
  test.each(RESOURCE_CASES)(
    '$title: a minimal body gets the documented defaults, every other field null',
    ({ spec, minimal, minimalConfig }) => {
      expect(created(spec, minimal)).toEqual(minimalConfig);
    },
  );

  test('the default key_template is DEFAULT_KEY_TEMPLATE', () => {
    expect(DEFAULT_KEY_TEMPLATE).toBe(created(s3LogDestination, MINIMAL_S3).key_template);
  });

  test.each(RESOURCE_CASES)('$title: the configuration holds exactly the writable fields', ({ spec, minimal }) => {
    expect(Object.keys(created(spec, minimal)).sort()).toEqual(writableFields(spec).map(([n]) => n).sort());
  });

  test.each(RESOURCE_CASES)('$title: values given are kept as given', ({ spec, full }) => {
    expect(created(spec, full)).toMatchObject(full);
  });

  test.each(fieldCases('optional'))('$title: null behaves like absent', ({ spec, minimal, name, field }) => {
    const config = created(spec, { ...minimal, [name]: null });
    expect(config).toEqual(created(spec, minimal));
    expect(config[name]).toEqual(defaultOf(field) ?? null);
  });
});

describe('resolveCreate: what cannot be sent', () => {
  test.each(RESOURCE_CASES)('$title: unknown keys are refused, each at its own path', ({ spec, minimal }) => {
    expect(issuesOfCreate(spec, { ...minimal, bogus: 1, Name: 'x' })).toEqual([
      { path: 'bogus', message: 'is not a known field' },
      { path: 'Name', message: 'is not a known field' },
    ]);
  });

  const computed = fieldCases('computed');

  test('the computed fields of the contract are among them', () => {
    expect(computed.map((c) => c.title)).toEqual(
      expect.arrayContaining([
        's3_log_destination.id',
        's3_log_destination.external_id',
        's3_log_destination.created_at',
        'webhook_integration.signing_secret',
      ]),
    );
  });

  test.each(computed)('$title is computed and cannot be written', ({ spec, minimal, name }) => {
    for (const value of ['x', null, 1]) {
      expect(issuesOfCreate(spec, { ...minimal, [name]: value })).toEqual([
        { path: name, message: 'is set by the service and cannot be written' },
      ]);
    }
  });

  test('external_id cannot be chosen (confused deputy)', () => {
    expect(paths(issuesOfCreate(s3LogDestination, { ...MINIMAL_S3, ...ROLE, external_id: 'auditdrain:tnt_other' }))).toEqual([
      'external_id',
    ]);
  });

  test.each([
    ['an array', [MINIMAL_S3]],
    ['a string', JSON.stringify(MINIMAL_S3)],
    ['a number', 1],
  ])('a body that is %s is refused as a whole', (_, body) => {
    expect(issuesOfCreate(s3LogDestination, body)).toEqual([{ path: '', message: 'must be a JSON object' }]);
  });

  test.each([
    ['null', null],
    ['missing', undefined],
  ])('a body that is %s is refused as a whole', (_, body) => {
    expect(issuesOfCreate(s3LogDestination, body)).toEqual([{ path: '', message: 'is required' }]);
  });

  test.each(RESOURCE_CASES)('$title: every missing required field is reported', ({ spec }) => {
    const required = writableFields(spec).filter(([, f]) => f.presence === 'required').map(([n]) => n);
    expect(issuesOfCreate(spec, {})).toEqual(required.map((path) => ({ path, message: 'is required' })));
  });

  test('a key template the parser refuses is reported at key_template', () => {
    const issues = issuesOfCreate(s3LogDestination, { ...MINIMAL_S3, key_template: '{{ .Year }}/{{ .Nope }}' });
    expect(issues).toEqual([{ path: 'key_template', message: expect.stringContaining('unknown variable ".Nope"') }]);
  });

  test.each(['a//b', 'a/../b', './a'])('key_prefix %j is refused', (key_prefix) => {
    expect(paths(issuesOfCreate(s3LogDestination, { ...MINIMAL_S3, key_prefix }))).toEqual(['key_prefix']);
  });
});

describe('resolveCreate: rules across fields', () => {
  test('role_arn with static keys conflicts', () => {
    const issues = issuesOfCreate(s3LogDestination, { ...MINIMAL_S3, ...ROLE, ...STATIC_KEYS });
    expect(issues).toEqual([{ path: 'access_key_id', message: expect.stringContaining('conflicts with role_arn') }]);
  });

  test('role_arn with only an access key id conflicts, and the secret is missing', () => {
    const issues = issuesOfCreate(s3LogDestination, { ...MINIMAL_S3, ...ROLE, access_key_id: STATIC_KEYS.access_key_id });
    expect(paths(issues).sort()).toEqual(['access_key_id', 'secret_access_key']);
  });

  test.each([
    ['access_key_id', 'secret_access_key'],
    ['secret_access_key', 'access_key_id'],
  ])('%s without %s is refused at the missing one', (given, missing) => {
    const issues = issuesOfCreate(s3LogDestination, { ...MINIMAL_S3, [given]: STATIC_KEYS[given as keyof typeof STATIC_KEYS] });
    expect(issues).toEqual([{ path: missing, message: `is required when ${given} is set` }]);
  });

  test.each([
    ['static keys', STATIC_KEYS],
    ['a role', ROLE],
    ["the service's own identity", {}],
  ])('%s alone is fine', (_, credentials) => {
    expect(created(s3LogDestination, { ...MINIMAL_S3, ...credentials })).toMatchObject(credentials);
  });

  test.each([undefined, 'AES256'])('kms_key_id with server_side_encryption %j is refused', (sse) => {
    const issues = issuesOfCreate(s3LogDestination, { ...MINIMAL_S3, server_side_encryption: sse, kms_key_id: 'alias/audit' });
    expect(issues).toEqual([
      { path: 'kms_key_id', message: 'may only be set when server_side_encryption is "aws:kms" or "aws:kms:dsse"' },
    ]);
  });

  test.each(['aws:kms', 'aws:kms:dsse'])('kms_key_id with server_side_encryption %j is fine', (sse) => {
    const body = { ...MINIMAL_S3, server_side_encryption: sse, kms_key_id: 'alias/audit' };
    expect(created(s3LogDestination, body)).toMatchObject(body);
  });

  test('field errors are reported before the rules across fields are looked at', () => {
    const issues = issuesOfCreate(s3LogDestination, { ...MINIMAL_S3, ...ROLE, ...STATIC_KEYS, region: 'EU' });
    expect(paths(issues)).toEqual(['region']);
  });
});

describe('resolveUpdate', () => {
  const s3 = () => created(s3LogDestination, FULL_S3);
  const webhook = () => created(webhookIntegration, FULL_WEBHOOK);

  test('a partial patch changes only its fields and keeps every other', () => {
    const current = s3();
    const { config, changed } = updated(s3LogDestination, current, { name: 'renamed', maximum_batch_size: 10 });
    expect(config).toEqual({ ...current, name: 'renamed', maximum_batch_size: 10 });
    expect(changed).toEqual(['name', 'maximum_batch_size']);
  });

  test('an empty patch changes nothing', () => {
    const current = webhook();
    expect(updated(webhookIntegration, current, {})).toEqual({ config: current, changed: [] });
  });

  test('`changed` leaves out fields the patch sets to their current value', () => {
    const current = s3();
    const patch = { name: current.name, enabled: current.enabled, filter_for_actions: ['grant.*', 'user.login'], encoding: 'jsonl' };
    expect(updated(s3LogDestination, current, patch).changed).toEqual(['encoding']);
  });

  test('`changed` notices a change inside a list of headers', () => {
    const current = webhook();
    const headers = [{ key: 'Authorization', value: 'Bearer rotated' }];
    expect(updated(webhookIntegration, current, { headers })).toEqual({ config: { ...current, headers }, changed: ['headers'] });
  });

  const resets = fieldCases('optional')
    .filter(({ name, full }) => name in full && name !== 'server_side_encryption')
    .map((c) => ({ ...c, expected: defaultOf(c.field) ?? null }));

  test.each(resets)('$title: null resets it to $expected', ({ spec, full, name, expected }) => {
    const current = created(spec, full);
    expect(current[name]).not.toEqual(expected);
    expect(updated(spec, current, { [name]: null })).toEqual({ config: { ...current, [name]: expected }, changed: [name] });
  });

  test('resetting server_side_encryption while a KMS key is set breaks the rule', () => {
    expect(paths(issuesOfUpdate(s3LogDestination, s3(), { server_side_encryption: null }))).toEqual(['kms_key_id']);
    const { config } = updated(s3LogDestination, s3(), { server_side_encryption: null, kms_key_id: null });
    expect(config).toMatchObject({ server_side_encryption: null, kms_key_id: null });
  });

  const requiredFields = fieldCases('required');

  test.each(requiredFields)('$title cannot be set to null', ({ spec, full, name }) => {
    expect(paths(issuesOfUpdate(spec, created(spec, full), { [name]: null }))).toEqual([name]);
  });

  test.each(requiredFields)('$title may be left out of a patch', ({ spec, full, name }) => {
    const current = created(spec, full);
    expect(updated(spec, current, { enabled: true }).config[name]).toEqual(current[name]);
  });

  test('adding static keys to a destination with a role conflicts', () => {
    expect(paths(issuesOfUpdate(s3LogDestination, s3(), STATIC_KEYS))).toEqual(['access_key_id']);
  });

  test('replacing the role by static keys in one patch is fine', () => {
    const { config, changed } = updated(s3LogDestination, s3(), { role_arn: null, ...STATIC_KEYS });
    expect(config).toMatchObject({ role_arn: null, ...STATIC_KEYS });
    expect(changed.sort()).toEqual(['access_key_id', 'role_arn', 'secret_access_key']);
  });

  test('removing one of the static keys is refused', () => {
    const current = created(s3LogDestination, { ...MINIMAL_S3, ...STATIC_KEYS });
    expect(issuesOfUpdate(s3LogDestination, current, { secret_access_key: null })).toEqual([
      { path: 'secret_access_key', message: 'is required when access_key_id is set' },
    ]);
  });

  test('a KMS key on a destination without KMS encryption is refused on the merged configuration', () => {
    const current = created(s3LogDestination, MINIMAL_S3);
    expect(paths(issuesOfUpdate(s3LogDestination, current, { kms_key_id: 'alias/audit' }))).toEqual(['kms_key_id']);
    expect(paths(issuesOfUpdate(s3LogDestination, current, { server_side_encryption: 'AES256', kms_key_id: 'k' }))).toEqual([
      'kms_key_id',
    ]);
    expect(updated(s3LogDestination, current, { server_side_encryption: 'aws:kms:dsse', kms_key_id: 'k' }).changed).toEqual([
      'server_side_encryption',
      'kms_key_id',
    ]);
  });

  test.each([
    [{ bogus: true }, [{ path: 'bogus', message: 'is not a known field' }]],
    [{ id: 's3d_x' }, [{ path: 'id', message: 'is set by the service and cannot be written' }]],
    [{ maximum_batch_size: 0 }, [{ path: 'maximum_batch_size', message: 'must be at least 1' }]],
    [[], [{ path: '', message: 'must be a JSON object' }]],
  ])('patch %j is refused', (patch, issues) => {
    expect(issuesOfUpdate(s3LogDestination, s3(), patch)).toEqual(issues);
  });
});

describe('webhook headers', () => {
  const withHeaders = (...keys: string[]) => ({ ...MINIMAL_WEBHOOK, headers: keys.map((key) => ({ key, value: 'v' })) });
  const variants = (name: string) => [name.toUpperCase(), name.replace(/(^|-)\w/g, (s) => s.toUpperCase())];

  test.each(RESERVED_WEBHOOK_HEADERS.flatMap((name) => variants(name).map((key) => ({ key }))))(
    'reserved header $key is refused at headers[1].key',
    ({ key }) => {
      expect(issuesOfCreate(webhookIntegration, withHeaders('X-Ok', key))).toEqual([
        { path: 'headers[1].key', message: `"${key}" is set by auditdrain itself and cannot be configured` },
      ]);
    },
  );

  test('the Standard Webhooks and transport headers are all reserved', () => {
    expect(RESERVED_WEBHOOK_HEADERS).toEqual(
      expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'host']),
    );
  });

  test.each([
    [['X-Token', 'x-token'], 'headers[1].key'],
    [['A', 'B', 'C', 'b'], 'headers[3].key'],
  ])('duplicate header names %j are refused', (keys, path) => {
    expect(issuesOfCreate(webhookIntegration, withHeaders(...keys))).toEqual([
      { path, message: expect.stringContaining('is listed twice') },
    ]);
  });

  test('the same checks apply to an update', () => {
    const current = created(webhookIntegration, FULL_WEBHOOK);
    expect(paths(issuesOfUpdate(webhookIntegration, current, { headers: [{ key: 'Webhook-Id', value: 'x' }] }))).toEqual([
      'headers[0].key',
    ]);
  });

  test.each(['a\r\nX-Injected: 1', 'a\nb', 'a\rb'])('a value with a line break (%j) is refused', (value) => {
    const body: Doc = { ...MINIMAL_WEBHOOK, headers: [{ key: 'X-Ok', value: 'fine' }, { key: 'X-Bad', value }] };
    expect(paths(issuesOfCreate(webhookIntegration, body))).toEqual(['headers[1].value']);
  });

  test('distinct, unreserved headers are kept in order', () => {
    const headers = [
      { key: 'Authorization', value: 'Bearer x' },
      { key: 'X-Webhook-Source', value: 'auditdrain' },
    ];
    expect(created(webhookIntegration, { ...MINIMAL_WEBHOOK, headers }).headers).toEqual(headers);
  });
});

describe('batch_duration_in_seconds gives batch_duration_in_minutes way', () => {
  const SECONDS = { batch_duration_in_seconds: 30 };

  test('on create, seconds alone leaves minutes null; both explicitly conflict', () => {
    expect(created(s3LogDestination, { ...MINIMAL_S3, ...SECONDS })).toMatchObject({
      batch_duration_in_minutes: null,
      batch_duration_in_seconds: 30,
    });
    const both = issuesOfCreate(s3LogDestination, { ...MINIMAL_S3, ...SECONDS, batch_duration_in_minutes: 2 });
    expect(paths(both)).toEqual(['batch_duration_in_seconds']);
  });

  test('on update, setting seconds clears the default minutes; unsetting seconds brings the default back', () => {
    const current = created(s3LogDestination, MINIMAL_S3);
    const toSeconds = updated(s3LogDestination, current, { batch_duration_in_seconds: 10 });
    expect(toSeconds.config.batch_duration_in_minutes).toBeNull();
    expect(toSeconds.changed.sort()).toEqual(['batch_duration_in_minutes', 'batch_duration_in_seconds']);
    // Terraform sends every attribute, unset ones as null.
    const full = updated(s3LogDestination, current, { batch_duration_in_seconds: 10, batch_duration_in_minutes: null });
    expect(full.config.batch_duration_in_minutes).toBeNull();
    const back = updated(s3LogDestination, toSeconds.config, { batch_duration_in_seconds: null });
    expect(back.config.batch_duration_in_minutes).toBe(5);
  });

  test('on update, minutes set by an earlier request give way to seconds too', () => {
    const current = created(s3LogDestination, FULL_S3);
    expect(current.batch_duration_in_minutes).toBe(15);
    const { config, changed } = updated(s3LogDestination, current, { batch_duration_in_seconds: 10 });
    expect(config).toMatchObject({ batch_duration_in_minutes: null, batch_duration_in_seconds: 10 });
    expect(changed.sort()).toEqual(['batch_duration_in_minutes', 'batch_duration_in_seconds']);
  });

  test('on update, minutes sent explicitly conflict with seconds, in the patch or already set', () => {
    const both = { batch_duration_in_seconds: 10, batch_duration_in_minutes: 2 };
    expect(paths(issuesOfUpdate(s3LogDestination, created(s3LogDestination, MINIMAL_S3), both))).toEqual([
      'batch_duration_in_seconds',
    ]);
    const withSeconds = created(s3LogDestination, { ...MINIMAL_S3, ...SECONDS });
    expect(paths(issuesOfUpdate(s3LogDestination, withSeconds, { batch_duration_in_minutes: 2 }))).toEqual([
      'batch_duration_in_seconds',
    ]);
  });
});
