/**
 * The console's only way to the service: the same REST API as every other client, with the API key the user signed
 * in with, kept in this browser tab's session storage (gone when the tab closes) and sent as a bearer token.
 */
const KEY = 'auditdrain.apiKey';

export interface ApiErrorBody {
  code: string;
  message: string;
  /** The invalid fields (`validation_failed`), or what a remote answered (`verification_failed`: code, request id…). */
  details?: { path: string; message: string }[] | Record<string, unknown>;
  request_id?: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

/** What went wrong, in words: the API's message and the fields it names, or the error's own message. */
export function failureText(err: unknown): string {
  if (!(err instanceof ApiFailure)) return (err as Error).message;
  const { message, details } = err.body;
  if (Array.isArray(details)) return details.length > 0 ? `${message}: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}` : message;
  return details ? `${message} (${JSON.stringify(details)})` : message;
}

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  signIn: (key: string) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

/** Called when the service says the key is no longer good (401): the console signs out. */
let onUnauthenticated: () => void = () => undefined;
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

export async function api<T>(method: string, path: string, body?: unknown, key = session.key()): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${key ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const error = (parsed as { error?: ApiErrorBody } | null)?.error ?? { code: 'unknown', message: `HTTP ${res.status}` };
    if (res.status === 401 && key === session.key()) onUnauthenticated();
    throw new ApiFailure(res.status, error);
  }
  return parsed as T;
}

/** Every item of a list endpoint, following its cursors. */
export async function listAll<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: T[]; next_cursor: string | null } = await api('GET', `${path}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}
