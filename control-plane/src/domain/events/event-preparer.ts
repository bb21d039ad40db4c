/**
 * Where ingest's CPU work (JSON parsing, validation, serialisation: prepare-events.ts) runs. Inline, it shares the
 * main thread with HTTP and the database writes; on worker threads, a large batch is prepared on another core
 * while the main thread appends the previous one, which roughly doubles ingest throughput (bench/RESULTS.md).
 * Small bodies are always prepared inline: a round trip to a worker would cost more than the work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PrepareOutcome } from './prepare-events';
import { prepareEventBody } from './prepare-events';

export interface EventPreparer {
  prepare(body: Buffer): Promise<PrepareOutcome>;
  close(): Promise<void>;
}

/** Bodies below this size are prepared inline even when workers exist. */
export const INLINE_BODY_BYTES = 32 * 1024;

export const inlinePreparer: EventPreparer = {
  prepare: async (body) => prepareEventBody(body.toString('utf8')),
  close: async () => undefined,
};

/** The compiled worker script; under the test runner (TypeScript sources) that is the build's copy. */
export function workerScript(): string {
  const beside = path.join(__dirname, 'prepare-worker.js');
  if (fs.existsSync(beside)) return beside;
  const built = beside.replace(`${path.sep}src${path.sep}`, `${path.sep}dist${path.sep}`);
  if (fs.existsSync(built)) return built;
  throw new Error(`the ingest worker script is missing (${beside}); run "npm run build"`);
}

interface Pending {
  resolve(outcome: PrepareOutcome): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** `count` worker threads; each batch goes to the one with the fewest batches in hand. */
export function workerPreparer(count: number): EventPreparer {
  if (count < 1) return inlinePreparer;
  const script = workerScript();
  let nextId = 0;
  let closing = false;

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(script), pending: new Map() };
    slot.worker.on('message', (m: { id: number; outcome: PrepareOutcome }) => {
      slot.pending.get(m.id)?.resolve(m.outcome);
      slot.pending.delete(m.id);
    });
    // A worker that dies fails its batches (their requests answer 500 and the sender retries) and is replaced.
    slot.worker.on('exit', () => {
      const failed = [...slot.pending.values()];
      slot.pending.clear();
      for (const p of failed) p.reject(new Error('the ingest worker thread exited'));
      if (!closing) slots[slots.indexOf(slot)] = spawn();
    });
    slot.worker.unref();
    return slot;
  };
  const slots: Slot[] = Array.from({ length: count }, spawn);

  return {
    prepare(body) {
      if (body.length < INLINE_BODY_BYTES) return inlinePreparer.prepare(body);
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<PrepareOutcome>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, body });
      });
    },
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
