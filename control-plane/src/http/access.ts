/**
 * Authentication (which tenant and role an API key stands for) and authorization (whether that role may perform
 * the operation). Every authorization decision, allow or deny, is appended to the tenant's log as an
 * authorization event before the operation runs.
 */
import type { RequestHandler } from 'express';
import type { Operation } from '../domain/access/roles';
import { roleGrants } from '../domain/access/roles';
import { authenticateApiKey } from '../domain/api-keys/authenticate-api-key';
import { recordAuthorization } from '../domain/events/record-authorization';
import { ApiError } from '../errors';
import type { Database } from '../store/database';

export function authenticate(db: Database): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    res.setHeader('www-authenticate', 'Bearer');
    if (!match) throw new ApiError('unauthenticated', 'send an API key as "Authorization: Bearer adk_…"');
    const caller = await authenticateApiKey(db.client, match[1] as string);
    if (!caller) throw new ApiError('unauthenticated', 'the API key is not valid: unknown, malformed or revoked');
    res.removeHeader('www-authenticate');
    req.caller = caller;
    next();
  };
}

export type ResourceOf = (req: Parameters<RequestHandler>[0]) => { type: string; id: string };

/** The tenant itself: what collection-wide operations (list, create, ingest) apply to. */
export const theTenant: ResourceOf = (req) => ({ type: 'Auditdrain::Tenant', id: req.caller?.tenantId ?? '' });

export function authorize(db: Database, operation: Operation, resourceOf: ResourceOf = theTenant): RequestHandler {
  return async (req, _res, next) => {
    const caller = req.caller;
    if (!caller) throw new ApiError('unauthenticated', 'send an API key as "Authorization: Bearer adk_…"');
    const started = process.hrtime.bigint();
    const allowed = roleGrants(caller.role, operation.permission);
    const durationNs = Number(process.hrtime.bigint() - started);
    const reason = `role "${caller.role}" ${allowed ? 'grants' : 'does not grant'} the "${operation.permission}" permission`;
    await recordAuthorization(db, {
      caller,
      operation: operation.name,
      resource: resourceOf(req),
      allowed,
      reason,
      evaluatedAt: new Date(),
      durationNs,
      context: {
        request_id: req.requestId,
        method: req.method,
        path: req.path,
        client_addr: req.socket.remoteAddress ?? null,
        user_agent: req.get('user-agent') ?? null,
      },
    });
    if (!allowed) throw new ApiError('forbidden', `an API key with the "${caller.role}" role may not ${operation.name}`);
    next();
  };
}
