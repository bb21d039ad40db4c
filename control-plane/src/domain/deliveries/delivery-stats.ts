/**
 * A destination's delivered and failed events per minute over the last 24 hours (store/delivery-minutes.ts), for
 * either kind. Minutes without any are left out.
 */
import type { Database } from '../../store/database';
import { MINUTE_MS, MINUTES_KEPT_MS, minuteOf, readMinutes } from '../../store/delivery-minutes';
import { findResource } from '../resources/find-resource';
import type { ResourceKind } from '../resources/resource-kind';

export async function deliveryStats(db: Database, kind: ResourceKind, tenantId: string, destinationId: string, now: Date): Promise<Record<string, unknown>> {
  await findResource(db.client, kind, tenantId, destinationId);
  const until = new Date(minuteOf(now).getTime() + MINUTE_MS);
  const since = new Date(until.getTime() - MINUTES_KEPT_MS);
  const minutes = await readMinutes(db.client, destinationId, since, until);
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    delivered: minutes.reduce((sum, m) => sum + m.delivered, 0),
    failed: minutes.reduce((sum, m) => sum + m.failed, 0),
    minutes: minutes.map((m) => ({ minute: m.minute.toISOString(), delivered: m.delivered, failed: m.failed })),
  };
}
