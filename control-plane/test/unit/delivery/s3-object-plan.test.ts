import { gunzipSync } from 'node:zlib';
import { DEFAULT_KEY_TEMPLATE, HIVE_KEY_TEMPLATE } from '@auditdrain/schema';
import { batchIdOf } from '../../../src/delivery/s3/batch-id';
import type { LoggedEvent, PlannedObject, S3ObjectLayout } from '../../../src/delivery/s3/object-plan';
import { planObjects, testObjectKey } from '../../../src/delivery/s3/object-plan';

const DESTINATION = 's3d_01JDQ7Z8M5X9K2P4R6T8V0W2Y4';
const TENANT = 'tnt_01JDQ7Z8M5X9K2P4R6T8V0W3A0';
const HOURLY = '{{ .Year }}/{{ .Month }}/{{ .Day }}/{{ .Hour }}/{{ .ID }}';

function layout(overrides: Partial<S3ObjectLayout> = {}): S3ObjectLayout {
  return {
    id: DESTINATION,
    tenantId: TENANT,
    keyPrefix: null,
    keyTemplate: DEFAULT_KEY_TEMPLATE,
    encoding: 'jsonl',
    compression: 'none',
    ...overrides,
  };
}

function event(sequence: bigint, occurredAt: string): LoggedEvent {
  // A space and a non-ASCII character: proof that payloads are copied, not re-serialised.
  return { sequence, occurredAt: new Date(occurredAt), payload: `{"id":"evt_${sequence}", "occurred_at":"${occurredAt}","m":"é"}` };
}

/** Three events of one morning (seq 101–103), the first at 09:05:07.123. */
const morning = [event(101n, '2026-11-21T09:05:07.123Z'), event(102n, '2026-11-21T09:40:00.000Z'), event(103n, '2026-11-21T09:59:59.999Z')];

/** Four events across 10:00 (seq 1, 2, 5, 9: the filters left gaps). */
const acrossTen = [
  event(1n, '2026-11-21T09:58:30.000Z'),
  event(2n, '2026-11-21T09:59:59.999Z'),
  event(5n, '2026-11-21T10:00:00.000Z'),
  event(9n, '2026-11-21T10:01:02.000Z'),
];

function bodyLines(object: PlannedObject): string[] {
  const raw = object.contentEncoding === 'gzip' ? gunzipSync(object.body) : object.body;
  const lines = raw.toString('utf8').split('\n');
  expect(lines.pop()).toBe('');
  return lines;
}

describe('keys', () => {
  test('the default template: the day as directory, the first event’s time and the batch id as name', async () => {
    const [object, ...rest] = await planObjects(layout(), morning);
    expect(rest).toEqual([]);
    expect(batchIdOf(DESTINATION, 101n, 103n)).toBe('8rpwkk1k57pbmyp1azdgmwh25r');
    expect(object!.key).toBe('2026/11/21/09_05_07_8rpwkk1k57pbmyp1azdgmwh25r.jsonl');
  });

  test('the Hive template', async () => {
    const [object] = await planObjects(layout({ keyTemplate: HIVE_KEY_TEMPLATE }), morning);
    expect(object!.key).toBe('schema=audit_log/version=v1/year=2026/month=11/day=21/1795251907123_8rpwkk1k57pbmyp1azdgmwh25r.jsonl');
  });

  test('a template without .ID gets _<id> appended', async () => {
    const [object] = await planObjects(layout({ keyTemplate: 'audit/{{ .Year }}-{{ .Month }}-{{ .Day }}' }), morning);
    expect(object!.key).toBe('audit/2026-11-21_8rpwkk1k57pbmyp1azdgmwh25r.jsonl');
  });

  test('.TenantID and .DestinationID', async () => {
    const [object] = await planObjects(layout({ keyTemplate: 'tenant={{ .TenantID }}/{{ .DestinationID }}/{{ .ID }}' }), morning);
    expect(object!.key).toBe(`tenant=${TENANT}/${DESTINATION}/8rpwkk1k57pbmyp1azdgmwh25r.jsonl`);
  });

  test.each([
    ['logs', 'logs/2026/11/21/09_05_07_8rpwkk1k57pbmyp1azdgmwh25r.jsonl'],
    ['logs/', 'logs/2026/11/21/09_05_07_8rpwkk1k57pbmyp1azdgmwh25r.jsonl'],
    ['logs//', 'logs/2026/11/21/09_05_07_8rpwkk1k57pbmyp1azdgmwh25r.jsonl'],
    ['a/b', 'a/b/2026/11/21/09_05_07_8rpwkk1k57pbmyp1azdgmwh25r.jsonl'],
    [null, '2026/11/21/09_05_07_8rpwkk1k57pbmyp1azdgmwh25r.jsonl'],
  ])('key_prefix %p', async (keyPrefix, key) => {
    expect((await planObjects(layout({ keyPrefix }), morning))[0]!.key).toBe(key);
  });

  test.each([
    ['jsonl', 'none', '.jsonl', 'application/x-ndjson', undefined],
    ['jsonl', 'gzip', '.jsonl.gz', 'application/x-ndjson', 'gzip'],
    ['json', 'none', '.json', 'application/json', undefined],
    ['json', 'gzip', '.json.gz', 'application/json', 'gzip'],
  ] as const)('%s + %s: extension %s, %s, encoding %s', async (encoding, compression, extension, contentType, contentEncoding) => {
    const [object] = await planObjects(layout({ encoding, compression }), morning);
    expect(object!.key).toBe(`2026/11/21/09_05_07_8rpwkk1k57pbmyp1azdgmwh25r${extension}`);
    expect(object!.contentType).toBe(contentType);
    expect(object!.contentEncoding).toBe(contentEncoding);
  });
});

describe('partitions', () => {
  test('an hourly layout splits a run at the hour; each object holds only its hour, in log order', async () => {
    const objects = await planObjects(layout({ keyTemplate: HOURLY }), acrossTen);
    expect(objects.map((o) => o.key)).toEqual([
      `2026/11/21/09/${batchIdOf(DESTINATION, 1n, 2n)}.jsonl`,
      `2026/11/21/10/${batchIdOf(DESTINATION, 5n, 9n)}.jsonl`,
    ]);
    expect(objects.map((o) => [o.firstSequence, o.lastSequence, o.eventCount])).toEqual([
      [1n, 2n, 2],
      [5n, 9n, 2],
    ]);
    expect(objects.map(bodyLines)).toEqual([
      [acrossTen[0]!.payload, acrossTen[1]!.payload],
      [acrossTen[2]!.payload, acrossTen[3]!.payload],
    ]);
  });

  test('with the default template the directory is the day, so the same run is one object named after its first event', async () => {
    const objects = await planObjects(layout(), acrossTen);
    expect(objects.map((o) => o.key)).toEqual([`2026/11/21/09_58_30_${batchIdOf(DESTINATION, 1n, 9n)}.jsonl`]);
    expect(bodyLines(objects[0]!)).toEqual(acrossTen.map((e) => e.payload));
  });

  test('the Hive template splits at midnight', async () => {
    const run = [event(1n, '2026-11-21T23:59:59.999Z'), event(2n, '2026-11-22T00:00:00.000Z')];
    expect((await planObjects(layout({ keyTemplate: HIVE_KEY_TEMPLATE }), run)).map((o) => o.key)).toEqual([
      `schema=audit_log/version=v1/year=2026/month=11/day=21/1795305599999_${batchIdOf(DESTINATION, 1n, 1n)}.jsonl`,
      `schema=audit_log/version=v1/year=2026/month=11/day=22/1795305600000_${batchIdOf(DESTINATION, 2n, 2n)}.jsonl`,
    ]);
  });

  test('groups are consecutive: a run that goes back to an hour starts a new object for it', async () => {
    const run = [event(1n, '2026-11-21T09:59:00Z'), event(2n, '2026-11-21T10:00:00Z'), event(3n, '2026-11-21T09:59:30Z')];
    const objects = await planObjects(layout({ keyTemplate: HOURLY }), run);
    expect(objects.map((o) => [o.key.slice(0, 14), o.firstSequence])).toEqual([
      ['2026/11/21/09/', 1n],
      ['2026/11/21/10/', 2n],
      ['2026/11/21/09/', 3n],
    ]);
    expect(new Set(objects.map((o) => o.key)).size).toBe(3);
  });

  test('.ID in the directory does not split a run', async () => {
    const objects = await planObjects(layout({ keyTemplate: 'batch={{ .ID }}/{{ .Hour }}' }), acrossTen);
    expect(objects.map((o) => o.key)).toEqual([`batch=${batchIdOf(DESTINATION, 1n, 9n)}/09.jsonl`]);
  });

  test('appending events to a run leaves every object but the last unchanged', async () => {
    const before = await planObjects(layout({ keyTemplate: HOURLY }), acrossTen.slice(0, 3));
    const after = await planObjects(layout({ keyTemplate: HOURLY }), acrossTen);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]!.key).not.toBe(before[1]!.key);
  });
});

describe('bodies', () => {
  test.each([
    ['jsonl', 'none'],
    ['jsonl', 'gzip'],
    ['json', 'none'],
    ['json', 'gzip'],
  ] as const)('%s + %s: the same events give identical keys and bytes on a second call', async (encoding, compression) => {
    const first = await planObjects(layout({ encoding, compression, keyTemplate: HOURLY }), acrossTen);
    const second = await planObjects(layout({ encoding, compression, keyTemplate: HOURLY }), acrossTen.map((e) => ({ ...e })));
    expect(first).toHaveLength(2);
    expect(second.map((o) => o.key)).toEqual(first.map((o) => o.key));
    expect(second.map((o) => o.body.toString('base64'))).toEqual(first.map((o) => o.body.toString('base64')));
  });

  test('gzipped JSON Lines give back exactly the payloads, in order', async () => {
    const [object] = await planObjects(layout({ compression: 'gzip' }), acrossTen);
    expect(bodyLines(object!)).toEqual(acrossTen.map((e) => e.payload));
    expect(bodyLines(object!).map((l) => JSON.parse(l))).toEqual(acrossTen.map((e) => JSON.parse(e.payload)));
  });

  test('gzipped JSON gives back exactly the payloads, in order', async () => {
    const [object] = await planObjects(layout({ encoding: 'json', compression: 'gzip' }), acrossTen);
    const text = gunzipSync(object!.body).toString('utf8');
    expect(text).toBe(`[${acrossTen.map((e) => e.payload).join(',')}]`);
    expect(JSON.parse(text)).toEqual(acrossTen.map((e) => JSON.parse(e.payload)));
  });

  test('byteSize is the length of the body as written', async () => {
    for (const compression of ['none', 'gzip'] as const) {
      const [object] = await planObjects(layout({ compression }), morning);
      expect(object!.byteSize).toBe(object!.body.length);
    }
    // "é" is two bytes in UTF-8.
    const [plain] = await planObjects(layout(), morning);
    expect(plain!.byteSize).toBe(morning.reduce((n, e) => n + Buffer.byteLength(e.payload) + 1, 0));
  });
});

describe('input', () => {
  test('no events, no objects', async () => {
    expect(await planObjects(layout(), [])).toEqual([]);
  });

  test('events out of log order are refused', async () => {
    await expect(planObjects(layout(), [morning[1]!, morning[0]!])).rejects.toThrow(/log order/);
    await expect(planObjects(layout(), [morning[0]!, morning[0]!])).rejects.toThrow(/log order/);
  });

  test('5000 events across 50 hours: 50 objects of 100, every event once, in order', async () => {
    const start = Date.parse('2026-11-21T00:00:00Z');
    const events = Array.from({ length: 5000 }, (_, i) => {
      const at = new Date(start + i * 36_000).toISOString();
      return event(BigInt(i + 1), at);
    });
    const objects = await planObjects(layout({ keyTemplate: HOURLY, compression: 'gzip' }), events);
    expect(objects).toHaveLength(50);
    expect(objects.every((o) => o.eventCount === 100)).toBe(true);
    expect(new Set(objects.map((o) => o.key)).size).toBe(50);
    expect(objects.flatMap(bodyLines)).toEqual(events.map((e) => e.payload));
  });
});

describe('maxObjectEvents', () => {
  const run = Array.from({ length: 12 }, (_, i) => event(BigInt(i + 1), `2026-11-21T09:${String(i).padStart(2, '0')}:00.000Z`));

  test('a longer run is cut into consecutive objects of at most that many events, each with its own range and id', async () => {
    const objects = await planObjects(layout({ maxObjectEvents: 5, compression: 'gzip' }), run);
    expect(objects.map((o) => [o.firstSequence, o.lastSequence, o.eventCount])).toEqual([
      [1n, 5n, 5],
      [6n, 10n, 5],
      [11n, 12n, 2],
    ]);
    expect(objects.map((o) => o.batchId)).toEqual([batchIdOf(DESTINATION, 1n, 5n), batchIdOf(DESTINATION, 6n, 10n), batchIdOf(DESTINATION, 11n, 12n)]);
    expect(objects.flatMap(bodyLines)).toEqual(run.map((e) => e.payload));
  });

  test('chunks never cross a directory: the hour splits first, then the size', async () => {
    const objects = await planObjects(layout({ keyTemplate: HOURLY, maxObjectEvents: 2 }), acrossTen);
    expect(objects.map((o) => o.eventCount)).toEqual([2, 2]);
    const three = await planObjects(layout({ keyTemplate: HOURLY, maxObjectEvents: 1 }), acrossTen);
    expect(three.map((o) => o.firstSequence)).toEqual([1n, 2n, 5n, 9n]);
  });

  test('without it (a batch saved before it existed) a run stays one object', async () => {
    expect(await planObjects(layout(), run)).toHaveLength(1);
  });
});

describe('test object key', () => {
  const now = new Date('2026-11-21T09:05:07.123Z');

  test.each([
    ['logs', 'logs/test/auditdrain-test-20261121T090507Z-n0nce_1.json'],
    ['logs/', 'logs/test/auditdrain-test-20261121T090507Z-n0nce_1.json'],
    ['a/b', 'a/b/test/auditdrain-test-20261121T090507Z-n0nce_1.json'],
    [null, 'test/auditdrain-test-20261121T090507Z-n0nce_1.json'],
  ])('under key_prefix %p', async (keyPrefix, key) => {
    expect(testObjectKey(keyPrefix, now, 'n0nce_1')).toBe(key);
  });

  test.each(['', 'a/b', 'a.b', 'x'.repeat(65)])('refuses the nonce %p', async (nonce) => {
    expect(() => testObjectKey('logs', now, nonce)).toThrow(RangeError);
  });
});
