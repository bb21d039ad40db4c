/**
 * A destination's health as its GET shows it: healthy, failing (the last attempt failed) or paused (disabled);
 * the last success; the last error with the remote's request id; and the backlog, the events waiting for it
 * (for a webhook integration, also its deliveries not yet accepted).
 */
import type { ResourceConfig } from '@auditdrain/schema';
import type { Database } from '../store/database';
import { countEvents } from '../store/read-events';
import { eventFilterOf } from './event-filter';

export interface Health {
  status: 'healthy' | 'failing' | 'paused';
  last_success_at: string | null;
  last_error: Record<string, unknown> | null;
  backlog: number;
}

export async function healthOf(
  db: Database,
  row: { id: string; tenantId: string; enabled: boolean },
  config: ResourceConfig,
  /** Handed-off work still waiting (pending webhook deliveries). */
  queued = 0,
): Promise<Health> {
  const state = await db.client.deliveryState.findUnique({ where: { destinationId: row.id } });
  const backlog = state ? await countEvents(db, { tenantId: row.tenantId, ...eventFilterOf(config) }, state.cursor) : 0;
  return {
    status: !row.enabled ? 'paused' : state && state.consecutiveFailures > 0 ? 'failing' : 'healthy',
    last_success_at: state?.lastSuccessAt?.toISOString() ?? null,
    last_error: state?.lastError ? { ...(JSON.parse(state.lastError) as object), at: state.lastErrorAt?.toISOString() ?? null } : null,
    backlog: backlog + queued,
  };
}
