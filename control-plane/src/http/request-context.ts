/**
 * Per-request bookkeeping: the request id (echoed in `x-request-id`), one access-log line and the HTTP metrics.
 * Only the method, route, status, timing and caller ids are logged: never headers, query values or bodies.
 */
import type { RequestHandler } from 'express';
import { ID_PREFIXES, newId } from '../ids';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestContext(log: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    req.requestId = given && SANE_REQUEST_ID.test(given) ? given : newId(ID_PREFIXES.request);
    res.setHeader('x-request-id', req.requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route }, seconds);
      log.info(
        {
          request_id: req.requestId,
          method: req.method,
          route,
          status: res.statusCode,
          duration_ms: Math.round(seconds * 1e6) / 1e3,
          tenant_id: req.caller?.tenantId,
          key_id: req.caller?.keyId,
        },
        'request',
      );
    });
    next();
  };
}
