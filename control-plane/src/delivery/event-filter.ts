/**
 * Which events a destination receives: the kinds it sends (`send_audit_log_events`, `send_authorization_events`)
 * and `filter_for_actions` (exact actions, or prefixes ending in `.*`; empty or unset = every action).
 */
import type { EventKind } from '@auditdrain/schema';

export interface EventFilter {
  kinds: EventKind[];
  /** null: every action. */
  actions: string[] | null;
}

export function eventFilterOf(config: Record<string, unknown>): EventFilter {
  const kinds: EventKind[] = [];
  if (config.send_audit_log_events !== false) kinds.push('audit');
  if (config.send_authorization_events === true) kinds.push('authorization');
  const actions = Array.isArray(config.filter_for_actions) && config.filter_for_actions.length > 0 ? (config.filter_for_actions as string[]) : null;
  return { kinds, actions: actions?.includes('*') ? null : actions };
}

export function matchesAction(filter: EventFilter, action: string): boolean {
  if (filter.actions === null) return true;
  return filter.actions.some((a) => (a.endsWith('.*') ? action.startsWith(a.slice(0, -1)) : action === a));
}

/**
 * The filter as a query condition. Prefixes become `startsWith` (SQL LIKE, where `_` matches any character), so
 * rows are re-checked with matchesAction after the query.
 */
export function eventWhere(filter: EventFilter) {
  const actions =
    filter.actions === null
      ? {}
      : { OR: filter.actions.map((a) => (a.endsWith('.*') ? { action: { startsWith: a.slice(0, -1) } } : { action: a })) };
  return { kind: { in: filter.kinds }, ...actions };
}
