/**
 * `/v1/events`: append to the event log (one event or a batch) and read it back with filters.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { isRfc3339 } from '@auditdrain/schema';
import type { EventPreparer } from '../../domain/events/event-preparer';
import { appendPrepared, preparationError } from '../../domain/events/ingest-events';
import { listEvents } from '../../domain/events/list-events';
import { ApiError } from '../../errors';
import type { Metrics } from '../../metrics';
import { authorize } from '../access';
import { rawJsonBody } from '../json-body';
import { pageQuery, parseQuery } from '../query';
import type { RouteDeps } from './resource-routes';
import { ACTION_PATTERN } from '@auditdrain/schema';

const once = { error: 'must be given once' };
const timestamp = z
  .string(once)
  .refine(isRfc3339, { error: 'must be an RFC 3339 timestamp such as "2026-01-31T12:00:00Z"' })
  .transform((v) => new Date(v));

export const eventListQuery = {
  ...pageQuery,
  action: z.string(once).regex(ACTION_PATTERN, { error: 'must be an action or a prefix such as "grant.*"' }).optional(),
  actor_id: z
    .string(once)
    .min(1)
    .max(512)
    .refine((v) => !v.includes('\u0000'), { error: 'must not contain the NUL character' })
    .optional(),
  kind: z.enum(['audit', 'authorization'], { error: 'must be "audit" or "authorization"' }).optional(),
  since: timestamp.optional(),
  until: timestamp.optional(),
};

export function registerEventRoutes(
  router: Router,
  deps: RouteDeps & { metrics: Metrics; preparer: EventPreparer; onIngest: () => void },
): void {
  const db = deps.ctx.db;

  router.post('/v1/events', authorize(db, { name: 'event.ingest', permission: 'ingest' }), ...rawJsonBody(deps.maxBodyBytes), async (req, res) => {
    parseQuery({}, req);
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new ApiError('bad_request', 'a JSON request body is required');
    const outcome = await deps.preparer.prepare(req.body);
    if (!outcome.ok) throw preparationError(outcome);
    const { result, appended } = await appendPrepared(db, req.caller!.tenantId, outcome.events);
    deps.metrics.eventsDuplicate.inc(result.duplicates);
    for (const e of appended) deps.metrics.eventsIngested.inc({ kind: e.kind });
    if (appended.length > 0) deps.onIngest();
    res.status(202).json(result);
  });

  router.get('/v1/events', authorize(db, { name: 'event.list', permission: 'read' }), async (req, res) => {
    const q = parseQuery(eventListQuery, req);
    const filter = {
      ...(q.action !== undefined && { action: q.action }),
      ...(q.actor_id !== undefined && { actorId: q.actor_id }),
      ...(q.kind !== undefined && { kind: q.kind }),
      ...(q.since !== undefined && { since: q.since }),
      ...(q.until !== undefined && { until: q.until }),
    };
    res.json(await listEvents(db.client, req.caller!.tenantId, filter, { limit: q.limit, ...(q.cursor !== undefined && { cursor: q.cursor }) }));
  });
}
