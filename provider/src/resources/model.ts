/**
 * One model maps a resource between the API's JSON and Terraform's values, for any resource described in
 * `@auditdrain/schema`: which attributes Terraform has, what a read of the API means for state, what a
 * configuration means for a request body, and what a configuration will become once applied (the plan).
 */
import type { Field, Fields, FieldIssue, ResourceConfig, ResourceSpec } from '@auditdrain/schema';
import { createSchema, defaultOf, issuesFromZod, resolveCreate, resourceTerraformSchema, writeOnlyNames } from '@auditdrain/schema';
import type { Type } from '../values/terraform-type';
import { blockType } from '../values/terraform-type';
import type { ObjectValue, Value } from '../values/value';
import { isWhollyKnown, sameValue, UNKNOWN } from '../values/value';

/** A field Terraform manages, with the names of its write-only companions when it has them. */
interface ModelField {
  name: string;
  field: Field;
  writeOnly?: { value: string; version: string };
}

export class ResourceModel {
  readonly type: Type & { kind: 'object' };
  readonly fields: ModelField[];

  constructor(readonly spec: ResourceSpec) {
    this.type = blockType(resourceTerraformSchema(spec).block);
    this.fields = Object.entries(spec.fields)
      .filter(([, field]) => !field.apiOnly)
      .map(([name, field]) => ({ name, field, ...(field.writeOnlyVariant ? { writeOnly: writeOnlyNames(name) } : {}) }));
  }

  /**
   * State from the API's answer. What the API never returns is kept from the prior state: secrets (a header's value
   * follows its header), write-only versions. Write-only values themselves are never kept.
   */
  stateFromApi(api: Record<string, unknown>, prior: ObjectValue | null): ObjectValue {
    const state: ObjectValue = {};
    for (const { name, field, writeOnly } of this.fields) {
      state[name] = valueFromApi(field, api[name], prior?.[name] ?? null);
      if (writeOnly) {
        state[writeOnly.value] = null;
        state[writeOnly.version] = prior?.[writeOnly.version] ?? null;
      }
    }
    return state;
  }

  /**
   * The configuration as the API would take it: user-settable fields only, a write-only value standing in for its
   * field. Fields whose value is not yet known are left out.
   */
  private requestConfig(config: ObjectValue): { body: ResourceConfig; unknown: Set<string> } {
    const body: ResourceConfig = {};
    const unknown = new Set<string>();
    for (const { name, field, writeOnly } of this.fields) {
      if (field.presence === 'computed') continue;
      let value = config[name] ?? null;
      if (writeOnly && value === null) value = config[writeOnly.value] ?? null;
      if (!isWhollyKnown(value)) unknown.add(name);
      else body[name] = value;
    }
    return { body, unknown };
  }

  /**
   * Problems with a configuration that need no API call: each field's limits and checks, the write-only pairs,
   * and, once every field is known, the rules across fields. Unknown values are checked when they are known.
   */
  validate(config: ObjectValue): FieldIssue[] {
    const issues: FieldIssue[] = [];
    for (const { name, writeOnly } of this.fields) {
      if (!writeOnly) continue;
      const plain = config[name] ?? null;
      const value = config[writeOnly.value] ?? null;
      const version = config[writeOnly.version] ?? null;
      if (plain !== null && value !== null) {
        issues.push({ path: writeOnly.value, message: `conflicts with ${name}: set one of them` });
      }
      if (value !== null && version === null) {
        issues.push({ path: writeOnly.version, message: `is required with ${writeOnly.value}: change it to send a new value` });
      }
      if (value === null && version !== null) {
        issues.push({ path: writeOnly.version, message: `has no effect without ${writeOnly.value}` });
      }
    }
    const { body, unknown } = this.requestConfig(config);
    if (unknown.size === 0) {
      const resolved = resolveCreate(this.spec, body);
      if (!resolved.ok) issues.push(...resolved.issues);
    } else {
      const parsed = createSchema(this.spec).safeParse(body);
      if (!parsed.success) {
        issues.push(...issuesFromZod(parsed.error).filter((issue) => !unknown.has(topLevel(issue.path))));
      }
    }
    return issues.map((issue) => ({ ...issue, path: this.terraformPath(issue.path, config) }));
  }

  /** An issue about a field whose value came from its write-only companion points at the companion. */
  private terraformPath(path: string, config: ObjectValue): string {
    const field = this.fields.find((f) => f.name === topLevel(path));
    if (field?.writeOnly && (config[field.name] ?? null) === null && (config[field.writeOnly.value] ?? null) !== null) {
      return field.writeOnly.value + path.slice(field.name.length);
    }
    return path;
  }

  /**
   * The planned state. Configured values are planned as configured; an unset field with a default is planned as the
   * value the API will give it (resolved here by the same code the API runs); server-computed values are unknown on
   * create and kept on update; write-only values are never planned.
   */
  plan(config: ObjectValue, prior: ObjectValue | null): { planned: ObjectValue; issues: FieldIssue[]; replace: string[] } {
    const { body, unknown } = this.requestConfig(config);
    let resolved: ResourceConfig | undefined;
    if (unknown.size === 0) {
      const result = resolveCreate(this.spec, body);
      if (!result.ok) return { planned: {}, issues: result.issues, replace: [] };
      resolved = result.value;
    }
    const planned: ObjectValue = {};
    for (const { name, field, writeOnly } of this.fields) {
      const configured = config[name] ?? null;
      if (field.presence === 'computed') planned[name] = prior ? (prior[name] ?? null) : UNKNOWN;
      else if (configured !== null) planned[name] = configured;
      else if (defaultOf(field) !== undefined) planned[name] = resolved ? ((resolved[name] ?? null) as Value) : UNKNOWN;
      else planned[name] = null;
      if (writeOnly) {
        planned[writeOnly.value] = null;
        planned[writeOnly.version] = config[writeOnly.version] ?? null;
      }
    }
    const replace = prior
      ? this.fields.filter(({ name, field }) => field.forceNew && !sameValue(planned[name] ?? null, prior[name] ?? null)).map((f) => f.name)
      : [];
    return { planned, issues: [], replace };
  }

  /**
   * The body of a create (prior null) or update request for a planned state. Every user-settable field is sent, so
   * the API ends up with exactly the plan (null resets a field to its default). A secret set write-only is sent on
   * create and whenever its version changes; otherwise the API keeps the one it has.
   */
  requestBody(planned: ObjectValue, config: ObjectValue, prior: ObjectValue | null): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    for (const { name, field, writeOnly } of this.fields) {
      if (field.presence === 'computed') continue;
      const value = planned[name] ?? null;
      if (writeOnly && value === null) {
        const secret = config[writeOnly.value] ?? null;
        if (secret !== null) {
          const resend =
            prior === null ||
            (prior[name] ?? null) !== null ||
            !sameValue(prior[writeOnly.version] ?? null, config[writeOnly.version] ?? null);
          if (resend) body[name] = secret;
          continue;
        }
      }
      body[name] = value;
    }
    return body;
  }
}

function topLevel(path: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*/.exec(path)?.[0] ?? '';
}

function valueFromApi(field: Field, api: unknown, prior: Value): Value {
  if (field.secret) return prior;
  if (api === null || api === undefined) return null;
  if (field.type === 'object') return objectFromApi(field.attributes, api as Record<string, unknown>, prior);
  if (field.type === 'object_list' && Array.isArray(api)) {
    const priorItems = Array.isArray(prior) ? (prior as ObjectValue[]) : [];
    return api.map((item: Record<string, unknown>, i) => objectFromApi(field.attributes, item, matchingItem(field.attributes, item, priorItems, i)));
  }
  return api as Value;
}

function objectFromApi(attributes: Fields, api: Record<string, unknown>, prior: Value): ObjectValue {
  const priorObject = prior && typeof prior === 'object' && !Array.isArray(prior) ? (prior as ObjectValue) : null;
  const out: ObjectValue = {};
  for (const [name, field] of Object.entries(attributes)) {
    if (field.apiOnly) continue;
    out[name] = valueFromApi(field, api[name], priorObject?.[name] ?? null);
  }
  return out;
}

/**
 * The prior item an item read from the API continues, so its secrets (which the API does not return) carry over:
 * the item at the same position if its other attributes are unchanged, else the first item that matches them.
 */
function matchingItem(attributes: Fields, item: Record<string, unknown>, prior: ObjectValue[], index: number): Value {
  const visible = Object.entries(attributes).filter(([, f]) => !f.secret && !f.apiOnly);
  const matches = (candidate: ObjectValue | undefined) =>
    candidate !== undefined && visible.every(([name]) => sameValue((item[name] ?? null) as Value, candidate[name] ?? null));
  if (matches(prior[index])) return prior[index] as ObjectValue;
  return prior.find(matches) ?? null;
}
