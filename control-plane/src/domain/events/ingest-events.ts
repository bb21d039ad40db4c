/**
 * Appends events to the log. A batch lands whole or not at all; an event whose id is already in the tenant's log
 * (or earlier in the same batch) is a duplicate and adds nothing, so a sender may retry freely.
 */
import type { ValidEvent } from '@auditdrain/schema';
import { MAX_EVENT_BYTES, auditEvent, authorizationEvent } from '@auditdrain/schema';
import { ApiError } from '../../errors';
import { newId } from '../../ids';
import type { Database } from '../../store/database';
import { Prisma } from '../../store/database';

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

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}

export async function ingestEvents(db: Database, tenantId: string, events: ValidEvent[], now = new Date()): Promise<IngestResult> {
  const prepared = events.map(prepare);
  const tooLarge = prepared.flatMap((p, i) =>
    Buffer.byteLength(p.payload) > MAX_EVENT_BYTES
      ? [{ path: events.length === 1 ? '' : `[${i}]`, message: `is larger than ${MAX_EVENT_BYTES / 1024} KiB` }]
      : [],
  );
  if (tooLarge.length > 0) throw ApiError.validation(tooLarge);

  const firstOfId = new Map<string, PreparedEvent>();
  for (const p of prepared) if (!firstOfId.has(p.eventId)) firstOfId.set(p.eventId, p);
  const unique = [...firstOfId.values()];

  // Two concurrent requests carrying the same new id can both find it absent; the unique index stops the second,
  // whose retry then sees the id as a duplicate.
  for (let attempt = 1; ; attempt++) {
    try {
      const accepted = await db.transaction(async (tx) => {
        const existing = await tx.event.findMany({
          where: { tenantId, eventId: { in: unique.map((p) => p.eventId) } },
          select: { eventId: true },
        });
        const known = new Set(existing.map((e) => e.eventId));
        const fresh = unique.filter((p) => !known.has(p.eventId));
        if (fresh.length > 0) {
          await tx.event.createMany({ data: fresh.map((p) => ({ ...p, tenantId, receivedAt: now })) });
        }
        return fresh.length;
      });
      return { accepted, duplicates: prepared.length - accepted, ids: prepared.map((p) => p.eventId) };
    } catch (err) {
      if (attempt < 5 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}
