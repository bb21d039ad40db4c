/**
 * Reads the tenant's event log in log order, with filters, one page at a time.
 */
import type { EventKind } from '@auditdrain/schema';
import type { Tx } from '../../store/database';
import type { Page, PageRequest } from '../pagination';
import { decodeCursor, encodeCursor } from '../pagination';
import { actionPatternsOf, actionsWhere, matchesActions, needsRecheck } from './action-patterns';

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

export async function listEvents(db: Tx, tenantId: string, filter: EventFilter, page: PageRequest): Promise<Page<StoredEventOut>> {
  let after: bigint | undefined;
  if (page.cursor !== undefined) {
    after = BigInt(decodeCursor(page.cursor, (position) => /^\d{1,19}$/.test(position)));
  }
  const actions = actionPatternsOf(filter.action === undefined ? null : [filter.action]);
  const recheck = needsRecheck(actions);
  const rows: Awaited<ReturnType<typeof db.event.findMany>> = [];
  for (let from = after; ; ) {
    const batch = await db.event.findMany({
      where: {
        tenantId,
        ...(from === undefined ? {} : { sequence: { gt: from } }),
        ...actionsWhere(actions),
        ...(filter.actorId === undefined ? {} : { actorId: filter.actorId }),
        ...(filter.kind === undefined ? {} : { kind: filter.kind }),
        ...(filter.since || filter.until
          ? { occurredAt: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } }
          : {}),
      },
      orderBy: { sequence: 'asc' },
      take: page.limit + 1,
    });
    // A re-checked page may come up short; read on until it is full or the log ends.
    rows.push(...(recheck ? batch.filter((r) => matchesActions(actions, r.action)) : batch));
    if (!recheck || rows.length > page.limit || batch.length <= page.limit) break;
    from = batch[batch.length - 1]!.sequence;
  }
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
