/**
 * An S3 log destination's delivery log: every object it wrote, newest first, with its key, size and event count.
 */
import type { Database } from '../../store/database';
import type { Page, PageRequest } from '../pagination';
import { decodeCursor, encodeCursor } from '../pagination';
import { findResource } from '../resources/find-resource';
import { s3LogDestinationKind } from '../resources/resource-kind';

interface ObjectRow {
  key: string;
  batchId: string;
  firstSequence: bigint;
  lastSequence: bigint;
  eventCount: number;
  byteSize: number;
  deliveredAt: Date;
}

function objectOutput(o: ObjectRow): Record<string, unknown> {
  return {
    key: o.key,
    batch_id: o.batchId,
    event_count: o.eventCount,
    byte_size: o.byteSize,
    first_sequence: o.firstSequence.toString(),
    last_sequence: o.lastSequence.toString(),
    delivered_at: o.deliveredAt.toISOString(),
  };
}

/** A page position: the last object's time (epoch ms) and key. Stored keys never hold NUL (PostgreSQL text cannot). */
const POSITION = /^(\d{1,15}):([^\u0000]{1,1024})$/su;

export async function listS3Objects(db: Database, tenantId: string, destinationId: string, query: PageRequest): Promise<Page<Record<string, unknown>>> {
  await findResource(db.client, s3LogDestinationKind, tenantId, destinationId);
  const after = query.cursor !== undefined ? POSITION.exec(decodeCursor(query.cursor, (p) => POSITION.test(p))) : null;
  const rows = await db.client.s3Delivery.findMany({
    where: {
      destinationId,
      ...(after
        ? {
            OR: [
              { deliveredAt: { lt: new Date(Number(after[1])) } },
              { deliveredAt: new Date(Number(after[1])), key: { lt: after[2]! } },
            ],
          }
        : {}),
    },
    orderBy: [{ deliveredAt: 'desc' }, { key: 'desc' }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    data: page.map(objectOutput),
    next_cursor: rows.length > query.limit && last ? encodeCursor(`${last.deliveredAt.getTime()}:${last.key}`) : null,
  };
}
