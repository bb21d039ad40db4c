/**
 * One model maps a resource between the API's JSON and Terraform's values, for any resource described in
 * `@auditdrain/schema`: which attributes Terraform has, what a read of the API means for state, what a
 * configuration means for a request body, and what a configuration will become once applied (the plan).
 */
import type { Constraint, Field, Fields, FieldIssue, ResourceConfig, ResourceSpec } from '@auditdrain/schema';
import {
  checkConstraints,
  createSchema,
  defaultOf,
  formatPath,
  issuesFromZod,
  resolveCreate,
  resourceTerraformSchema,
  writeOnlyNames,
} from '@auditdrain/schema';
import type { Type } from '../values/terraform-type';
import { blockType } from '../values/terraform-type';
import type { ObjectValue, Value } from '../values/value';
import { sameValue, UNKNOWN } from '../values/value';

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
   * field. A value not yet known stands as null, and its path (`headers[0].value`) is listed in `unknown`.
   */
  private requestConfig(config: ObjectValue): { body: ResourceConfig; unknown: string[] } {
    const body: ResourceConfig = {};
    const unknown: string[] = [];
    for (const { name, field, writeOnly } of this.fields) {
      if (field.presence === 'computed') continue;
      let value = config[name] ?? null;
      if (writeOnly && value === null) value = config[writeOnly.value] ?? null;
      body[name] = knownPart(value, name, unknown);
    }
    return { body, unknown };
  }

  /**
   * Problems with a configuration that need no API call: each field's limits and checks, the write-only pairs, and
   * the rules across fields. Whatever is already known is judged; a value not yet known is judged at plan once it is.
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
    issues.push(...this.resolve(config).issues);
    return issues.map((issue) => ({ ...issue, path: this.terraformPath(issue.path, config) }));
  }

  /**
   * The configuration resolved as the API would resolve it (defaults, checks, rules across fields). With values not
   * yet known, whatever can already be judged is: every known value, and every rule whose fields are all known;
   * `value` is then undefined, as what the API will make of it is not known yet.
   */
  private resolve(config: ObjectValue): { value?: ResourceConfig; issues: FieldIssue[] } {
    const { body, unknown } = this.requestConfig(config);
    if (unknown.length === 0) {
      const resolved = resolveCreate(this.spec, body);
      return resolved.ok ? { value: resolved.value, issues: [] } : { issues: resolved.issues };
    }
    const known = (field: string) => !unknown.some((path) => within(path, field));
    const issues: FieldIssue[] = [];
    // Each field's own limits (an unknown part stands as null, and what is said about it is dropped below).
    const parsed = createSchema(this.spec).safeParse(body);
    if (!parsed.success) issues.push(...issuesFromZod(parsed.error));
    // A field's extra check, on a field only partly known (zod runs it only once the whole field parses).
    for (const [name, check] of Object.entries(this.spec.checks ?? {})) {
      if (known(name) || body[name] === null) continue;
      const problem = check(body[name]);
      if (typeof problem === 'string') issues.push({ path: name, message: problem });
      else if (problem) issues.push({ path: formatPath([name, ...problem.path]), message: problem.message });
    }
    // The rules whose fields are all known, on the values as set (a default never sets or breaks a rule).
    issues.push(...checkConstraints({ ...this.spec, constraints: this.spec.constraints.filter((c) => constraintFields(c).every(known)) }, body));
    return { issues: issues.filter((issue) => !unknown.some((path) => within(issue.path, path))) };
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
    const { value: resolved, issues } = this.resolve(config);
    if (issues.length > 0) {
      return { planned: {}, issues: issues.map((i) => ({ ...i, path: this.terraformPath(i.path, config) })), replace: [] };
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

/** True when `path` is `ancestor` or lies inside it (`headers[0].value` lies inside `headers`). */
function within(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}[`);
}

/** The value with every unknown part replaced by null; the paths of those parts are added to `unknown`. */
function knownPart(value: Value, path: string, unknown: string[]): unknown {
  if (value === UNKNOWN) {
    unknown.push(path);
    return null;
  }
  if (Array.isArray(value)) return value.map((item, i) => knownPart(item, `${path}[${i}]`, unknown));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, knownPart(v, `${path}.${k}`, unknown)]));
  }
  return value;
}

function constraintFields(constraint: Constraint): readonly string[] {
  switch (constraint.kind) {
    case 'exclusive':
      return constraint.groups.flat();
    case 'together':
      return constraint.fields;
    case 'requires':
      return [constraint.field, constraint.when];
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
