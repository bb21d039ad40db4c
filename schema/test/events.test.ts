/**
 * Incoming events: one or a batch, recognised as audit or authorization events, and checked field by field.
 */
import type { FieldIssue } from '../src';
import { MAX_EVENTS_PER_REQUEST, eventKindOf, validateEvent, validateEventBatch } from '../src';
import type { Doc } from './fixtures';
import { AUDIT_EVENT, AUTHORIZATION_EVENT, withValue } from './fixtures';

const MINIMAL_AUDIT: Doc = {
  action: 'grant.approved',
  occurred_at: '2026-01-31T09:05:07Z',
  actor: { type: 'user', id: 'usr_1' },
};
const MINIMAL_AUTHORIZATION: Doc = {
  request: {
    principal: { type: 'api_key', id: 'key_1' },
    action: { type: 'operation', id: 'list_events' },
    resource: { type: 'tenant', id: 'tnt_1' },
  },
  decision: 'deny',
  allowed: false,
  evaluated_at: '2026-01-31T09:05:07+02:00',
};

function batchIssues(body: unknown): FieldIssue[] {
  const result = validateEventBatch(body);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

function kindsOf(body: unknown): string[] {
  const result = validateEventBatch(body);
  if (!result.ok) throw new Error(`expected the batch to be valid: ${JSON.stringify(result.issues)}`);
  return result.value.map((v) => v.kind);
}

const batchOf = (count: number) => Array.from({ length: count }, (_, i) => ({ ...MINIMAL_AUDIT, id: `evt_${i}` }));

describe('batches', () => {
  test.each([
    ['a single audit event', AUDIT_EVENT, ['audit']],
    ['a single authorization event', AUTHORIZATION_EVENT, ['authorization']],
    ['a batch of one', [MINIMAL_AUDIT], ['audit']],
    ['a mixed batch, in order', [AUDIT_EVENT, MINIMAL_AUTHORIZATION, MINIMAL_AUDIT], ['audit', 'authorization', 'audit']],
  ])('accepts %s', (_, body, kinds) => {
    expect(kindsOf(body)).toEqual(kinds);
  });

  test('returns each event as received', () => {
    const result = validateEventBatch([AUDIT_EVENT, AUTHORIZATION_EVENT]);
    expect(result).toEqual({
      ok: true,
      value: [
        { kind: 'audit', event: AUDIT_EVENT },
        { kind: 'authorization', event: AUTHORIZATION_EVENT },
      ],
    });
  });

  test(`accepts ${MAX_EVENTS_PER_REQUEST} events`, () => {
    expect(MAX_EVENTS_PER_REQUEST).toBe(1000);
    expect(kindsOf(batchOf(MAX_EVENTS_PER_REQUEST))).toHaveLength(MAX_EVENTS_PER_REQUEST);
  });

  test.each([
    ['an empty batch', [], 'must hold at least one event'],
    [`${MAX_EVENTS_PER_REQUEST + 1} events`, batchOf(MAX_EVENTS_PER_REQUEST + 1), 'must hold at most 1000 events'],
  ])('refuses %s', (_, body, message) => {
    expect(batchIssues(body)).toEqual([{ path: '', message }]);
  });

  test.each([
    ['null', null],
    ['a string', 'grant.approved'],
    ['a number', 7],
  ])('refuses a body that is %s', (_, body) => {
    expect(batchIssues(body)).toEqual([{ path: '', message: 'must be a JSON object' }]);
  });

  test('reports a bad item of a batch at its index', () => {
    expect(batchIssues([MINIMAL_AUDIT, 'x', MINIMAL_AUDIT, []])).toEqual([
      { path: '[1]', message: 'must be a JSON object' },
      { path: '[3]', message: 'must be a JSON object' },
    ]);
  });

  test('accepts the whole batch or none of it', () => {
    const result = validateEventBatch([MINIMAL_AUDIT, { ...MINIMAL_AUDIT, action: '' }]);
    expect(result.ok).toBe(false);
  });

  test('reports at most 100 issues', () => {
    const bad = Array.from({ length: 300 }, () => ({ ...MINIMAL_AUDIT, action: 'no spaces allowed' }));
    const issues = batchIssues(bad);
    expect(issues).toHaveLength(100);
    expect(issues[99]).toEqual({ path: '[99].action', message: expect.any(String) });
  });
});

describe('audit or authorization', () => {
  test.each([
    ['an object with decision', { decision: 'allow' }, 'authorization'],
    ['an object with decision null', { decision: null }, 'authorization'],
    ['an object without decision', { allowed: true }, 'audit'],
    ['an array', [{ decision: 'allow' }], 'audit'],
    ['null', null, 'audit'],
  ])('%s is held to the %s event shape', (_, value, kind) => {
    expect(eventKindOf(value).kind).toBe(kind);
  });

  test('an authorization event without decision is held to the audit shape, and refused', () => {
    const { decision: _, ...rest } = MINIMAL_AUTHORIZATION;
    expect(batchIssues(rest)).toEqual(
      expect.arrayContaining([
        { path: 'request', message: 'is not a known field' },
        { path: 'allowed', message: 'is not a known field' },
        { path: 'action', message: 'is required' },
      ]),
    );
  });

  test('an audit event carrying decision is held to the authorization shape, and refused', () => {
    const paths = batchIssues({ ...MINIMAL_AUDIT, decision: 'allow' }).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['action', 'occurred_at', 'actor', 'request', 'allowed']));
  });

  test.each([
    ['allow', false],
    ['deny', true],
  ])('decision %s with allowed %s is refused at allowed', (decision, allowed) => {
    const event = { ...MINIMAL_AUTHORIZATION, decision, allowed };
    expect(batchIssues(event)).toEqual([
      { path: 'allowed', message: `must be ${decision === 'allow'} when decision is "${decision}"` },
    ]);
    expect(batchIssues([MINIMAL_AUDIT, MINIMAL_AUTHORIZATION, event]).map((i) => i.path)).toEqual(['[2].allowed']);
  });

  test.each([
    ['allow', true],
    ['deny', false],
  ])('decision %s with allowed %s is consistent', (decision, allowed) => {
    expect(kindsOf({ ...MINIMAL_AUTHORIZATION, decision, allowed })).toEqual(['authorization']);
  });

  test('the agreement of allowed is checked only once the fields are valid', () => {
    expect(batchIssues({ ...MINIMAL_AUTHORIZATION, decision: 'maybe', allowed: true }).map((i) => i.path)).toEqual([
      'decision',
    ]);
  });
});

describe('unknown fields and nested paths', () => {
  test.each([
    [['actor', 'bogus'], '[3].actor.bogus'],
    [['bogus'], '[3].bogus'],
    [['targets', 0, 'bogus'], '[3].targets[0].bogus'],
    [['context', 'request', 'bogus'], '[3].context.request.bogus'],
  ])('an unknown field at %j is reported as %s', (path, where) => {
    const batch = [MINIMAL_AUDIT, MINIMAL_AUDIT, MINIMAL_AUTHORIZATION, withValue(AUDIT_EVENT, path, 1)];
    expect(batchIssues(batch)).toEqual([{ path: where, message: 'is not a known field' }]);
  });

  test('paths of a single event have no index', () => {
    expect(batchIssues(withValue(AUDIT_EVENT, ['actor', 'bogus'], 1))).toEqual([
      { path: 'actor.bogus', message: 'is not a known field' },
    ]);
  });

  test('an authorization event reports nested paths too', () => {
    const event = withValue(AUTHORIZATION_EVENT, ['request', 'principal', 'id'], '');
    expect(batchIssues([event]).map((i) => i.path)).toEqual(['[0].request.principal.id']);
  });

  test('validateEvent prefixes the paths it is given', () => {
    const result = validateEvent(withValue(AUDIT_EVENT, ['actor', 'id'], 5), ['events', 4]);
    expect(result).toEqual({ ok: false, issues: [{ path: 'events[4].actor.id', message: 'must be a string' }] });
  });
});

describe('metadata', () => {
  test.each([
    ['an empty object', {}],
    ['nested JSON', { a: 1, b: [true, null, { c: 'd' }], 'e f': { g: { h: [] } } }],
  ])('accepts %s', (_, metadata) => {
    expect(validateEventBatch({ ...MINIMAL_AUDIT, metadata })).toEqual({
      ok: true,
      value: [{ kind: 'audit', event: { ...MINIMAL_AUDIT, metadata } }],
    });
  });

  test('keeps an own "__proto__" key, as JSON.parse gives it', () => {
    const metadata = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Doc;
    const result = validateEventBatch({ ...MINIMAL_AUDIT, metadata });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const kept = result.value[0]?.event.metadata as Doc;
    expect(Object.keys(kept)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(kept, '__proto__')?.value).toEqual({ polluted: true });
  });

  test.each([
    ['an array', [{ a: 1 }]],
    ['a string', '{"a":1}'],
    ['a number', 1],
  ])('refuses %s', (_, metadata) => {
    expect(batchIssues({ ...MINIMAL_AUDIT, metadata })).toEqual([{ path: 'metadata', message: 'must be a JSON object' }]);
  });
});
