/**
 * Shared fixtures of the schema tests: valid documents for every resource and event kind, the validators the
 * tests drive them through, and a walker that lists every field (nested ones included) with its path, so the
 * boundary tests are derived from the specs rather than hand-listed.
 */
import type { z } from 'zod';
import type { EventSpec, Field, Fields, FieldIssue, ResourceSpec, StringField } from '../src';
import {
  auditEvent,
  authorizationEvent,
  createSchema,
  eventSchema,
  formatPath,
  issuesFromZod,
  pascalCase,
  s3LogDestination,
  updateSchema,
  webhookIntegration,
} from '../src';

export type Segment = string | number;
export type Doc = Record<string, unknown>;

/** The smallest create bodies the API accepts. */
export const MINIMAL_S3: Doc = { name: 'audit', bucket_name: 'acme-audit-logs' };
export const MINIMAL_WEBHOOK: Doc = { name: 'siem', url: 'https://siem.example.com/hook' };

/** Create bodies that set every field they can (without breaking a rule across fields) to a non-default value. */
export const FULL_S3: Doc = {
  name: 'audit',
  bucket_name: 'acme-audit-logs',
  key_prefix: 'tenants/acme',
  region: 'eu-west-1',
  role_arn: 'arn:aws:iam::123456789012:role/auditdrain-writer',
  key_template: 'logs/{{ .Year }}/{{ .ID }}',
  encoding: 'json',
  compression: 'gzip',
  filter_for_actions: ['grant.*', 'user.login'],
  send_audit_log_events: false,
  send_authorization_events: true,
  batch_duration_in_minutes: 15,
  maximum_batch_size: 250,
  server_side_encryption: 'aws:kms',
  kms_key_id: 'alias/audit',
  object_acl: 'bucket-owner-full-control',
  endpoint_url: 'http://localhost:4566',
  force_path_style: true,
  enabled: false,
};
export const FULL_WEBHOOK: Doc = {
  name: 'siem',
  url: 'https://siem.example.com/hook',
  headers: [{ key: 'Authorization', value: 'Bearer t0ken' }],
  send_audit_log_events: false,
  send_authorization_events: true,
  filter_for_actions: ['grant.*'],
  enabled: false,
};

export const AUDIT_EVENT: Doc = {
  id: 'evt_1',
  action: 'grant.approved',
  occurred_at: '2026-01-31T09:05:07Z',
  actor: { type: 'user', id: 'usr_1', name: 'Ada', email: 'ada@example.com' },
  targets: [{ type: 'grant', id: 'gra_1' }],
  message: 'Ada approved a grant',
  context: { request: { client_addr: '203.0.113.7', user_agent: 'curl/8' }, authz: { eval: 'eval_1' } },
  caller_identity_chain: [{ type: 'bot', id: 'bot_1' }],
  index: 'production',
  metadata: { ticket: 'SEC-1' },
};

export const AUTHORIZATION_EVENT: Doc = {
  id: 'eval_1',
  request: {
    principal: { type: 'api_key', id: 'key_1' },
    action: { type: 'operation', id: 'create_s3_log_destination' },
    resource: { type: 's3_log_destination', id: 's3d_1' },
    context: { ip: '203.0.113.7' },
  },
  decision: 'allow',
  allowed: true,
  diagnostics: { reason: 'role admin', errors: ['none'] },
  evaluated_at: '2026-01-31T09:05:07.123Z',
  evaluation_duration: 1200,
};

/** Runs a zod schema and returns its problems in the API's `{path, message}` form (none when valid). */
export function issuesOf(schema: z.ZodType, body: unknown): FieldIssue[] {
  const parsed = schema.safeParse(body);
  return parsed.success ? [] : issuesFromZod(parsed.error);
}

/** Something validated field by field: a create or update body of a resource, or one event kind. */
export interface Target {
  title: string;
  /** The OpenAPI component describing the same document. */
  component: string;
  fields: Fields;
  /** A valid document holding every container (object, list, set) so nested paths can be set. */
  base: Doc;
  /** Whether a top-level required field may be left out (an update). */
  partial: boolean;
  validate(body: unknown): FieldIssue[];
}

const resourceTargets = (spec: ResourceSpec, base: Doc): Target[] =>
  [
    { mode: 'create', schema: createSchema(spec), partial: false },
    { mode: 'update', schema: updateSchema(spec), partial: true },
  ].map(({ mode, schema, partial }) => ({
    title: `${spec.name} ${mode}`,
    component: `${pascalCase(spec.name)}${pascalCase(mode)}`,
    fields: spec.fields,
    base,
    partial,
    validate: (b) => issuesOf(schema, b),
  }));

const eventTarget = (spec: EventSpec, base: Doc): Target => {
  const schema = eventSchema(spec);
  return {
    title: `${spec.kind} event`,
    component: `${pascalCase(spec.kind)}Event`,
    fields: spec.fields,
    base,
    partial: false,
    validate: (b) => issuesOf(schema, b),
  };
};

export const TARGETS: Target[] = [
  ...resourceTargets(s3LogDestination, FULL_S3),
  ...resourceTargets(webhookIntegration, FULL_WEBHOOK),
  eventTarget(auditEvent, AUDIT_EVENT),
  eventTarget(authorizationEvent, AUTHORIZATION_EVENT),
];

/** A field somewhere in a document: `headers[0].key`, or `filter_for_actions[0]` for the item of a set. */
export interface FieldAt {
  target: Target;
  path: Segment[];
  /** The path as issues report it. */
  where: string;
  /** The path without indices (`headers.key`), the key of per-field sample tables. */
  name: string;
  field: Field;
  /** Whether the field is a direct property of the document (so update rules apply to it). */
  topLevel: boolean;
}

/** Every user-supplied field of a target, nested attributes and set items included (computed ones excluded). */
export function fieldsOf(target: Target): FieldAt[] {
  const out: FieldAt[] = [];
  const visit = (fields: Fields, prefix: Segment[]) => {
    for (const [name, field] of Object.entries(fields)) {
      if (field.presence === 'computed') continue;
      const path = [...prefix, name];
      const at = (p: Segment[], f: Field): FieldAt => ({
        target,
        path: p,
        where: formatPath(p),
        name: p.filter((s) => typeof s === 'string').join('.'),
        field: f,
        topLevel: p.length === 1,
      });
      out.push(at(path, field));
      if (field.type === 'object') visit(field.attributes, path);
      if (field.type === 'object_list') visit(field.attributes, [...path, 0]);
      if (field.type === 'string_set') {
        const item: StringField = { type: 'string', presence: 'required', description: 'item', ...field.item };
        out.push(at([...path, 0], item));
      }
    }
  };
  visit(target.fields, []);
  return out;
}

export const ALL_FIELDS: FieldAt[] = TARGETS.flatMap(fieldsOf);

/** Whether the field is the item of a string set (its path ends in an index), not a named attribute. */
export const isSetItem = (at: FieldAt) => typeof at.path[at.path.length - 1] === 'number';

export function fieldsOfType<T extends Field['type']>(type: T): (FieldAt & { field: Extract<Field, { type: T }> })[] {
  return ALL_FIELDS.filter((f) => f.field.type === type) as (FieldAt & { field: Extract<Field, { type: T }> })[];
}

/** A copy of `doc` with the value at `path` replaced (or removed, for undefined). */
export function withValue(doc: Doc, path: readonly Segment[], value: unknown): Doc {
  const copy = structuredClone(doc);
  let node: Record<Segment, unknown> = copy;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (typeof next !== 'object' || next === null) throw new Error(`fixture has no container at ${String(segment)}`);
    node = next as Record<Segment, unknown>;
  }
  const last = path[path.length - 1] as Segment;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

export function valueAt(doc: Doc, path: readonly Segment[]): unknown {
  return path.reduce<unknown>((node, s) => (node as Record<Segment, unknown>)[s], doc);
}

/**
 * Shapes a string of any length can take: padding between a prefix and a suffix. The first shape whose result
 * matches the field's pattern and format is used; a field no shape fits makes the caller fail loudly, so a new
 * field with an unusual pattern gets a shape added here rather than silently escaping the boundary tests.
 */
const SHAPES: { prefix: string; suffix: string }[] = [
  { prefix: '', suffix: '' },
  { prefix: 'https://x.test/', suffix: '' },
  { prefix: 'arn:', suffix: ':iam::123456789012:role/writer' },
];

export function stringOfLength(field: StringField, length: number): string | undefined {
  for (const { prefix, suffix } of SHAPES) {
    const pad = length - prefix.length - suffix.length;
    if (pad < 0) continue;
    const value = prefix + 'a'.repeat(pad) + suffix;
    if (field.pattern && !field.pattern.regex.test(value)) continue;
    if (field.format === 'uri' && !/^https?:\/\/[^/]+/.test(value)) continue;
    return value;
  }
  return undefined;
}

/** Per patterned field (by name without indices): values the pattern must accept and refuse. */
export const PATTERN_SAMPLES: Record<string, { accept: string[]; refuse: string[] }> = {
  bucket_name: {
    accept: ['acme-audit-logs', 'logs.example.com', 'a1b', '123'],
    refuse: ['Acme-Logs', 'acme_logs', '-acme', 'acme-', 'acme logs', 'acme/logs'],
  },
  key_prefix: {
    accept: ['tenants/acme', 'a', 'prefix/'],
    refuse: ['/tenants', 'tenants\\acme'],
  },
  region: {
    accept: ['eu-west-1', 'us-gov-west-1', 'cn-north-1', 'garage'],
    refuse: ['EU-WEST-1', 'eu_west_1', 'eu-west-', '-eu', 'eu west'],
  },
  role_arn: {
    accept: [
      'arn:aws:iam::123456789012:role/auditdrain-writer',
      'arn:aws-us-gov:iam::123456789012:role/path/to/writer',
      'arn:aws:iam::123456789012:role/name+=,.@_-',
    ],
    refuse: [
      'arn:aws:iam::123456789012:user/ada',
      'arn:aws:s3:::bucket',
      'arn:aws:iam::123456789012:role/',
      'aws:iam::123456789012:role/writer',
      `arn:aws:iam::123456789012:role/${'a'.repeat(513)}`,
      'arn:aws:iam::123456789012:role/bad name',
    ],
  },
  access_key_id: {
    accept: ['AKIAIOSFODNN7EXAMPLE', 'ASIA0000000000000000'],
    refuse: ['AKIA-IOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPL/', 'AKIA IOSFODNN7EXAMPLE'],
  },
  filter_for_actions: {
    accept: ['grant.*', 'grant.approved', '*', 'user:login', 'a.b-c.d_e', 'grant.request.*'],
    refuse: ['grant.', '.grant', 'grant..approved', 'grant.*.approved', '**', 'grant *', 'grant.**'],
  },
  'headers.key': {
    accept: ['Authorization', 'X-Api-Key', "x!#$%&'*+.^_`|~-"],
    refuse: ['X Api Key', 'X-Api-Key:', 'Ünïcode', 'a\nb', '(x)'],
  },
  'headers.value': {
    accept: ['Bearer t0ken', '', 'a:b;c=d "quoted"'],
    refuse: ['a\r\nInjected: 1', 'a\nb', 'a\rb', 'a\0b'],
  },
  id: {
    accept: ['evt_01HX', 'a.b:c-d_e', '123'],
    refuse: ['evt 1', 'evt/1', 'évt', 'evt#1'],
  },
  action: {
    accept: ['grant.approved', 'login', 'grant:v2.approved-now'],
    refuse: ['grant.*', 'grant.', '.grant', 'grant approved', 'grant..approved'],
  },
};
