/**
 * Retention: deletes a tenant's events received before a cut-off that every one of the tenant's destinations has
 * passed (its cursor is at or beyond them; a disabled destination keeps its place, so it holds them), that no
 * pending webhook delivery still needs, and that are below the log's horizon (read-events.ts). A tenant without
 * destinations keeps its log for the retention period only. Deletes go in bounded batches, each its own statement,
 * so no long transaction holds up ingest or delivery.
 */
import type { Database } from './database';
import { logHorizon } from './read-events';
import { sqliteTime } from './sqlite-time';

/** Rows deleted per statement. */
const BATCH = 5_000;

/** Deletes what retention allows; returns how many events were deleted. */
export async function pruneEvents(db: Database, receivedBefore: Date): Promise<number> {
  const horizon = await logHorizon(db);
  const tenants = await db.client.tenant.findMany({ select: { id: true } });
  let deleted = 0;
  for (const { id: tenantId } of tenants) {
    const cursors = await db.client.deliveryState.aggregate({ where: { destination: { tenantId } }, _min: { cursor: true }, _count: true });
    let upTo = cursors._count > 0 ? cursors._min.cursor! : null;
    if (horizon !== null && (upTo === null || horizon < upTo)) upTo = horizon;
    for (;;) {
      const n = await deleteBatch(db, tenantId, upTo, receivedBefore);
      deleted += n;
      if (n < BATCH) break;
    }
  }
  return deleted;
}

/** One statement: up to BATCH of the tenant's prunable events, oldest first. */
async function deleteBatch(db: Database, tenantId: string, upTo: bigint | null, receivedBefore: Date): Promise<number> {
  const driver = db.driver;
  const pending = `SELECT w."sequence" FROM "webhook_deliveries" w JOIN "destinations" d ON d."id" = w."destination_id"
                   WHERE d."tenant_id" = e."tenant_id" AND w."sequence" = e."sequence" AND w."status" = 'pending'`;
  if (driver.dialect === 'sqlite') {
    const bound = upTo === null ? '' : 'AND e."sequence" <= ?';
    const result = await driver.exclusive((c) =>
      c
        .prepare(
          `DELETE FROM "events" WHERE "sequence" IN (
             SELECT e."sequence" FROM "events" e
             WHERE e."tenant_id" = ? AND e."received_at" < ? ${bound} AND NOT EXISTS (${pending})
             ORDER BY e."received_at" LIMIT ${BATCH})`,
        )
        .run(tenantId, sqliteTime(receivedBefore), ...(upTo === null ? [] : [upTo])),
    );
    return result.changes;
  }
  const bound = upTo === null ? '' : 'AND e."sequence" <= $3';
  const result = await driver.pool.query(
    `DELETE FROM "events" WHERE "sequence" IN (
       SELECT e."sequence" FROM "events" e
       WHERE e."tenant_id" = $1 AND e."received_at" < $2::timestamp ${bound} AND NOT EXISTS (${pending})
       ORDER BY e."received_at" LIMIT ${BATCH})`,
    [tenantId, receivedBefore.toISOString(), ...(upTo === null ? [] : [upTo.toString()])],
  );
  return result.rowCount ?? 0;
}
