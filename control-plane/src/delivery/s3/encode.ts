/**
 * The request builder's encoding step: stored payloads → an object body, its content headers and key extension.
 *
 * Payloads are concatenated exactly as stored, never parsed and re-serialised: the log keeps the bytes to deliver
 * (DECISIONS.md, "Events are stored as the JSON text they are delivered as"), so the same events give the same body.
 * The body is built in memory: bounding an object's size is the batcher's job (a V8 string holds at most ~512 MiB).
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlib } from 'node:zlib';
import type { COMPRESSIONS, ENCODINGS } from '@auditdrain/schema';

export type Encoding = (typeof ENCODINGS)[number];
export type Compression = (typeof COMPRESSIONS)[number];

export interface EncodedBody {
  body: Buffer;
  /** The type of the payload; gzip does not change it, it is said by `contentEncoding`. */
  contentType: string;
  contentEncoding: 'gzip' | undefined;
}

const CONTENT_TYPE: Record<Encoding, string> = {
  jsonl: 'application/x-ndjson',
  json: 'application/json',
};

/**
 * Every option pinned, so a change of Node's defaults cannot change the bytes of a rewritten object. zlib writes
 * the gzip header with mtime 0 and no file name, so the header does not depend on when the object is built.
 * (A different zlib build may still compress differently; the key and the decompressed bytes stay the same.)
 */
const GZIP_OPTIONS = {
  level: 6,
  windowBits: 15,
  memLevel: 8,
  strategy: zlib.Z_DEFAULT_STRATEGY,
} as const;

/** `.jsonl` or `.json`, then `.gz` when compressed. */
export function extensionOf(encoding: Encoding, compression: Compression): string {
  return `.${encoding}${compression === 'gzip' ? '.gz' : ''}`;
}

/** jsonl: each payload then `\n` (the last one too). json: `[` payloads joined by `,` `]`. */
function concatenate(payloads: readonly string[], encoding: Encoding): string {
  return encoding === 'jsonl' ? payloads.map((p) => `${p}\n`).join('') : `[${payloads.join(',')}]`;
}

const gzip = promisify(gzipCallback);

/** Compression runs on libuv's thread pool, not on the event loop that also answers the API. */
export async function encodeBody(payloads: readonly string[], encoding: Encoding, compression: Compression): Promise<EncodedBody> {
  const raw = Buffer.from(concatenate(payloads, encoding), 'utf8');
  const gzipped = compression === 'gzip';
  return {
    body: gzipped ? await gzip(raw, GZIP_OPTIONS) : raw,
    contentType: CONTENT_TYPE[encoding],
    contentEncoding: gzipped ? 'gzip' : undefined,
  };
}
