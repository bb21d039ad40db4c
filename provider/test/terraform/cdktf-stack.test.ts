/**
 * The CDKTF example (examples/cdktf/main.ts, on the generated @auditdrain/cdktf bindings) as a user runs it:
 * `cdktf synth`, then the real terraform binary in the synthesized stack, with the provider installed by
 * `terraform init` from a local mirror, against a control plane that verifies S3 destinations on a real S3 server.
 * Create, an empty second plan, a construct property changed and re-applied in place, the same app synthesized on
 * CDK Terrain (cdktn) planning no change to what cdktf made and applying its own change, a switch to static keys whose
 * secret goes through the write-only attribute from an ephemeral variable (in neither the synthesized JSON nor the
 * state), destroy; and the same with the CLI's own `cdktf deploy` and `cdktf destroy`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { providersSchemaJson } from '@auditdrain/schema';
import type { S3Fixture } from '../../../control-plane/test/support/s3-fixture';
import { startS3Fixture } from '../../../control-plane/test/support/s3-fixture';
import type { TenantWithKeys, TestService } from '../../../control-plane/test/support/test-service';
import { bearer } from '../../../control-plane/test/support/test-service';
import { cdktfCommand, cdktfSynth, cdktnSynth } from './support/cdktf';
import { describeWithTerraform, Workspace } from './support/terraform';

const SIEM_TOKEN = 'siem-token-never-in-synth-output';

interface Destination {
  id: string;
  name: string;
  bucket_name: string;
  key_prefix: string;
  compression: string;
  batch_duration_in_minutes: number | null;
  role_arn: string | null;
  access_key_id: string | null;
}

describeWithTerraform('the CDKTF example stack, synthesized and applied with terraform', () => {
  let s3: S3Fixture;
  let service: TestService;
  let tenant: TenantWithKeys;
  let ws: Workspace;
  let endpoint: string;
  let stackEnv: (minutes: number) => Record<string, string>;

  const api = () => bearer(tenant.keys.admin.secret);
  const destinations = async (): Promise<Destination[]> =>
    (await service.http.get('/v1/s3-log-destinations').set(api()).expect(200)).body.data as Destination[];
  const integrations = async (): Promise<Array<{ id: string; url: string; headers: Array<{ key: string }> }>> =>
    (await service.http.get('/v1/webhook-integrations').set(api()).expect(200)).body.data;
  /** terraform's environment for the synthesized stack: the sensitive variable's value. */
  const tfEnv = { TF_VAR_siem_token: SIEM_TOKEN };
  const testObjects = async () => (await s3.keys(`auditdrain/${tenant.id}/test/`)).length;

  beforeAll(async () => {
    s3 = await startS3Fixture('cdktf');
    service = await s3.startService({ allowPrivateNetwork: true, awsPrincipalArn: s3.serviceUser.arn, delivery: { allowPrivateNetwork: true } });
    tenant = await service.tenant();
    endpoint = await service.listen();
    ws = new Workspace({ endpoint, apiKey: tenant.keys.admin.secret }, { install: 'mirror', versionsTf: false });
    stackEnv = (minutes) => ({
      AUDIT_BUCKET: s3.bucket,
      AUDIT_ROLE_ARN: s3.roleArn,
      AUDIT_S3_ENDPOINT: s3.gw.endpoint,
      AUDIT_BATCH_MINUTES: String(minutes),
      SIEM_URL: 'http://127.0.0.1:9/siem',
    });
  });
  afterAll(async () => {
    ws?.remove();
    await s3?.stop();
  });

  let archiveId: string;
  let siemId: string;
  /** What cdktf synthesized last, to compare with cdktn's output. */
  let lastCdktfJson: string;

  test('cdktf synth writes Terraform JSON with the provider pinned and no secret in it', async () => {
    const synth = await cdktfSynth(ws, stackEnv(5));
    expect(synth.output).toContain('Generated Terraform code for the stacks: auditdrain');
    const json = JSON.parse(synth.json) as {
      '//': { metadata: { version: string } };
      terraform: { required_providers: Record<string, unknown>; backend: { local: { path: string } } };
      variable: Record<string, { sensitive?: boolean }>;
    };
    expect(json['//'].metadata.version).toBe('0.21.0');
    expect(json.terraform.required_providers).toEqual({ auditdrain: { source: 'auditdrain/auditdrain', version: '~> 0.1.0' } });
    expect(json.terraform.backend.local.path.startsWith(ws.dir)).toBe(true);
    expect(json.variable.siem_token?.sensitive).toBe(true);
    expect(synth.json).not.toContain(SIEM_TOKEN);
    ws.workIn(synth.stackDir);
  });

  test('terraform init installs the provider from the mirror, and apply creates both resources', async () => {
    const init = await ws.init();
    expect(init.output).toMatch(/Installing auditdrain\/auditdrain v0\.1\.0/);
    // The bindings were generated from providersSchemaJson(); this is the schema the installed provider serves.
    const served = JSON.parse((await ws.ok(['providers', 'schema', '-json'])).stdout) as unknown;
    expect(served).toEqual(providersSchemaJson());
    const applied = await ws.ok(['apply', '-auto-approve', '-no-color', '-input=false'], tfEnv);
    expect(applied.output).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
    expect(applied.output).toContain(`external_id = "auditdrain:${tenant.id}"`);

    const [archive] = await destinations();
    expect(archive).toMatchObject({
      name: 'security archive',
      bucket_name: s3.bucket,
      key_prefix: `auditdrain/${tenant.id}`,
      compression: 'gzip',
      batch_duration_in_minutes: 5,
      role_arn: s3.roleArn,
    });
    archiveId = archive!.id;
    // The service proved the destination by assuming the role and writing a test object under the tenant's prefix.
    expect(await testObjects()).toBe(1);

    const [siem] = await integrations();
    expect(siem).toMatchObject({ url: 'http://127.0.0.1:9/siem', headers: [{ key: 'Authorization' }] });
    siemId = siem!.id;
    const outputs = JSON.parse((await ws.ok(['output', '-json'])).stdout) as Record<string, { value: unknown }>;
    expect(outputs.archive_id?.value).toBe(archiveId);
    expect(outputs.siem_integration_id?.value).toBe(siemId);

    const { changes } = await ws.plan('-var', `siem_token=${SIEM_TOKEN}`);
    expect(changes).toBe(false);
  });

  test('a construct property changed and synthesized again is an in-place update of the same destination', async () => {
    lastCdktfJson = (await cdktfSynth(ws, stackEnv(15))).json;
    const planned = await ws.plan('-var', `siem_token=${SIEM_TOKEN}`);
    expect(planned.changes).toBe(true);
    expect(planned.output).toContain('auditdrain_s3_log_destination.archive will be updated in-place');
    expect(planned.output).toMatch(/~ batch_duration_in_minutes\s+= 5 -> 15/);
    const applied = await ws.ok(['apply', '-auto-approve', '-no-color', '-input=false'], tfEnv);
    expect(applied.output).toContain('Apply complete! Resources: 0 added, 1 changed, 0 destroyed.');
    expect(await destinations()).toEqual([expect.objectContaining({ id: archiveId, batch_duration_in_minutes: 15 })]);
  });

  test('on CDK Terrain the same app synthesizes the same configuration, plans no change, and applies its own change', async () => {
    const cdktn = await cdktnSynth(ws, stackEnv(15));
    const metadataVersion = (json: string) => (JSON.parse(json) as { '//': { metadata: { version: string } } })['//'].metadata.version;
    expect(metadataVersion(cdktn.json)).toBe('0.24.0');
    // Apart from the library's version in the metadata, the two libraries write the same configuration (the same
    // local state file included), so terraform in the cdktn stack manages what cdktf created.
    const withoutMetadata = (json: string) => JSON.stringify({ ...(JSON.parse(json) as object), '//': undefined });
    expect(withoutMetadata(cdktn.json)).toBe(withoutMetadata(lastCdktfJson));

    ws.workIn(cdktn.stackDir);
    await ws.init();
    expect((await ws.plan('-var', `siem_token=${SIEM_TOKEN}`)).changes).toBe(false);

    await cdktnSynth(ws, stackEnv(30));
    const applied = await ws.ok(['apply', '-auto-approve', '-no-color', '-input=false'], tfEnv);
    expect(applied.output).toContain('Apply complete! Resources: 0 added, 1 changed, 0 destroyed.');
    expect(await destinations()).toEqual([expect.objectContaining({ id: archiveId, batch_duration_in_minutes: 30 })]);
  });

  test('static keys: the secret reaches the service through the write-only attribute, never the JSON or the state', async () => {
    const synth = await cdktfSynth(ws, { ...stackEnv(30), AUDIT_ACCESS_KEY_ID: s3.owner.accessKeyId, AUDIT_SECRET_VERSION: '1' });
    const variable = (JSON.parse(synth.json) as { variable: Record<string, object> }).variable.s3_secret_access_key;
    expect(variable).toEqual(expect.objectContaining({ sensitive: true, ephemeral: true }));
    ws.workIn(synth.stackDir);
    const secretEnv = { ...tfEnv, TF_VAR_s3_secret_access_key: s3.owner.secretAccessKey };
    const applied = await ws.ok(['apply', '-auto-approve', '-no-color', '-input=false'], secretEnv);
    expect(applied.output).toContain('Apply complete! Resources: 0 added, 1 changed, 0 destroyed.');
    // The service verified the new credentials by writing a second test object with them.
    expect(await testObjects()).toBe(2);
    expect(await destinations()).toEqual([
      expect.objectContaining({ id: archiveId, access_key_id: s3.owner.accessKeyId, role_arn: null }),
    ]);
    const state = fs.readFileSync(path.join(ws.dir, 'terraform.auditdrain.tfstate'), 'utf8');
    expect(state).toContain(s3.owner.accessKeyId);
    expect(state).not.toContain(s3.owner.secretAccessKey);
    expect(synth.json).not.toContain(s3.owner.secretAccessKey);
    const again = await ws.run(['plan', '-no-color', '-input=false', '-detailed-exitcode'], secretEnv);
    expect(again.code).toBe(0);
  });

  test('destroy removes both resources from the service', async () => {
    const destroyed = await ws.ok(['destroy', '-auto-approve', '-no-color', '-input=false'], {
      ...tfEnv,
      TF_VAR_s3_secret_access_key: s3.owner.secretAccessKey,
    });
    expect(destroyed.output).toContain('Destroy complete! Resources: 2 destroyed.');
    expect(await destinations()).toEqual([]);
    expect(await integrations()).toEqual([]);
  });

  test('cdktf deploy creates the stack and cdktf destroy removes it, offline with --skip-provider-lock', async () => {
    const env = { ...stackEnv(5), ...tfEnv, AUDITDRAIN_ENDPOINT: endpoint, AUDITDRAIN_API_KEY: tenant.keys.admin.secret };
    const deployed = await cdktfCommand(ws, 'deploy', env);
    expect(deployed).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
    expect(await destinations()).toEqual([expect.objectContaining({ role_arn: s3.roleArn, batch_duration_in_minutes: 5 })]);
    const destroyed = await cdktfCommand(ws, 'destroy', env);
    expect(destroyed).toContain('Destroy complete! Resources: 2 destroyed.');
    expect(await destinations()).toEqual([]);
    expect(await integrations()).toEqual([]);
  });
});
