/**
 * Reads the tenant's event log in log order, with filters, one page at a time.
 */
import type { EventKind } from '@auditdrain/schema';
import { ApiError } from '../../errors';
import type { Tx } from '../../store/database';
import type { Page, PageRequest } from '../pagination';
import { decodeCursor, encodeCursor } from '../pagination';

export interface EventFilter {
  /** An action, or a prefix ending in `.*`. */
  action?: string;
  actorId?: string;
  kind?: EventKind;
  /** occurred_at at or after. */
  since?: Date;
  /** occurred_at before. */
  until?: Date;
}

export interface StoredEventOut {
  id: string;
  kind: EventKind;
  sequence: string;
  received_at: string;
  event: unknown;
}

function actionWhere(action: string | undefined) {
  if (action === undefined || action === '*') return {};
  return action.endsWith('.*') ? { action: { startsWith: action.slice(0, -1) } } : { action };
}

export async function listEvents(db: Tx, tenantId: string, filter: EventFilter, page: PageRequest): Promise<Page<StoredEventOut>> {
  let after: bigint | undefined;
  if (page.cursor !== undefined) {
    const position = decodeCursor(page.cursor);
    if (!/^\d{1,19}$/.test(position)) throw ApiError.validation([{ path: 'cursor', message: 'is not a cursor this API returned' }], 'query');
    after = BigInt(position);
  }
  const rows = await db.event.findMany({
    where: {
      tenantId,
      ...(after === undefined ? {} : { sequence: { gt: after } }),
      ...actionWhere(filter.action),
      ...(filter.actorId === undefined ? {} : { actorId: filter.actorId }),
      ...(filter.kind === undefined ? {} : { kind: filter.kind }),
      ...(filter.since || filter.until
        ? { occurredAt: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } }
        : {}),
    },
    orderBy: { sequence: 'asc' },
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  return {
    data: shown.map((r) => ({
      id: r.eventId,
      kind: r.kind as EventKind,
      sequence: r.sequence.toString(),
      received_at: r.receivedAt.toISOString(),
      event: JSON.parse(r.payload) as unknown,
    })),
    next_cursor: more ? encodeCursor(shown[shown.length - 1]!.sequence.toString()) : null,
  };
}
