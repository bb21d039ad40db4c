/**
 * A real HTTP server on loopback standing in for a customer's webhook endpoint. It records every request and
 * answers as the test says, which it may change mid-run; `hang` holds the request open without an answer, and a
 * promise answers once it settles.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Date.now() when the body had arrived. */
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type Responder = (request: Received, index: number) => Answer | 'hang' | Promise<Answer>;

export interface Receiver {
  url: string;
  received: Received[];
  /** Sets how the following requests are answered (default: 200 with an empty body). */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let responder: Responder = () => ({ status: 200 });
  const open = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(request);
      const answer = responder(request, received.length - 1);
      if (answer === 'hang') return;
      void Promise.resolve(answer).then((a) => {
        res.writeHead(a.status, a.headers ?? {});
        res.end(a.body ?? '');
      });
    });
  });
  server.on('connection', (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/auditdrain`,
    received,
    respond: (r) => {
      responder = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
