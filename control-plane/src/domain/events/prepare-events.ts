/**
 * Everything ingest does before it touches the database: parse the body, validate every event, assign missing ids,
 * serialise each event as it will be delivered and extract the columns the log is queried by. Pure and
 * synchronous, so it can run on a worker thread (event-preparer.ts) while the main thread writes.
 */
import type { FieldIssue, ValidEvent } from '@auditdrain/schema';
import { MAX_EVENT_BYTES, auditEvent, authorizationEvent, validateEventBatch } from '@auditdrain/schema';
import { newId } from '../../ids';

export interface PreparedEvent {
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
  // Validated events carry their fields in schema order, `id` first; an assigned id is put first too.
  let payload: string;
  if (typeof event.id === 'string') payload = JSON.stringify(event);
  else {
    const { id: _absent, ...rest } = event;
    payload = JSON.stringify({ id: eventId, ...rest });
  }
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

/** A batch ready to append, or why it cannot be: plain data, so it crosses a worker boundary as it is. */
export type PrepareOutcome =
  | { ok: true; events: PreparedEvent[] }
  | { ok: false; code: 'bad_request' | 'validation_failed'; message: string; issues: FieldIssue[] };

const invalid = (issues: FieldIssue[]): PrepareOutcome => ({ ok: false, code: 'validation_failed', message: '', issues });

/** Checks what the schema cannot (nesting depth, serialised size) and prepares every event. */
export function prepareEvents(events: ValidEvent[]): PrepareOutcome {
  const at = (i: number) => (events.length === 1 ? '' : `[${i}]`);
  const tooDeep = events.flatMap((e, i) =>
    nestingDepth(e.event, MAX_EVENT_DEPTH) > MAX_EVENT_DEPTH ? [{ path: at(i), message: `nests deeper than ${MAX_EVENT_DEPTH} levels` }] : [],
  );
  if (tooDeep.length > 0) return invalid(tooDeep);
  const prepared = events.map(prepare);
  const tooLarge = prepared.flatMap((p, i) =>
    Buffer.byteLength(p.payload) > MAX_EVENT_BYTES ? [{ path: at(i), message: `is larger than ${MAX_EVENT_BYTES / 1024} KiB` }] : [],
  );
  return tooLarge.length > 0 ? invalid(tooLarge) : { ok: true, events: prepared };
}

/** A request body, as received, to prepared events: one event (an object) or a batch (an array). */
export function prepareEventBody(body: string): PrepareOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    return { ok: false, code: 'bad_request', message: `request body is not valid JSON: ${(err as Error).message}`, issues: [] };
  }
  const batch = validateEventBatch(parsed);
  return batch.ok ? prepareEvents(batch.value) : invalid(batch.issues);
}
