/**
 * Appends events to the log. A batch lands whole or not at all; an event whose id is already in the tenant's log
 * (or earlier in the same batch) is a duplicate and adds nothing, so a sender may retry freely. Concurrent requests
 * with the same new id are settled by the log's unique index: one inserts it, the other counts a duplicate.
 */
import type { ValidEvent } from '@auditdrain/schema';
import { ApiError } from '../../errors';
import { appendEvents } from '../../store/append-events';
import type { Database } from '../../store/database';
import type { PrepareOutcome, PreparedEvent } from './prepare-events';
import { prepareEvents } from './prepare-events';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** The id of each event, in request order (assigned ones included). */
  ids: string[];
}

/** The error a failed preparation answers with. */
export function preparationError(outcome: Extract<PrepareOutcome, { ok: false }>): ApiError {
  return outcome.code === 'bad_request' ? new ApiError('bad_request', outcome.message) : ApiError.validation(outcome.issues);
}

/** Appends events already prepared (by prepare-events.ts, possibly on a worker thread); also says which were new. */
export async function appendPrepared(
  db: Database,
  tenantId: string,
  prepared: PreparedEvent[],
  now = new Date(),
): Promise<{ result: IngestResult; appended: PreparedEvent[] }> {
  // The same id twice in one request: the first occurrence counts, the rest are duplicates.
  const firstOfId = new Map<string, PreparedEvent>();
  for (const p of prepared) if (!firstOfId.has(p.eventId)) firstOfId.set(p.eventId, p);
  const unique = [...firstOfId.values()];
  const inserted = await appendEvents(db, unique.map((p) => ({ ...p, tenantId, receivedAt: now })));
  return {
    result: { accepted: inserted.size, duplicates: prepared.length - inserted.size, ids: prepared.map((p) => p.eventId) },
    appended: unique.filter((p) => inserted.has(p.eventId)),
  };
}

/** Validated events to the log: prepare, then append. */
export async function ingestEvents(db: Database, tenantId: string, events: ValidEvent[], now = new Date()): Promise<IngestResult> {
  const outcome = prepareEvents(events);
  if (!outcome.ok) throw preparationError(outcome);
  return (await appendPrepared(db, tenantId, outcome.events, now)).result;
}
