/**
 * A webhook integration's delivery log: one entry per event handed to it (and per replay or manual retry), newest
 * first, each with its attempts.
 */
import { ApiError } from '../../errors';
import { ID_PREFIXES, isIdOf } from '../../ids';
import type { Database } from '../../store/database';
import type { Page, PageRequest } from '../pagination';
import { decodeCursor, encodeCursor } from '../pagination';
import { findResource } from '../resources/find-resource';
import { webhookIntegrationKind } from '../resources/resource-kind';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

interface DeliveryRow {
  id: string;
  eventId: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  attemptLog?: { attempt: number; attemptedAt: Date; statusCode: number | null; latencyMs: number; error: string | null; responseExcerpt: string | null }[];
}

function deliveryOutput(d: DeliveryRow): Record<string, unknown> {
  return {
    id: d.id,
    event_id: d.eventId,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt?.toISOString() ?? null,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
    ...(d.attemptLog
      ? {
          attempt_log: d.attemptLog.map((a) => ({
            attempt: a.attempt,
            attempted_at: a.attemptedAt.toISOString(),
            status_code: a.statusCode,
            latency_ms: a.latencyMs,
            error: a.error,
            response_excerpt: a.responseExcerpt,
          })),
        }
      : {}),
  };
}

export async function listDeliveries(
  db: Database,
  tenantId: string,
  integrationId: string,
  query: PageRequest & { status?: DeliveryStatus },
): Promise<Page<Record<string, unknown>>> {
  await findResource(db.client, webhookIntegrationKind, tenantId, integrationId);
  const before = query.cursor !== undefined ? decodeCursor(query.cursor, (position) => isIdOf(ID_PREFIXES.webhookDelivery, position)) : undefined;
  const rows = await db.client.webhookDelivery.findMany({
    where: { destinationId: integrationId, ...(query.status ? { status: query.status } : {}), ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: 'desc' },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { data: page.map(deliveryOutput), next_cursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!.id) : null };
}

export async function getDelivery(db: Database, tenantId: string, integrationId: string, deliveryId: string): Promise<Record<string, unknown>> {
  await findResource(db.client, webhookIntegrationKind, tenantId, integrationId);
  if (!isIdOf(ID_PREFIXES.webhookDelivery, deliveryId)) throw ApiError.notFound('webhook delivery', deliveryId);
  const row = await db.client.webhookDelivery.findFirst({
    where: { id: deliveryId, destinationId: integrationId },
    include: { attemptLog: { orderBy: { attempt: 'asc' } } },
  });
  if (!row) throw ApiError.notFound('webhook delivery', deliveryId);
  return deliveryOutput(row);
}
