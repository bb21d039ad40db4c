/**
 * Sending events to a webhook integration again: one delivery on request (`…/deliveries/{id}/retry`), or every
 * event since a time (`…/replay`). Each adds new deliveries, due now, for events already handed to the
 * integration; they carry the events' ids as `webhook-id`, as the first deliveries did.
 */
import type { SecretBox } from '../../crypto/secret-box';
import { eventFilterOf } from '../../delivery/event-filter';
import { ApiError } from '../../errors';
import { ID_PREFIXES, isIdOf, newId } from '../../ids';
import type { Database } from '../../store/database';
import type { NewDelivery } from '../../store/webhook-deliveries';
import { addDeliveries } from '../../store/webhook-deliveries';
import { actionsWhere, matchesActions } from '../events/action-patterns';
import { findResource } from '../resources/find-resource';
import { webhookIntegrationKind } from '../resources/resource-kind';
import { configOf } from '../resources/stored-resource';

/** The most events one replay re-sends; a longer span is replayed in parts. */
export const MAX_REPLAY_EVENTS = 100_000;

/** New delivery rows for these events, ids minted now. */
function newDeliveries(events: readonly { sequence: bigint; eventId: string }[], now: Date): NewDelivery[] {
  return events.map((e) => ({ id: newId(ID_PREFIXES.webhookDelivery, now.getTime()), sequence: e.sequence, eventId: e.eventId }));
}

/** A new delivery of the same event as `deliveryId`; refused while that one is still pending. */
export async function retryDelivery(db: Database, tenantId: string, integrationId: string, deliveryId: string, now = new Date()): Promise<{ id: string; event_id: string }> {
  await findResource(db.client, webhookIntegrationKind, tenantId, integrationId);
  const original = isIdOf(ID_PREFIXES.webhookDelivery, deliveryId)
    ? await db.client.webhookDelivery.findFirst({ where: { id: deliveryId, destinationId: integrationId } })
    : null;
  if (!original) throw ApiError.notFound('webhook delivery', deliveryId);
  if (original.status === 'pending') {
    throw new ApiError('conflict', `webhook delivery ${deliveryId} is still pending; its next attempt is at ${original.nextAttemptAt?.toISOString()}`);
  }
  const [delivery] = newDeliveries([original], now);
  await addDeliveries(db, integrationId, [delivery!], now);
  return { id: delivery!.id, event_id: delivery!.eventId };
}

/**
 * New deliveries for the integration's events received at or after `since`, up to where its cursor stands (later
 * events are on their way anyway), oldest first, at most MAX_REPLAY_EVENTS.
 */
export async function replayDeliveries(
  db: Database,
  box: SecretBox,
  tenantId: string,
  integrationId: string,
  since: Date,
  now = new Date(),
): Promise<{ replayed: number; through: string | null; truncated: boolean }> {
  const row = await findResource(db.client, webhookIntegrationKind, tenantId, integrationId);
  if (since.getTime() > now.getTime()) throw ApiError.validation([{ path: 'since', message: 'must not be in the future' }]);
  const filter = eventFilterOf(configOf(row, box));
  const state = await db.client.deliveryState.findUniqueOrThrow({ where: { destinationId: integrationId } });
  const events = (
    await db.client.event.findMany({
      where: { tenantId, receivedAt: { gte: since }, sequence: { lte: state.cursor }, kind: { in: filter.kinds }, ...actionsWhere(filter.actions) },
      orderBy: { sequence: 'asc' },
      take: MAX_REPLAY_EVENTS + 1,
      select: { sequence: true, eventId: true, action: true },
    })
  ).filter((e) => matchesActions(filter.actions, e.action));
  const chosen = events.slice(0, MAX_REPLAY_EVENTS);
  await addDeliveries(db, integrationId, newDeliveries(chosen, now), now);
  const last = chosen[chosen.length - 1];
  return { replayed: chosen.length, through: last ? last.eventId : null, truncated: events.length > MAX_REPLAY_EVENTS };
}
