/**
 * Validation of incoming events: one event or a batch, each recognised as an audit or an authorization event.
 */
import { z } from 'zod';
import type { EventKind, EventSpec } from '../events/event';
import { auditEvent } from '../events/audit-event';
import { authorizationEvent } from '../events/authorization-event';
import type { FieldIssue } from './resolve';
import { formatPath, issuesFromZod } from './resolve';
import { fieldSchema } from './zod';

export const MAX_EVENTS_PER_REQUEST = 1000;
/** The largest single event, serialised, that the log accepts. */
export const MAX_EVENT_BYTES = 256 * 1024;

export function eventSchema(spec: EventSpec) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(spec.fields)) {
    const schema = fieldSchema(field);
    shape[name] = field.presence === 'required' ? schema : schema.nullish();
  }
  return z.strictObject(shape, { error: 'must be a JSON object' });
}

const compiled = new Map<EventKind, ReturnType<typeof eventSchema>>();
function schemaOf(spec: EventSpec) {
  let schema = compiled.get(spec.kind);
  if (!schema) compiled.set(spec.kind, (schema = eventSchema(spec)));
  return schema;
}

export interface ValidEvent {
  kind: EventKind;
  /** The event as received, minus nothing: the bytes delivered are these fields, serialised. */
  event: Record<string, unknown>;
}

/** An object carrying `decision` is an authorization event; anything else is held to the audit event shape. */
export function eventKindOf(value: unknown): EventSpec {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'decision' in value
    ? authorizationEvent
    : auditEvent;
}

export function validateEvent(value: unknown, path: readonly PropertyKey[] = []): { ok: true; value: ValidEvent } | { ok: false; issues: FieldIssue[] } {
  const spec = eventKindOf(value);
  const parsed = schemaOf(spec).safeParse(value);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error, path) };
  const event = parsed.data as Record<string, unknown>;
  const problem = spec.refine?.(event);
  if (problem) return { ok: false, issues: [{ path: formatPath([...path, problem.path]), message: problem.message }] };
  return { ok: true, value: { kind: spec.kind, event } };
}

/** Validates a request body holding one event (an object) or a batch (an array of 1 to 1000 events). */
export function validateEventBatch(body: unknown): { ok: true; value: ValidEvent[] } | { ok: false; issues: FieldIssue[] } {
  const single = !Array.isArray(body);
  const items: unknown[] = single ? [body] : (body as unknown[]);
  if (!single && items.length === 0) return { ok: false, issues: [{ path: '', message: 'must hold at least one event' }] };
  if (items.length > MAX_EVENTS_PER_REQUEST) {
    return { ok: false, issues: [{ path: '', message: `must hold at most ${MAX_EVENTS_PER_REQUEST} events` }] };
  }
  const valid: ValidEvent[] = [];
  const issues: FieldIssue[] = [];
  items.forEach((item, i) => {
    const result = validateEvent(item, single ? [] : [i]);
    if (result.ok) valid.push(result.value);
    else issues.push(...result.issues);
  });
  return issues.length > 0 ? { ok: false, issues: issues.slice(0, 100) } : { ok: true, value: valid };
}
