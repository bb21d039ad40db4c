import { gunzipSync } from 'node:zlib';
import { encodeBody, extensionOf } from '../../../src/delivery/s3/encode';

// Stored payloads are delivered as they are: spacing and key order are kept, nothing is re-serialised.
const payloads = ['{"id":"evt_1","action":"grant.requested"}', '{"id": "evt_2", "b": 1, "a": "müller ✓ 🔑"}'];

test.each([
  ['jsonl', 'none', '.jsonl'],
  ['jsonl', 'gzip', '.jsonl.gz'],
  ['json', 'none', '.json'],
  ['json', 'gzip', '.json.gz'],
] as const)('extension of %s + %s is %s', async (encoding, compression, extension) => {
  expect(extensionOf(encoding, compression)).toBe(extension);
});

test('jsonl: each payload followed by a newline, the last one too', async () => {
  const encoded = await encodeBody(payloads, 'jsonl', 'none');
  expect(encoded.body.toString('utf8')).toBe(`${payloads[0]}\n${payloads[1]}\n`);
  expect(encoded.contentType).toBe('application/x-ndjson');
  expect(encoded.contentEncoding).toBeUndefined();
});

test('json: one array of the payloads', async () => {
  const encoded = await encodeBody(payloads, 'json', 'none');
  expect(encoded.body.toString('utf8')).toBe(`[${payloads[0]},${payloads[1]}]`);
  expect(JSON.parse(encoded.body.toString('utf8'))).toEqual(payloads.map((p) => JSON.parse(p)));
  expect(encoded.contentType).toBe('application/json');
});

test('gzip keeps the payload content type and says Content-Encoding: gzip', async () => {
  expect((await encodeBody(payloads, 'jsonl', 'gzip'))).toMatchObject({ contentType: 'application/x-ndjson', contentEncoding: 'gzip' });
  expect((await encodeBody(payloads, 'json', 'gzip'))).toMatchObject({ contentType: 'application/json', contentEncoding: 'gzip' });
});

test('gzip is reproducible: mtime 0 in the header, the same bytes for the same payloads', async () => {
  const first = (await encodeBody(payloads, 'jsonl', 'gzip')).body;
  expect([...first.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]);
  expect(first.readUInt32LE(4)).toBe(0);
  expect(first.equals((await encodeBody([...payloads], 'jsonl', 'gzip')).body)).toBe(true);
  expect(gunzipSync(first).equals((await encodeBody(payloads, 'jsonl', 'none')).body)).toBe(true);
});

test('bodies are UTF-8', async () => {
  const body = (await encodeBody(['"ü"'], 'jsonl', 'none')).body;
  expect([...body]).toEqual([0x22, 0xc3, 0xbc, 0x22, 0x0a]);
});
