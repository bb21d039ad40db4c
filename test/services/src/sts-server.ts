// A stand-in for AWS STS (the Security Token Service) in tests: a small HTTP server on 127.0.0.1 that answers
// AssumeRole in AWS's Query protocol (form-encoded request, XML response), the way sts.amazonaws.com does.
//
// It is a TEST DOUBLE FOR AWS STS, which cannot be reached from the tests. It exists because Ceph's RADOS Gateway
// (s3-gateway.ts), the real S3 server the tests use, implements STS but ignores ExternalId and answers errors in S3's
// XML shape; the tests that prove that the tenant's external id is sent and enforced, and that AWS STS errors reach
// the user with their code, message and request id, need a server that behaves like AWS here:
//
// - Requests are authenticated with AWS Signature Version 4, verified by code written in this file from the SigV4
//   specification (no AWS SDK code on the server side): canonical request, string to sign, derived signing key, and a
//   constant-time comparison. Callers are the access keys given in options.credentials.
// - Roles are declared with setRole(): which callers the trust policy admits, the external id it requires (the
//   `sts:ExternalId` condition), and a time before which the role cannot be assumed (IAM's eventual consistency for a
//   role created seconds ago). Everything else AWS would check (session policies, tags, MFA, source identity, ...)
//   is not modelled.
// - Answers use AWS's shapes: AssumeRoleResponse on success, ErrorResponse (Type, Code, Message, RequestId) with AWS's
//   error codes, HTTP statuses and message texts on failure, `Content-Type: text/xml`, the request id also in the
//   `x-amzn-RequestId` header (where the AWS SDK reads it) and a `Date` header from the server's clock (from which
//   the SDK corrects its clock skew).
// - Only AssumeRole is implemented; any other action is answered with InvalidAction.
//
// Every request, accepted or not, is recorded in `calls`.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import { errorMessage } from './process';

/** A known caller: an access key's secret and the principal it belongs to. */
export interface StsCaller {
  readonly secretAccessKey: string;
  /** The caller's ARN, shown in AccessDenied messages. Default: arn:aws:iam::<accountId>:user/<access key id>. */
  readonly arn?: string;
}

/** What a role's trust policy admits. */
export interface StsRoleRule {
  /** Access key ids of the callers allowed to assume the role (the trust policy's principals). */
  readonly trustedAccessKeyIds: readonly string[];
  /** When set, AssumeRole must pass exactly this ExternalId (a `StringEquals` condition on `sts:ExternalId`). */
  readonly externalId?: string;
  /** AccessDenied until this time (by the server's clock): a role that IAM has not yet propagated. */
  readonly notAssumableUntil?: Date;
  /** The role's MaxSessionDuration in seconds; a longer DurationSeconds is a ValidationError. Default: no limit. */
  readonly maxSessionDurationSeconds?: number;
}

/** The parameters of an AssumeRole call that passed authentication, validation and the role's trust policy. */
export interface StsAssumeRoleRequest {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly externalId: string | undefined;
  readonly durationSeconds: number;
  readonly callerAccessKeyId: string;
  readonly requestId: string;
}

/** Credentials handed out by AssumeRole. */
export interface StsIssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Omitted from the response when absent (e.g. a gateway user's long-term keys, which take no session token). */
  readonly sessionToken?: string;
  /** Default: the server's clock + DurationSeconds. */
  readonly expiration?: Date;
}

export interface StsServerOptions {
  /** Known callers: access key id → secret access key (or the secret and the caller's ARN). */
  readonly credentials: Readonly<Record<string, string | StsCaller>>;
  /** The region requests must be signed for (the credential scope's region). Default: us-east-1. */
  readonly region?: string;
  /** The account of callers without an explicit ARN. Default: 123456789012. */
  readonly accountId?: string;
  /**
   * Picks the credentials a successful AssumeRole returns, e.g. real keys of an S3 gateway user (or temporary
   * credentials from the gateway's own STS) so the S3 server accepts them. Returning undefined hands out random
   * ones (ASIA… key id, secret, session token). Throwing an StsServerError answers the call with that error;
   * throwing anything else answers 500 InternalFailure.
   */
  readonly issue?: (
    roleArn: string,
    request: StsAssumeRoleRequest,
  ) => StsIssuedCredentials | undefined | Promise<StsIssuedCredentials | undefined>;
  /** The server's clock (signature freshness, notAssumableUntil, Expiration, the Date header). Default: system's. */
  readonly clock?: () => Date;
}

/** One request the server answered. */
export interface StsCall {
  readonly at: Date;
  readonly method: string;
  /** The Action parameter, when there was one. */
  readonly action: string | undefined;
  readonly roleArn: string | undefined;
  readonly roleSessionName: string | undefined;
  /** The ExternalId parameter exactly as received; undefined when the request had none. */
  readonly externalId: string | undefined;
  readonly durationSeconds: string | undefined;
  /** All parameters of the request (form body and query string). */
  readonly params: Readonly<Record<string, string>>;
  /** The access key id from the Authorization header (also when unknown or the signature was wrong). */
  readonly callerAccessKeyId: string | undefined;
  /**
   * `allowed`: credentials issued; `denied`: authenticated, but refused by the role (AccessDenied);
   * `rejected`: anything else (authentication, validation, unknown action, an error from options.issue).
   */
  readonly decision: 'allowed' | 'denied' | 'rejected';
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  /** Sent in the x-amzn-RequestId header and in the XML body. */
  readonly requestId: string;
  /** The access key id handed out, when allowed. */
  readonly issuedAccessKeyId: string | undefined;
  /** The canonical request and string to sign the server computed (for debugging SignatureDoesNotMatch). */
  readonly canonicalRequest: string | undefined;
  readonly stringToSign: string | undefined;
}

export interface StsServer {
  /** http://127.0.0.1:<port>, the STSClient's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** The region to sign with. */
  readonly region: string;
  /** Every request answered so far, oldest first (a live array; `calls.length = 0` forgets them). */
  readonly calls: StsCall[];
  /** Declares (or replaces) a role. Unknown roles cannot be assumed (AccessDenied, as AWS answers). */
  setRole(roleArn: string, rule: StsRoleRule): void;
  /** Closes the server and its connections. Safe to call more than once. */
  stop(): Promise<void>;
}

/** An AWS error answer; options.issue may throw one. */
export class StsServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const API_VERSION = '2011-06-15';
const SERVICE = 'sts';
const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_DURATION_SECONDS = 3600;
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43200;

const MESSAGES = {
  invalidClientTokenId: 'The security token included in the request is invalid.',
  signatureDoesNotMatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access ' +
    'Key and signing method. Consult the service documentation for details.',
  missingAuthenticationToken: 'Request is missing Authentication Token',
};

interface RoleState extends StsRoleRule {
  /** The role's unique id (AROA…), the first half of AssumedRoleId. */
  readonly roleId: string;
}

export async function startStsServer(options: StsServerOptions): Promise<StsServer> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const clock = options.clock ?? (() => new Date());
  const callers = new Map<string, Required<StsCaller>>();
  for (const [accessKeyId, value] of Object.entries(options.credentials)) {
    const caller = typeof value === 'string' ? { secretAccessKey: value } : value;
    callers.set(accessKeyId, {
      secretAccessKey: caller.secretAccessKey,
      arn: caller.arn ?? `arn:aws:iam::${accountId}:user/${accessKeyId}`,
    });
  }
  const roles = new Map<string, RoleState>();
  const calls: StsCall[] = [];
  const context: Context = { region, clock, callers, roles, issue: options.issue };

  const server = http.createServer((req, res) => {
    handle(context, req, res).then(
      (call) => calls.push(call),
      (error: unknown) => res.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address !== 'object') {
    server.close();
    throw new Error('could not determine the STS server port');
  }
  const port = address.port;
  let stopping: Promise<void> | undefined;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    region,
    calls,
    setRole(roleArn: string, rule: StsRoleRule): void {
      roles.set(roleArn, {
        ...rule,
        trustedAccessKeyIds: [...rule.trustedAccessKeyIds],
        roleId: roles.get(roleArn)?.roleId ?? `AROA${randomId(17)}`,
      });
    },
    stop(): Promise<void> {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // idle keep-alive sockets of SDK clients would hold close() open
      });
      return stopping;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Request handling

interface Context {
  region: string;
  clock: () => Date;
  callers: Map<string, Required<StsCaller>>;
  roles: Map<string, RoleState>;
  issue: StsServerOptions['issue'];
}

/** What is learnt about a request while it is handled; becomes its StsCall. */
interface Progress {
  params: Record<string, string>;
  callerAccessKeyId?: string;
  canonicalRequest?: string;
  stringToSign?: string;
  issuedAccessKeyId?: string;
}

/** An error answer on its way out (thrown inside handle()). */
class Refusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly decision: 'denied' | 'rejected' = 'rejected',
  ) {}
}

async function handle(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse): Promise<StsCall> {
  const requestId = randomUUID();
  const at = ctx.clock();
  const progress: Progress = { params: {} };
  let status = 200;
  let decision: StsCall['decision'] = 'allowed';
  let errorCode: string | undefined;
  let refusalMessage: string | undefined;
  let body: string;
  try {
    body = await answer(ctx, req, requestId, progress);
  } catch (error) {
    const refusal =
      error instanceof Refusal
        ? error
        : error instanceof StsServerError
          ? new Refusal(error.statusCode, error.code, error.message)
          : new Refusal(500, 'InternalFailure', `The STS test server failed: ${errorMessage(error)}`);
    status = refusal.status;
    decision = refusal.decision;
    errorCode = refusal.code;
    refusalMessage = refusal.message;
    body = errorXml(refusal, requestId);
  }
  const payload = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'text/xml',
    'Content-Length': String(payload.length),
    'x-amzn-RequestId': requestId,
    Date: ctx.clock().toUTCString(),
  });
  res.end(payload);
  const { params } = progress;
  return {
    at,
    method: req.method ?? '',
    action: params.Action,
    roleArn: params.RoleArn,
    roleSessionName: params.RoleSessionName,
    externalId: params.ExternalId,
    durationSeconds: params.DurationSeconds,
    params,
    callerAccessKeyId: progress.callerAccessKeyId,
    decision,
    status,
    errorCode,
    errorMessage: refusalMessage,
    requestId,
    issuedAccessKeyId: progress.issuedAccessKeyId,
    canonicalRequest: progress.canonicalRequest,
    stringToSign: progress.stringToSign,
  };
}

/** Returns the XML of a successful answer or throws a Refusal. */
async function answer(
  ctx: Context,
  req: http.IncomingMessage,
  requestId: string,
  progress: Progress,
): Promise<string> {
  const body = await readBody(req);
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  const rawPath = queryStart < 0 ? target : target.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : target.slice(queryStart + 1);

  if (req.method !== 'POST' && req.method !== 'GET') {
    throw new Refusal(405, 'MethodNotAllowed', `The HTTP method ${req.method ?? ''} is not allowed; use POST or GET.`);
  }
  if (rawPath !== '/') throw new Refusal(404, 'NotFound', `There is no resource at ${rawPath}; send requests to /.`);

  // Parameters: the query string, then (POST) the form-encoded body; a body parameter wins over a query parameter.
  const queryPairs = parseQuery(rawQuery);
  for (const [key, value] of queryPairs) progress.params[key] ??= value;
  if (req.method === 'POST' && body.length > 0) {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded') {
      throw new Refusal(
        400,
        'InvalidQueryParameter',
        `POST bodies must be application/x-www-form-urlencoded, not ${contentType || 'untyped'}.`,
      );
    }
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) progress.params[key] = value;
  }

  authenticate(ctx, req, rawPath, queryPairs, body, progress);

  const { params } = progress;
  const action = params.Action;
  if (action === undefined || action === '') throw new Refusal(400, 'MissingAction', 'Missing Action');
  if (params.Version !== API_VERSION || action !== 'AssumeRole') {
    throw new Refusal(
      400,
      'InvalidAction',
      `Could not find operation ${action} for version ${params.Version ?? 'NO_VERSION_SPECIFIED'}`,
    );
  }
  return assumeRole(ctx, params, requestId, progress);
}

async function assumeRole(
  ctx: Context,
  params: Record<string, string>,
  requestId: string,
  progress: Progress,
): Promise<string> {
  // Input validation first (AWS answers these before looking at the role), all violations in one message.
  const violations: string[] = [];
  const roleArn = params.RoleArn;
  const sessionName = params.RoleSessionName;
  const externalId = params.ExternalId;
  const violation = (value: string | undefined, member: string, constraint: string): void => {
    violations.push(
      `Value ${value === undefined ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
    );
  };
  const checkString = (
    value: string | undefined,
    member: string,
    required: boolean,
    min: number,
    max: number,
    pattern?: { regex: RegExp; text: string },
  ): void => {
    if (value === undefined) {
      if (required) violation(value, member, 'Member must not be null');
      return;
    }
    if (value.length < min) violation(value, member, `Member must have length greater than or equal to ${min}`);
    if (value.length > max) violation(value, member, `Member must have length less than or equal to ${max}`);
    if (pattern && !pattern.regex.test(value)) {
      violation(value, member, `Member must satisfy regular expression pattern: ${pattern.text}`);
    }
  };
  checkString(roleArn, 'roleArn', true, 20, 2048);
  checkString(sessionName, 'roleSessionName', true, 2, 64, { regex: /^[\w+=,.@-]*$/, text: '[\\w+=,.@-]*' });
  checkString(externalId, 'externalId', false, 2, 1224, { regex: /^[\w+=,.@:/-]*$/, text: '[\\w+=,.@:\\/-]*' });
  let durationSeconds = DEFAULT_DURATION_SECONDS;
  if (params.DurationSeconds !== undefined) {
    const raw = params.DurationSeconds;
    durationSeconds = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isNaN(durationSeconds)) violation(raw, 'durationSeconds', 'Member must be a whole number');
    else if (durationSeconds < MIN_DURATION_SECONDS) {
      violation(raw, 'durationSeconds', `Member must have value greater than or equal to ${MIN_DURATION_SECONDS}`);
    } else if (durationSeconds > MAX_DURATION_SECONDS) {
      violation(raw, 'durationSeconds', `Member must have value less than or equal to ${MAX_DURATION_SECONDS}`);
    }
  }
  if (violations.length > 0) {
    const count = violations.length === 1 ? '1 validation error' : `${violations.length} validation errors`;
    throw new Refusal(400, 'ValidationError', `${count} detected: ${violations.join('; ')}`);
  }

  // The trust policy. AWS gives one answer for every reason (unknown role, untrusted caller, wrong or missing
  // external id, a role not yet propagated), so that a caller learns nothing about the role.
  const callerKeyId = progress.callerAccessKeyId!;
  const caller = ctx.callers.get(callerKeyId)!;
  const role = ctx.roles.get(roleArn!);
  const now = ctx.clock();
  const trusted =
    role !== undefined &&
    role.trustedAccessKeyIds.includes(callerKeyId) &&
    (role.externalId === undefined || role.externalId === externalId) &&
    (role.notAssumableUntil === undefined || now.getTime() >= role.notAssumableUntil.getTime());
  if (!trusted) {
    throw new Refusal(
      403,
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      'denied',
    );
  }
  if (role.maxSessionDurationSeconds !== undefined && durationSeconds > role.maxSessionDurationSeconds) {
    throw new Refusal(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }

  const request: StsAssumeRoleRequest = {
    roleArn: roleArn!,
    roleSessionName: sessionName!,
    externalId,
    durationSeconds,
    callerAccessKeyId: callerKeyId,
    requestId,
  };
  const issued = (await ctx.issue?.(roleArn!, request)) ?? {
    accessKeyId: `ASIA${randomId(16)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(192).toString('base64'),
  };
  progress.issuedAccessKeyId = issued.accessKeyId;
  const expiration = issued.expiration ?? new Date(now.getTime() + durationSeconds * 1000);

  // arn:<partition>:iam::<account>:role/<path/>name → arn:<partition>:sts::<account>:assumed-role/<name>/<session>
  const arnMatch = /^arn:([^:]*):iam::([^:]*):role\/(?:.*\/)?([^/]+)$/.exec(roleArn!);
  const assumedRoleArn = arnMatch
    ? `arn:${arnMatch[1]}:sts::${arnMatch[2]}:assumed-role/${arnMatch[3]}/${sessionName}`
    : `${roleArn}/${sessionName}`;
  return [
    `<AssumeRoleResponse xmlns="${XMLNS}">`,
    '  <AssumeRoleResult>',
    '    <AssumedRoleUser>',
    `      <AssumedRoleId>${xml(`${role.roleId}:${sessionName}`)}</AssumedRoleId>`,
    `      <Arn>${xml(assumedRoleArn)}</Arn>`,
    '    </AssumedRoleUser>',
    '    <Credentials>',
    `      <AccessKeyId>${xml(issued.accessKeyId)}</AccessKeyId>`,
    `      <SecretAccessKey>${xml(issued.secretAccessKey)}</SecretAccessKey>`,
    ...(issued.sessionToken !== undefined ? [`      <SessionToken>${xml(issued.sessionToken)}</SessionToken>`] : []),
    `      <Expiration>${isoSeconds(expiration)}</Expiration>`,
    '    </Credentials>',
    '  </AssumeRoleResult>',
    '  <ResponseMetadata>',
    `    <RequestId>${requestId}</RequestId>`,
    '  </ResponseMetadata>',
    '</AssumeRoleResponse>',
    '',
  ].join('\n');
}

function errorXml(refusal: Refusal, requestId: string): string {
  return [
    `<ErrorResponse xmlns="${XMLNS}">`,
    '  <Error>',
    `    <Type>${refusal.status >= 500 ? 'Receiver' : 'Sender'}</Type>`,
    `    <Code>${xml(refusal.code)}</Code>`,
    `    <Message>${xml(refusal.message)}</Message>`,
    '  </Error>',
    `  <RequestId>${requestId}</RequestId>`,
    '</ErrorResponse>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Signature Version 4 (header form: `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`)

function authenticate(
  ctx: Context,
  req: http.IncomingMessage,
  rawPath: string,
  queryPairs: ReadonlyArray<readonly [string, string]>,
  body: Buffer,
  progress: Progress,
): void {
  const authorization = req.headers.authorization;
  if (authorization === undefined || authorization.trim() === '') {
    throw new Refusal(403, 'MissingAuthenticationToken', MESSAGES.missingAuthenticationToken);
  }
  const incomplete = (message: string): Refusal => new Refusal(400, 'IncompleteSignature', message);
  const space = authorization.trim().indexOf(' ');
  const algorithm = space < 0 ? authorization.trim() : authorization.trim().slice(0, space);
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'`);
  const fields = new Map<string, string>();
  for (const part of authorization.trim().slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeadersField = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const amzDate = headerValues(req, 'x-amz-date');
  const missing = [
    ...(credential ? [] : ["Authorization header requires 'Credential' parameter."]),
    ...(signature ? [] : ["Authorization header requires 'Signature' parameter."]),
    ...(signedHeadersField ? [] : ["Authorization header requires 'SignedHeaders' parameter."]),
    ...(amzDate ? [] : ["Authorization header requires existence of a 'X-Amz-Date' header."]),
  ];
  if (missing.length > 0) throw incomplete(`${missing.join(' ')} Authorization=${authorization}`);

  // Credential=<key id>/<yyyymmdd>/<region>/<service>/aws4_request
  const scopeParts = credential!.split('/');
  const accessKeyId = scopeParts[0] ?? '';
  if (scopeParts.length !== 5 || accessKeyId === '') {
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ` +
        `got '${credential}'`,
    );
  }
  progress.callerAccessKeyId = accessKeyId;
  const [, scopeDate, scopeRegion, scopeService, terminator] = scopeParts as [string, string, string, string, string];

  // This server hands out no session tokens it would accept, so a request carrying one (temporary credentials,
  // role chaining) is refused the way AWS refuses a token it does not know.
  const caller = ctx.callers.get(accessKeyId);
  if (!caller || headerValues(req, 'x-amz-security-token') !== undefined) {
    throw new Refusal(403, 'InvalidClientTokenId', MESSAGES.invalidClientTokenId);
  }

  const signatureError = (message = MESSAGES.signatureDoesNotMatch): Refusal =>
    new Refusal(403, 'SignatureDoesNotMatch', message);
  if (terminator !== 'aws4_request') {
    throw signatureError(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }
  if (scopeService !== SERVICE) throw signatureError(`Credential should be scoped to correct service: '${SERVICE}'.`);
  if (scopeRegion !== ctx.region) {
    throw signatureError(`Credential should be scoped to a valid region, not '${scopeRegion}'.`);
  }

  // Freshness: X-Amz-Date within 15 minutes of the server's clock.
  const requestTime = parseAmzDate(amzDate!);
  if (requestTime === undefined) throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  if (scopeDate !== amzDate!.slice(0, 8)) {
    throw signatureError(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${scopeDate}' != '${amzDate!.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const now = ctx.clock().getTime();
  if (requestTime < now - MAX_SKEW_MS) {
    throw signatureError(
      `Signature expired: ${amzDate} is now earlier than ${amzFormat(now - MAX_SKEW_MS)} (${amzFormat(now)} - 15 min.)`,
    );
  }
  if (requestTime > now + MAX_SKEW_MS) {
    throw signatureError(
      `Signature not yet current: ${amzDate} is still later than ${amzFormat(now + MAX_SKEW_MS)} ` +
        `(${amzFormat(now)} + 15 min.)`,
    );
  }

  // Canonical request.
  const signedHeaders = signedHeadersField!.split(';');
  if (!signedHeaders.includes('host')) {
    throw incomplete(`'Host' must be a 'SignedHeader' in the AWS Authorization.`);
  }
  const bodyHash = sha256Hex(body);
  const declaredHash = headerValues(req, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== bodyHash) {
    // The hash the client signed is not the hash of the body that arrived: the body was changed on the way.
    throw signatureError("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const canonicalRequest = [
    req.method ?? '',
    canonicalUri(rawPath),
    canonicalQueryString(queryPairs),
    ...signedHeaders.map((name) => `${name}:${canonicalHeaderValue(headerValues(req, name) ?? '')}`),
    '',
    signedHeadersField!,
    declaredHash ?? bodyHash,
  ].join('\n');
  const scope = `${scopeDate}/${scopeRegion}/${scopeService}/${terminator}`;
  const stringToSign = [ALGORITHM, amzDate!, scope, sha256Hex(Buffer.from(canonicalRequest, 'utf8'))].join('\n');
  progress.canonicalRequest = canonicalRequest;
  progress.stringToSign = stringToSign;

  let key = hmac(`AWS4${caller.secretAccessKey}`, scopeDate);
  for (const part of [scopeRegion, scopeService, terminator]) key = hmac(key, part);
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'), 'utf8');
  const provided = Buffer.from(signature!.toLowerCase(), 'utf8');
  if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) throw signatureError();
}

/**
 * All values of a header as sent (node's req.headers joins some repeated headers with ", " and drops others, so the
 * raw header list is read), joined with "," as SigV4 prescribes; undefined when the header is absent.
 */
function headerValues(req: http.IncomingMessage, name: string): string | undefined {
  const values: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === name) values.push(req.rawHeaders[i + 1]!);
  }
  return values.length > 0 ? values.join(',') : undefined;
}

/** Leading and trailing blanks removed, runs of blanks reduced to one space. */
function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/**
 * Services other than S3 normalize the path (RFC 3986 dot segments, repeated slashes) and encode each segment once
 * more: the path as sent is already encoded once, so the canonical URI is the doubly encoded path.
 */
function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return normalized.split('/').map(uriEncode).join('/');
}

/** Each name and value URI-encoded (RFC 3986 unreserved characters kept), sorted by name, then by value. */
function canonicalQueryString(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** The query string's name/value pairs, percent-decoded ('+' stays '+', as SigV4 reads it). */
function parseQuery(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const [key, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
      try {
        return [decodeURIComponent(key), decodeURIComponent(value)];
      } catch {
        throw new Refusal(404, 'MalformedQueryString', `The query string contains a syntax error: ${pair}`);
      }
    });
}

/** SigV4's URI encoding: everything but A-Z a-z 0-9 - _ . ~ as %XY (upper-case hex) of its UTF-8 bytes. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** yyyymmddThhmmssZ → milliseconds since the epoch; undefined when malformed. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const time = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(time).getUTCDate() === d ? time : undefined;
}

function amzFormat(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Refusal(413, 'RequestEntityTooLarge', `The request body exceeds ${MAX_BODY_BYTES} bytes.`));
        req.resume();
      } else {
        chunks.push(chunk);
      }
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Upper-case letters and digits 2-7 (the alphabet of AWS's key ids). */
function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** Escapes text content (no attribute values are built from input). */
function xml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
