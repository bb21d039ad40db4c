/**
 * The STS test server (a test double for AWS STS) answers the real AWS SDK v3 the way AWS does: AssumeRole with the
 * trust policy's external id enforced, SigV4 verified, and AWS's error shapes (code, message, HTTP status and the
 * request id the SDK reads from x-amzn-RequestId).
 */
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  RegionDisabledException,
  STSClient,
  type AssumeRoleCommandInput,
} from '@aws-sdk/client-sts';
import { startStsServer, StsServerError, type StsServer } from '../src/sts-server';

const CALLER = { accessKeyId: 'AKIACALLER0000000001', secretAccessKey: 'caller-secret/with+special=chars' };
const OTHER = { accessKeyId: 'AKIAOTHER00000000002', secretAccessKey: 'other-secret' };
const CALLER_ARN = 'arn:aws:iam::111122223333:user/auditdrain-delivery';
const ROLE = 'arn:aws:iam::444455556666:role/audit/AuditdrainWriter';
const FIXED_ROLE = 'arn:aws:iam::444455556666:role/FixedKeys';
const REGION_DISABLED_ROLE = 'arn:aws:iam::444455556666:role/InADisabledRegion';
const EXTERNAL_ID = 'auditdrain:tnt_01HZX4Q5W3';
const FIXED = { accessKeyId: 'AKRGWFIXED000000000', secretAccessKey: 'fixed-secret' };

let sts: StsServer;
/** The server's clock: the real one shifted by serverSkewMs, or pinned to serverTime when set. */
let serverSkewMs = 0;
let serverTime: Date | undefined;
const clients: STSClient[] = [];

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

function client(credentials: Credentials = CALLER, maxAttempts = 1): STSClient {
  const created = new STSClient({ endpoint: sts.endpoint, region: 'us-east-1', credentials, maxAttempts });
  clients.push(created);
  return created;
}

function assumeRole(input: Partial<AssumeRoleCommandInput> = {}): AssumeRoleCommand {
  return new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'delivery', ExternalId: EXTERNAL_ID, ...input });
}

type SdkError = Error & { $metadata: { httpStatusCode?: number; requestId?: string; attempts?: number } };

async function rejection(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the request to fail');
}

function lastCall(): StsServer['calls'][number] {
  const call = sts.calls.at(-1);
  if (!call) throw new Error('no call recorded');
  return call;
}

/** Pins the server's clock to the current second (Expiration has whole seconds) and returns it. */
function pinServerClock(): Date {
  serverTime = new Date(Math.floor(Date.now() / 1000) * 1000);
  return serverTime;
}

beforeAll(async () => {
  sts = await startStsServer({
    credentials: {
      [CALLER.accessKeyId]: { secretAccessKey: CALLER.secretAccessKey, arn: CALLER_ARN },
      [OTHER.accessKeyId]: OTHER.secretAccessKey,
    },
    clock: () => serverTime ?? new Date(Date.now() + serverSkewMs),
    issue: (roleArn) => {
      if (roleArn === FIXED_ROLE) return FIXED;
      if (roleArn === REGION_DISABLED_ROLE) {
        throw new StsServerError(
          'RegionDisabledException',
          'STS is not activated in this region for account:444455556666.',
          403,
        );
      }
      return undefined;
    },
  });
  sts.setRole(ROLE, { trustedAccessKeyIds: [CALLER.accessKeyId], externalId: EXTERNAL_ID });
  sts.setRole(FIXED_ROLE, { trustedAccessKeyIds: [CALLER.accessKeyId] });
  sts.setRole(REGION_DISABLED_ROLE, { trustedAccessKeyIds: [CALLER.accessKeyId] });
});

afterEach(() => {
  serverSkewMs = 0;
  serverTime = undefined;
  for (const created of clients.splice(0)) created.destroy();
});

afterAll(async () => {
  await sts?.stop();
});

test('AssumeRole with the right external id returns credentials, and the call records the external id', async () => {
  const now = pinServerClock();
  const out = await client().send(assumeRole({ RoleSessionName: 'auditdrain-s3d_01', DurationSeconds: 900 }));

  expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
  expect(out.Credentials?.SecretAccessKey).toEqual(expect.any(String));
  expect(out.Credentials?.SessionToken).toEqual(expect.any(String));
  expect(out.Credentials?.Expiration).toEqual(new Date(now.getTime() + 900_000));
  expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::444455556666:assumed-role/AuditdrainWriter/auditdrain-s3d_01');
  expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:auditdrain-s3d_01$/);

  expect(lastCall()).toMatchObject({
    method: 'POST',
    action: 'AssumeRole',
    roleArn: ROLE,
    roleSessionName: 'auditdrain-s3d_01',
    externalId: EXTERNAL_ID,
    durationSeconds: '900',
    callerAccessKeyId: CALLER.accessKeyId,
    decision: 'allowed',
    status: 200,
    requestId: out.$metadata.requestId,
    issuedAccessKeyId: out.Credentials?.AccessKeyId,
  });
});

test('DurationSeconds defaults to an hour; out-of-range values are a ValidationError', async () => {
  const now = pinServerClock();
  const out = await client().send(assumeRole());
  expect(out.Credentials?.Expiration).toEqual(new Date(now.getTime() + 3_600_000));

  const tooShort = await rejection(client().send(assumeRole({ DurationSeconds: 899 })));
  expect(tooShort.name).toBe('ValidationError');
  expect(tooShort.$metadata.httpStatusCode).toBe(400);
  expect(tooShort.message).toBe(
    "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: " +
      'Member must have value greater than or equal to 900',
  );

  const several = await rejection(client().send(assumeRole({ DurationSeconds: 43201, RoleSessionName: 'a b' })));
  expect(several.name).toBe('ValidationError');
  expect(several.message).toMatch(/^2 validation errors detected: Value 'a b' at 'roleSessionName' .*; Value '43201'/);
});

test('a wrong or missing external id is AccessDenied with the request id the server sent', async () => {
  for (const ExternalId of ['auditdrain:tnt_SOMEONE_ELSE', undefined]) {
    const error = await rejection(client().send(assumeRole({ ExternalId })));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe(`User: ${CALLER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`);
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lastCall()).toMatchObject({
      externalId: ExternalId,
      decision: 'denied',
      errorCode: 'AccessDenied',
      requestId: error.$metadata.requestId,
    });
  }
});

test('an untrusted caller and an unknown role are AccessDenied', async () => {
  const untrusted = await rejection(client(OTHER).send(assumeRole()));
  expect(untrusted.name).toBe('AccessDenied');
  expect(untrusted.message).toBe(
    `User: arn:aws:iam::123456789012:user/${OTHER.accessKeyId} is not authorized to perform: sts:AssumeRole ` +
      `on resource: ${ROLE}`,
  );

  const unknownRole = 'arn:aws:iam::444455556666:role/NoSuchRole';
  const unknown = await rejection(client().send(assumeRole({ RoleArn: unknownRole })));
  expect(unknown.name).toBe('AccessDenied');
  expect(unknown.message).toContain(`on resource: ${unknownRole}`);
});

test('an unknown access key is InvalidClientTokenId', async () => {
  const error = await rejection(
    client({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'whatever' }).send(assumeRole()),
  );
  expect(error.name).toBe('InvalidClientTokenId');
  expect(error.message).toBe('The security token included in the request is invalid.');
  expect(error.$metadata.httpStatusCode).toBe(403);
  expect(lastCall()).toMatchObject({ callerAccessKeyId: 'AKIAUNKNOWN000000000', decision: 'rejected' });
});

test('a request signed with the wrong secret is SignatureDoesNotMatch', async () => {
  const error = await rejection(client({ ...CALLER, secretAccessKey: 'not-the-secret' }).send(assumeRole()));
  expect(error.name).toBe('SignatureDoesNotMatch');
  expect(error.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
  expect(error.$metadata.httpStatusCode).toBe(403);
  expect(lastCall()).toMatchObject({ callerAccessKeyId: CALLER.accessKeyId, errorCode: 'SignatureDoesNotMatch' });
});

test('a request signed for another region is SignatureDoesNotMatch', async () => {
  const elsewhere = new STSClient({ endpoint: sts.endpoint, region: 'eu-west-1', credentials: CALLER, maxAttempts: 1 });
  clients.push(elsewhere);
  const error = await rejection(elsewhere.send(assumeRole()));
  expect(error.name).toBe('SignatureDoesNotMatch');
  expect(error.message).toBe("Credential should be scoped to a valid region, not 'eu-west-1'.");
});

test('a body changed after signing is SignatureDoesNotMatch (the payload hash is verified)', async () => {
  const tampering = client();
  // The deserialize step runs after signing, right before the request is sent.
  tampering.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body?: unknown };
      if (typeof request.body === 'string') {
        request.body = request.body.replace('RoleSessionName=alpha', 'RoleSessionName=omega');
      }
      return next(args);
    },
    { step: 'deserialize', name: 'tamperAfterSigning' },
  );
  const error = await rejection(tampering.send(assumeRole({ RoleSessionName: 'alpha' })));
  expect(error.name).toBe('SignatureDoesNotMatch');
  expect(lastCall().roleSessionName).toBe('omega');
});

test('a role not yet assumable (IAM eventual consistency) is AccessDenied until notAssumableUntil', async () => {
  const fresh = 'arn:aws:iam::444455556666:role/JustCreated';
  sts.setRole(fresh, {
    trustedAccessKeyIds: [CALLER.accessKeyId],
    externalId: EXTERNAL_ID,
    notAssumableUntil: new Date(Date.now() + 60_000),
  });
  const early = await rejection(client().send(assumeRole({ RoleArn: fresh })));
  expect(early.name).toBe('AccessDenied');
  expect(early.$metadata.httpStatusCode).toBe(403);

  // A minute later by the server's clock (well within the 15 minutes a signature stays valid).
  serverSkewMs = 61_000;
  const out = await client().send(assumeRole({ RoleArn: fresh }));
  expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  expect(lastCall()).toMatchObject({ roleArn: fresh, decision: 'allowed' });
});

test('options.issue hands out fixed credentials (no session token) and can answer with an AWS error', async () => {
  const out = await client().send(assumeRole({ RoleArn: FIXED_ROLE, ExternalId: undefined }));
  expect(out.Credentials).toMatchObject({ AccessKeyId: FIXED.accessKeyId, SecretAccessKey: FIXED.secretAccessKey });
  expect(out.Credentials?.SessionToken).toBeUndefined();

  const error = await rejection(client().send(assumeRole({ RoleArn: REGION_DISABLED_ROLE })));
  expect(error).toBeInstanceOf(RegionDisabledException);
  expect(error.name).toBe('RegionDisabledException');
  expect(error.$metadata.httpStatusCode).toBe(403);
});

test('a role with MaxSessionDuration refuses longer sessions', async () => {
  const short = 'arn:aws:iam::444455556666:role/OneHourMax';
  sts.setRole(short, { trustedAccessKeyIds: [CALLER.accessKeyId], maxSessionDurationSeconds: 3600 });
  const now = pinServerClock();
  const longest = await client().send(assumeRole({ RoleArn: short, DurationSeconds: 3600 }));
  expect(longest.Credentials?.Expiration).toEqual(new Date(now.getTime() + 3_600_000));
  const error = await rejection(client().send(assumeRole({ RoleArn: short, DurationSeconds: 3601 })));
  expect(error.name).toBe('ValidationError');
  expect(error.message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
});

test('other actions are InvalidAction', async () => {
  const error = await rejection(client().send(new GetCallerIdentityCommand({})));
  expect(error.name).toBe('InvalidAction');
  expect(error.message).toBe('Could not find operation GetCallerIdentity for version 2011-06-15');
  expect(error.$metadata.httpStatusCode).toBe(400);
});

test('GET with the parameters in a signed query string works too', async () => {
  const viaGet = client();
  // The build step runs before signing: move the form body into the query string.
  viaGet.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as {
        method: string;
        body?: unknown;
        query: Record<string, string>;
        headers: Record<string, string>;
      };
      request.method = 'GET';
      request.query = Object.fromEntries(new URLSearchParams(String(request.body)));
      request.body = undefined;
      delete request.headers['content-type'];
      delete request.headers['content-length'];
      return next(args);
    },
    { step: 'build', name: 'formToQuery' },
  );
  // Characters that must be percent-encoded in the canonical query string (and '+', which must stay '+').
  const out = await viaGet.send(assumeRole({ RoleSessionName: 'a+b=c,d.e@f-g_h' }));
  expect(out.AssumedRoleUser?.Arn).toMatch(/\/a\+b=c,d\.e@f-g_h$/);
  expect(lastCall()).toMatchObject({ method: 'GET', externalId: EXTERNAL_ID, roleSessionName: 'a+b=c,d.e@f-g_h' });
});

test('a clock more than 15 minutes off is refused; the SDK corrects its clock from the Date header', async () => {
  serverSkewMs = 20 * 60 * 1000;
  const expired = await rejection(client().send(assumeRole()));
  expect(expired.name).toBe('SignatureDoesNotMatch');
  const stamp = '\\d{8}T\\d{6}Z';
  expect(expired.message).toMatch(
    new RegExp(`^Signature expired: ${stamp} is now earlier than ${stamp} \\(${stamp} - 15 min\\.\\)$`),
  );

  serverSkewMs = -20 * 60 * 1000;
  const early = await rejection(client().send(assumeRole()));
  expect(early.name).toBe('SignatureDoesNotMatch');
  expect(early.message).toMatch(/^Signature not yet current: /);

  // With retries the SDK reads the server's Date header, adjusts its clock offset and signs again.
  serverSkewMs = 20 * 60 * 1000;
  sts.calls.length = 0;
  const out = await client(CALLER, 3).send(assumeRole());
  expect(out.$metadata.attempts).toBe(2);
  expect(sts.calls.map((call) => call.errorCode ?? call.decision)).toEqual(['SignatureDoesNotMatch', 'allowed']);
});

test('errors are AWS ErrorResponse XML with the request id in the body and the x-amzn-RequestId header', async () => {
  const response = await fetch(sts.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(ROLE)}&RoleSessionName=x1`,
  });
  expect(response.status).toBe(403);
  expect(response.headers.get('content-type')).toBe('text/xml');
  const requestId = response.headers.get('x-amzn-requestid');
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(await response.text()).toBe(
    [
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
      '  <Error>',
      '    <Type>Sender</Type>',
      '    <Code>MissingAuthenticationToken</Code>',
      '    <Message>Request is missing Authentication Token</Message>',
      '  </Error>',
      `  <RequestId>${requestId}</RequestId>`,
      '</ErrorResponse>',
      '',
    ].join('\n'),
  );
  expect(lastCall()).toMatchObject({ requestId, roleArn: ROLE, decision: 'rejected', status: 403 });
});

test('stop() closes the server, also with SDK keep-alive connections open, and can be called twice', async () => {
  const own = await startStsServer({ credentials: { [CALLER.accessKeyId]: CALLER.secretAccessKey } });
  own.setRole(ROLE, { trustedAccessKeyIds: [CALLER.accessKeyId] });
  const sdk = new STSClient({ endpoint: own.endpoint, region: own.region, credentials: CALLER, maxAttempts: 1 });
  try {
    await sdk.send(assumeRole({ ExternalId: undefined }));
    await Promise.all([own.stop(), own.stop()]);
    const error = await rejection(fetch(own.endpoint, { method: 'POST' }));
    expect(String((error as Error & { cause?: { code?: string } }).cause?.code)).toBe('ECONNREFUSED');
  } finally {
    sdk.destroy();
    await own.stop();
  }
});
