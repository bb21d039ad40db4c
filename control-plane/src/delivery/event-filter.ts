/**
 * Which events a destination receives: the kinds it sends (`send_audit_log_events`, `send_authorization_events`)
 * and `filter_for_actions` (action-patterns.ts; empty or unset = every action).
 */
import type { EventKind } from '@auditdrain/schema';
import type { ActionPatterns } from '../domain/events/action-patterns';
import { actionPatternsOf } from '../domain/events/action-patterns';

export interface EventFilter {
  kinds: EventKind[];
  actions: ActionPatterns;
}

export function eventFilterOf(config: Record<string, unknown>): EventFilter {
  const kinds: EventKind[] = [];
  if (config.send_audit_log_events !== false) kinds.push('audit');
  if (config.send_authorization_events === true) kinds.push('authorization');
  return { kinds, actions: actionPatternsOf(config.filter_for_actions as string[] | null) };
}

