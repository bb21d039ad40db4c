/**
 * The resource model of both resources: what a configuration plans to (defaults resolved as the API resolves them,
 * computed values unknown or kept), which problems validation reports and where, what state a read of the API
 * means (secrets kept from the prior state), and which body a create or update sends.
 */
import { DEFAULT_KEY_TEMPLATE } from '@auditdrain/schema';
import type { ResourceModel } from '../../src/resources/model';
import type { ObjectValue } from '../../src/values/value';
import { UNKNOWN } from '../../src/values/value';
import { FULL_S3 } from '../../../schema/test/fixtures';
import { s3, S3_STATE, s3Config, webhook, WEBHOOK_STATE, webhookConfig } from './fixtures';

const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/auditdrain-writer';

/** The planned state of a configuration, failing the test when planning reports issues. */
function planned(model: ResourceModel, cfg: ObjectValue, prior: ObjectValue | null = null): ObjectValue {
  const result = model.plan(cfg, prior);
  expect(result.issues).toEqual([]);
  return result.planned;
}

test('the state fixtures carry exactly the attributes of the schemas', () => {
  expect(Object.keys(S3_STATE).sort()).toEqual(Object.keys(s3.type.attributes).sort());
  expect(Object.keys(WEBHOOK_STATE).sort()).toEqual(Object.keys(webhook.type.attributes).sort());
});

describe('plan on create', () => {
  test('S3: configured values as configured, defaults for the unset ones, computed values unknown', () => {
    expect(planned(s3, s3Config())).toEqual({
      ...S3_STATE,
      id: UNKNOWN,
      external_id: UNKNOWN,
      created_at: UNKNOWN,
    });
  });

  test('S3: every configured value is planned as configured, none replaced by its default', () => {
    const { name: _name, bucket_name: _bucket, ...set } = FULL_S3 as ObjectValue;
    expect(planned(s3, s3Config(set))).toEqual({ ...S3_STATE, ...set, id: UNKNOWN, external_id: UNKNOWN, created_at: UNKNOWN });
  });

  test('webhook: defaults for the unset fields, id, signing secret and created_at unknown', () => {
    expect(planned(webhook, webhookConfig())).toEqual({
      ...WEBHOOK_STATE,
      id: UNKNOWN,
      signing_secret: UNKNOWN,
      created_at: UNKNOWN,
    });
  });

  test('webhook: headers and flags as configured', () => {
    const headers = [
      { key: 'Authorization', value: 'Bearer t0ken' },
      { key: 'X-Tenant', value: 'acme' },
    ];
    const result = planned(
      webhook,
      webhookConfig({ headers, send_audit_log_events: false, send_authorization_events: true, enabled: false, filter_for_actions: ['grant.*'] }),
    );
    expect(result).toMatchObject({
      headers,
      send_audit_log_events: false,
      send_authorization_events: true,
      enabled: false,
      filter_for_actions: ['grant.*'],
      signing_secret: UNKNOWN,
    });
  });

  test('with batch_duration_in_seconds set, batch_duration_in_minutes is planned null, not its default', () => {
    const result = planned(s3, s3Config({ batch_duration_in_seconds: 30 }));
    expect(result.batch_duration_in_seconds).toBe(30);
    expect(result.batch_duration_in_minutes).toBeNull();
  });

  test('a write-only secret is planned null and its version as configured', () => {
    const result = planned(
      s3,
      s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key_wo: SECRET, secret_access_key_wo_version: 3 }),
    );
    expect(result.secret_access_key_wo).toBeNull();
    expect(result.secret_access_key_wo_version).toBe(3);
    expect(result.secret_access_key).toBeNull();
    expect(result.access_key_id).toBe(ACCESS_KEY_ID);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  test('a plain secret is planned as configured', () => {
    const result = planned(s3, s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET }));
    expect(result.secret_access_key).toBe(SECRET);
    expect(result.secret_access_key_wo_version).toBeNull();
  });

  test('while a configured value is unknown, unset fields with defaults are planned unknown and known values stay', () => {
    const result = planned(s3, s3Config({ name: UNKNOWN, region: 'eu-west-1', batch_duration_in_seconds: 30 }));
    expect(result).toEqual({
      ...S3_STATE,
      id: UNKNOWN,
      external_id: UNKNOWN,
      created_at: UNKNOWN,
      name: UNKNOWN,
      region: 'eu-west-1',
      batch_duration_in_seconds: 30,
      // Defaults are not known until every input of the resolution is.
      key_template: UNKNOWN,
      encoding: UNKNOWN,
      compression: UNKNOWN,
      send_audit_log_events: UNKNOWN,
      send_authorization_events: UNKNOWN,
      batch_duration_in_minutes: UNKNOWN,
      maximum_batch_size: UNKNOWN,
      force_path_style: UNKNOWN,
      enabled: UNKNOWN,
    });
  });

  test('an unknown nested value (a header value) makes the defaults unknown too, and the headers stay as configured', () => {
    const headers: ObjectValue[] = [{ key: 'Authorization', value: UNKNOWN }];
    const result = planned(webhook, webhookConfig({ headers, enabled: false }));
    expect(result).toEqual({
      ...WEBHOOK_STATE,
      id: UNKNOWN,
      signing_secret: UNKNOWN,
      created_at: UNKNOWN,
      headers,
      enabled: false,
      send_audit_log_events: UNKNOWN,
      send_authorization_events: UNKNOWN,
    });
  });

  test('a configuration the API would refuse plans nothing and reports the issue', () => {
    expect(s3.plan(s3Config({ batch_duration_in_minutes: 99 }), null)).toEqual({
      planned: {},
      issues: [{ path: 'batch_duration_in_minutes', message: 'must be at most 60' }],
      replace: [],
    });
  });

  test('nothing is replaced on create', () => {
    expect(s3.plan(s3Config(), null).replace).toEqual([]);
  });
});

describe('plan on update', () => {
  test('computed values are kept from the prior state', () => {
    const result = planned(s3, s3Config({ encoding: 'json' }), S3_STATE);
    expect(result).toEqual({ ...S3_STATE, encoding: 'json' });
    expect(result.id).toBe(S3_STATE.id);
    expect(result.external_id).toBe('auditdrain:tnt_1');
    expect(result.created_at).toBe('2026-01-31T12:00:00Z');
  });

  test('the webhook signing secret is kept from the prior state', () => {
    const result = planned(webhook, webhookConfig({ enabled: false }), WEBHOOK_STATE);
    expect(result).toEqual({ ...WEBHOOK_STATE, enabled: false });
  });

  test('an unchanged configuration plans exactly the prior state', () => {
    expect(planned(s3, s3Config(), S3_STATE)).toEqual(S3_STATE);
    expect(planned(webhook, webhookConfig(), WEBHOOK_STATE)).toEqual(WEBHOOK_STATE);
  });

  test('a field removed from the configuration goes back to its default', () => {
    const prior = { ...S3_STATE, compression: 'gzip', maximum_batch_size: 250 };
    expect(planned(s3, s3Config(), prior)).toEqual(S3_STATE);
  });

  test('switching from minutes to seconds plans minutes null', () => {
    const prior = { ...S3_STATE, batch_duration_in_minutes: 15 };
    const result = planned(s3, s3Config({ batch_duration_in_seconds: 45 }), prior);
    expect(result).toEqual({ ...S3_STATE, batch_duration_in_minutes: null, batch_duration_in_seconds: 45 });
  });

  test('switching from seconds back to nothing plans the minutes default again', () => {
    const prior = { ...S3_STATE, batch_duration_in_minutes: null, batch_duration_in_seconds: 45 };
    const result = planned(s3, s3Config(), prior);
    expect(result.batch_duration_in_minutes).toBe(5);
    expect(result.batch_duration_in_seconds).toBeNull();
  });

  test('computed values stay known on update even while a configured value is unknown', () => {
    const result = planned(s3, s3Config({ name: UNKNOWN }), S3_STATE);
    expect(result.id).toBe(S3_STATE.id);
    expect(result.external_id).toBe(S3_STATE.external_id);
    expect(result.created_at).toBe(S3_STATE.created_at);
    expect(result.name).toBe(UNKNOWN);
    expect(result.encoding).toBe(UNKNOWN);
    expect(result.bucket_name).toBe('acme-audit-logs');
  });

  test('nothing is replaced on update', () => {
    expect(s3.plan(s3Config({ bucket_name: 'other-bucket' }), S3_STATE).replace).toEqual([]);
  });

  test('moving the secret from secret_access_key to the write-only pair plans it out of state', () => {
    const prior = { ...S3_STATE, access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET };
    const result = planned(
      s3,
      s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key_wo: SECRET, secret_access_key_wo_version: 1 }),
      prior,
    );
    expect(result.secret_access_key).toBeNull();
    expect(result.secret_access_key_wo).toBeNull();
    expect(result.secret_access_key_wo_version).toBe(1);
  });
});

describe('validate', () => {
  test.each<[string, ResourceModel, ObjectValue, { path: string; message: string }[]]>([
    ['a valid minimal S3 configuration', s3, s3Config(), []],
    ['a valid minimal webhook configuration', webhook, webhookConfig(), []],
    [
      'batch_duration_in_minutes above its maximum',
      s3,
      s3Config({ batch_duration_in_minutes: 61 }),
      [{ path: 'batch_duration_in_minutes', message: 'must be at most 60' }],
    ],
    [
      'batch_duration_in_minutes below its minimum',
      s3,
      s3Config({ batch_duration_in_minutes: 0 }),
      [{ path: 'batch_duration_in_minutes', message: 'must be at least 1' }],
    ],
    [
      'a reserved header',
      webhook,
      webhookConfig({
        headers: [
          { key: 'Authorization', value: 'Bearer t0ken' },
          { key: 'webhook-id', value: 'mine' },
        ],
      }),
      [{ path: 'headers[1].key', message: '"webhook-id" is set by auditdrain itself and cannot be configured' }],
    ],
    [
      'kms_key_id without server-side encryption',
      s3,
      s3Config({ kms_key_id: 'alias/audit' }),
      [{ path: 'kms_key_id', message: 'may only be set when server_side_encryption is "aws:kms" or "aws:kms:dsse"' }],
    ],
    [
      'kms_key_id with AES256',
      s3,
      s3Config({ kms_key_id: 'alias/audit', server_side_encryption: 'AES256' }),
      [{ path: 'kms_key_id', message: 'may only be set when server_side_encryption is "aws:kms" or "aws:kms:dsse"' }],
    ],
    ['kms_key_id with aws:kms:dsse', s3, s3Config({ kms_key_id: 'alias/audit', server_side_encryption: 'aws:kms:dsse' }), []],
    [
      'role_arn together with static keys',
      s3,
      s3Config({ role_arn: ROLE_ARN, access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET }),
      [
        {
          path: 'access_key_id',
          message: 'conflicts with role_arn: set role_arn, or access_key_id and secret_access_key, not more than one',
        },
      ],
    ],
    [
      'both batch durations',
      s3,
      s3Config({ batch_duration_in_minutes: 5, batch_duration_in_seconds: 30 }),
      [
        {
          path: 'batch_duration_in_seconds',
          message:
            'conflicts with batch_duration_in_minutes: set batch_duration_in_minutes, or batch_duration_in_seconds, not more than one',
        },
      ],
    ],
    [
      'access_key_id without a secret',
      s3,
      s3Config({ access_key_id: ACCESS_KEY_ID }),
      [{ path: 'secret_access_key', message: 'is required when access_key_id is set' }],
    ],
    [
      'secret_access_key together with secret_access_key_wo',
      s3,
      s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET, secret_access_key_wo: SECRET, secret_access_key_wo_version: 1 }),
      [{ path: 'secret_access_key_wo', message: 'conflicts with secret_access_key: set one of them' }],
    ],
    [
      'secret_access_key_wo without its version',
      s3,
      s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key_wo: SECRET }),
      [{ path: 'secret_access_key_wo_version', message: 'is required with secret_access_key_wo: change it to send a new value' }],
    ],
    [
      'secret_access_key_wo_version without the value',
      s3,
      s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET, secret_access_key_wo_version: 1 }),
      [{ path: 'secret_access_key_wo_version', message: 'has no effect without secret_access_key_wo' }],
    ],
    [
      'access_key_id with secret_access_key_wo and its version',
      s3,
      s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key_wo: SECRET, secret_access_key_wo_version: 1 }),
      [],
    ],
    [
      'secret_access_key_wo without access_key_id',
      s3,
      s3Config({ secret_access_key_wo: SECRET, secret_access_key_wo_version: 1 }),
      [{ path: 'access_key_id', message: 'is required when secret_access_key is set' }],
    ],
    [
      'an empty secret_access_key_wo (the problem points at the write-only attribute)',
      s3,
      s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key_wo: '', secret_access_key_wo_version: 1 }),
      [{ path: 'secret_access_key_wo', message: 'must not be empty' }],
    ],
    [
      'role_arn with access_key_id and secret_access_key_wo',
      s3,
      s3Config({ role_arn: ROLE_ARN, access_key_id: ACCESS_KEY_ID, secret_access_key_wo: SECRET, secret_access_key_wo_version: 1 }),
      [
        {
          path: 'access_key_id',
          message: 'conflicts with role_arn: set role_arn, or access_key_id and secret_access_key, not more than one',
        },
      ],
    ],
    [
      'a webhook URL that is not http',
      webhook,
      webhookConfig({ url: 'ftp://siem.example.com' }),
      [{ path: 'url', message: 'must be an absolute http or https URL' }],
    ],
  ])('%s', (_title, model, cfg, issues) => {
    expect(model.validate(cfg)).toEqual(issues);
  });

  describe('with unknown values', () => {
    test('access_key_id set and secret_access_key unknown is fine', () => {
      expect(s3.validate(s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key: UNKNOWN }))).toEqual([]);
    });

    test('an unknown required field is not reported missing', () => {
      expect(s3.validate(s3Config({ name: UNKNOWN, bucket_name: UNKNOWN }))).toEqual([]);
    });

    test('an unknown write-only value with its version is fine', () => {
      expect(
        s3.validate(s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key_wo: UNKNOWN, secret_access_key_wo_version: 1 })),
      ).toEqual([]);
    });

    test('an unknown batch_duration_in_seconds gives no conflict with the minutes default', () => {
      expect(s3.validate(s3Config({ batch_duration_in_seconds: UNKNOWN }))).toEqual([]);
    });

    test('a known bad field is still reported next to an unknown one', () => {
      expect(s3.validate(s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key: UNKNOWN, batch_duration_in_minutes: 0 }))).toEqual([
        { path: 'batch_duration_in_minutes', message: 'must be at least 1' },
      ]);
    });

    test('a known bad field of the webhook is still reported while its name is unknown', () => {
      expect(webhook.validate(webhookConfig({ name: UNKNOWN, url: 'ftp://siem.example.com' }))).toEqual([
        { path: 'url', message: 'must be an absolute http or https URL' },
      ]);
    });

    test('the write-only pair is still checked while another field is unknown', () => {
      expect(s3.validate(s3Config({ name: UNKNOWN, access_key_id: ACCESS_KEY_ID, secret_access_key_wo: SECRET }))).toEqual([
        { path: 'secret_access_key_wo_version', message: 'is required with secret_access_key_wo: change it to send a new value' },
      ]);
    });

    // An unknown header value must not hide a known reserved header key in the same list.
    test('a known reserved header key is reported even while a header value is unknown', () => {
      const headers: ObjectValue[] = [
        { key: 'Authorization', value: UNKNOWN },
        { key: 'webhook-id', value: 'mine' },
      ];
      expect(webhook.validate(webhookConfig({ headers }))).toEqual([
        { path: 'headers[1].key', message: '"webhook-id" is set by auditdrain itself and cannot be configured' },
      ]);
    });

    // A rule whose fields are all known is judged even while an unrelated field is unknown.
    test('a conflict between known fields is reported while an unrelated field is unknown', () => {
      expect(s3.validate(s3Config({ name: UNKNOWN, role_arn: ROLE_ARN, access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET }))).toEqual([
        {
          path: 'access_key_id',
          message: 'conflicts with role_arn: set role_arn, or access_key_id and secret_access_key, not more than one',
        },
      ]);
    });
  });
});

describe('plan issues', () => {
  // A problem with a secret set write-only (known only at plan time, e.g. from a variable) points at the attribute
  // the user set, not at secret_access_key.
  test('an issue about a write-only secret points at secret_access_key_wo', () => {
    const result = s3.plan(s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key_wo: '', secret_access_key_wo_version: 1 }), null);
    expect(result.issues).toEqual([{ path: 'secret_access_key_wo', message: 'must not be empty' }]);
  });
});

describe('stateFromApi', () => {
  /** The API's read of that destination: no secrets and no Terraform-only attributes, plus the API-only ones. */
  const { secret_access_key: _secret, secret_access_key_wo: _wo, secret_access_key_wo_version: _version, ...visible } = S3_STATE;
  const S3_API = {
    ...visible,
    access_key_id: ACCESS_KEY_ID,
    health: { status: 'healthy', last_success_at: null, last_error: null, backlog: 0 },
    updated_at: '2026-02-01T08:00:00Z',
  };

  test('secret_access_key, which the API never returns, is kept from the prior state', () => {
    const prior = { ...S3_STATE, access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET };
    expect(s3.stateFromApi(S3_API, prior)).toEqual(prior);
  });

  test('a secret_access_key the API does return is still taken from the prior state', () => {
    const prior = { ...S3_STATE, access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET };
    expect(s3.stateFromApi({ ...S3_API, secret_access_key: 'from-api' }, prior).secret_access_key).toBe(SECRET);
  });

  test('without a prior state (import) the secret is null', () => {
    expect(s3.stateFromApi(S3_API, null)).toEqual({ ...S3_STATE, access_key_id: ACCESS_KEY_ID });
  });

  test('the write-only value is null and its version kept from the prior state', () => {
    const prior = { ...S3_STATE, access_key_id: ACCESS_KEY_ID, secret_access_key_wo: SECRET, secret_access_key_wo_version: 7 };
    const state = s3.stateFromApi(S3_API, prior);
    expect(state.secret_access_key_wo).toBeNull();
    expect(state.secret_access_key_wo_version).toBe(7);
    expect(state.secret_access_key).toBeNull();
  });

  test('API-only values (health, updated_at) are not part of the state', () => {
    const state = s3.stateFromApi(S3_API, S3_STATE);
    expect(state).not.toHaveProperty('health');
    expect(state).not.toHaveProperty('updated_at');
    expect(Object.keys(state).sort()).toEqual(Object.keys(s3.type.attributes).sort());
  });

  test('a value the API leaves out is null', () => {
    const { region: _region, ...withoutRegion } = { ...S3_API, region: 'eu-west-1' };
    expect(s3.stateFromApi(withoutRegion, { ...S3_STATE, region: 'eu-west-1' }).region).toBeNull();
  });

  test('values come from the API, not from the prior state', () => {
    const state = s3.stateFromApi({ ...S3_API, encoding: 'json', enabled: false }, S3_STATE);
    expect(state.encoding).toBe('json');
    expect(state.enabled).toBe(false);
  });

  describe('webhook headers', () => {
    const WEBHOOK_API = {
      id: WEBHOOK_STATE.id,
      name: 'siem',
      url: 'https://siem.example.com/hook',
      headers: [{ key: 'A' }, { key: 'B' }],
      send_audit_log_events: true,
      send_authorization_events: false,
      filter_for_actions: null,
      enabled: true,
      health: { status: 'healthy', last_success_at: null, last_error: null, backlog: 0 },
      created_at: '2026-01-31T12:00:00Z',
      updated_at: '2026-02-01T08:00:00Z',
    };
    const prior = {
      ...WEBHOOK_STATE,
      headers: [
        { key: 'A', value: '1' },
        { key: 'B', value: '2' },
      ],
    };

    test('header values are kept from the prior state', () => {
      expect(webhook.stateFromApi(WEBHOOK_API, prior)).toEqual(prior);
    });

    test('a header value follows its key when the API returns the headers reordered', () => {
      const state = webhook.stateFromApi({ ...WEBHOOK_API, headers: [{ key: 'B' }, { key: 'A' }] }, prior);
      expect(state.headers).toEqual([
        { key: 'B', value: '2' },
        { key: 'A', value: '1' },
      ]);
    });

    test('a header key the prior state does not have gets a null value', () => {
      const state = webhook.stateFromApi({ ...WEBHOOK_API, headers: [{ key: 'A' }, { key: 'C' }] }, prior);
      expect(state.headers).toEqual([
        { key: 'A', value: '1' },
        { key: 'C', value: null },
      ]);
    });

    test('the signing secret, which the read never carries, is kept from the prior state', () => {
      expect(webhook.stateFromApi(WEBHOOK_API, prior).signing_secret).toBe(WEBHOOK_STATE.signing_secret);
    });

    test('API-only values are not part of the state', () => {
      const state = webhook.stateFromApi(WEBHOOK_API, prior);
      expect(Object.keys(state).sort()).toEqual(Object.keys(webhook.type.attributes).sort());
      expect(state).not.toHaveProperty('health');
      expect(state).not.toHaveProperty('updated_at');
    });
  });
});

describe('requestBody', () => {
  const S3_WRITABLE_NULLS = {
    name: null,
    bucket_name: null,
    key_prefix: null,
    region: null,
    role_arn: null,
    access_key_id: null,
    secret_access_key: null,
    key_template: null,
    encoding: null,
    compression: null,
    filter_for_actions: null,
    send_audit_log_events: null,
    send_authorization_events: null,
    batch_duration_in_minutes: null,
    batch_duration_in_seconds: null,
    maximum_batch_size: null,
    server_side_encryption: null,
    kms_key_id: null,
    object_acl: null,
    endpoint_url: null,
    force_path_style: null,
    enabled: null,
  };

  const staticKeysWo = (version: number) =>
    s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key_wo: SECRET, secret_access_key_wo_version: version });

  test('create sends every writable field, null for the unset ones, and nothing computed or Terraform-only', () => {
    const cfg = s3Config({ region: 'eu-west-1' });
    expect(s3.requestBody(planned(s3, cfg), cfg, null)).toEqual({
      ...S3_WRITABLE_NULLS,
      name: 'audit',
      bucket_name: 'acme-audit-logs',
      region: 'eu-west-1',
      key_template: DEFAULT_KEY_TEMPLATE,
      encoding: 'jsonl',
      compression: 'none',
      send_audit_log_events: true,
      send_authorization_events: false,
      batch_duration_in_minutes: 5,
      maximum_batch_size: 5000,
      force_path_style: false,
      enabled: true,
    });
  });

  test('create sends the write-only secret as secret_access_key', () => {
    const cfg = staticKeysWo(1);
    const body = s3.requestBody(planned(s3, cfg), cfg, null);
    expect(body.secret_access_key).toBe(SECRET);
    expect(body.access_key_id).toBe(ACCESS_KEY_ID);
    expect(body).not.toHaveProperty('secret_access_key_wo');
    expect(body).not.toHaveProperty('secret_access_key_wo_version');
  });

  test('create sends a plain secret as configured', () => {
    const cfg = s3Config({ access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET });
    expect(s3.requestBody(planned(s3, cfg), cfg, null).secret_access_key).toBe(SECRET);
  });

  test('update with an unchanged write-only version leaves secret_access_key out entirely', () => {
    const prior = { ...S3_STATE, access_key_id: ACCESS_KEY_ID, secret_access_key_wo_version: 1 };
    const cfg = staticKeysWo(1);
    const body = s3.requestBody(planned(s3, cfg, prior), cfg, prior);
    expect(body).not.toHaveProperty('secret_access_key');
    expect(body.access_key_id).toBe(ACCESS_KEY_ID);
    expect(Object.keys(body).sort()).toEqual(Object.keys(S3_WRITABLE_NULLS).filter((n) => n !== 'secret_access_key').sort());
  });

  test('update with a changed write-only version sends the secret', () => {
    const prior = { ...S3_STATE, access_key_id: ACCESS_KEY_ID, secret_access_key_wo_version: 1 };
    const cfg = staticKeysWo(2);
    expect(s3.requestBody(planned(s3, cfg, prior), cfg, prior).secret_access_key).toBe(SECRET);
  });

  test('switching from a plain secret_access_key to the write-only pair sends the secret', () => {
    const prior = { ...S3_STATE, access_key_id: ACCESS_KEY_ID, secret_access_key: 'old-secret' };
    const cfg = staticKeysWo(1);
    expect(s3.requestBody(planned(s3, cfg, prior), cfg, prior).secret_access_key).toBe(SECRET);
  });

  test('neither secret_access_key nor the write-only value set sends secret_access_key: null', () => {
    const prior = { ...S3_STATE, access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET };
    const cfg = s3Config({ role_arn: ROLE_ARN });
    const body = s3.requestBody(planned(s3, cfg, prior), cfg, prior);
    expect(body).toHaveProperty('secret_access_key', null);
    expect(body).toHaveProperty('access_key_id', null);
    expect(body.role_arn).toBe(ROLE_ARN);
  });

  test('update sends the planned values, with minutes null when switching to seconds', () => {
    const cfg = s3Config({ batch_duration_in_seconds: 45 });
    const body = s3.requestBody(planned(s3, cfg, S3_STATE), cfg, S3_STATE);
    expect(body).toMatchObject({ batch_duration_in_minutes: null, batch_duration_in_seconds: 45 });
    expect(body).not.toHaveProperty('id');
    expect(body).not.toHaveProperty('external_id');
    expect(body).not.toHaveProperty('created_at');
  });

  test('webhook: headers with their values, and no computed fields', () => {
    const headers = [{ key: 'Authorization', value: 'Bearer t0ken' }];
    const cfg = webhookConfig({ headers });
    expect(webhook.requestBody(planned(webhook, cfg), cfg, null)).toEqual({
      name: 'siem',
      url: 'https://siem.example.com/hook',
      headers,
      send_audit_log_events: true,
      send_authorization_events: false,
      filter_for_actions: null,
      enabled: true,
    });
  });
});
