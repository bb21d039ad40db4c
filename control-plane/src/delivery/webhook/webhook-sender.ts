/**
 * The I/O of webhook delivery: one POST, with keep-alive connections per integration, a deadline for the whole
 * exchange, no redirects followed, and the SSRF guard (network-policy.ts) applied when the connection is made, so a
 * name that resolved to a public address when the URL was saved cannot be pointed at a private one later.
 */
import http from 'node:http';
import https from 'node:https';
import type { Resolver } from './network-policy';
import { guardedLookup, refusedLiteral, systemResolver } from './network-policy';
import type { WebhookTarget } from './integration';

/** What one attempt came to. */
export interface AttemptResult {
  /** The response status; null when there was none (network error, timeout, refused address). */
  status: number | null;
  latencyMs: number;
  /** Why there was no response, or null. */
  error: string | null;
  /** A short code for metrics and health: `http_<status>`, or the network error's code (`ETIMEDOUT`, …). */
  code: string;
  /** The `Retry-After` response header, if any. */
  retryAfter: string | undefined;
  /** Up to EXCERPT_BYTES of the response body, as text. */
  excerpt: string | null;
}

export const EXCERPT_BYTES = 1024;
/** A response body longer than this is cut off (and its connection closed): receivers answer briefly. */
const MAX_DRAIN_BYTES = 1024 * 1024;

export interface SenderOptions {
  timeoutMs: number;
  /** Plain http and private addresses allowed (tests, local demos): no guard. */
  allowPrivateNetwork: boolean;
  resolver?: Resolver;
  userAgent: string;
  /** Connections kept per integration (its concurrency limit). */
  maxSockets: number;
}

export class WebhookSender {
  readonly #options: SenderOptions;
  readonly #agents = new Map<string, http.Agent>();

  constructor(options: SenderOptions) {
    this.#options = options;
  }

  post(target: WebhookTarget, headers: Record<string, string>, body: Buffer): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const failed = (error: string, code: string): AttemptResult => ({ status: null, latencyMs: elapsed(), error, code, retryAfter: undefined, excerpt: null });
    const { url } = target;
    if (!this.#options.allowPrivateNetwork) {
      if (url.protocol !== 'https:') return Promise.resolve(failed('refusing to send over plain http', 'EPROTONOTALLOWED'));
      const literal = refusedLiteral(url);
      if (!literal.allowed) return Promise.resolve(failed(`refusing to connect to ${url.hostname}: ${literal.reason}`, 'EADDRNOTALLOWED'));
    }
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(result);
      };
      const transport = url.protocol === 'https:' ? https : http;
      const req = transport.request(url, {
        method: 'POST',
        agent: this.#agentFor(target),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(body.length),
          'user-agent': this.#options.userAgent,
        },
      });
      const deadline = setTimeout(() => {
        req.destroy();
        finish(failed(`no complete response within ${this.#options.timeoutMs / 1000} s`, 'ETIMEDOUT'));
      }, this.#options.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => finish(failed(err.message, err.code ?? 'ERROR')));
      req.on('response', (res) => {
        const kept: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) kept.push(chunk.subarray(0, EXCERPT_BYTES - size));
          size += chunk.length;
          if (size > MAX_DRAIN_BYTES) res.destroy();
        });
        const done = () => {
          const status = res.statusCode ?? 0;
          const retryAfter = res.headers['retry-after'];
          finish({
            status,
            latencyMs: elapsed(),
            error: null,
            code: `http_${status}`,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            excerpt: size > 0 ? Buffer.concat(kept).toString('utf8') : null,
          });
        };
        res.on('end', done);
        // Cut off after the status arrived: the answer still counts.
        res.on('close', done);
        res.on('error', () => undefined);
      });
      req.end(body);
    });
  }

  /** Closes every kept connection. */
  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  #agentFor(target: WebhookTarget): http.Agent {
    const key = `${target.integrationId}|${target.version}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      for (const [old, a] of this.#agents) {
        if (old.startsWith(`${target.integrationId}|`)) {
          a.destroy();
          this.#agents.delete(old);
        }
      }
      const options: https.AgentOptions = {
        keepAlive: true,
        maxSockets: this.#options.maxSockets,
        ...(this.#options.allowPrivateNetwork ? {} : { lookup: guardedLookup(this.#options.resolver ?? systemResolver) }),
      };
      agent = target.url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
      this.#agents.set(key, agent);
    }
    return agent;
  }
}
