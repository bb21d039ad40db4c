/**
 * The limit for S3 delivery: the same events, as gzip JSON Lines objects of the same size, written by a bare loop
 * (build the body, gzip it, PutObject with the role's credentials and the same headers, wait, repeat), one object
 * at a time as the service writes one destination's batches. No database, no API, no cursor.
 */
import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { EventFactory } from '../ingest/events';
import type { BenchOptions } from '../lib/options';
import { now } from '../lib/stats';

export interface BareLoopResult {
  /** Events in the objects written inside the measured window. */
  events: number;
  objects: number;
  seconds: number;
  /** Per-object time (ms): body, gzip and PutObject. */
  latenciesMs: number[];
  /** Compressed size of one object. */
  objectBytes: number;
}

export async function runBareLoop(
  s3: S3Client,
  bucket: string,
  prefix: string,
  objectEvents: number,
  options: BenchOptions & { runId: string },
): Promise<BareLoopResult> {
  const factory = new EventFactory(`bare-${options.runId}`, options.eventBytes, 'text');
  const start = now();
  const windowStart = start + options.warmupSeconds;
  const windowEnd = windowStart + options.seconds;
  const result: BareLoopResult = { events: 0, objects: 0, seconds: options.seconds, latenciesMs: [], objectBytes: 0 };
  for (let n = 0; now() < windowEnd; n++) {
    const began = now();
    const occurredAt = new Date().toISOString();
    const lines: string[] = [];
    for (let i = 0; i < objectEvents; i++) lines.push(factory.event(n * objectEvents + i, occurredAt).json);
    // zlib's defaults (level 6), the options encode.ts pins for the service.
    const body = gzipSync(lines.join('\n') + '\n');
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${prefix}${String(n).padStart(8, '0')}.jsonl.gz`,
        Body: body,
        ContentLength: body.length,
        ContentType: 'application/x-ndjson',
        ContentEncoding: 'gzip',
        ACL: 'bucket-owner-full-control',
      }),
    );
    const done = now();
    result.objectBytes = body.length;
    if (done >= windowStart && done <= windowEnd) {
      result.events += objectEvents;
      result.objects += 1;
      result.latenciesMs.push((done - began) * 1000);
    }
  }
  return result;
}
