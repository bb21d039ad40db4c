/**
 * The one error type the service raises on purpose. Its code (from @auditdrain/schema's vocabulary) decides the
 * HTTP status in one place, the renderer in http/errors.ts.
 */
import type { ErrorCode, FieldIssue } from '@auditdrain/schema';

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }

  static notFound(what: string, id: string): ApiError {
    return new ApiError('not_found', `${what} ${id} does not exist`);
  }

  /** A request whose fields are wrong: one issue per field, and a message that names the first ones. */
  static validation(issues: FieldIssue[], subject = 'request body'): ApiError {
    const shown = issues.slice(0, 3).map((i) => (i.path ? `${i.path} ${i.message}` : i.message));
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
    return new ApiError('validation_failed', `invalid ${subject}: ${shown.join('; ')}${more}`, issues);
  }
}
