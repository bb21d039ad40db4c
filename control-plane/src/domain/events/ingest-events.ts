/**
 * Appends events to the log. A batch lands whole or not at all; an event whose id is already in the tenant's log
 * (or earlier in the same batch) is a duplicate and adds nothing, so a sender may retry freely. Concurrent requests
 * with the same new id are settled by the log's unique index: one inserts it, the other counts a duplicate.
 */
import type { ValidEvent } from '@auditdrain/schema';
import { MAX_EVENT_BYTES, auditEvent, authorizationEvent } from '@auditdrain/schema';
import { ApiError } from '../../errors';
import { newId } from '../../ids';
import { appendEvents } from '../../store/append-events';
import type { Database } from '../../store/database';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** The id of each event, in request order (assigned ones included). */
  ids: string[];
}

interface PreparedEvent {
  eventId: string;
  kind: string;
  action: string;
  actorId: string;
  occurredAt: Date;
  payload: string;
}

/** The columns the log indexes, and the payload exactly as it will be delivered (the id first). */
function prepare(valid: ValidEvent): PreparedEvent {
  const event = valid.event;
  const spec = valid.kind === 'audit' ? auditEvent : authorizationEvent;
  const eventId = typeof event.id === 'string' ? event.id : newId(spec.idPrefix);
  const { id: _given, ...rest } = event;
  const payload = JSON.stringify({ id: eventId, ...rest });
  if (valid.kind === 'audit') {
    const actor = event.actor as { id: string };
    return { eventId, kind: 'audit', action: String(event.action), actorId: actor.id, occurredAt: new Date(String(event.occurred_at)), payload };
  }
  const request = event.request as { principal: { id: string }; action: { id: string } };
  return {
    eventId,
    kind: 'authorization',
    action: request.action.id,
    actorId: request.principal.id,
    occurredAt: new Date(String(event.evaluated_at)),
    payload,
  };
}

/**
 * How deep a stored event may nest (the event object is level 1). Deeper JSON cannot be serialised without
 * exhausting the stack, neither here nor when it is read back or delivered.
 */
export const MAX_EVENT_DEPTH = 64;

/** The nesting depth of a JSON value, counted without recursion and only up to just past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0 && deepest <= limit) {
    const [item, above] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, above + 1);
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push([child, above + 1]);
  }
  return deepest;
}

export async function ingestEvents(db: Database, tenantId: string, events: ValidEvent[], now = new Date()): Promise<IngestResult> {
  const tooDeep = events.flatMap((e, i) =>
    nestingDepth(e.event, MAX_EVENT_DEPTH) > MAX_EVENT_DEPTH
      ? [{ path: events.length === 1 ? '' : `[${i}]`, message: `nests deeper than ${MAX_EVENT_DEPTH} levels` }]
      : [],
  );
  if (tooDeep.length > 0) throw ApiError.validation(tooDeep);
  const prepared = events.map(prepare);
  const tooLarge = prepared.flatMap((p, i) =>
    Buffer.byteLength(p.payload) > MAX_EVENT_BYTES
      ? [{ path: events.length === 1 ? '' : `[${i}]`, message: `is larger than ${MAX_EVENT_BYTES / 1024} KiB` }]
      : [],
  );
  if (tooLarge.length > 0) throw ApiError.validation(tooLarge);

  // The same id twice in one request: the first occurrence counts, the rest are duplicates.
  const firstOfId = new Map<string, PreparedEvent>();
  for (const p of prepared) if (!firstOfId.has(p.eventId)) firstOfId.set(p.eventId, p);
  const inserted = await appendEvents(
    db,
    [...firstOfId.values()].map((p) => ({ ...p, tenantId, receivedAt: now })),
  );
  return { accepted: inserted.size, duplicates: prepared.length - inserted.size, ids: prepared.map((p) => p.eventId) };
}
