/**
 * Values the provider's unit tests share: configurations as Terraform sends them (every attribute, null unless set),
 * built on the schema tests' minimal bodies, and the state each minimal resource has after create.
 */
import { DEFAULT_KEY_TEMPLATE } from '@auditdrain/schema';
import { MINIMAL_S3, MINIMAL_WEBHOOK } from '../../../schema/test/fixtures';
import type { ResourceModel } from '../../src/resources/model';
import { s3LogDestinationResource, webhookIntegrationResource } from '../../src/resources';
import type { ObjectValue } from '../../src/values/value';

export const s3 = s3LogDestinationResource.model;
export const webhook = webhookIntegrationResource.model;

/** A configuration as Terraform sends it: every attribute of the schema, null unless set. */
export function config(model: ResourceModel, set: ObjectValue): ObjectValue {
  const out: ObjectValue = Object.fromEntries(Object.keys(model.type.attributes).map((name) => [name, null]));
  for (const name of Object.keys(set)) {
    if (!(name in out)) throw new Error(`${name} is not an attribute of the resource`);
  }
  return { ...out, ...set };
}

export const s3Config = (set: ObjectValue = {}) => config(s3, { ...(MINIMAL_S3 as ObjectValue), ...set });
export const webhookConfig = (set: ObjectValue = {}) => config(webhook, { ...(MINIMAL_WEBHOOK as ObjectValue), ...set });

/** An S3 log destination's state after create, as stateFromApi leaves it. */
export const S3_STATE: ObjectValue = {
  id: 's3d_01J0000000000000000000000A',
  name: 'audit',
  bucket_name: 'acme-audit-logs',
  key_prefix: null,
  region: null,
  role_arn: null,
  access_key_id: null,
  secret_access_key: null,
  secret_access_key_wo: null,
  secret_access_key_wo_version: null,
  external_id: 'auditdrain:tnt_1',
  key_template: DEFAULT_KEY_TEMPLATE,
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
  created_at: '2026-01-31T12:00:00Z',
};

export const WEBHOOK_STATE: ObjectValue = {
  id: 'whk_01J0000000000000000000000A',
  name: 'siem',
  url: 'https://siem.example.com/hook',
  headers: null,
  send_audit_log_events: true,
  send_authorization_events: false,
  filter_for_actions: null,
  signing_secret: 'whsec_c2VjcmV0',
  enabled: true,
  created_at: '2026-01-31T12:00:00Z',
};
