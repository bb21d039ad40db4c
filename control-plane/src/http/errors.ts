/**
 * The one place errors become HTTP responses: `{ "error": { code, message, details, request_id } }` with the
 * status the code maps to. A database that cannot be reached is a 503 with Retry-After; anything else unexpected is
 * logged with its stack and answered as a bare 500.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorCode, ErrorEnvelope } from '@auditdrain/schema';
import { ERROR_STATUS } from '@auditdrain/schema';
import { ApiError } from '../errors';
import type { Logger } from '../log';
import { isDatabaseUnavailable } from '../store/database-unavailable';

export function sendError(res: Parameters<RequestHandler>[1], requestId: string, err: ApiError): void {
  const body: ErrorEnvelope = { error: { code: err.code, message: err.message, details: err.details, request_id: requestId } };
  res.status(ERROR_STATUS[err.code]).json(body);
}

/** Errors raised by express.json() carry a `type`; map the ones a client causes. */
function fromBodyParser(err: { type?: string; message?: string; limit?: number; status?: unknown; expose?: unknown; code?: unknown }): ApiError | undefined {
  const byType: Record<string, [ErrorCode, string]> = {
    'entity.parse.failed': ['bad_request', `request body is not valid JSON: ${err.message ?? ''}`.trim()],
    'entity.too.large': ['payload_too_large', `request body is larger than ${err.limit ?? 'the limit of'} bytes`],
    'encoding.unsupported': ['unsupported_media_type', 'unsupported content encoding'],
    'charset.unsupported': ['unsupported_media_type', 'request body must be UTF-8 JSON'],
    'request.aborted': ['bad_request', 'request body was cut short'],
    'request.size.invalid': ['bad_request', 'request body size does not match Content-Length'],
  };
  const known = err.type ? byType[err.type] : undefined;
  if (known) return new ApiError(known[0], known[1]);
  // Other client errors of the body parser (a body that does not inflate as its Content-Encoding says) carry no
  // type, only an exposable 4xx status.
  if (err.expose === true && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    const code: ErrorCode = err.status === 413 ? 'payload_too_large' : err.status === 415 ? 'unsupported_media_type' : 'bad_request';
    const cause = typeof err.code === 'string' ? ` (${err.code})` : '';
    return new ApiError(code, `request body could not be read${cause}: check that it is encoded as its Content-Encoding says`);
  }
  return undefined;
}

/**
 * The router's error for a path parameter that does not percent-decode (`%zz`, `%E2%82`, `%uD800`): a URIError it
 * marks with status 400, and no `expose`.
 */
function fromRouter(err: unknown): ApiError | undefined {
  if (err instanceof URIError && (err as URIError & { status?: unknown }).status === 400) {
    return new ApiError('bad_request', 'the request path is not valid percent-encoded UTF-8');
  }
  return undefined;
}

export function errorRenderer(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = err instanceof ApiError ? err : (fromRouter(err) ?? fromBodyParser(err as Parameters<typeof fromBodyParser>[0]));
    if (known) return sendError(res, req.requestId, known);
    if (isDatabaseUnavailable(err)) {
      log.warn({ err, request_id: req.requestId, method: req.method, route: req.route?.path }, 'database unavailable');
      res.setHeader('retry-after', '1');
      return sendError(res, req.requestId, new ApiError('unavailable', 'the database cannot be reached at the moment; retry shortly'));
    }
    log.error({ err, request_id: req.requestId, method: req.method, route: req.route?.path }, 'unhandled error');
    sendError(res, req.requestId, new ApiError('internal', 'internal error; the request id identifies it in the logs'));
  };
}

export const notFound: RequestHandler = (req) => {
  throw new ApiError('not_found', `no route for ${req.method} ${req.path}`);
};
