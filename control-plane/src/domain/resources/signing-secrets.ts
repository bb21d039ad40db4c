/**
 * A webhook integration's signing secrets: the current one (sealed with its configuration) and those a rotation
 * replaced, which keep signing, next to the new one, for ROTATION_OVERLAP_MS so receivers can switch over.
 */
import type { ResourceConfig } from '@auditdrain/schema';
import type { SecretBox } from '../../crypto/secret-box';
import type { Database } from '../../store/database';
import type { ResourceContext } from './context';
import { findResource } from './find-resource';
import { newSigningSecret, webhookIntegrationKind } from './resource-kind';
import { columnsOf, configOf } from './stored-resource';

export const ROTATION_OVERLAP_MS = 24 * 60 * 60_000;

/** The secrets to sign with now: the current one first, then retired ones that have not expired, newest first. */
export async function liveSigningSecrets(db: Database, box: SecretBox, integrationId: string, config: ResourceConfig, now: Date): Promise<string[]> {
  const retired = await db.client.retiredSigningSecret.findMany({
    where: { destinationId: integrationId, expiresAt: { gt: now } },
    orderBy: { retiredAt: 'desc' },
  });
  return [String(config.signing_secret), ...retired.map((r) => box.open(r.secret, integrationId))];
}

/** Starts a new signing secret; the old one keeps signing too until the overlap ends. */
export async function rotateSigningSecret(
  ctx: ResourceContext,
  tenantId: string,
  id: string,
  now = new Date(),
): Promise<{ signing_secret: string; previous_secret_expires_at: string }> {
  const next = newSigningSecret();
  const expiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS);
  await ctx.db.transaction(async (tx) => {
    const row = await findResource(tx, webhookIntegrationKind, tenantId, id);
    const config = configOf(row, ctx.box);
    await tx.retiredSigningSecret.create({
      data: { destinationId: id, retiredAt: now, expiresAt, secret: ctx.box.seal(String(config.signing_secret), id) },
    });
    await tx.destination.update({
      where: { id },
      data: { updatedAt: now, ...columnsOf(webhookIntegrationKind, id, { ...config, signing_secret: next }, ctx.box) },
    });
  });
  return { signing_secret: next, previous_secret_expires_at: expiresAt.toISOString() };
}
