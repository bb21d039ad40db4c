/**
 * Request bodies are JSON objects or arrays, UTF-8, up to the configured size. A body of another media type is
 * refused rather than ignored.
 */
import express from 'express';
import type { RequestHandler } from 'express';
import { ApiError } from '../errors';

/** A request that carries a body must say it is JSON. */
const requireJsonType: RequestHandler = (req, _res, next) => {
  const hasBody = req.get('content-length') !== undefined && req.get('content-length') !== '0';
  const chunked = req.get('transfer-encoding') !== undefined;
  if ((hasBody || chunked) && !req.is('application/json')) {
    throw new ApiError('unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
  }
  next();
};

export function jsonBody(limitBytes: number): RequestHandler[] {
  return [requireJsonType, express.json({ limit: limitBytes, strict: true, type: () => true })];
}

/**
 * The body as bytes, for handlers that parse it themselves (off the main thread: see event-preparer.ts). The same
 * media-type, charset, size and Content-Encoding rules as jsonBody apply.
 */
export function rawJsonBody(limitBytes: number): RequestHandler[] {
  const read = express.raw({ limit: limitBytes, type: () => true });
  const requireUtf8: RequestHandler = (req, _res, next) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) {
      throw new ApiError('unsupported_media_type', 'request body must be UTF-8 JSON');
    }
    next();
  };
  return [requireJsonType, requireUtf8, read];
}

/** The parsed body, or a 400 when the request had none. */
export function bodyOf(req: Parameters<RequestHandler>[0]): unknown {
  if (req.body === undefined) throw new ApiError('bad_request', 'a JSON request body is required');
  return req.body as unknown;
}
