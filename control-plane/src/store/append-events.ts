/**
 * Appends rows to the event log through the driver, skipping ids the tenant's log already holds, and says which
 * were new. This is the ingest hot path: Prisma compiles and plans every `createMany` afresh, which costs about
 * twenty times the insert itself for a batch of 500 (bench/RESULTS.md), so this one statement is written by hand.
 * Every other query goes through Prisma.
 */
import type { Database } from './database';

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

/** SQLite DATETIME values in the text form Prisma's adapter writes and compares, so both agree. */
function sqliteTime(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
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
  // One statement for the whole batch: each column is sent as one array parameter and unnested into rows. ON
  // CONFLICT settles races between concurrent requests carrying the same new id without an error. Times are UTC
  // text cast to `timestamp`, as Prisma stores them, whatever the session's time zone.
  const result = await driver.pool.query<{ event_id: string }>(
    `INSERT INTO "events" (${COLUMNS})
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamp[], $7::timestamp[], $8::text[])
     ON CONFLICT ("tenant_id", "event_id") DO NOTHING
     RETURNING "event_id"`,
    [
      rows.map((r) => r.tenantId),
      rows.map((r) => r.eventId),
      rows.map((r) => r.kind),
      rows.map((r) => r.action),
      rows.map((r) => r.actorId),
      rows.map((r) => r.occurredAt.toISOString()),
      rows.map((r) => r.receivedAt.toISOString()),
      rows.map((r) => r.payload),
    ],
  );
  return new Set(result.rows.map((r) => r.event_id));
}
