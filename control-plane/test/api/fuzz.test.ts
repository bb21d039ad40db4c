/**
 * Property-based fuzzing of every route the service serves, against the real HTTP application on a real database
 * (SQLite or PostgreSQL, like every API test). The routes come from the OpenAPI document the service serves and
 * from the application's own router, so a new route is fuzzed without editing this file.
 *
 * Two tenants, A and B, each hold keys of every role (and a revoked one), events, S3 destinations and webhook
 * integrations with secrets, and webhook deliveries. fast-check generates requests (support/fuzz-arbitraries.ts):
 * random and malformed bodies, path ids (the other tenant's real ids, ids of the wrong kind or shape, encoded junk,
 * `..`), query strings and Authorization headers. Every answer is checked against four oracles:
 *
 * 1. never a 5xx, and every error is the one envelope `{ error: { code, message, details, request_id } }` with the
 *    status its code maps to;
 * 2. never another tenant's data: no response to a caller of one tenant holds any of the other's ids, names,
 *    secrets or event contents (unless the caller itself sent that string, which the service may echo: "B's id
 *    does not exist");
 * 3. never a partial write: after a refused request the database is unchanged but for the one authorization event
 *    the decision added; no request ever changes another tenant's rows; a resource that was created or updated
 *    reads back whole; an ingest adds exactly the events it reports;
 * 4. never more than the key's role allows (docs/api.md's table), and never anything for a revoked key.
 *
 * The application is built with createApp like the server's, over the suite's database, but its outbound I/O (the
 * S3 test object and the webhook test POST) goes to in-process stand-ins: fuzzed URLs and endpoints name arbitrary
 * hosts, and a test may send traffic only to this machine. Everything up to that I/O is the real code.
 *
 * Runs are seeded and sized: property n uses the seed FUZZ_SEED + n (FUZZ_SEED defaults to the value below) and
 * FUZZ_RUNS runs (default 100). A failure prints fast-check's seed, path and counterexample (the request plan), then
 * the concrete request and answer and what the service logged. Other seeds and more runs explore further:
 * `FUZZ_SEED=7 FUZZ_RUNS=400 npx jest --selectProjects api:sqlite api:postgresql --testPathPattern fuzz`. The data
 * changes as the fuzz goes (what one run creates, the next may name), so a replay starts from the same seed, not
 * from the failing run alone.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import request from 'supertest';
import type { ErrorCode } from '@auditdrain/schema';
import { ERROR_STATUS } from '@auditdrain/schema';
import { SecretBox } from '../../src/crypto/secret-box';
import { RemoteFailure } from '../../src/delivery/s3/aws-error';
import { CredentialSource } from '../../src/delivery/s3/credentials';
import type { S3Object, S3Target } from '../../src/delivery/s3/s3-writer';
import { S3Writer } from '../../src/delivery/s3/s3-writer';
import type { WebhookTarget } from '../../src/delivery/webhook/integration';
import type { Resolver } from '../../src/delivery/webhook/network-policy';
import type { AttemptResult } from '../../src/delivery/webhook/webhook-sender';
import { WebhookSender } from '../../src/delivery/webhook/webhook-sender';
import { createApiKey } from '../../src/domain/api-keys/create-api-key';
import { revokeApiKey } from '../../src/domain/api-keys/revoke-api-key';
import { encodeCursor } from '../../src/domain/pagination';
import { createApp } from '../../src/http/app';
import { newId } from '../../src/ids';
import { createLogger } from '../../src/log';
import { createMetrics } from '../../src/metrics';
import type { Focus, Json, Method, Owner, Ref, RefKind, RequestPlan, RouteSpec, Schema } from '../support/fuzz-arbitraries';
import { routedOperations } from '../support/api-document';
import { REF_KINDS, REF_TOKEN, percentEncode, requestArbitrary } from '../support/fuzz-arbitraries';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { testDeliverySettings } from '../support/delivery-settings';
import { auditEventBody, bearer, startTestService } from '../support/test-service';

const SEED = Number(process.env.FUZZ_SEED ?? 20260301);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const PROPERTY_TIMEOUT_MS = 240_000;
const MAX_DELIVERIES = 200;

// ---------------------------------------------------------------------------------------------------------------
// The application under test: the real one, with in-process stand-ins for the network.

/**
 * Whether a stand-in refuses: for about a third of all names, decided by the name, so that the same request meets
 * the same answer and both answers are common (a refused verification must leave nothing behind).
 */
const refuses = (name: string) => [...name].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 3 === 0;

/** S3 as far as verification sees it: some buckets refuse the test object, the others take it. */
class InProcessS3Writer extends S3Writer {
  override async put(target: S3Target, _object: S3Object): Promise<{ requestId: string | null }> {
    if (refuses(target.bucket)) {
      throw new RemoteFailure({ operation: 'PutObject', code: 'NoSuchBucket', message: 'The specified bucket does not exist', http_status: 404, request_id: 'FAKE404' });
    }
    return { requestId: 'FAKE200' };
  }

  override reset(_target: S3Target): void {}
}

/** A webhook receiver that answers 204, or 500 for some hosts; no connection is ever made. */
class InProcessWebhookSender extends WebhookSender {
  override async post(target: WebhookTarget, _headers: Record<string, string>, _body: Buffer): Promise<AttemptResult> {
    const failing = refuses(target.url.hostname);
    return { status: failing ? 500 : 204, latencyMs: 1, error: null, code: failing ? 'http_500' : 'http_204', retryAfter: undefined, excerpt: failing ? 'boom' : null };
  }
}

let service: TestService;
let server: http.Server;
let base = '';
/** Error lines the service logged; a 5xx is reported with them. */
const errorLogs: string[] = [];

function startFuzzApp(): http.Server {
  const settings = testDeliverySettings({ verify: true, verifyTimeoutMs: 0, allowPrivateNetwork: false });
  // Name resolution for the SSRF guard: some names point into a private network (refused with a 422), the others
  // at a public address, which nothing here ever connects to.
  const resolver: Resolver = async (hostname) => (hostname === 'internal.example.com' || refuses(hostname) ? ['10.0.0.7'] : ['93.184.216.34']);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      errorLogs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const app = createApp({
    db: service.db,
    box: new SecretBox(service.masterKey),
    log: createLogger('error', sink),
    metrics: createMetrics(),
    lifecycle: { accepting: true },
    allowPrivateNetwork: false,
    awsPrincipalArn: 'arn:aws:iam::123456789012:role/auditdrain-service',
    // Small, so that the longest generated bodies meet the limit (413) besides the per-field and per-event ones.
    maxBodyBytes: 256 * 1024,
    verification: { settings, writer: new InProcessS3Writer(settings, new CredentialSource(settings)) },
    webhookSender: new InProcessWebhookSender({ timeoutMs: 1_000, allowPrivateNetwork: false, resolver, userAgent: 'fuzz', maxSockets: 1 }),
    resolver,
  });
  return app.listen(0, '127.0.0.1');
}

// ---------------------------------------------------------------------------------------------------------------
// Routes: from the served OpenAPI document, and from the router (a route the document forgot is fuzzed too).

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Schema> };
}

let doc: OpenApiDocument;
let routes: RouteSpec[] = [];
const METHODS: readonly Method[] = ['get', 'post', 'put', 'patch', 'delete'];

function resolveSchema(ref: string): Schema {
  const name = ref.replace('#/components/schemas/', '');
  const schema = doc.components.schemas[name];
  if (!schema) throw new Error(`unresolved schema ${ref}`);
  return schema;
}

const paramsOf = (path: string) => [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!);

function documentedRoutes(): RouteSpec[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method): RouteSpec => {
      const op = item[method]!;
      return {
        method,
        path,
        params: paramsOf(path),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The two tenants and what only each of them holds.

interface Party {
  owner: Owner;
  /** In every name, URL, action, actor and secret this tenant's fixtures hold: finding it is finding its data. */
  tag: string;
  tenant: TenantWithKeys;
  revoked: { id: string; secret: string };
  /** Resources whose ids are never put into a request, so they must never be seen by the other tenant at all. */
  canaries: Set<string>;
  events: string[];
  actors: string[];
  actions: string[];
  /** Identifiers and secrets that only this tenant holds; grows as the fuzz creates more. */
  secrets: Set<string>;
  /**
   * Every identifier this tenant's requests named, the other tenant's among them: its answers may echo them (a 404
   * names the id asked for; its log records the paths it requested).
   */
  echoable: Set<string>;
}

const parties = {} as Record<Owner, Party>;
const admin = (party: Party) => bearer(party.tenant.keys.admin.secret);
const http$ = () => request(base);

async function createParty(owner: Owner): Promise<Party> {
  // A tag whose fixtures the stand-ins accept (their buckets and hosts must verify).
  let tag: string;
  do tag = `${owner.toLowerCase()}fz${randomBytes(6).toString('hex')}`;
  while ([`bucket-${tag}`, `canary-${tag}`, `probe-${tag}.example.com`, `canary-${tag}.example.com`].some(refuses));
  const tenant = await service.tenant(`tenant ${tag}`);
  const revoked = await createApiKey(service.db.client, { tenantId: tenant.id, role: 'admin', name: `revoked ${tag}` });
  await revokeApiKey(service.db.client, revoked.id);
  const party: Party = {
    owner,
    tag,
    tenant,
    revoked: { id: revoked.id, secret: revoked.secret },
    canaries: new Set(),
    events: [`evt-${tag}-1`, `evt-${tag}-2`, `evt-${tag}-3`, `eval-${tag}-1`],
    actors: [`usr-${tag}`, `svc-${tag}`],
    actions: [`${tag}.created`, `${tag}.*`],
    secrets: new Set([tag, tenant.id, revoked.id, revoked.secret, ...Object.values(tenant.keys).flatMap((k) => [k.id, k.secret])]),
    echoable: new Set(),
  };
  const events = [
    auditEventBody({ id: party.events[0], action: `${tag}.created`, actor: { type: 'user', id: party.actors[0], name: `Name ${tag}` }, message: `note ${tag}` }),
    auditEventBody({ id: party.events[1], action: `${tag}.created`, actor: { type: 'service', id: party.actors[1] }, metadata: { secret: `meta-${tag}` } }),
    auditEventBody({ id: party.events[2], action: `${tag}.deleted`, actor: { type: 'user', id: party.actors[0] } }),
    {
      id: party.events[3],
      request: { principal: { type: 'User', id: party.actors[0] }, action: { type: 'Action', id: `${tag}.read` }, resource: { type: 'Doc', id: `doc-${tag}` } },
      decision: 'allow',
      allowed: true,
      evaluated_at: '2026-03-01T12:00:00Z',
    },
  ];
  await http$().post('/v1/events').set(admin(party)).send(events).expect(202);
  await createS3(party, 'probe');
  party.canaries.add(await createS3(party, 'canary'));
  await createWebhook(party, 'probe');
  party.canaries.add(await createWebhook(party, 'canary'));
  return party;
}

async function createS3(party: Party, role: 'probe' | 'canary'): Promise<string> {
  const { tag } = party;
  const body =
    role === 'probe'
      ? { name: `s3 ${role} ${tag}`, bucket_name: `bucket-${tag}`, key_prefix: `logs/${tag}`, access_key_id: `AKIA${tag.toUpperCase()}`, secret_access_key: `sak-${tag}` }
      : { name: `s3 ${role} ${tag}`, bucket_name: `canary-${tag}`, role_arn: `arn:aws:iam::123456789012:role/${tag}` };
  const res = await http$().post('/v1/s3-log-destinations').set(admin(party)).send(body);
  if (res.status !== 201) throw new Error(`fixture: ${res.status} ${res.text}`);
  party.secrets.add(res.body.id as string);
  return res.body.id as string;
}

/** A webhook integration with a secret header, its signing secret recorded, the tenant's events replayed to it. */
async function createWebhook(party: Party, role: 'probe' | 'canary'): Promise<string> {
  const { tag } = party;
  const res = await http$()
    .post('/v1/webhook-integrations')
    .set(admin(party))
    .send({ name: `hook ${role} ${tag}`, url: `https://${role}-${tag}.example.com/in`, headers: [{ key: 'X-Token', value: `token-${tag}` }] });
  if (res.status !== 201) throw new Error(`fixture: ${res.status} ${res.text}`);
  const id = res.body.id as string;
  party.secrets.add(id);
  const secret = await http$().get(`/v1/webhook-integrations/${id}/signing-secret`).set(admin(party)).expect(200);
  party.secrets.add(secret.body.signing_secret as string);
  await http$().post(`/v1/webhook-integrations/${id}/replay`).set(admin(party)).send({ since: '2000-01-01T00:00:00Z' }).expect(202);
  const deliveries = await service.db.client.webhookDelivery.findMany({ where: { destinationId: id }, select: { id: true } });
  for (const d of deliveries) party.secrets.add(d.id);
  // One delivery failed, with an attempt, so `…/retry` can succeed and `…/deliveries/{id}` has an attempt log.
  const first = await service.db.client.webhookDelivery.findFirst({ where: { destinationId: id }, orderBy: { id: 'asc' } });
  if (first) {
    await service.db.client.webhookDelivery.update({
      where: { id: first.id },
      data: { status: 'failed', attempts: 1, nextAttemptAt: null, lastStatusCode: 500, lastError: `refused by ${tag}` },
    });
    await service.db.client.webhookAttempt.create({
      data: { deliveryId: first.id, attempt: 1, attemptedAt: new Date(), statusCode: 500, latencyMs: 12, error: null, responseExcerpt: `excerpt ${tag}` },
    });
  }
  return id;
}

// ---------------------------------------------------------------------------------------------------------------
// The database, table by table, to compare before and after a request.

type Row = Record<string, unknown>;
interface Snapshot {
  tenants: Row[];
  apiKeys: Row[];
  destinations: Array<Row & { id: string; tenantId: string; type: string }>;
  deliveryStates: Array<Row & { destinationId: string }>;
  webhookDeliveries: Array<Row & { id: string; destinationId: string; status: string }>;
  webhookAttempts: Array<Row & { deliveryId: string }>;
  retiredSecrets: Array<Row & { destinationId: string }>;
  s3Deliveries: Array<Row & { destinationId: string }>;
  /** Events per tenant and kind: the log is append-only, so counts and the highest sequence describe it. */
  events: Array<{ tenantId: string; kind: string; count: number; last: string }>;
}

async function snapshot(): Promise<Snapshot> {
  const c = service.db.client;
  const [tenants, apiKeys, destinations, deliveryStates, webhookDeliveries, webhookAttempts, retiredSecrets, s3Deliveries, events] = await Promise.all([
    c.tenant.findMany({ orderBy: { id: 'asc' } }),
    c.apiKey.findMany({ orderBy: { id: 'asc' } }),
    c.destination.findMany({ orderBy: { id: 'asc' } }),
    c.deliveryState.findMany({ orderBy: { destinationId: 'asc' } }),
    c.webhookDelivery.findMany({ orderBy: { id: 'asc' } }),
    c.webhookAttempt.findMany({ orderBy: [{ deliveryId: 'asc' }, { attempt: 'asc' }] }),
    c.retiredSigningSecret.findMany({ orderBy: [{ destinationId: 'asc' }, { retiredAt: 'asc' }] }),
    c.s3Delivery.findMany({ orderBy: [{ destinationId: 'asc' }, { key: 'asc' }] }),
    c.$queryRawUnsafe<Array<{ tenant_id: string; kind: string; n: unknown; last: unknown }>>(
      'SELECT tenant_id, kind, COUNT(*) AS n, MAX(sequence) AS last FROM events GROUP BY tenant_id, kind ORDER BY tenant_id, kind',
    ),
  ]);
  return {
    tenants,
    apiKeys,
    destinations,
    deliveryStates,
    webhookDeliveries,
    webhookAttempts,
    retiredSecrets,
    s3Deliveries,
    events: events.map((e) => ({ tenantId: e.tenant_id, kind: e.kind, count: Number(e.n), last: String(e.last) })),
  };
}

const TABLES = ['tenants', 'apiKeys', 'destinations', 'deliveryStates', 'webhookDeliveries', 'webhookAttempts', 'retiredSecrets', 's3Deliveries'] as const;

/** The rows of one tenant, every table. */
function sliceOf(s: Snapshot, tenantId: string): Record<(typeof TABLES)[number] | 'events', unknown[]> {
  const destinations = s.destinations.filter((d) => d.tenantId === tenantId);
  const ids = new Set(destinations.map((d) => d.id));
  const deliveries = s.webhookDeliveries.filter((d) => ids.has(d.destinationId));
  const deliveryIds = new Set(deliveries.map((d) => d.id));
  return {
    tenants: s.tenants.filter((t) => t.id === tenantId),
    apiKeys: s.apiKeys.filter((k) => k.tenantId === tenantId),
    destinations,
    deliveryStates: s.deliveryStates.filter((d) => ids.has(d.destinationId)),
    webhookDeliveries: deliveries,
    webhookAttempts: s.webhookAttempts.filter((a) => deliveryIds.has(a.deliveryId)),
    retiredSecrets: s.retiredSecrets.filter((r) => ids.has(r.destinationId)),
    s3Deliveries: s.s3Deliveries.filter((r) => ids.has(r.destinationId)),
    events: s.events.filter((e) => e.tenantId === tenantId),
  };
}

const eventCount = (s: Snapshot, tenantId: string, kind?: string) =>
  s.events.filter((e) => e.tenantId === tenantId && (kind === undefined || e.kind === kind)).reduce((n, e) => n + e.count, 0);

// ---------------------------------------------------------------------------------------------------------------
// Oracles: pure functions from what was sent and seen to the problems found (none: the property holds).

interface Exchange {
  method: Method;
  url: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  status: number;
  responseHeaders: Record<string, string>;
  text: string;
}

const REQUEST_ID = /^req_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Oracle 1: no 5xx; errors in the envelope, with the status their code maps to; JSON that parses. */
function envelopeProblems(ex: Exchange): string[] {
  const problems: string[] = [];
  if (ex.status >= 500) problems.push(`answered ${ex.status}`);
  if (ex.status < 200 || ex.status >= 600) problems.push(`status ${ex.status} is not an HTTP answer status`);
  const type = ex.responseHeaders['content-type'] ?? '';
  let body: unknown;
  if (ex.method !== 'head' && /json/.test(type)) {
    try {
      body = JSON.parse(ex.text) as unknown;
    } catch {
      problems.push(`content-type ${type} but the body is not JSON: ${ex.text.slice(0, 200)}`);
    }
  }
  if (ex.status >= 400 && ex.method !== 'head') {
    if (!/^application\/json/.test(type)) problems.push(`error answer of type "${type}", not application/json`);
    const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
    if (!body || typeof body !== 'object' || Object.keys(body).join() !== 'error' || !error || typeof error !== 'object') {
      problems.push('error answer is not exactly { "error": {...} }');
    } else {
      if (Object.keys(error).sort().join() !== 'code,details,message,request_id') problems.push(`error has fields ${Object.keys(error).join(', ')}`);
      const code = error.code as string;
      if (!(code in ERROR_STATUS)) problems.push(`unknown error code ${String(code)}`);
      else if (ERROR_STATUS[code as ErrorCode] !== ex.status) problems.push(`code ${code} answered with ${ex.status}, not ${ERROR_STATUS[code as ErrorCode]}`);
      if (typeof error.message !== 'string' || error.message.length === 0) problems.push('error message is empty');
      if (error.request_id !== ex.responseHeaders['x-request-id']) problems.push('error request_id is not the x-request-id header');
    }
  }
  const requestId = ex.responseHeaders['x-request-id'];
  const sent = ex.headers['x-request-id'];
  const sane = sent !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(sent);
  if (requestId !== (sane ? sent : requestId) || (!sane && !REQUEST_ID.test(requestId ?? ''))) problems.push(`x-request-id ${String(requestId)} for ${String(sent)}`);
  return problems;
}

/** Oracle 2: `forbidden` strings in the text, once the strings the caller may see echoed are taken out. */
function leakProblems(text: string, forbidden: Iterable<string>, echoable: Iterable<string>): string[] {
  const suspects = [...forbidden].filter((s) => s.length > 0 && text.includes(s));
  if (suspects.length === 0) return [];
  let scrubbed = text;
  // Longest first, so an echoed id is removed before a shorter echoed string inside it could split it.
  for (const s of [...echoable].filter((e) => e.length > 0 && text.includes(e)).sort((x, y) => y.length - x.length)) scrubbed = scrubbed.split(s).join('\u2400');
  const found = suspects.filter((s) => scrubbed.includes(s));
  return found.map((s) => `holds another tenant's "${s.slice(0, 60)}": …${excerpt(scrubbed, s)}…`);
}

function excerpt(text: string, s: string): string {
  const at = text.indexOf(s);
  return text.slice(Math.max(0, at - 80), at + s.length + 80);
}

/** Who the request may have been made as: the tenants whose (live or revoked) key is in the Authorization header. */
interface Caller {
  owner: Owner;
  key: 'admin' | 'writer' | 'reader' | 'revoked';
}

/**
 * Oracle 3 (refused requests, reads and other tenants): the tables after the request against those before. A
 * refused request, or a read (GET, HEAD, OPTIONS), leaves every table as it was, except the one authorization event
 * an authenticated caller's request adds; no request touches a tenant whose key it did not carry.
 */
function writeProblems(before: Snapshot, after: Snapshot, status: number, callers: readonly Caller[], tenantIds: Record<Owner, string>, method: Method = 'post'): string[] {
  const problems: string[] = [];
  const callerTenants = new Set(callers.map((c) => tenantIds[c.owner]));
  const allTenants = new Set([...before.tenants, ...after.tenants].map((t) => String(t.id)));
  for (const tenantId of allTenants) {
    if (callerTenants.has(tenantId)) continue;
    const was = sliceOf(before, tenantId);
    const is = sliceOf(after, tenantId);
    for (const table of [...TABLES, 'events'] as const) {
      if (!isDeepStrictEqual(was[table], is[table])) problems.push(`changed ${table} of tenant ${tenantId}, whose key the request did not carry`);
    }
  }
  const read = method === 'get' || method === 'head' || method === 'options';
  if (status >= 400 || read) {
    const what = status >= 400 ? `refused with ${status}` : `a ${method.toUpperCase()} answered ${status}`;
    for (const table of TABLES) {
      if (!isDeepStrictEqual(before[table], after[table])) problems.push(`${what} but changed ${table}: ${diffIds(before[table], after[table])}`);
    }
    let authorizations = 0;
    for (const tenantId of callerTenants) {
      if (eventCount(after, tenantId, 'audit') !== eventCount(before, tenantId, 'audit')) problems.push(`${what} but appended audit events`);
      const added = eventCount(after, tenantId) - eventCount(before, tenantId);
      const addedAuthorizations = eventCount(after, tenantId, 'authorization') - eventCount(before, tenantId, 'authorization');
      if (added !== addedAuthorizations) problems.push(`${what} but appended events that are not authorization events`);
      authorizations += addedAuthorizations;
    }
    if (authorizations > 1 || authorizations < 0) problems.push(`${what} and ${authorizations} authorization events`);
    if (status === 401 && authorizations !== 0) problems.push('unauthenticated, yet an authorization event was recorded');
    if (status === 403 && authorizations !== 1) problems.push('forbidden, yet the denial was not recorded');
  }
  return problems;
}

function diffIds(was: readonly Row[], is: readonly Row[]): string {
  const key = (r: Row) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const before = new Set(was.map(key));
  const after = new Set(is.map(key));
  const gone = [...before].filter((r) => !after.has(r));
  const added = [...after].filter((r) => !before.has(r));
  return `removed/changed ${gone.map((r) => r.slice(0, 160)).join(' | ')}; added/changed ${added.map((r) => r.slice(0, 160)).join(' | ')}`;
}

/** Oracle 4: a 2xx on the authenticated API needs a live key whose role allows the operation (docs/api.md). */
function roleProblems(ex: Exchange, path: string, callers: readonly Caller[]): string[] {
  if (ex.status >= 300 || !path.startsWith('/v1/') || path === '/v1/openapi.json') return [];
  const allowed = callers.some(({ key }) => {
    if (key === 'revoked') return false;
    if (key === 'admin' || ex.method === 'options') return true;
    if (key === 'writer') return (ex.method === 'post' && path === '/v1/events') || ((ex.method === 'get' || ex.method === 'head') && path === '/v1/identity');
    return (ex.method === 'get' || ex.method === 'head') && !path.endsWith('/signing-secret');
  });
  return allowed ? [] : [`answered ${ex.status} to ${callers.length ? callers.map((c) => `${c.owner}'s ${c.key} key`).join(' or ') : 'no valid key'}`];
}

// ---------------------------------------------------------------------------------------------------------------
// From plan to request, and back.

interface Concrete {
  route: RouteSpec;
  method: Method;
  /** The path as sent (encoded), without the query. */
  path: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  callers: Caller[];
  /** Every real identifier the request named, whoever it belongs to. */
  named: Set<string>;
  /** Whether it is exactly the route (no other method, no suffix): only then do the follow-up reads apply. */
  exact: boolean;
}

const missing: Record<RefKind, string> = {
  s3: newId('s3d'),
  webhook: newId('whk'),
  delivery: newId('wdl'),
  event: 'evt-no-such-event',
  apiKey: newId('key'),
  tenant: newId('tnt'),
  actor: 'usr-nobody',
  action: 'nothing.happened',
};

function pool(s: Snapshot, party: Party, kind: RefKind): string[] {
  const tenantId = party.tenant.id;
  const destinations = (type: string) => s.destinations.filter((d) => d.tenantId === tenantId && d.type === type && !party.canaries.has(d.id)).map((d) => d.id);
  switch (kind) {
    case 's3':
      return destinations('s3_log_destination');
    case 'webhook':
      return destinations('webhook_integration');
    case 'delivery':
      return destinations('webhook_integration').flatMap((id) => deliveriesOf(s, id));
    case 'event':
      return party.events;
    case 'apiKey':
      return [...Object.values(party.tenant.keys).map((k) => k.id), party.revoked.id];
    case 'tenant':
      return [tenantId];
    case 'actor':
      return party.actors;
    case 'action':
      return party.actions;
  }
}

/** A webhook's deliveries, failed ones first (a retry can succeed on those). */
function deliveriesOf(s: Snapshot, webhookId: string): string[] {
  const deliveries = s.webhookDeliveries.filter((d) => d.destinationId === webhookId);
  return [...deliveries.filter((d) => d.status === 'failed'), ...deliveries.filter((d) => d.status !== 'failed')].map((d) => d.id);
}

/** `within`: the webhook integration the path already named, whose deliveries a delivery ref picks from. */
function resolveRef(s: Snapshot, ref: Ref, named: Set<string>, within?: string): string {
  const inWebhook = ref.kind === 'delivery' && within !== undefined && pool(s, parties[ref.owner], 'webhook').includes(within) ? deliveriesOf(s, within) : [];
  const choices = inWebhook.length > 0 ? inWebhook : pool(s, parties[ref.owner], ref.kind);
  const value = choices.length > 0 ? choices[ref.index % choices.length]! : missing[ref.kind];
  // As sent, and as echoed from a path that was not decoded ("no route for DELETE /v1/…/grant.%2A/…").
  named.add(value).add(percentEncode(value));
  return value;
}

function resolveText(s: Snapshot, text: string, named: Set<string>): string {
  return text.replace(REF_TOKEN, (token, owner: string, kind: string, index: string) =>
    (REF_KINDS as readonly string[]).includes(kind) ? resolveRef(s, { owner: owner as Owner, kind: kind as RefKind, index: Number(index) }, named) : token,
  );
}

function concretize(plan: RequestPlan, s: Snapshot): Concrete {
  const route = routes[plan.route]!;
  const named = new Set<string>();
  let paramIndex = 0;
  let webhook: string | undefined;
  const path =
    route.path.replace(/\{([a-z_]+)\}/g, () => {
      const param = plan.params[paramIndex++]!;
      const text = param.kind === 'ref' ? resolveRef(s, param.ref, named, webhook) : param.text;
      if (param.kind === 'ref' && param.ref.kind === 'webhook') webhook = text;
      return param.encode ? percentEncode(text) : text;
    }) + plan.suffix;
  const query = plan.query
    .map((part) => {
      const resolved = part.value === null ? null : resolveText(s, part.value, named);
      const value = resolved !== null && part.cursor ? encodeCursor(resolved) : resolved;
      const name = part.encode ? percentEncode(part.name) : part.name;
      return value === null ? name : `${name}=${part.encode ? percentEncode(value) : value}`;
    })
    .join('&');
  const headers: Record<string, string> = {};
  const callers: Caller[] = [];
  if (plan.auth.kind === 'raw') headers.authorization = plan.auth.value;
  if (plan.auth.kind === 'key') {
    const party = parties[plan.auth.owner];
    const secret = plan.auth.key === 'revoked' ? party.revoked.secret : party.tenant.keys[plan.auth.key].secret;
    const token =
      plan.auth.tamper === 'truncate'
        ? secret.slice(0, -1)
        : plan.auth.tamper === 'append'
          ? `${secret}x`
          : plan.auth.tamper === 'flip-case'
            ? secret.slice(0, 4) + (secret[4] === secret[4]!.toUpperCase() ? secret[4]!.toLowerCase() : secret[4]!.toUpperCase()) + secret.slice(5)
            : secret;
    headers.authorization = `${plan.auth.scheme}${plan.auth.gap}${token}${plan.auth.tail}`;
    callers.push({ owner: plan.auth.owner, key: plan.auth.key });
  }
  if (plan.requestId !== null) headers['x-request-id'] = resolveText(s, plan.requestId, named);
  let body: Buffer | undefined =
    plan.body.kind === 'text' ? Buffer.from(resolveText(s, plan.body.text, named), 'utf8') : plan.body.kind === 'bytes' ? Buffer.from(plan.body.bytes) : undefined;
  if (plan.contentType !== null && (body !== undefined || plan.contentType !== 'application/json')) headers['content-type'] = plan.contentType;
  if (plan.encoding !== 'none') {
    headers['content-encoding'] = { gzip: 'gzip', deflate: 'deflate', 'fake-gzip': 'gzip', 'fake-br': 'br', unknown: 'x-unknown' }[plan.encoding];
    if (body && plan.encoding === 'gzip') body = gzipSync(body);
    if (body && plan.encoding === 'deflate') body = deflateSync(body);
  }
  const method = plan.method ?? route.method;
  // A HEAD request has no body (superagent would announce one it never sends, and the connection would hang).
  if (method === 'head') body = undefined;
  return { route, method, path, url: query ? `${path}?${query}` : path, headers, body, callers, named, exact: plan.method === null && plan.suffix === '' };
}

async function send(c: Pick<Concrete, 'method' | 'url' | 'headers' | 'body'>): Promise<Exchange> {
  let req = http$()[c.method](c.url).set(c.headers).timeout(30_000).buffer(true);
  req = req.parse((res, callback) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => callback(null, Buffer.concat(chunks)));
  });
  // The bytes exactly as given: superagent would otherwise serialise a Buffer as JSON when the type says JSON.
  if (c.body !== undefined) req = req.serialize((bytes: Buffer) => bytes as unknown as string).send(c.body);
  const res = await req;
  const responseHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers as Record<string, string | string[] | undefined>)) {
    if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const raw = res.body as unknown;
  return { method: c.method, url: c.url, headers: c.headers, body: c.body, status: res.status, responseHeaders, text: Buffer.isBuffer(raw) ? raw.toString('utf8') : '' };
}

/** The request and answer, secrets named rather than shown, for a failure report. */
function describeExchange(ex: Exchange): string {
  let auth = ex.headers.authorization ?? '(none)';
  for (const party of Object.values(parties)) {
    for (const [role, key] of Object.entries(party.tenant.keys)) auth = auth.split(key.secret).join(`<${party.owner}'s ${role} key>`);
    auth = auth.split(party.revoked.secret).join(`<${party.owner}'s revoked key>`);
  }
  const headers = Object.entries(ex.headers)
    .filter(([name]) => name !== 'authorization')
    .map(([name, value]) => `${name}: ${value.slice(0, 200)}`);
  const body = ex.body === undefined ? '(no body)' : `${ex.body.length} bytes: ${ex.body.toString('utf8').slice(0, 600)}`;
  return [
    `${ex.method.toUpperCase()} ${ex.url.slice(0, 600)}`,
    `authorization: ${auth.slice(0, 200)}`,
    ...headers,
    `body: ${body}`,
    `-> ${ex.status} ${ex.text.slice(0, 1_000)}`,
  ].join('\n  ');
}

// ---------------------------------------------------------------------------------------------------------------
// One fuzzed request, every oracle.

/** Requests and answers per route ("METHOD /path"), to show the fuzz reached both outcomes everywhere. */
const coverage = new Map<string, { requests: number; ok: number; refused: number }>();
const routeKey = (r: RouteSpec) => `${r.method.toUpperCase()} ${r.path}`;

/**
 * Keeps each tenant's probes around: the fuzz deletes some, and later requests should still find real ids. And
 * keeps the delivery log small: every successful replay adds a delivery per event, and the pending ones (nothing
 * delivers them here) would make every snapshot slower.
 */
async function replenish(s: Snapshot): Promise<boolean> {
  let changed = false;
  if (s.webhookDeliveries.length > MAX_DELIVERIES) {
    await service.db.client.webhookDelivery.deleteMany({ where: { status: 'pending', attempts: 0 } });
    changed = true;
  }
  for (const party of Object.values(parties)) {
    if (pool(s, party, 's3').length === 0) {
      await createS3(party, 'probe');
      changed = true;
    }
    const failed = new Set(s.webhookDeliveries.filter((d) => d.status === 'failed').map((d) => d.destinationId));
    if (!pool(s, party, 'webhook').some((id) => failed.has(id))) {
      await createWebhook(party, 'probe');
      changed = true;
    }
  }
  return changed;
}

async function check(plan: RequestPlan): Promise<void> {
  let before = await snapshot();
  if (await replenish(before)) before = await snapshot();
  const c = concretize(plan, before);
  // Whatever a caller names, its own log may hold from now on (the authorization event records the path).
  for (const caller of c.callers) for (const value of c.named) parties[caller.owner].echoable.add(value);
  const logged = errorLogs.length;
  const ex = await send(c);
  const after = await snapshot();

  const stats = coverage.get(routeKey(c.route)) ?? { requests: 0, ok: 0, refused: 0 };
  coverage.set(routeKey(c.route), stats);
  if (c.exact) {
    stats.requests++;
    if (ex.status < 300) stats.ok++;
    else stats.refused++;
  }

  const problems = [...envelopeProblems(ex)];
  const callerOwners = new Set(c.callers.map((x) => x.owner));
  for (const party of Object.values(parties)) {
    if (callerOwners.has(party.owner)) continue;
    const echoable = new Set([...c.named, ...[...callerOwners].flatMap((o) => [...parties[o].echoable])]);
    problems.push(...leakProblems(ex.text, party.secrets, echoable));
    problems.push(...leakProblems(Object.values(ex.responseHeaders).join('\n'), party.secrets, echoable).map((p) => `header ${p}`));
  }
  problems.push(...writeProblems(before, after, ex.status, c.callers, { A: parties.A.tenant.id, B: parties.B.tenant.id }, c.method));
  // The router matches a path with one trailing slash as the path without it.
  problems.push(...roleProblems(ex, c.path.replace(/(.)\/$/, '$1'), c.callers));

  // The resources the fuzz created belong to their tenant from now on (deliveries: those of the fixtures suffice).
  for (const party of Object.values(parties)) {
    for (const d of after.destinations) if (d.tenantId === party.tenant.id) party.secrets.add(d.id);
  }
  const caller = c.callers.length === 1 ? parties[c.callers[0]!.owner] : undefined;
  if (caller && c.exact && ex.status < 300 && /\/(signing|rotate)-secret$/.test(c.path)) {
    const secret = (JSON.parse(ex.text) as { signing_secret?: string }).signing_secret;
    if (secret) caller.secrets.add(secret);
  }

  if (caller && problems.length === 0 && c.exact && ex.status < 300 && c.method !== 'get') problems.push(...(await wholeWriteProblems(c, ex, caller, before, after)));
  if (problems.length > 0) {
    const logs = errorLogs.slice(logged).map((l) => l.slice(0, 2_000));
    throw new Error(`${problems.join('\n')}\n\n  ${describeExchange(ex)}${logs.length ? `\n\nservice logged:\n${logs.join('\n')}` : ''}`);
  }
}

/** Oracle 3 for successful writes: what a write reports is what was stored, whole, in the caller's tenant. */
async function wholeWriteProblems(c: Concrete, ex: Exchange, caller: Party, before: Snapshot, after: Snapshot): Promise<string[]> {
  const problems: string[] = [];
  let body: Record<string, Json> = {};
  try {
    if (ex.text) body = JSON.parse(ex.text) as Record<string, Json>;
  } catch {
    return [`answered ${ex.status} with a body that is not JSON`];
  }
  const read = async (path: string) => send({ method: 'get', url: path, headers: admin(caller), body: undefined });
  const withoutHealth = (r: Record<string, Json>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'health'));

  if (c.method === 'post' && ex.status === 201) {
    const location = ex.responseHeaders.location ?? '';
    if (location !== `${c.route.path}/${String(body.id)}`) problems.push(`created, but Location is "${location}"`);
    const got = await read(location);
    if (got.status !== 200) problems.push(`created ${String(body.id)}, but reading it answered ${got.status}`);
    else {
      const stored = JSON.parse(got.text) as Record<string, Json>;
      const schema = c.route.method === 'post' ? responseSchema(c.route, '201') : null;
      for (const field of schema?.required ?? []) if (!(field in stored)) problems.push(`created, but the read lacks ${field}`);
      if (!isDeepStrictEqual(withoutHealth(stored), withoutHealth(body))) problems.push(`created, but reads back differently: ${got.text.slice(0, 400)}`);
    }
    const row = after.destinations.find((d) => d.id === body.id);
    if (!row || row.tenantId !== caller.tenant.id) problems.push(`created ${String(body.id)}, but no such row of the caller's tenant`);
    if (!after.deliveryStates.some((d) => d.destinationId === body.id)) problems.push(`created ${String(body.id)} without its delivery state`);
  }
  if (c.method === 'patch' && ex.status === 200) {
    const got = await read(c.path);
    if (got.status !== 200 || !isDeepStrictEqual(withoutHealth(JSON.parse(got.text) as Record<string, Json>), withoutHealth(body))) {
      problems.push(`updated, but reads back as ${got.status} ${got.text.slice(0, 400)}`);
    }
  }
  if (c.method === 'delete' && ex.status === 204) {
    const got = await read(c.path);
    if (got.status !== 404) problems.push(`deleted, but reading it answered ${got.status}`);
    const gone = before.destinations.filter((d) => !after.destinations.some((a) => a.id === d.id)).map((d) => d.id);
    if (gone.length !== 1) problems.push(`deleted, and ${gone.length} destinations went`);
    for (const id of gone) {
      if (after.deliveryStates.some((d) => d.destinationId === id) || after.webhookDeliveries.some((d) => d.destinationId === id)) {
        problems.push(`deleted ${id}, but its delivery rows remain`);
      }
    }
  }
  if (c.method === 'post' && c.route.path === '/v1/events' && ex.status === 202) {
    const result = body as { accepted?: number; duplicates?: number; ids?: string[] };
    const added = eventCount(after, caller.tenant.id) - eventCount(before, caller.tenant.id);
    // The accepted events, plus the authorization event of the request itself.
    if (added !== (result.accepted ?? NaN) + 1) problems.push(`ingest reported ${String(result.accepted)} accepted, but the log grew by ${added - 1}`);
    if ((result.accepted ?? 0) + (result.duplicates ?? 0) !== result.ids?.length) problems.push('ingest: accepted + duplicates is not the number of ids');
  }
  return problems;
}

function responseSchema(route: RouteSpec, status: string): Schema | null {
  const schema = doc.paths[route.path]?.[route.method]?.responses?.[status]?.content?.['application/json']?.schema;
  if (!schema) return null;
  return schema.$ref ? resolveSchema(schema.$ref) : schema;
}

// ---------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  service = await startTestService();
  server = startFuzzApp();
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  doc = (await http$().get('/v1/openapi.json').expect(200)).body as OpenApiDocument;
  routes = documentedRoutes();
  const documented = new Set(routes.map(routeKey));
  // Routes the document does not list (operational ones, or a new route not yet documented).
  for (const key of routedOperations(server.listeners('request')[0])) {
    if (documented.has(key)) continue;
    const [upper, path] = key.split(' ') as [string, string];
    const method = upper.toLowerCase() as Method;
    if (!METHODS.includes(method)) continue;
    documented.add(key);
    routes.push({ method, path, params: paramsOf(path), query: [], body: method === 'get' || method === 'delete' ? null : {} });
  }

  parties.A = await createParty('A');
  parties.B = await createParty('B');
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await service?.close();
});

const everyRoute = () => true;
const withParams = (r: RouteSpec) => r.params.length > 0;
const authenticated = (r: RouteSpec) => r.path.startsWith('/v1/') && r.path !== '/v1/openapi.json';

/** Runs one property: `focus` decides which parts of the requests are wild. */
async function fuzz(seedOffset: number, focus: Focus): Promise<void> {
  const seed = SEED + seedOffset;
  await fc.assert(
    fc.asyncProperty(requestArbitrary(routes, resolveSchema, focus), (plan) => check(plan)),
    { seed, numRuns: RUNS },
  );
}

describe('every route, fuzzed', () => {
  test(
    "well-formed requests with every role of A's keys: what succeeds is stored whole, what is refused writes nothing",
    () => fuzz(0, { routes: authenticated, ids: 'valid', query: 'valid', auth: 'own', body: 'valid' }),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'malformed bodies: any JSON, fields of the wrong type, huge, unicode, truncated, deep, wrong content type or encoding',
    () => fuzz(1, { routes: (r) => r.body !== null || r.method !== 'get', ids: 'valid', query: 'valid', auth: 'admin', body: 'wild' }),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    "malformed path ids: the other tenant's, the wrong kind, the wrong shape, encoded junk, '..'",
    () => fuzz(2, { routes: withParams, ids: 'wild', query: 'valid', auth: 'admin', body: 'valid' }),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'random query strings: unknown, repeated, malformed and out-of-range parameters, foreign cursors',
    () => fuzz(3, { routes: (r) => r.query.length > 0, ids: 'valid', query: 'wild', auth: 'own', body: 'valid' }),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    "random Authorization headers: none, other schemes, the other tenant's key, revoked and tampered keys, every role",
    () => fuzz(4, { routes: everyRoute, ids: 'valid', query: 'valid', auth: 'wild', body: 'valid' }),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    "the other tenant's ids everywhere: in paths, queries, cursors and bodies, with every role of A's keys",
    () => fuzz(5, { routes: authenticated, ids: 'foreign', query: 'foreign', auth: 'own', body: 'foreign' }),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'everything wild at once',
    () => fuzz(6, { routes: everyRoute, ids: 'wild', query: 'wild', auth: 'wild', body: 'wild' }),
    PROPERTY_TIMEOUT_MS,
  );

  test('the fuzz reached every route, with answers both accepted and refused', () => {
    const summary = routes.map((r) => [routeKey(r), coverage.get(routeKey(r)) ?? { requests: 0, ok: 0, refused: 0 }] as const);
    for (const [key, stats] of summary) {
      const route = routes.find((r) => routeKey(r) === key)!;
      if (authenticated(route)) expect([key, stats.ok > 0, stats.refused > 0]).toEqual([key, true, true]);
      else expect([key, stats.requests > 0]).toEqual([key, true]);
    }
  });
});

describe('regressions the fuzz found', () => {
  /** The one error envelope with this status and code, and nothing written but the authorization event. */
  async function expectRefused(method: Method, url: string, status: number, code: string): Promise<void> {
    const before = await snapshot();
    const ex = await send({ method, url, headers: admin(parties.A), body: undefined });
    const after = await snapshot();
    expect([ex.status, ...envelopeProblems(ex), ...writeProblems(before, after, ex.status, [{ owner: 'A', key: 'admin' }], { A: parties.A.tenant.id, B: parties.B.tenant.id }, method)]).toEqual([status]);
    expect((JSON.parse(ex.text) as { error: { code: string } }).error.code).toBe(code);
  }

  // Was a 500: the router's URIError (status 400, but not `expose`d) reached the renderer as an unknown error.
  test.each([
    ['get', '/v1/webhook-integrations/%uD800/signing-secret'],
    ['get', '/v1/s3-log-destinations/%E2%82'],
    ['patch', '/v1/s3-log-destinations/%zz'],
    ['delete', '/v1/webhook-integrations/%'],
    ['get', '/v1/webhook-integrations/whk_x/deliveries/%C0%AE'],
  ] as const)('%s %s: a path that does not percent-decode is a 400 bad_request', async (method, url) => {
    await expectRefused(method, url, 400, 'bad_request');
  });

  // Was a 500 on PostgreSQL: the position of a forged cursor (`v1:a\u0000b`) went into the query, and PostgreSQL
  // cannot compare text holding NUL (22021). A cursor whose position is not one a list hands out is now a 422.
  test.each([
    ['s3 destinations, NUL', '/v1/s3-log-destinations', 'a\u0000b'],
    ['webhook integrations, NUL', '/v1/webhook-integrations', 'a\u0000b'],
    ['webhook integrations, an id of another kind', '/v1/webhook-integrations', 's3d_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ['s3 destinations, not an id', '/v1/s3-log-destinations', 'zzz'],
    ['deliveries, NUL', '/v1/webhook-integrations/<webhook>/deliveries', 'wdl_\u0000'],
    ['deliveries, an id of another kind', '/v1/webhook-integrations/<webhook>/deliveries', 'whk_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
  ])('%s: a forged cursor is a 422 validation_failed', async (_name, path, position) => {
    const webhook = pool(await snapshot(), parties.A, 'webhook')[0]!;
    await expectRefused('get', `${path.replace('<webhook>', webhook)}?cursor=${encodeCursor(position)}`, 422, 'validation_failed');
  });

  test('the cursors the lists hand out still page through them', async () => {
    const webhook = await createWebhook(parties.A, 'probe');
    for (const path of ['/v1/s3-log-destinations', '/v1/webhook-integrations', `/v1/webhook-integrations/${webhook}/deliveries`]) {
      const first = await send({ method: 'get', url: `${path}?limit=1`, headers: admin(parties.A), body: undefined });
      const cursor = (JSON.parse(first.text) as { next_cursor: string | null }).next_cursor;
      expect([path, first.status, typeof cursor]).toEqual([path, 200, 'string']);
      const second = await send({ method: 'get', url: `${path}?limit=1&cursor=${cursor!}`, headers: admin(parties.A), body: undefined });
      expect([path, second.status]).toEqual([path, 200]);
    }
  });
});

describe('the oracles catch what they look for', () => {
  const exchange = (over: Partial<Exchange>): Exchange => ({
    method: 'get',
    url: '/v1/s3-log-destinations',
    headers: {},
    body: undefined,
    status: 200,
    responseHeaders: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req_01ARZ3NDEKTSV4RRFFQ69G5FAV' },
    text: '{"data":[],"next_cursor":null}',
    ...over,
  });

  test("a body holding B's id is a leak; the same id echoed from A's own request is not", () => {
    const bId = [...parties.B.secrets].find((s) => s.startsWith('s3d_'))!;
    const text = JSON.stringify({ data: [{ id: bId, name: 'x' }], next_cursor: null });
    expect(leakProblems(text, parties.B.secrets, [])).toEqual([expect.stringContaining(bId)]);
    expect(leakProblems(text, parties.B.secrets, [bId])).toEqual([]);
    expect(leakProblems(`{"name":"hook probe ${parties.B.tag}"}`, parties.B.secrets, [bId])).toHaveLength(1);
    expect(leakProblems(JSON.stringify({ data: [{ id: parties.A.tenant.id, name: `hook probe ${parties.A.tag}` }] }), parties.B.secrets, [])).toEqual([]);
  });

  test('a 5xx, a bare error, or a code with the wrong status breaks the envelope', () => {
    expect(envelopeProblems(exchange({}))).toEqual([]);
    const error = (code: string, status: number, requestId = 'req_01ARZ3NDEKTSV4RRFFQ69G5FAV') =>
      exchange({ status, text: JSON.stringify({ error: { code, message: 'm', details: null, request_id: requestId } }) });
    expect(envelopeProblems(error('not_found', 404))).toEqual([]);
    expect(envelopeProblems(error('internal', 500))).toEqual([expect.stringContaining('answered 500')]);
    expect(envelopeProblems(error('not_found', 400))).toEqual([expect.stringContaining('code not_found answered with 400')]);
    expect(envelopeProblems(error('not_found', 404, 'req_other'))).toEqual([expect.stringContaining('request_id')]);
    expect(envelopeProblems(exchange({ status: 400, text: '{"message":"bad"}' }))).toEqual([expect.stringContaining('exactly')]);
    expect(envelopeProblems(exchange({ status: 404, responseHeaders: { 'content-type': 'text/html', 'x-request-id': 'req_01ARZ3NDEKTSV4RRFFQ69G5FAV' }, text: '<p>no</p>' }))).not.toEqual([]);
  });

  test("a refused request that wrote a row, or any request that touched the other tenant's rows, is caught", async () => {
    const s = await snapshot();
    const ids = { A: parties.A.tenant.id, B: parties.B.tenant.id };
    const adminOfA: Caller[] = [{ owner: 'A', key: 'admin' }];
    expect(writeProblems(s, s, 422, adminOfA, ids)).toEqual([]);
    const bDestination = s.destinations.find((d) => d.tenantId === ids.B)!;
    const renamed: Snapshot = { ...s, destinations: s.destinations.map((d) => (d.id === bDestination.id ? { ...d, name: 'hijacked' } : d)) };
    expect(writeProblems(s, renamed, 200, adminOfA, ids)).toEqual([expect.stringContaining(`changed destinations of tenant ${ids.B}`)]);
    const aDestination = s.destinations.find((d) => d.tenantId === ids.A)!;
    const half: Snapshot = { ...s, deliveryStates: s.deliveryStates.filter((d) => d.destinationId !== aDestination.id) };
    expect(writeProblems(s, half, 422, adminOfA, ids)).toEqual([expect.stringContaining('refused with 422 but changed deliveryStates')]);
    const logged: Snapshot = { ...s, events: s.events.map((e) => (e.tenantId === ids.A && e.kind === 'authorization' ? { ...e, count: e.count + 1 } : e)) };
    expect(writeProblems(s, logged, 404, adminOfA, ids)).toEqual([]);
    expect(writeProblems(s, logged, 401, adminOfA, ids)).toEqual([expect.stringContaining('unauthenticated')]);
    // A read that succeeded may add its authorization event, and nothing else.
    expect(writeProblems(s, logged, 200, adminOfA, ids, 'get')).toEqual([]);
    expect(writeProblems(s, half, 200, adminOfA, ids, 'get')).toEqual([expect.stringContaining('a GET answered 200 but changed deliveryStates')]);
    expect(writeProblems(s, half, 200, adminOfA, ids, 'delete')).toEqual([]);
  });

  test("a reader's successful write, or a revoked key's anything, breaks the role oracle", () => {
    expect(roleProblems(exchange({ method: 'post', status: 201 }), '/v1/s3-log-destinations', [{ owner: 'A', key: 'reader' }])).toHaveLength(1);
    expect(roleProblems(exchange({ status: 200 }), '/v1/webhook-integrations/x/signing-secret', [{ owner: 'A', key: 'reader' }])).toHaveLength(1);
    expect(roleProblems(exchange({ status: 200 }), '/v1/events', [{ owner: 'A', key: 'revoked' }])).toHaveLength(1);
    expect(roleProblems(exchange({ status: 200 }), '/v1/events', [{ owner: 'A', key: 'reader' }])).toEqual([]);
  });

  test('a property over a leaking service fails, with the seed and the counterexample', () => {
    const bId = [...parties.B.secrets].find((s) => s.startsWith('whk_'))!;
    const leakyAnswer = (name: string) => JSON.stringify({ data: [{ id: name.length % 3 === 0 ? bId : 'whk_mine', name }] });
    let failure: unknown;
    try {
      fc.assert(
        fc.property(fc.string(), (name) => {
          const problems = leakProblems(leakyAnswer(name), parties.B.secrets, []);
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        { seed: SEED, numRuns: 50 },
      );
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/seed: \d+[\s\S]*Counterexample: \[/);
    expect(String((failure as Error & { cause?: unknown }).cause)).toContain(`holds another tenant's "${bId}"`);
  });
});
