/**
 * The provider's HTTP client for the auditdrain API: JSON in and out, the API key as a bearer token, and the API's
 * error envelope turned into diagnostics (a `validation_failed` detail points at its attribute).
 */
import type { DiagnosticMessage } from './protocol/diagnostics';
import { DiagnosticsError, errorDiagnostic } from './protocol/diagnostics';

export interface ApiClientOptions {
  endpoint: string;
  apiKey: string;
  userAgent: string;
  /** Aborted when Terraform stops the provider: in-flight requests end at once. */
  signal: AbortSignal;
}

interface ErrorEnvelope {
  error?: { code?: string; message?: string; details?: unknown; request_id?: string };
}

/** How long one request may take; creating an S3 destination includes writing its test object. */
const REQUEST_TIMEOUT_MS = 120_000;

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get<T>(path: string, action: string): Promise<T | null> {
    return this.call<T>('GET', path, undefined, action, true);
  }

  async create<T>(path: string, body: unknown, action: string): Promise<T> {
    return (await this.call<T>('POST', path, body, action, false)) as T;
  }

  update<T>(path: string, body: unknown, action: string): Promise<T | null> {
    return this.call<T>('PATCH', path, body, action, true);
  }

  /** Deletes the resource; one already gone is not an error. */
  async delete(path: string, action: string): Promise<void> {
    await this.call('DELETE', path, undefined, action, true);
  }

  /** The response body, or null for a 404 when `notFoundIsNull` (a resource deleted outside Terraform). */
  private async call<T>(method: string, path: string, body: unknown, action: string, notFoundIsNull: boolean): Promise<T | null> {
    const url = new URL(path, this.options.endpoint.endsWith('/') ? this.options.endpoint : `${this.options.endpoint}/`);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          'user-agent': this.options.userAgent,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any([this.options.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
    } catch (err) {
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw new DiagnosticsError([
        errorDiagnostic(`Could not ${action}`, `${method} ${url.href} did not get an answer: ${cause}`),
      ]);
    }
    if (response.status === 404 && notFoundIsNull) {
      await response.body?.cancel();
      return null;
    }
    const text = await response.text();
    if (response.ok) return (text === '' ? {} : JSON.parse(text)) as T;
    throw new DiagnosticsError(failureDiagnostics(action, method, url, response.status, text));
  }
}

function failureDiagnostics(action: string, method: string, url: URL, status: number, text: string): DiagnosticMessage[] {
  let envelope: ErrorEnvelope = {};
  try {
    envelope = JSON.parse(text) as ErrorEnvelope;
  } catch {
    // Not the API's envelope (a proxy's page, say): quote what came back.
  }
  const error = envelope.error;
  if (!error?.code) {
    return [errorDiagnostic(`Could not ${action}`, `${method} ${url.href} answered ${status}: ${text.slice(0, 500)}`)];
  }
  const requestId = error.request_id ? ` (request id ${error.request_id})` : '';
  if (error.code === 'validation_failed' && Array.isArray(error.details) && error.details.length > 0) {
    return (error.details as { path?: string; message?: string }[]).map((issue) =>
      errorDiagnostic(
        `Invalid ${issue.path || 'configuration'}`,
        `The auditdrain API refused to ${action}: ${issue.path ? `${issue.path} ` : ''}${issue.message ?? ''}${requestId}`,
        issue.path ?? '',
      ),
    );
  }
  const details = error.details && typeof error.details === 'object' ? `\n${JSON.stringify(error.details, null, 2)}` : '';
  return [errorDiagnostic(`Could not ${action}`, `${error.code}: ${error.message ?? ''}${requestId}${details}`)];
}
