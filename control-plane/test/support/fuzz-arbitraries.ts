/**
 * fast-check arbitraries for fuzzing the HTTP API: whole requests (route, path ids, query string, Authorization,
 * content type and encoding, body), built from the OpenAPI document the service serves, so a new route or field is
 * fuzzed without editing the tests.
 *
 * Generated requests are symbolic where they name real things: a `Ref` ("tenant B's second webhook integration")
 * is resolved against the database only when the request is sent, so the same plan means the same thing however
 * earlier requests changed the data. Inside path segments, query values and body text a ref is written as a token,
 * `«ref:B:webhook:1»`, that the sender replaces by the id.
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The part of JSON Schema (as OpenAPI 3.1 writes it) the generators read. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: readonly Json[];
  const?: Json;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: readonly Schema[];
  anyOf?: readonly Schema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';

/** One route the service serves, as the fuzzer sees it. */
export interface RouteSpec {
  method: Method;
  /** OpenAPI syntax: `/v1/webhook-integrations/{id}/deliveries/{delivery_id}`. */
  path: string;
  params: string[];
  query: Array<{ name: string; schema: Schema }>;
  /** The request body's schema, `$ref`s resolved lazily; null when the route takes no body. */
  body: Schema | null;
}

export type Owner = 'A' | 'B';
/** What a ref can name: ids the service made, and the strings of the fixtures' own data. */
export const REF_KINDS = ['s3', 'webhook', 'delivery', 'event', 'apiKey', 'tenant', 'actor', 'action'] as const;
export type RefKind = (typeof REF_KINDS)[number];
export interface Ref {
  owner: Owner;
  kind: RefKind;
  index: number;
}

export const refToken = (ref: Ref): string => `\u00abref:${ref.owner}:${ref.kind}:${ref.index}\u00bb`;
export const REF_TOKEN = /\u00abref:([AB]):([A-Za-z0-9]+):(\d+)\u00bb/g;

/** A path parameter: a ref, or literal text sent percent-encoded or exactly as written. */
export type ParamPlan = { kind: 'ref'; ref: Ref; encode: boolean } | { kind: 'literal'; text: string; encode: boolean };

/**
 * One `name=value` of the query string; `value: null` sends the bare name. With `cursor`, the value is a position
 * (often a ref) that the sender puts into the cursor format the API hands out (`base64url("v1:" + position)`).
 */
export interface QueryPart {
  name: string;
  value: string | null;
  encode: boolean;
  cursor?: boolean;
}

export type Role = 'admin' | 'writer' | 'reader';
export type AuthPlan =
  | { kind: 'none' }
  | { kind: 'key'; owner: Owner; key: Role | 'revoked'; scheme: string; gap: string; tail: string; tamper: 'none' | 'truncate' | 'append' | 'flip-case' }
  | { kind: 'raw'; value: string };

export type BodyPlan = { kind: 'none' } | { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };

/** How the body is labelled and encoded. */
export type EncodingPlan = 'none' | 'gzip' | 'deflate' | 'fake-gzip' | 'fake-br' | 'unknown';

export interface RequestPlan {
  route: number;
  /** Another method on the same path (an unsupported one must be a clean 404), or null. */
  method: Method | null;
  params: ParamPlan[];
  /** Extra path text after the route's path (a trailing slash, `/..`, another segment). */
  suffix: string;
  query: QueryPart[];
  auth: AuthPlan;
  body: BodyPlan;
  /** null: no Content-Type header at all. */
  contentType: string | null;
  encoding: EncodingPlan;
  /** x-request-id, or null for none. */
  requestId: string | null;
}

/** How wild each part of a request is: `valid` parts are what a well-behaved client sends. */
export interface Focus {
  routes: (route: RouteSpec) => boolean;
  ids: 'valid' | 'wild' | 'foreign';
  query: 'valid' | 'wild' | 'foreign';
  auth: 'admin' | 'wild' | 'own';
  body: 'valid' | 'wild' | 'foreign';
}

/** fc.oneof over the alternatives whose weight is not zero. */
function weighted<T>(...alternatives: Array<{ weight: number; arbitrary: fc.Arbitrary<T> }>): fc.Arbitrary<T> {
  return fc.oneof(...alternatives.filter((a) => a.weight > 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Strings and values that break things.

/** Strings that have broken parsers, validators and databases before. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t',
  'null',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '..',
  '../..',
  '/',
  '//',
  '\\',
  '%',
  '%00',
  '%zz',
  '%E2%82',
  '\u0000',
  'nul\u0000inside',
  '\ud800',
  'lone\udfffsurrogate',
  '\ufeffbom',
  '\u202eright-to-left',
  'ünïcödé 🚀',
  '中文',
  'line\nbreak',
  'carriage\rreturn',
  '<script>alert(1)</script>',
  "'; DROP TABLE events; --",
  '{{ .Nope }}',
  '{{',
  '{{ .Year }}/../{{ .ID }}',
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  'toString',
  'evt_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  's3d_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  'whk_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  'wdl_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  'key_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  'tnt_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  'adk_' + 'a'.repeat(43),
  'whsec_' + 'A'.repeat(44),
  'arn:aws:iam::123456789012:role/auditdrain-writer',
  'https://siem.example.com/hook',
  'https://internal.example.com/hook',
  'https://fail.example.com/hook',
  'https://127.0.0.1/hook',
  'https://[::1]/hook',
  'https://169.254.169.254/latest/meta-data',
  'https://user:password@siem.example.com/',
  'http://siem.example.com/plain',
  'ftp://siem.example.com/',
  '2026-03-01T12:00:00Z',
  '2026-02-30T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00Z',
  '2026-03-01T12:00:00+25:00',
  'grant.*',
  '*',
  'grant..approved',
  'dGVzdA',
  'djE6',
  'djE6Li4',
];

const SHORT = 40;

/**
 * Any string, biased to the nasty ones, sometimes holding a ref. `maxLong` bounds the long ones: text that goes
 * into the request line must stay under Node's 16 KiB header limit to reach the application at all.
 */
export function nastyString(refs = false, maxLong = 300_000): fc.Arbitrary<string> {
  return weighted<string>(
    { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: SHORT }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: SHORT }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: SHORT }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: SHORT }) },
    // Control characters among plain ones: NUL is the one PostgreSQL's text cannot hold at all.
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u001f', '\u007f', 'a', '0', '_', '.', ' '), minLength: 1, maxLength: 8 }) },
    { weight: 1, arbitrary: longString(maxLong) },
    { weight: refs ? 2 : 0, arbitrary: refArbitrary().map(refToken) },
  );
}

/** A long string: past every field's limit, sometimes (up to `max`) past the body limit. */
export function longString(max = 300_000): fc.Arbitrary<string> {
  const lengths = max > 60_000 ? fc.oneof(fc.integer({ min: 129, max: 5_000 }), fc.integer({ min: 60_000, max })) : fc.integer({ min: Math.min(max, 129), max });
  return fc.tuple(fc.constantFrom('x', 'é', '🚀', 'a/', '\\u0000'), lengths).map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));
}

export function refArbitrary(owner?: Owner, kinds: readonly RefKind[] = REF_KINDS): fc.Arbitrary<Ref> {
  return fc.record({
    owner: owner ? fc.constant(owner) : fc.constantFrom<Owner>('A', 'B'),
    kind: fc.constantFrom(...kinds),
    // Mostly the first: the fixtures' own resources, which hold what the routes need (deliveries, a failed one).
    index: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat({ max: 5 }) }),
  });
}

/** A value of the wrong type, or the right type gone wrong. */
export function junkValue(refs = false): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 3, arbitrary: nastyString(refs) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.boolean() },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(0, -0, -1, 1.5, 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, 5e-324, 1e21, 100_001, 61),
      ),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
    { weight: 1, arbitrary: nested() },
  );
}

/** Arrays or objects nested deeper than any field allows (but shallow enough to serialise recursively). */
export function nested(): fc.Arbitrary<Json> {
  return fc.tuple(fc.integer({ min: 2, max: 2_000 }), fc.boolean()).map(([depth, asArray]) => {
    let value: Json = 1;
    for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
    return value;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Values from the OpenAPI document's schemas.

export interface SchemaContext {
  /** Resolves `#/components/schemas/X`. */
  resolve(ref: string): Schema;
  /** Replace some values by junk, drop required fields, add unknown ones. */
  mutate: boolean;
  /** Put refs into strings (tenant B's ids where A's are expected, and so on). */
  refs: boolean;
  /** Only the required fields of the outermost object (fewer rules across fields to break). */
  minimal?: boolean;
}

const FAR_PAST = new Date('1970-01-01T00:00:00Z').getTime();
const NOW = Date.now();

function dateTime(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: FAR_PAST, max: NOW - 60_000 }).map((ms) => new Date(ms).toISOString()) },
    { weight: 1, arbitrary: fc.integer({ min: NOW + 60_000, max: Date.UTC(2200, 0, 1) }).map((ms) => new Date(ms).toISOString()) },
    { weight: 1, arbitrary: fc.constantFrom('2026-03-01T12:00:00Z', '2026-03-01T12:00:00.123456+02:00', '2000-01-01T00:00:00Z') },
  );
}

const URLS = [
  'https://siem.example.com/hooks/auditdrain',
  'https://public.example.com/in',
  'https://internal.example.com/in',
  'https://fail.example.com/in',
  'https://siem.example.com:8443/a/b?c=d',
];

function stringFor(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return dateTime();
  if (schema.format === 'uri') return fc.oneof(fc.constantFrom(...URLS), fc.webUrl({ validSchemes: ['https'] }));
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 64;
  // Strings the pattern matches, up to the maximum length; shorter than the minimum at times (a filter would spin:
  // short strings are what stringMatching makes most), which makes them slightly invalid values, also worth sending.
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern), { maxLength: Math.min(max, 64) });
  return fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, Math.min(max, SHORT)) });
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

/** A value the schema describes (mostly valid; with `mutate`, sometimes not). */
export function valueFor(schema: Schema, ctx: SchemaContext, depth = 0): fc.Arbitrary<Json> {
  const valid = validFor(schema, ctx, depth);
  if (!ctx.mutate) return valid;
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: junkValue(ctx.refs) });
}

function validFor(schema: Schema, ctx: SchemaContext, depth: number): fc.Arbitrary<Json> {
  if (schema.$ref) return valueFor(ctx.resolve(schema.$ref), ctx, depth);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueFor(s, ctx, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.length === 0) return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<Json> => {
      switch (type) {
        case 'null':
          return fc.constant(null);
        case 'boolean':
          return fc.boolean();
        case 'integer':
          return fc.integer({ min: schema.minimum ?? -1_000_000, max: Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER) });
        case 'number':
          return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
        case 'string':
          return ctx.refs ? fc.oneof({ weight: 6, arbitrary: stringFor(schema) }, { weight: 1, arbitrary: refArbitrary().map(refToken) }) : stringFor(schema);
        case 'array':
          return fc.array(schema.items ? valueFor(schema.items, ctx, depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
            minLength: ctx.mutate ? 0 : (schema.minItems ?? 0),
            maxLength: Math.min(schema.maxItems ?? 4, depth === 0 ? 4 : 2),
          }) as fc.Arbitrary<Json>;
        case 'object':
          return objectFor(schema, ctx, depth);
        default:
          return fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>;
      }
    }),
  );
}

const ABSENT = Symbol('absent');
const UNKNOWN_KEYS = ['id', 'tenant_id', 'external_id', 'signing_secret', 'health', 'created_at', 'colour', '__proto__', 'constructor', ''];

function objectFor(schema: Schema, ctx: SchemaContext, depth: number): fc.Arbitrary<Json> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const minimal = ctx.minimal === true && depth === 0;
  const fields = properties
    .filter(([name]) => !minimal || required.has(name))
    .map(([name, property]) => {
      const value = valueFor(property, { ...ctx, minimal: false }, depth + 1);
      const present = required.has(name) ? (ctx.mutate ? 12 : 1) : 1;
      const absent = required.has(name) ? (ctx.mutate ? 1 : 0) : 1;
      return fc.tuple(
        fc.constant(name),
        weighted<Json | typeof ABSENT>({ weight: present, arbitrary: value }, { weight: absent, arbitrary: fc.constant(ABSENT) }),
      );
    });
  const extras = ctx.mutate
    ? fc.oneof(
        { weight: 6, arbitrary: fc.constant<Array<[string, Json]>>([]) },
        { weight: 1, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...UNKNOWN_KEYS), fc.string({ maxLength: 12 })), junkValue(ctx.refs)), { maxLength: 2 }) },
      )
    : fc.constant<Array<[string, Json]>>([]);
  return fc.tuple(fc.tuple(...fields), extras).map(([entries, more]) => {
    const out: { [key: string]: Json } = {};
    // defineProperty: a key named `__proto__` is a plain key, as JSON.parse makes it.
    for (const [name, value] of [...entries, ...more]) {
      if (value !== ABSENT) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies.

/** JSON text that is not JSON, or is JSON cut short. */
function brokenJsonText(shaped: fc.Arbitrary<Json>): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('{', '[', '{"a":', '{"a":1,}', '[1,]', '{"a":1}{"b":2}', "{'a':1}", 'NaN', 'undefined', '\ufeff{}', '{"a":"\\ud800"}', '"\u0000"', '{"a":1e999}', '--', '{"__proto__":{"x":1}}'),
    fc.string({ unit: 'grapheme', maxLength: SHORT }),
    fc.tuple(shaped, fc.nat()).map(([value, cut]) => {
      const text = JSON.stringify(value);
      return text.slice(0, text.length <= 1 ? 0 : cut % (text.length - 1));
    }),
  );
}

/** Nesting far deeper than any value may be, as text (too deep to build and serialise recursively). */
function deepText(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 65, max: 200_000 }), fc.constantFrom('array', 'object', 'event'))
    .map(([depth, shape]) => {
      if (shape === 'array') return '['.repeat(depth) + ']'.repeat(depth);
      const inner = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      if (shape === 'object') return inner;
      return `{"action":"a.b","occurred_at":"2026-03-01T12:00:00Z","actor":{"type":"user","id":"u"},"metadata":${inner}}`;
    });
}

export function bodyArbitrary(schema: Schema | null, ctx: Omit<SchemaContext, 'mutate'>, focus: 'valid' | 'wild' | 'foreign'): fc.Arbitrary<BodyPlan> {
  const none = fc.constant<BodyPlan>({ kind: 'none' });
  const text = (arb: fc.Arbitrary<string>): fc.Arbitrary<BodyPlan> => arb.map((t) => ({ kind: 'text', text: t }));
  const json = (arb: fc.Arbitrary<Json>): fc.Arbitrary<BodyPlan> => text(arb.map((v) => JSON.stringify(v)));
  const shapedValid = schema
    ? fc.oneof(valueFor(schema, { ...ctx, mutate: false, refs: false }), valueFor(schema, { ...ctx, mutate: false, refs: false, minimal: true }))
    : fc.constant<Json>({});
  const shapedFuzzed = schema ? valueFor(schema, { ...ctx, mutate: true, refs: ctx.refs }) : (fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>);
  if (focus === 'valid') return schema ? json(shapedValid) : none;
  if (focus === 'foreign') {
    // Well-formed bodies that name the other tenant's things.
    return schema ? json(valueFor(schema, { ...ctx, mutate: false, refs: true })) : none;
  }
  return fc.oneof(
    { weight: schema ? 3 : 1, arbitrary: json(shapedValid) },
    { weight: 6, arbitrary: json(shapedFuzzed) },
    { weight: 2, arbitrary: json(fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>) },
    { weight: 1, arbitrary: json(fc.array(shapedFuzzed, { minLength: 0, maxLength: 6 })) },
    { weight: 2, arbitrary: text(brokenJsonText(shapedFuzzed)) },
    { weight: 1, arbitrary: text(deepText()) },
    { weight: 1, arbitrary: text(fc.constant('')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes): BodyPlan => ({ kind: 'bytes', bytes })) },
    { weight: 2, arbitrary: none },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Path ids, query strings, headers.

/** Text that may go into a URL as written: printable ASCII, without `#` (which would end the path). */
const RAW_PATH_TEXT = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F',
  '%2F',
  '%5C',
  '%',
  '%zz',
  '%0',
  '%00',
  '%E2%82',
  '%C0%AE',
  '%FF%FE',
  '%25',
  '%20',
  '%F0%9F%9A%80',
  '%uD800',
  '+',
  '~',
  ';jsessionid=1',
  'a;b',
  ':id',
  '*',
  '(',
  '[]',
  '{id}',
  '!$&\'()*+,;=',
  '@',
  'undefined',
  'null',
];

export function idArbitrary(kind: RefKind | null, focus: 'valid' | 'wild' | 'foreign'): fc.Arbitrary<ParamPlan> {
  const ofKind: readonly RefKind[] = kind ? [kind] : REF_KINDS;
  const own = refArbitrary('A', ofKind).map((ref): ParamPlan => ({ kind: 'ref', ref, encode: true }));
  const foreign = refArbitrary('B', ofKind).map((ref): ParamPlan => ({ kind: 'ref', ref, encode: true }));
  if (focus === 'valid') return fc.oneof({ weight: 9, arbitrary: own }, { weight: 1, arbitrary: foreign });
  if (focus === 'foreign') return fc.oneof({ weight: 1, arbitrary: own }, { weight: 4, arbitrary: foreign });
  const prefixes = ['s3d', 'whk', 'wdl', 'evt', 'eval', 'key', 'tnt', 'req', 'S3D', 'whk-', ''];
  const crockford = fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'), minLength: 26, maxLength: 26 });
  return fc.oneof(
    { weight: 3, arbitrary: own },
    { weight: 3, arbitrary: foreign },
    // A real id of another kind, encoded oddly.
    { weight: 2, arbitrary: fc.tuple(refArbitrary(), fc.boolean()).map(([ref, encode]): ParamPlan => ({ kind: 'ref', ref, encode })) },
    // The shape of an id, with the wrong prefix, or lower case, or a character off.
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...prefixes), crockford, fc.constantFrom('same', 'lower', 'short', 'long', 'ILOU'))
        .map(([prefix, body, how]): ParamPlan => {
          const tail = how === 'lower' ? body.toLowerCase() : how === 'short' ? body.slice(1) : how === 'long' ? body + '0' : how === 'ILOU' ? 'I' + body.slice(1) : body;
          return { kind: 'literal', text: `${prefix}_${tail}`, encode: true };
        }),
    },
    { weight: 3, arbitrary: fc.constantFrom(...RAW_PATH_TEXT).map((text): ParamPlan => ({ kind: 'literal', text, encode: false })) },
    { weight: 3, arbitrary: nastyString(false, 600).filter((s) => s.length > 0).map((text): ParamPlan => ({ kind: 'literal', text, encode: true })) },
  );
}

const QUERY_NAMES = ['limit', 'cursor', 'since', 'until', 'action', 'actor_id', 'kind', 'status', 'id', 'tenant_id', 'offset', 'page', '__proto__', 'constructor', 'limit[]', 'a[b]', ''];

type QueryValue = Omit<QueryPart, 'name'>;

/** A cursor naming a real position (a ref), or a position of any text, in the cursor format the API hands out. */
function cursorValue(owner: Owner | undefined, forged: boolean): fc.Arbitrary<QueryValue> {
  const real = refArbitrary(owner, ['s3', 'webhook', 'delivery']).map((ref): QueryValue => ({ value: refToken(ref), encode: false, cursor: true }));
  if (!forged) return real;
  const positions = fc.oneof(
    fc.constantFrom('', '0', '1', '-1', '1e3', '99999999999999999999', '18446744073709551616', '\u0000', 'a\u0000b', 's3d_', 'whk_\u0000', ' 1', '%'),
    fc.nat().map(String),
    fc.string({ unit: 'binary-ascii', maxLength: 12 }),
    nastyString(false, 100),
  );
  return fc.oneof({ weight: 1, arbitrary: real }, { weight: 3, arbitrary: positions.map((value): QueryValue => ({ value, encode: false, cursor: true })) });
}

/**
 * Values a client would send for a query parameter: from its schema, and for the parameters whose schema says
 * only "string" (docs/api.md says more), values of their documented form.
 */
function validQueryValue(name: string, schema: Schema | null): fc.Arbitrary<QueryValue> {
  const own = (kind: RefKind) => refArbitrary('A', [kind]).map(refToken);
  const encoded = (arb: fc.Arbitrary<string>) => arb.map((value): QueryValue => ({ value, encode: true }));
  switch (name) {
    case 'action':
      return encoded(fc.oneof(fc.constantFrom('grant.approved', 'grant.*', '*', 'auditdrain.webhook.test'), own('action'), fc.stringMatching(/^[a-z]{1,8}(\.[a-z]{1,8}){0,2}(\.\*)?$/)));
    case 'actor_id':
      return encoded(fc.oneof(own('actor'), own('apiKey'), fc.string({ minLength: 1, maxLength: 12 })));
    case 'cursor':
      return cursorValue('A', false);
    default:
      return encoded(schema ? validFor(schema, { resolve: () => ({}), mutate: false, refs: false }, 1).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : fc.string({ maxLength: 8 }));
  }
}

function queryValue(name: string, schema: Schema | null, focus: 'valid' | 'wild' | 'foreign'): fc.Arbitrary<QueryValue> {
  const encoded = (arb: fc.Arbitrary<string>) => arb.map((value): QueryValue => ({ value, encode: true }));
  const valid = validQueryValue(name, schema);
  const refValue = refArbitrary(focus === 'foreign' ? 'B' : undefined).map((ref): QueryValue => ({ value: refToken(ref), encode: true }));
  if (focus === 'valid') return valid;
  if (focus === 'foreign') return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: refValue }, { weight: 2, arbitrary: cursorValue('B', false) });
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 2, arbitrary: refValue },
    { weight: name === 'cursor' ? 8 : 1, arbitrary: cursorValue(undefined, true) },
    { weight: 4, arbitrary: encoded(nastyString(false, 200)) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_PATH_TEXT).map((value): QueryValue => ({ value, encode: false })) },
    { weight: 1, arbitrary: fc.constant<QueryValue>({ value: null, encode: false }) },
    { weight: 1, arbitrary: encoded(fc.constantFrom('0', '201', '-5', '1.5', '1e2', '0x10', ' 5', '５', '007', '99999999999999999999', 'audit,authorization', 'grant.', '.grant')) },
  );
}

export function queryArbitrary(route: RouteSpec, focus: 'valid' | 'wild' | 'foreign'): fc.Arbitrary<QueryPart[]> {
  const documented = route.query.map((q) =>
    fc.tuple(fc.constant(q.name), queryValue(q.name, q.schema, focus)).map(([name, v]): QueryPart => ({ name, ...v })),
  );
  const anyDocumented = documented.length > 0 ? fc.oneof(...documented) : null;
  if (focus === 'valid') {
    return anyDocumented ? fc.uniqueArray(anyDocumented, { maxLength: 3, selector: (p) => p.name }) : fc.constant([]);
  }
  if (!anyDocumented && focus !== 'wild') return fc.constant([]);
  const anyPart = weighted<QueryPart>(
    { weight: anyDocumented ? 4 : 0, arbitrary: anyDocumented ?? fc.constant<QueryPart>({ name: 'limit', value: '1', encode: true }) },
    {
      weight: focus === 'wild' ? 2 : 0,
      arbitrary: fc
        .tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), nastyString(false, 60)), queryValue('', null, focus), fc.boolean())
        .map(([name, v, encodeName]): QueryPart => ({ ...v, name: encodeName ? name : name.replace(/[^\x21-\x7e]|#/g, ''), encode: v.encode && encodeName })),
    },
  );
  // Mostly one parameter, so that the one odd value is what the service meets; sometimes several, repeated names
  // among them on purpose: `?limit=1&limit=2` must be refused, not crash.
  return fc.oneof({ weight: 3, arbitrary: anyPart.map((part) => [part]) }, { weight: 2, arbitrary: fc.array(anyPart, { maxLength: 4 }) });
}

const SCHEMES = ['Bearer', 'bearer', 'BEARER', 'Basic', 'Token', 'Bearer:', 'ApiKey', ''];

export function authArbitrary(focus: 'admin' | 'wild' | 'own'): fc.Arbitrary<AuthPlan> {
  const key = (owner: fc.Arbitrary<Owner>, role: fc.Arbitrary<Role | 'revoked'>) =>
    fc.record({ owner, key: role }).map(({ owner: o, key: k }): AuthPlan => ({ kind: 'key', owner: o, key: k, scheme: 'Bearer', gap: ' ', tail: '', tamper: 'none' }));
  if (focus === 'admin') return key(fc.constant('A'), fc.constant('admin'));
  const anyRole = fc.constantFrom<Role | 'revoked'>('admin', 'admin', 'writer', 'reader', 'revoked');
  if (focus === 'own') return key(fc.constant('A'), anyRole);
  const oddKey = fc
    .record({
      owner: fc.constantFrom<Owner>('A', 'A', 'B'),
      key: anyRole,
      scheme: fc.constantFrom(...SCHEMES),
      gap: fc.constantFrom(' ', '  ', '\t', '', ' \t '),
      tail: fc.constantFrom('', ' ', '\t', ' extra', ',', ' Bearer x'),
      tamper: fc.constantFrom('none' as const, 'none' as const, 'truncate' as const, 'append' as const, 'flip-case' as const),
    })
    .map((r): AuthPlan => ({ kind: 'key', ...r }));
  // Header values must be Latin-1 without control characters other than tab (Node refuses the rest).
  const headerSafe = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
  const raw = fc
    .oneof(
      fc.constantFrom('Bearer', 'Bearer ', 'Bearer adk_', 'Bearer adk_' + 'A'.repeat(43), 'Basic dXNlcjpwYXNz', 'Bearer null', 'Bearer undefined', 'Bearer ' + 'adk_'.repeat(500), '\tBearer\t', 'Negotiate abc'),
      fc.string({ maxLength: SHORT }).map((s) => `Bearer ${s}`),
      fc.string({ unit: 'binary-ascii', maxLength: SHORT }),
    )
    .map((value): AuthPlan => ({ kind: 'raw', value: headerSafe(value) }));
  return fc.oneof({ weight: 3, arbitrary: key(fc.constant('A'), anyRole) }, { weight: 4, arbitrary: oddKey }, { weight: 2, arbitrary: raw }, { weight: 1, arbitrary: fc.constant<AuthPlan>({ kind: 'none' }) });
}

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset="UTF-8"',
  'APPLICATION/JSON',
  'application/json; charset=utf-16le',
  'application/json; charset=latin1',
  'application/json;charset=',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/merge-patch+json',
  'application/vnd.api+json',
  'application/octet-stream',
  '*/*',
  'application/',
  'json',
  '',
];

export function requestArbitrary(routes: readonly RouteSpec[], resolve: (ref: string) => Schema, focus: Focus): fc.Arbitrary<RequestPlan> {
  const chosen = routes.map((route, index) => ({ route, index })).filter(({ route }) => focus.routes(route));
  if (chosen.length === 0) throw new Error('no route matches the focus');
  return fc.constantFrom(...chosen).chain(({ route, index }) => {
    const params = route.params.map((name) => idArbitrary(paramKind(route.path, name), focus.ids));
    const wild = focus.body === 'wild' || focus.ids === 'wild' || focus.query === 'wild';
    const bodyWild = focus.body === 'wild';
    return fc.record({
      route: fc.constant(index),
      method: wild ? fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom<Method>('get', 'post', 'put', 'patch', 'delete', 'head', 'options') }) : fc.constant(null),
      params: fc.tuple(...params),
      suffix: focus.ids === 'wild' ? fc.oneof({ weight: 10, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('/', '/..', '/../..', '//', '/extra', '/%2e%2e', '.json', '%00') }) : fc.constant(''),
      query: queryArbitrary(route, focus.query),
      auth: authArbitrary(focus.auth),
      body: bodyArbitrary(route.body, { resolve, refs: focus.body !== 'valid' }, focus.body),
      contentType: bodyWild
        ? fc.oneof({ weight: 8, arbitrary: fc.constant<string | null>('application/json') }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.constantFrom<string | null>(...CONTENT_TYPES) })
        : fc.constant<string | null>('application/json'),
      encoding: bodyWild
        ? fc.oneof({ weight: 12, arbitrary: fc.constant<EncodingPlan>('none') }, { weight: 1, arbitrary: fc.constantFrom<EncodingPlan>('gzip', 'deflate', 'fake-gzip', 'fake-br', 'unknown') })
        : fc.constant<EncodingPlan>('none'),
      requestId: weighted<string | null>(
        { weight: 6, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom('abc-123', 'r'.repeat(129), 'has space', '\u00e9t\u00e9') },
        { weight: focus.ids === 'valid' ? 0 : 1, arbitrary: refArbitrary().map(refToken) },
      ),
    });
  });
}

/** Which kind of id a path parameter takes, read from the path: `{id}` under a collection, `{delivery_id}`. */
export function paramKind(path: string, param: string): RefKind | null {
  if (param === 'delivery_id') return 'delivery';
  if (param === 'id' && path.startsWith('/v1/s3-log-destinations/')) return 's3';
  if (param === 'id' && path.startsWith('/v1/webhook-integrations/')) return 'webhook';
  return null;
}

/** Percent-encodes everything but RFC 3986's unreserved characters (lone surrogates as U+FFFD, as UTF-8 would). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9._~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
