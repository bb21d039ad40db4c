/**
 * How a resource is kept in the `destinations` table and shown to callers. Plain fields are JSON in `config`;
 * fields that hold a secret are sealed together in `secrets`, bound to the record's id. `name` and `enabled` are
 * also columns, copied from the configuration on every write, for queries.
 */
import type { Field, ResourceConfig } from '@auditdrain/schema';
import { holdsSecret } from '@auditdrain/schema';
import type { SecretBox } from '../../crypto/secret-box';
import type { Database } from '../../store/database';
import type { ResourceKind } from './resource-kind';

export interface DestinationRow {
  id: string;
  tenantId: string;
  type: string;
  name: string;
  enabled: boolean;
  config: string;
  secrets: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The complete configuration of a stored resource, secrets decrypted. */
export function configOf(row: DestinationRow, box: SecretBox): ResourceConfig {
  const plain = JSON.parse(row.config) as ResourceConfig;
  const secret = row.secrets ? (JSON.parse(box.open(row.secrets, row.id)) as ResourceConfig) : {};
  return { ...plain, ...secret };
}

/** Splits a configuration (plus server-held secrets) into the columns that store it. */
export function columnsOf(
  kind: ResourceKind,
  id: string,
  config: ResourceConfig,
  box: SecretBox,
): Pick<DestinationRow, 'name' | 'enabled' | 'config' | 'secrets'> {
  const plain: ResourceConfig = {};
  const secret: ResourceConfig = {};
  for (const [name, value] of Object.entries(config)) {
    const field = kind.spec.fields[name];
    if (!field) continue;
    (holdsSecret(field) ? secret : plain)[name] = value;
  }
  return {
    name: String(config.name),
    enabled: config.enabled !== false,
    config: JSON.stringify(plain),
    secrets: Object.keys(secret).length > 0 ? box.seal(JSON.stringify(secret), id) : null,
  };
}

/** A value as a read shows it: secret attributes removed from nested objects. */
function visible(field: Field, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'object_list' && Array.isArray(value)) {
    return value.map((item: Record<string, unknown>) => withoutSecrets(field.attributes, item));
  }
  if (field.type === 'object') return withoutSecrets(field.attributes, value as Record<string, unknown>);
  return value;
}

function withoutSecrets(attributes: Record<string, Field>, item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(attributes)) {
    if (!field.secret) out[name] = visible(field, item[name]);
  }
  return out;
}

/** The resource as the API returns it: every field in schema order, secrets left out, unset ones null. */
export function outputOf(
  kind: ResourceKind,
  row: DestinationRow,
  config: ResourceConfig,
  described: Record<string, unknown> = {},
): Record<string, unknown> {
  const computed: Record<string, unknown> = {
    id: row.id,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    ...kind.computed({ tenantId: row.tenantId, id: row.id }),
    ...described,
  };
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(kind.spec.fields)) {
    if (field.secret) continue;
    out[name] = field.presence === 'computed' ? (computed[name] ?? null) : visible(field, config[name]);
  }
  return out;
}

/** The resource as the API returns it, with the computed fields read from delivery state. */
export async function describedOutputOf(
  db: Database,
  kind: ResourceKind,
  row: DestinationRow,
  config: ResourceConfig,
): Promise<Record<string, unknown>> {
  return outputOf(kind, row, config, await kind.describe(db, row, config));
}
