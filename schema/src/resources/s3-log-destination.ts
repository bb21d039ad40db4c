import { DEFAULT_KEY_TEMPLATE, KeyTemplateError, parseKeyTemplate } from '../key-template';
import type { ResourceSpec } from '../resource';
import {
  createdAtField,
  enabledField,
  filterForActionsField,
  healthField,
  idField,
  nameField,
  sendAuditLogEventsField,
  sendAuthorizationEventsField,
  updatedAtField,
} from './common';

export const SERVER_SIDE_ENCRYPTION = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;

export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
] as const;

export const ENCODINGS = ['jsonl', 'json'] as const;
export const COMPRESSIONS = ['none', 'gzip'] as const;

function checkKeyPrefix(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const segments = value.replace(/\/+$/, '').split('/');
  if (segments.some((s) => s === '')) return 'must not contain an empty path segment ("//")';
  if (segments.some((s) => s === '.' || s === '..')) return 'must not contain "." or ".." path segments';
  return undefined;
}

function checkKeyTemplate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    parseKeyTemplate(value);
    return undefined;
  } catch (err) {
    if (err instanceof KeyTemplateError) return err.message;
    throw err;
  }
}

export const s3LogDestination: ResourceSpec = {
  name: 's3_log_destination',
  title: 'S3 log destination',
  idPrefix: 's3d',
  collectionPath: '/v1/s3-log-destinations',
  operationStem: 's3_log_destination',
  description:
    'Delivers audit-log events, batched into JSON Lines or JSON objects, to an Amazon S3 bucket (or an ' +
    'S3-compatible store). Access is by assuming an IAM role with the tenant\'s external id, by static keys, or by ' +
    "the service's own identity when the bucket policy grants it.",
  fields: {
    id: idField('s3d', 'S3 log destination'),
    name: nameField,
    bucket_name: {
      type: 'string',
      presence: 'required',
      minLength: 3,
      maxLength: 63,
      pattern: {
        regex: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
        message: 'must be a valid S3 bucket name: lowercase letters, digits, "." and "-", starting and ending with a letter or digit',
      },
      description: 'Name of the S3 bucket the objects are written to.',
    },
    key_prefix: {
      type: 'string',
      presence: 'optional',
      minLength: 1,
      maxLength: 512,
      pattern: { regex: /^[^/\\][^\\]*$/, message: 'must not start with "/" or contain "\\"' },
      description:
        'Prefix of every object key (like `s3://bucket/prefix`). Test objects are written under `<prefix>/test/`.',
    },
    region: {
      type: 'string',
      presence: 'optional',
      minLength: 1,
      maxLength: 32,
      pattern: { regex: /^[a-z0-9]+(-[a-z0-9]+)*$/, message: 'must be a region name such as "eu-west-1"' },
      description: "The bucket's region. When unset it is discovered with GetBucketLocation.",
    },
    role_arn: {
      type: 'string',
      presence: 'optional',
      maxLength: 2048,
      pattern: {
        regex: /^arn:[a-z0-9-]+:iam::[^:]*:role\/[\w+=,.@/-]{1,512}$/,
        message: 'must be an IAM role ARN such as "arn:aws:iam::123456789012:role/auditdrain-writer"',
      },
      description:
        "IAM role assumed (STS AssumeRole) to write objects. Its trust policy must allow the service's principal " +
        'with the condition `sts:ExternalId` equal to `external_id`. Conflicts with static keys.',
    },
    access_key_id: {
      type: 'string',
      presence: 'optional',
      minLength: 16,
      maxLength: 128,
      pattern: { regex: /^[A-Za-z0-9]+$/, message: 'must be an AWS access key id (letters and digits)' },
      description: 'Access key id of static credentials. Requires `secret_access_key`; conflicts with `role_arn`.',
    },
    secret_access_key: {
      type: 'string',
      presence: 'optional',
      secret: true,
      sensitive: true,
      writeOnlyVariant: true,
      minLength: 1,
      maxLength: 256,
      description:
        'Secret access key of static credentials. Stored encrypted and never returned by the API. Requires ' +
        '`access_key_id`.',
    },
    external_id: {
      type: 'string',
      presence: 'computed',
      description:
        "The external id sent with AssumeRole: `auditdrain:<tenant id>`. Bound to the tenant and never settable, so " +
        'another tenant cannot make the service assume your role (the confused-deputy problem).',
    },
    key_template: {
      type: 'string',
      presence: 'optional',
      default: DEFAULT_KEY_TEMPLATE,
      minLength: 1,
      maxLength: 1024,
      description:
        'Object key layout in Go-template syntax, below `key_prefix`. Variables: `.Year .Month .Day .Hour .Minute ' +
        '.Second` (UTC, zero-padded, of the first event), `.Timestamp` (unix milliseconds), `.ID` (batch id), ' +
        '`.DestinationID`, `.TenantID`. A template without `.ID` gets `_<ID>` appended. The extension ' +
        '(`.jsonl`, `.json`, `.gz`) is appended.',
    },
    encoding: {
      type: 'string',
      presence: 'optional',
      enum: ENCODINGS,
      default: 'jsonl',
      description: '`jsonl`: one event per line. `json`: one JSON array of events per object.',
    },
    compression: {
      type: 'string',
      presence: 'optional',
      enum: COMPRESSIONS,
      default: 'none',
      description: '`gzip` compresses each object and appends `.gz` to its key.',
    },
    filter_for_actions: filterForActionsField,
    send_audit_log_events: sendAuditLogEventsField,
    send_authorization_events: sendAuthorizationEventsField,
    batch_duration_in_minutes: {
      type: 'integer',
      presence: 'optional',
      default: 5,
      minimum: 1,
      maximum: 60,
      description:
        'A batch is written when its oldest event has waited this long. Unset (null) when ' +
        '`batch_duration_in_seconds` is set.',
    },
    batch_duration_in_seconds: {
      type: 'integer',
      presence: 'optional',
      minimum: 1,
      maximum: 3600,
      description:
        'A finer alternative to `batch_duration_in_minutes` for near-real-time archives: a batch is written when ' +
        'its oldest event has waited this many seconds. Conflicts with `batch_duration_in_minutes`.',
    },
    maximum_batch_size: {
      type: 'integer',
      presence: 'optional',
      default: 5000,
      minimum: 1,
      maximum: 100000,
      description: 'A batch is written as soon as it holds this many events.',
    },
    server_side_encryption: {
      type: 'string',
      presence: 'optional',
      enum: SERVER_SIDE_ENCRYPTION,
      description: "Server-side encryption requested for each object. Unset uses the bucket's default.",
    },
    kms_key_id: {
      type: 'string',
      presence: 'optional',
      minLength: 1,
      maxLength: 2048,
      description: 'KMS key id or ARN for `aws:kms` and `aws:kms:dsse`. Unset uses the AWS managed key.',
    },
    object_acl: {
      type: 'string',
      presence: 'optional',
      enum: CANNED_ACLS,
      description: 'Canned ACL set on each object, e.g. `bucket-owner-full-control`.',
    },
    endpoint_url: {
      type: 'string',
      presence: 'optional',
      format: 'uri',
      maxLength: 2048,
      description: 'S3 endpoint for S3-compatible stores. Unset uses Amazon S3 in the bucket\'s region.',
    },
    force_path_style: {
      type: 'boolean',
      presence: 'optional',
      default: false,
      description: 'Address the bucket in the path (`endpoint/bucket/key`) instead of the host name.',
    },
    enabled: enabledField,
    health: healthField,
    created_at: createdAtField,
    updated_at: updatedAtField,
  },
  constraints: [
    { kind: 'exclusive', groups: [['role_arn'], ['access_key_id', 'secret_access_key']] },
    { kind: 'exclusive', groups: [['batch_duration_in_minutes'], ['batch_duration_in_seconds']] },
    { kind: 'together', fields: ['access_key_id', 'secret_access_key'] },
    { kind: 'requires', field: 'kms_key_id', when: 'server_side_encryption', in: ['aws:kms', 'aws:kms:dsse'] },
  ],
  checks: {
    key_prefix: checkKeyPrefix,
    key_template: checkKeyTemplate,
  },
};
