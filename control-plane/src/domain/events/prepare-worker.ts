/**
 * Worker-thread entry: prepares event batches sent by event-preparer.ts. Messages are `{ id, body }` (the request
 * body as received); answers are `{ id, outcome }`.
 */
import { parentPort } from 'node:worker_threads';
import { prepareEventBody } from './prepare-events';

if (!parentPort) throw new Error('prepare-worker.ts runs as a worker thread');
const port = parentPort;
port.on('message', (message: { id: number; body: Uint8Array }) => {
  const outcome = prepareEventBody(Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength).toString('utf8'));
  port.postMessage({ id: message.id, outcome });
});
