/**
 * The authorization event the service appends for every API call it authorizes, allowed or denied.
 */
import { ID_PREFIXES, newId } from '../../ids';
import type { Database } from '../../store/database';
import type { Caller } from '../api-keys/authenticate-api-key';
import { ingestEvents } from './ingest-events';

export interface AuthorizationRecord {
  caller: Caller;
  operation: string;
  /** What the operation applies to: a resource, or the tenant for collection-wide operations. */
  resource: { type: string; id: string };
  allowed: boolean;
  reason: string;
  evaluatedAt: Date;
  /** Nanoseconds the decision took. */
  durationNs: number;
  context: { request_id: string; method: string; path: string; client_addr: string | null; user_agent: string | null };
}

export async function recordAuthorization(db: Database, record: AuthorizationRecord): Promise<string> {
  const id = newId(ID_PREFIXES.authorizationEvent, record.evaluatedAt.getTime());
  await ingestEvents(
    db,
    record.caller.tenantId,
    [
      {
        kind: 'authorization',
        event: {
          id,
          request: {
            principal: { type: 'Auditdrain::ApiKey', id: record.caller.keyId },
            action: { type: 'Auditdrain::Action', id: record.operation },
            resource: record.resource,
            context: { role: record.caller.role, ...record.context },
          },
          decision: record.allowed ? 'allow' : 'deny',
          allowed: record.allowed,
          diagnostics: { reason: record.reason },
          evaluated_at: record.evaluatedAt.toISOString(),
          evaluation_duration: record.durationNs,
        },
      },
    ],
    record.evaluatedAt,
  );
  return id;
}
