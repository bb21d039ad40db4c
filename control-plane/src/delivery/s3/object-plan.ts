/**
 * The pure core of the S3 sink: an ordered run of events that passed a destination's filters → the objects to
 * write (key, body, headers). No I/O: the batcher decides which events, the service does the PutObject.
 *
 * The run is split into maximal consecutive groups of events whose key directory is the same (partition.ts), and
 * a group longer than `maxObjectEvents` into consecutive chunks of that many (the last may be shorter); each is one
 * object, its events in log order. Gathering non-consecutive events of one directory into one object
 * would also be valid and could give fewer objects when occurred_at goes back and forth across a boundary, but
 * consecutive groups keep every object a contiguous slice of the run, and they bound what a retry with more events
 * can change: appending events to a run leaves every object but the last unchanged (same range, id, key and bytes).
 */
import type { ParsedKeyTemplate } from '@auditdrain/schema';
import { parseKeyTemplate, renderKeyTemplate } from '@auditdrain/schema';
import { batchIdOf } from './batch-id';
import type { Compression, Encoding } from './encode';
import { encodeBody, extensionOf } from './encode';
import { keyDirectoryOf, keyTemplateValues } from './partition';

/** The settings of an S3 log destination that decide what its objects are. */
export interface S3ObjectLayout {
  id: string;
  tenantId: string;
  keyPrefix: string | null;
  keyTemplate: string;
  encoding: Encoding;
  compression: Compression;
  /**
   * The most events one object holds (`maximum_batch_size`). Absent in batches saved before it existed, which
   * were never longer: no splitting, so they replay exactly as first planned.
   */
  maxObjectEvents?: number;
}

/** An event as the log holds it: `payload` is the exact JSON text to deliver. */
export interface LoggedEvent {
  sequence: bigint;
  occurredAt: Date;
  payload: string;
}

export interface PlannedObject {
  key: string;
  body: Buffer;
  contentType: string;
  contentEncoding: 'gzip' | undefined;
  batchId: string;
  eventCount: number;
  firstSequence: bigint;
  lastSequence: bigint;
  /** Bytes written: the body's length, after compression. */
  byteSize: number;
}

/** `logs`, `logs/`, `logs//` → `logs/`; no prefix → '' (keys never start with `/`). */
function prefixPath(keyPrefix: string | null): string {
  const trimmed = (keyPrefix ?? '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** Splits a run into maximal consecutive groups with the same key directory, in log order. */
function groupByDirectory(
  template: ParsedKeyTemplate,
  layout: S3ObjectLayout,
  events: readonly LoggedEvent[],
): LoggedEvent[][] {
  const identity = { destinationId: layout.id, tenantId: layout.tenantId };
  const groups: LoggedEvent[][] = [];
  let current: LoggedEvent[] = [];
  let directory: string | undefined;
  for (const event of events) {
    const eventDirectory = keyDirectoryOf(template, event.occurredAt, identity);
    if (eventDirectory !== directory && current.length > 0) {
      groups.push(current);
      current = [];
    }
    directory = eventDirectory;
    current.push(event);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Consecutive chunks of at most `size` events. */
function chunked(group: LoggedEvent[], size: number | undefined): LoggedEvent[][] {
  if (size === undefined || group.length <= size) return [group];
  const chunks: LoggedEvent[][] = [];
  for (let i = 0; i < group.length; i += size) chunks.push(group.slice(i, i + size));
  return chunks;
}

function checkLogOrder(events: readonly LoggedEvent[]): void {
  // The batch id is derived from the first and last sequence; out-of-order input would name the wrong range.
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.sequence <= events[i - 1]!.sequence) {
      throw new RangeError(`events must be in log order: sequence ${events[i]!.sequence} follows ${events[i - 1]!.sequence}`);
    }
  }
}

/**
 * The objects to write for `events` (log order, already filtered), one per consecutive same-directory chunk.
 * Deterministic: the same layout and events give the same keys and the same bytes, so a retried batch overwrites
 * its own objects. An object's key is `<key_prefix>/` + the template rendered with its FIRST event's time values
 * and its batch id (`_<id>` appended when the template has no `.ID`) + the extension.
 */
export async function planObjects(layout: S3ObjectLayout, events: readonly LoggedEvent[]): Promise<PlannedObject[]> {
  checkLogOrder(events);
  const template = parseKeyTemplate(layout.keyTemplate);
  const prefix = prefixPath(layout.keyPrefix);
  const extension = extensionOf(layout.encoding, layout.compression);
  const groups = groupByDirectory(template, layout, events).flatMap((g) => chunked(g, layout.maxObjectEvents));
  return Promise.all(groups.map(async (group) => {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const batchId = batchIdOf(layout.id, first.sequence, last.sequence);
    const values = keyTemplateValues(first.occurredAt, { destinationId: layout.id, tenantId: layout.tenantId, batchId });
    const encoded = await encodeBody(group.map((e) => e.payload), layout.encoding, layout.compression);
    return {
      key: prefix + renderKeyTemplate(template, values) + extension,
      ...encoded,
      batchId,
      eventCount: group.length,
      firstSequence: first.sequence,
      lastSequence: last.sequence,
      byteSize: encoded.body.length,
    };
  }));
}

const NONCE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The key of the object written to verify access (on create, update and `POST …/{id}/test`):
 * `<key_prefix>/test/auditdrain-test-<UTC time as YYYYMMDDTHHMMSSZ>-<nonce>.json`. Under `test/`, so a bucket
 * lifecycle rule can expire these and readers of the audit objects can skip them; the nonce (letters, digits, `_`,
 * `-`) keeps two tests in the same second apart.
 */
export function testObjectKey(keyPrefix: string | null, now: Date, nonce: string): string {
  if (!NONCE.test(nonce)) throw new RangeError('nonce must be 1-64 letters, digits, "_" or "-"');
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  return `${prefixPath(keyPrefix)}test/auditdrain-test-${time}-${nonce}.json`;
}
