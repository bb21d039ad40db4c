import type { Caller } from '../domain/api-keys/authenticate-api-key';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set for every request: the caller's `x-request-id` when sane, else a new `req_…`. */
      requestId: string;
      /** Set once the API key checks out. */
      caller?: Caller;
    }
  }
}

export {};
