/**
 * Appends rows to the event log through the driver, skipping ids the tenant's log already holds, and says which
 * were new. This is the ingest hot path: Prisma compiles and plans every `createMany` afresh, about 110 ms of CPU
 * for a batch of 500 against 5-14 ms for the driver (`bench/src/tools/ingest-stages.ts`; the first runs in
 * bench/RESULTS.md show the effect end to end), so this one statement is written by hand. Every other query goes
 * through Prisma.
 */
import type { Database } from './database';
import { sqliteTime } from './sqlite-time';

export interface EventRow {
  tenantId: string;
  eventId: string;
  kind: string;
  action: string;
  actorId: string;
  occurredAt: Date;
  receivedAt: Date;
  payload: string;
}

const COLUMNS = '"tenant_id", "event_id", "kind", "action", "actor_id", "occurred_at", "received_at", "payload"';

/** Inserts the rows whose (tenant, id) is new, in one transaction; returns the ids that were inserted. */
export async function appendEvents(db: Database, rows: readonly EventRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const driver = db.driver;
  if (driver.dialect === 'sqlite') {
    return driver.exclusive((connection) => {
      const insert = connection.prepare(
        `INSERT INTO "events" (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("tenant_id", "event_id") DO NOTHING`,
      );
      const inserted = new Set<string>();
      connection.transaction(() => {
        for (const r of rows) {
          const result = insert.run(r.tenantId, r.eventId, r.kind, r.action, r.actorId, sqliteTime(r.occurredAt), sqliteTime(r.receivedAt), r.payload);
          if (result.changes === 1) inserted.add(r.eventId);
        }
      })();
      return inserted;
    });
  }
  // One statement for the whole batch. The rows travel as one JSON array parameter, which PostgreSQL unpacks in C:
  // far cheaper than the driver escaping each payload into an array literal. WITH ORDINALITY keeps request order,
  // which is log order. ON CONFLICT settles races between concurrent requests carrying the same new id without an
  // error. Times are UTC text cast to `timestamp`, as Prisma stores them, whatever the session's time zone.
  const result = await driver.pool.query<{ event_id: string }>(
    `INSERT INTO "events" (${COLUMNS})
     SELECT r.tenant_id, r.event_id, r.kind, r.action, r.actor_id, r.occurred_at::timestamp, r.received_at::timestamp, r.payload
     FROM ROWS FROM (json_to_recordset($1::json) AS (tenant_id text, event_id text, kind text, action text, actor_id text,
                                                      occurred_at text, received_at text, payload text))
          WITH ORDINALITY AS r(tenant_id, event_id, kind, action, actor_id, occurred_at, received_at, payload, n)
     ORDER BY r.n
     ON CONFLICT ("tenant_id", "event_id") DO NOTHING
     RETURNING "event_id"`,
    [
      JSON.stringify(
        rows.map((r) => ({
          tenant_id: r.tenantId,
          event_id: r.eventId,
          kind: r.kind,
          action: r.action,
          actor_id: r.actorId,
          occurred_at: r.occurredAt.toISOString(),
          received_at: r.receivedAt.toISOString(),
          payload: r.payload,
        })),
      ),
    ],
  );
  return new Set(result.rows.map((r) => r.event_id));
}
