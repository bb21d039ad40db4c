/**
 * Turns a create or update request into the complete configuration of a resource: validated field by field,
 * defaults applied, and the rules across fields checked on the result.
 */
import type { z } from 'zod';
import type { Constraint } from '../field';
import { defaultOf } from '../field';
import type { ResourceSpec } from '../resource';
import { writableFields } from '../resource';
import { createSchema, updateSchema } from './zod';

/** One problem with the input, located by a path such as `headers[0].key`. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Every writable field of a resource, an unset one as null. */
export type ResourceConfig = Record<string, unknown>;

export type Resolved<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Flattens zod issues into field issues; an unknown key becomes an issue of its own path. */
export function issuesFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ path: formatPath([...prefix, ...issue.path, key]), message: 'is not a known field' });
      }
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest rather than "invalid input".
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      for (const inner of best) {
        issues.push({ path: formatPath([...prefix, ...issue.path, ...inner.path]), message: inner.message });
      }
    } else {
      issues.push({ path: formatPath([...prefix, ...issue.path]), message: issue.message });
    }
  }
  return issues;
}

function isSet(value: unknown): boolean {
  return value !== null && value !== undefined;
}

function checkConstraint(c: Constraint, config: ResourceConfig): FieldIssue[] {
  switch (c.kind) {
    case 'exclusive': {
      const setGroups = c.groups.filter((g) => g.some((f) => isSet(config[f])));
      if (setGroups.length <= 1) return [];
      const [first, second] = setGroups as [readonly string[], readonly string[]];
      const offending = second.find((f) => isSet(config[f])) as string;
      return [
        {
          path: offending,
          message: `conflicts with ${first.filter((f) => isSet(config[f])).join(', ')}: set ${c.groups
            .map((g) => g.join(' and '))
            .join(', or ')}, not more than one`,
        },
      ];
    }
    case 'together': {
      const present = c.fields.filter((f) => isSet(config[f]));
      if (present.length === 0 || present.length === c.fields.length) return [];
      return c.fields
        .filter((f) => !isSet(config[f]))
        .map((f) => ({ path: f, message: `is required when ${present.join(', ')} is set` }));
    }
    case 'requires': {
      if (!isSet(config[c.field]) || c.in.includes(config[c.when] as string)) return [];
      return [
        {
          path: c.field,
          message: `may only be set when ${c.when} is ${c.in.map((v) => `"${v}"`).join(' or ')}`,
        },
      ];
    }
  }
}

/** Checks the rules that span fields on a complete configuration. */
export function checkConstraints(spec: ResourceSpec, config: ResourceConfig): FieldIssue[] {
  return spec.constraints.flatMap((c) => checkConstraint(c, config));
}

/**
 * A default never sets a group of an exclusive rule. While another group is set, a field with a default becomes null
 * unless this request set it explicitly (then the rule reports the conflict); once no other group is set, an unset
 * one takes its default back.
 */
function applyExclusiveDefaults(spec: ResourceSpec, config: ResourceConfig, explicit: Record<string, unknown>): void {
  for (const c of spec.constraints) {
    if (c.kind !== 'exclusive') continue;
    c.groups.forEach((group, i) => {
      const otherGroupSet = c.groups.some((g, j) => j !== i && g.some((f) => isSet(config[f])));
      for (const name of group) {
        const field = spec.fields[name];
        const fallback = field && defaultOf(field);
        if (fallback === undefined) continue;
        if (otherGroupSet) {
          if (!isSet(explicit[name])) config[name] = null;
        } else if (!isSet(config[name])) {
          config[name] = fallback;
        }
      }
    });
  }
}

/** The configuration a create request describes, with defaults applied. */
export function resolveCreate(spec: ResourceSpec, body: unknown): Resolved<ResourceConfig> {
  const parsed = createSchema(spec).safeParse(body);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
  const input = parsed.data as Record<string, unknown>;
  const config: ResourceConfig = {};
  for (const [name, field] of writableFields(spec)) {
    const value = input[name];
    config[name] = isSet(value) ? value : (defaultOf(field) ?? null);
  }
  applyExclusiveDefaults(spec, config, input);
  const issues = checkConstraints(spec, config);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: config };
}

/** The configuration after applying an update request to the current one; null resets a field to its default. */
export function resolveUpdate(
  spec: ResourceSpec,
  current: ResourceConfig,
  body: unknown,
): Resolved<{ config: ResourceConfig; changed: string[] }> {
  const parsed = updateSchema(spec).safeParse(body);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
  const patch = parsed.data as Record<string, unknown>;
  const config: ResourceConfig = { ...current };
  for (const [name, field] of writableFields(spec)) {
    if (!(name in patch)) continue;
    const value = patch[name];
    config[name] = isSet(value) ? value : (defaultOf(field) ?? null);
  }
  applyExclusiveDefaults(spec, config, patch);
  const changed = writableFields(spec)
    .map(([name]) => name)
    .filter((name) => JSON.stringify(config[name] ?? null) !== JSON.stringify(current[name] ?? null));
  const issues = checkConstraints(spec, config);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { config, changed } };
}
