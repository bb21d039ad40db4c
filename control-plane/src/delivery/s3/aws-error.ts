/**
 * A failed AWS call, reduced to what a user needs to fix it: the AWS error code and message, the HTTP status, the
 * request id to quote to AWS support, and which operation failed.
 */
/** The call that failed; `Internal` is a fault of the service itself (its database, a bug). */
export type S3Operation = 'AssumeRole' | 'GetBucketLocation' | 'PutObject' | 'Internal';

export interface RemoteError {
  operation: S3Operation;
  code: string;
  message: string;
  http_status: number | null;
  request_id: string | null;
}

export function describeAwsError(err: unknown, operation: S3Operation): RemoteError {
  const e = err as {
    name?: string;
    Code?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
    $response?: { headers?: Record<string, string> };
  };
  const headers = e.$response?.headers ?? {};
  const status = e.$metadata?.httpStatusCode ?? null;
  const code = e.Code ?? (e.name && e.name !== 'Error' && e.name !== 'UnknownError' ? e.name : undefined) ?? e.code ?? (status ? `HTTP${status}` : 'NetworkError');
  return {
    operation,
    code,
    message: (e.message && e.message !== 'UnknownError' ? e.message : undefined) ?? `${operation} failed${status ? ` with HTTP ${status}` : ''}`,
    http_status: status,
    request_id: e.$metadata?.requestId ?? headers['x-amz-request-id'] ?? headers['x-amzn-requestid'] ?? null,
  };
}

/** A delivery or verification failure that carries the remote's answer. */
export class RemoteFailure extends Error {
  override name = 'RemoteFailure';

  constructor(
    readonly remote: RemoteError,
    /** The events whose delivery the failure held up (a batch's), when known; the delivery log counts them failed. */
    readonly events?: number,
  ) {
    super(`${remote.operation} failed: ${remote.code}: ${remote.message}`);
  }
}
