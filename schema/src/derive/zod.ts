/**
 * zod validators derived from field descriptions: what the API accepts on create and update, and what it returns.
 */
import { z } from 'zod';
import type { Field, Fields, StringConstraints } from '../field';
import { holdsSecret } from '../field';
import type { ResourceSpec } from '../resource';

type Check = NonNullable<ResourceSpec['checks']>[string];

const expected = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined || issue.input === null ? 'is required' : `must be ${what}`;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 timestamp that names a real instant (month 13 or 25 o'clock are refused). */
export function isRfc3339(value: string): boolean {
  if (!RFC3339.test(value)) return false;
  const [date, time] = value.toUpperCase().split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm, ss] = time.slice(0, 8).split(':').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return (
    probe.getUTCFullYear() === y &&
    probe.getUTCMonth() === m - 1 &&
    probe.getUTCDate() === d &&
    hh < 24 &&
    mm < 60 &&
    ss < 61 &&
    !Number.isNaN(Date.parse(value))
  );
}

function stringSchema(field: StringConstraints): z.ZodType<string> {
  if (field.enum) {
    const values = field.enum;
    return z.string({ error: expected('a string') }).refine((v) => values.includes(v), {
      error: `must be one of ${values.map((v) => `"${v}"`).join(', ')}`,
    });
  }
  let s = z.string({ error: expected('a string') });
  if (field.minLength !== undefined) {
    s = s.min(field.minLength, {
      error: field.minLength === 1 ? 'must not be empty' : `must be at least ${field.minLength} characters`,
    });
  }
  if (field.maxLength !== undefined) s = s.max(field.maxLength, { error: `must be at most ${field.maxLength} characters` });
  if (field.pattern) s = s.regex(field.pattern.regex, { error: field.pattern.message });
  // PostgreSQL text cannot hold NUL, and no name, id or setting needs one: refuse it the same way on every store.
  s = s.refine((v) => !v.includes('\u0000'), { error: 'must not contain the NUL character (\\u0000)' });
  if (field.format === 'date-time') {
    return s.refine(isRfc3339, { error: 'must be an RFC 3339 timestamp such as "2026-01-31T12:00:00Z"' });
  }
  if (field.format === 'uri') return s.refine(isHttpUrl, { error: 'must be an absolute http or https URL' });
  return s;
}

function attributesShape(attributes: Fields, mode: 'input' | 'output'): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(attributes)) {
    if (mode === 'output' && field.secret) continue;
    const schema = fieldSchema(field, mode);
    shape[name] = field.presence === 'required' ? schema : schema.nullish();
  }
  return shape;
}

/** The validator of one field's value (not of its presence). */
export function fieldSchema(field: Field, mode: 'input' | 'output' = 'input', check?: Check): z.ZodType {
  const base = baseSchema(field, mode);
  if (!check) return base;
  return base.superRefine((value, ctx) => {
    const problem = check(value);
    if (problem === undefined) return;
    if (typeof problem === 'string') ctx.addIssue({ code: 'custom', message: problem });
    else ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  });
}

function baseSchema(field: Field, mode: 'input' | 'output'): z.ZodType {
  switch (field.type) {
    case 'string':
      return stringSchema(field);
    case 'integer':
      return z
        .number({ error: expected('a whole number') })
        .int({ error: 'must be a whole number' })
        .min(field.minimum, { error: `must be at least ${field.minimum}` })
        .max(field.maximum, { error: `must be at most ${field.maximum}` });
    case 'boolean':
      return z.boolean({ error: expected('true or false') });
    case 'string_set':
      return z
        .array(stringSchema(field.item), { error: expected('an array of strings') })
        .max(field.maxItems, { error: `must have at most ${field.maxItems} entries` })
        .refine((items) => new Set(items).size === items.length, { error: 'must not contain duplicates' });
    case 'object':
      return z.strictObject(attributesShape(field.attributes, mode), { error: expected('an object') });
    case 'object_list':
      return z
        .array(z.strictObject(attributesShape(field.attributes, mode), { error: expected('an object') }), {
          error: expected('an array'),
        })
        .max(field.maxItems, { error: `must have at most ${field.maxItems} entries` });
    case 'json_object':
      // Not z.record, which drops an own "__proto__" key: free-form JSON must come out exactly as it went in.
      return z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
        error: expected('a JSON object'),
      });
  }
}

const readOnly = z.never({ error: 'is set by the service and cannot be written' });

function writableShape(spec: ResourceSpec, presence: 'create' | 'update'): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(spec.fields)) {
    if (field.presence === 'computed') {
      shape[name] = readOnly.optional();
      continue;
    }
    const schema = fieldSchema(field, 'input', spec.checks?.[name]);
    if (presence === 'create') shape[name] = field.presence === 'required' ? schema : schema.nullish();
    // On update every field may be left out; null resets an optional field to its default.
    else shape[name] = field.presence === 'required' ? schema.optional() : schema.nullish();
  }
  return shape;
}

function bodySchema(spec: ResourceSpec, presence: 'create' | 'update') {
  return z.strictObject(writableShape(spec, presence), { error: expected('a JSON object') });
}

type BodySchema = ReturnType<typeof bodySchema>;

/** Built once per resource and kind of request: building one takes milliseconds, every create and update uses it. */
const bodySchemas = { create: new WeakMap<ResourceSpec, BodySchema>(), update: new WeakMap<ResourceSpec, BodySchema>() };

function compiledBodySchema(spec: ResourceSpec, presence: 'create' | 'update'): BodySchema {
  const cache = bodySchemas[presence];
  let schema = cache.get(spec);
  if (!schema) cache.set(spec, (schema = bodySchema(spec, presence)));
  return schema;
}

/** The body of a create request. */
export function createSchema(spec: ResourceSpec): BodySchema {
  return compiledBodySchema(spec, 'create');
}

/** The body of an update request: any subset of the writable fields. */
export function updateSchema(spec: ResourceSpec): BodySchema {
  return compiledBodySchema(spec, 'update');
}

/** A resource as the API returns it: every field but the secrets, unset ones as null. */
export function outputSchema(spec: { fields: Fields }) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(spec.fields)) {
    if (field.secret) continue;
    const schema = fieldSchema(field, 'output');
    shape[name] = field.presence === 'required' || field.presence === 'computed' ? schema : schema.nullable();
  }
  return z.strictObject(shape);
}

/** Fields a read of the resource leaves out entirely. */
export function secretFieldNames(spec: { fields: Fields }): string[] {
  return Object.entries(spec.fields)
    .filter(([, f]) => f.secret)
    .map(([n]) => n);
}

/** Fields whose value is stored encrypted (the field is, or contains, a secret). */
export function encryptedFieldNames(spec: { fields: Fields }): string[] {
  return Object.entries(spec.fields)
    .filter(([, f]) => holdsSecret(f))
    .map(([n]) => n);
}
