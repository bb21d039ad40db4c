/**
 * The REST walkthrough of docs/getting-started/rest-api.md is examples/getting-started/rest-api.sh; here it runs, as
 * a new user runs it (bash, curl, jq), against a running service: its S3 destination is verified on a real S3 server
 * and its webhook reaches a real HTTP receiver, signed with the secret the script printed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import type { Receiver } from '../support/receiver';
import { startReceiver } from '../support/receiver';
import type { S3Fixture } from '../support/s3-fixture';
import { startS3Fixture } from '../support/s3-fixture';
import type { TenantWithKeys, TestService } from '../support/test-service';
import { bearer } from '../support/test-service';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'examples', 'getting-started', 'rest-api.sh');

function runScript(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

describe('the REST getting-started script', () => {
  let s3: S3Fixture;
  let service: TestService;
  let tenant: TenantWithKeys;
  let receiver: Receiver;
  let env: Record<string, string>;

  beforeAll(async () => {
    s3 = await startS3Fixture('rest');
    service = await s3.startService({ allowPrivateNetwork: true, delivery: { allowPrivateNetwork: true } });
    service.engine!.start();
    tenant = await service.tenant();
    receiver = await startReceiver();
    env = {
      AUDITDRAIN_ENDPOINT: await service.listen(),
      AUDITDRAIN_API_KEY: tenant.keys.admin.secret,
      WEBHOOK_URL: receiver.url,
      BUCKET: s3.bucket,
      ROLE_ARN: s3.roleArn,
      S3_ENDPOINT_URL: s3.gw.endpoint,
    };
  });
  afterAll(async () => {
    await receiver?.close();
    await s3?.stop();
  });

  test('creates both destinations, sends an event, and the webhook receives it signed', async () => {
    const { code, output } = await runScript(env);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining(`"tenant_id": "${tenant.id}"`) });

    const destinations = (await service.http.get('/v1/s3-log-destinations').set(bearer(tenant.keys.admin.secret))).body.data;
    expect(destinations).toEqual([expect.objectContaining({ bucket_name: s3.bucket, key_prefix: `auditdrain/${tenant.id}`, compression: 'gzip' })]);
    expect(await s3.keys(`auditdrain/${tenant.id}/test/`)).toHaveLength(1);

    // The script printed the signing secret; the receiver got the event, signed with it.
    const secret = /"signing_secret": "(whsec_[^"]+)"/.exec(output)?.[1];
    expect(secret).toBeDefined();
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(new Webhook(secret!).verify(got.body, got.headers as Record<string, string>)).toMatchObject({
      id: 'evt_getting_started_0001',
      action: 'grant.approved',
    });
    // and saw the delivery succeed in the delivery log.
    expect(output).toMatch(/"event_id": "evt_getting_started_0001",\s*"status": "succeeded"/);
  });

  test('a second run adds no event (same id) and says which variable is missing when one is', async () => {
    const again = await runScript({ ...env, BUCKET: '' });
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/"accepted": 0,\s*"duplicates": 1/);
    expect(again.output).toContain('No webhook delivery: the event was already in the log');
    expect(receiver.received).toHaveLength(1);
    const missing = await runScript({ ...env, AUDITDRAIN_API_KEY: '' });
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain('set AUDITDRAIN_API_KEY to the admin key that npm start printed');
  });
});
