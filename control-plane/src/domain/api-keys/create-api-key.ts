import { apiKeyHint, generateApiKeySecret, hashApiKeySecret } from '../../crypto/api-key-secret';
import { ApiError } from '../../errors';
import { ID_PREFIXES, newId } from '../../ids';
import type { Tx } from '../../store/database';
import type { Role } from '../access/roles';

export interface ApiKeyOut {
  id: string;
  tenant_id: string;
  name: string;
  role: Role;
  hint: string;
  created_at: string;
  revoked_at: string | null;
}

/** A new key: the secret is in this result and nowhere else, ever. */
export interface CreatedApiKey extends ApiKeyOut {
  secret: string;
}

export async function createApiKey(
  db: Tx,
  input: { tenantId: string; role: Role; name: string },
  now = new Date(),
): Promise<CreatedApiKey> {
  const tenant = await db.tenant.findUnique({ where: { id: input.tenantId } });
  if (!tenant) throw ApiError.notFound('tenant', input.tenantId);
  const secret = generateApiKeySecret();
  const row = await db.apiKey.create({
    data: {
      id: newId(ID_PREFIXES.apiKey),
      tenantId: input.tenantId,
      name: input.name,
      role: input.role,
      secretHash: hashApiKeySecret(secret),
      hint: apiKeyHint(secret),
      createdAt: now,
    },
  });
  return { ...apiKeyOut(row), secret };
}

export function apiKeyOut(row: {
  id: string;
  tenantId: string;
  name: string;
  role: string;
  hint: string;
  createdAt: Date;
  revokedAt: Date | null;
}): ApiKeyOut {
  return {
    id: row.id,
    tenant_id: row.tenantId,
    name: row.name,
    role: row.role as Role,
    hint: row.hint,
    created_at: row.createdAt.toISOString(),
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}
