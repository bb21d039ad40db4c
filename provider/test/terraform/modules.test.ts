/**
 * The Terraform modules in examples/modules, driven by the real terraform binary the way a user consumes them:
 * `terraform init` installs the providers a module asks for (auditdrain from a local filesystem mirror, as from a
 * registry) and `terraform validate` accepts it; the s3-log-destination module applied from a root configuration
 * against a real S3 server, through a role that STS lets the service assume only with the tenant's external id; the
 * webhook-destination module applied against a running control plane, updated in place and destroyed. Where a local
 * mirror of hashicorp/aws exists, the AWS modules are validated too and s3-audit-archive is planned offline.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StsServer } from '@auditdrain/test-services';
import { startStsServer } from '@auditdrain/test-services';
import type { S3Fixture } from '../../../control-plane/test/support/s3-fixture';
import { startS3Fixture } from '../../../control-plane/test/support/s3-fixture';
import type { TenantWithKeys, TestService } from '../../../control-plane/test/support/test-service';
import { bearer, startTestService } from '../../../control-plane/test/support/test-service';
import { moduleDocs } from '../unit/module-checks';
import { describeWithTerraform, Workspace } from './support/terraform';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MODULES_DIR = path.join(ROOT, 'examples', 'modules');
const PROVIDER_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'provider', 'package.json'), 'utf8')) as { version: string }).version;


/**
 * The provider sources each module's versions.tf names, read with a pattern so that the tests can be laid out before
 * any of them runs; the first test proves the pattern agrees with the HCL parser.
 */
function declaredSources(name: string): string[] {
  const text = fs.readFileSync(path.join(MODULES_DIR, name, 'versions.tf'), 'utf8');
  return [...text.matchAll(/^\s*source\s*=\s*"([^"]+)"/gm)].map((m) => m[1]!).sort();
}

const NAMES = moduleDocs.moduleDirs(ROOT).map((dir) => path.basename(dir));
const AUDITDRAIN_ONLY = NAMES.filter((name) => declaredSources(name).join() === 'auditdrain/auditdrain');
const WITH_OTHERS = NAMES.filter((name) => !AUDITDRAIN_ONLY.includes(name));

/**
 * A filesystem mirror holding hashicorp/aws (terraform cannot download it here): AUDITDRAIN_TEST_AWS_PROVIDER_MIRROR,
 * or the one this machine image carries. Without it the AWS modules' terraform checks are skipped, saying so.
 */
const AWS_MIRROR = [process.env.AUDITDRAIN_TEST_AWS_PROVIDER_MIRROR, '/opt/tf-plugins'].find(
  (dir): dir is string => typeof dir === 'string' && fs.existsSync(path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws')),
);

/** A workspace whose `terraform init` installs auditdrain from its own mirror; the module brings the versions.tf. */
function moduleWorkspace(env: { endpoint: string; apiKey: string }, versionsTf = false): Workspace {
  return new Workspace(env, { install: 'mirror', versionsTf });
}

/** Copies every module into `<workspace>/modules`, so relative sources between them resolve as in the repository. */
function copyModules(ws: Workspace): void {
  fs.cpSync(MODULES_DIR, path.join(ws.dir, 'modules'), { recursive: true });
}

/**
 * `terraform init` taking providers only from the given plugin directories (`-plugin-dir`): auditdrain from the
 * workspace's own (Workspace.pluginDir), hashicorp/aws from AWS_MIRROR.
 */
async function initWithAws(ws: Workspace): Promise<string> {
  return (await ws.init(`-plugin-dir=${ws.pluginDir}`, `-plugin-dir=${AWS_MIRROR}`)).output;
}

interface ShownResource {
  address: string;
  values: Record<string, unknown>;
}
interface ShownModule {
  resources?: ShownResource[];
  child_modules?: ShownModule[];
}

/** Every resource of a state or plan (`terraform show -json`), child modules included, by address. */
function resourcesOf(root: ShownModule | undefined): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const walk = (m: ShownModule | undefined) => {
    for (const r of m?.resources ?? []) out.set(r.address, r.values);
    for (const child of m?.child_modules ?? []) walk(child);
  };
  walk(root);
  return out;
}

async function stateResources(ws: Workspace): Promise<Map<string, Record<string, unknown>>> {
  const shown = JSON.parse((await ws.ok(['show', '-json', '-no-color'])).stdout) as { values?: { root_module?: ShownModule } };
  return resourcesOf(shown.values?.root_module);
}

/** `terraform output -json`: each output's value. */
async function outputs(ws: Workspace): Promise<Record<string, unknown>> {
  const shown = JSON.parse((await ws.ok(['output', '-json', '-no-color'])).stdout) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(shown).map(([name, { value }]) => [name, value]));
}

const unusedEnv = { endpoint: 'http://127.0.0.1:9', apiKey: 'adk_unused' };

describeWithTerraform('the Terraform modules in examples/modules, with terraform', () => {
  const workspaces: Workspace[] = [];
  const track = (ws: Workspace) => {
    workspaces.push(ws);
    return ws;
  };
  afterAll(() => {
    for (const ws of workspaces) ws.remove();
  });

  test('the modules needing only auditdrain are told apart as the HCL parser reads versions.tf', async () => {
    expect(AUDITDRAIN_ONLY).toEqual(['s3-log-destination', 'webhook-destination']);
    expect(WITH_OTHERS).toEqual(['aws-audit-log-bucket', 's3-audit-archive']);
    for (const name of NAMES) {
      const module = await moduleDocs.loadModule(path.join(MODULES_DIR, name));
      const sources = Object.values(moduleDocs.requirementsOf(module).providers).map((p) => p.source);
      expect({ name, sources: sources.sort() }).toEqual({ name, sources: declaredSources(name) });
    }
  });

  test.each(AUDITDRAIN_ONLY)('%s: terraform init installs auditdrain from the mirror and terraform validate passes', async (name) => {
    const ws = track(moduleWorkspace(unusedEnv));
    for (const file of fs.readdirSync(path.join(MODULES_DIR, name)).filter((f) => f.endsWith('.tf'))) {
      fs.copyFileSync(path.join(MODULES_DIR, name, file), path.join(ws.dir, file));
    }
    const init = await ws.init();
    expect(init.output).toContain(`Installing auditdrain/auditdrain v${PROVIDER_VERSION}...`);
    expect(init.output).toContain('Terraform has been successfully initialized!');
    const lock = fs.readFileSync(path.join(ws.dir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toContain('provider "registry.terraform.io/auditdrain/auditdrain"');
    expect(lock).toContain(`version     = "${PROVIDER_VERSION}"`);
    expect(lock).toContain('constraints = "~> 0.1.0"');
    const { output } = await ws.ok(['validate', '-no-color']);
    expect(output).toContain('Success! The configuration is valid.');
    expect(output).not.toMatch(/^Warning:/m);
  });

  const withAws = AWS_MIRROR ? describe : describe.skip;
  if (!AWS_MIRROR) {
    console.warn(
      `SKIPPED terraform init/validate of ${WITH_OTHERS.join(', ')} and the offline plan of s3-audit-archive: no local mirror of ` +
        'hashicorp/aws (set AUDITDRAIN_TEST_AWS_PROVIDER_MIRROR to one)',
    );
  }

  withAws('with hashicorp/aws from a local mirror', () => {
    test.each(WITH_OTHERS)('%s: terraform init and terraform validate pass', async (name) => {
      const ws = track(moduleWorkspace(unusedEnv));
      copyModules(ws);
      ws.workIn(path.join('modules', name));
      const init = await initWithAws(ws);
      expect(init).toContain('Installing hashicorp/aws v');
      const { output } = await ws.ok(['validate', '-no-color']);
      expect(output).toContain('Success! The configuration is valid.');
      expect(output).not.toMatch(/^Warning:/m);
    });

    describe('s3-audit-archive planned against a control plane, without calling AWS', () => {
      let service: TestService;
      let tenant: TenantWithKeys;
      let ws: Workspace;
      const principal = 'arn:aws:iam::999999999999:role/auditdrain-service';
      const bucket = 'example-corp-audit-logs';

      /** A root configuration: the aws provider with keys it never uses (plan makes no AWS call) and the module. */
      const root = (inputs: string) => `
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "not-a-real-secret-key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

module "archive" {
  source = "./modules/s3-audit-archive"

  bucket_name = "${bucket}"
  ${inputs}
}
`;

      beforeAll(async () => {
        service = await startTestService({ awsPrincipalArn: principal });
        tenant = await service.tenant();
        ws = track(moduleWorkspace({ endpoint: await service.listen(), apiKey: tenant.keys.admin.secret }, true));
        fs.writeFileSync(
          path.join(ws.dir, 'versions.tf'),
          `terraform {
  required_providers {
    auditdrain = { source = "auditdrain/auditdrain" }
    aws        = { source = "hashicorp/aws" }
  }
}
`,
        );
        copyModules(ws);
        ws.configure(root(''));
        await initWithAws(ws);
      });
      afterAll(async () => {
        await service?.close();
      });

      test("the role trusts the identity's principal with its external id, and may write only below the tenant's prefix", async () => {
        ws.configure(root(''));
        await ws.ok(['plan', '-no-color', '-input=false', '-out=archive.plan']);
        const shown = JSON.parse((await ws.ok(['show', '-json', '-no-color', 'archive.plan'])).stdout) as {
          planned_values: { root_module: ShownModule };
        };
        const planned = resourcesOf(shown.planned_values.root_module);
        const trust = JSON.parse(String(planned.get('module.archive.module.bucket.aws_iam_role.writer')?.assume_role_policy));
        expect(trust.Statement).toEqual([
          expect.objectContaining({
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: principal },
            Condition: { StringEquals: { 'sts:ExternalId': `auditdrain:${tenant.id}` } },
          }),
        ]);
        const writer = JSON.parse(String(planned.get('module.archive.module.bucket.aws_iam_role_policy.writer')?.policy));
        expect(writer.Statement).toEqual([
          expect.objectContaining({ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/auditdrain/${tenant.id}/*` }),
          expect.objectContaining({ Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: `arn:aws:s3:::${bucket}` }),
        ]);
        const tls = JSON.parse(String(planned.get('module.archive.module.bucket.aws_s3_bucket_policy.this')?.policy));
        expect(tls.Statement).toEqual([
          expect.objectContaining({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]);
        expect(planned.get('module.archive.module.bucket.aws_s3_bucket_server_side_encryption_configuration.this')).toMatchObject({
          rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'AES256' }] }],
        });
        expect(planned.get('module.archive.module.bucket.aws_s3_bucket_public_access_block.this')).toMatchObject({
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        });
        expect(planned.get('module.archive.module.bucket.aws_s3_bucket_ownership_controls.this')).toMatchObject({
          rule: [{ object_ownership: 'BucketOwnerEnforced' }],
        });
        expect(planned.has('module.archive.module.bucket.aws_s3_bucket_lifecycle_configuration.this[0]')).toBe(false);
        expect(planned.has('module.archive.module.bucket.aws_kms_key.this[0]')).toBe(false);
        expect(planned.get('module.archive.module.destination.auditdrain_s3_log_destination.this')).toMatchObject({
          name: 'audit log archive',
          key_prefix: `auditdrain/${tenant.id}`,
          compression: 'gzip',
        });
      });

      test('with a created KMS key and retention, the key rotates, the bucket uses it and the rule covers the prefix', async () => {
        ws.configure(root('create_kms_key = true\n  transition_days = 30\n  expiration_days = 400'));
        await ws.ok(['plan', '-no-color', '-input=false', '-out=archive.plan']);
        const shown = JSON.parse((await ws.ok(['show', '-json', '-no-color', 'archive.plan'])).stdout) as {
          planned_values: { root_module: ShownModule };
        };
        const planned = resourcesOf(shown.planned_values.root_module);
        expect(planned.get('module.archive.module.bucket.aws_kms_key.this[0]')).toMatchObject({ enable_key_rotation: true });
        expect(planned.get('module.archive.module.bucket.aws_s3_bucket_server_side_encryption_configuration.this')).toMatchObject({
          rule: [{ bucket_key_enabled: true, apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }] }],
        });
        expect(planned.get('module.archive.module.bucket.aws_s3_bucket_lifecycle_configuration.this[0]')).toMatchObject({
          rule: [
            {
              status: 'Enabled',
              filter: [{ prefix: `auditdrain/${tenant.id}/` }],
              transition: [{ days: 30, storage_class: 'STANDARD_IA' }],
              expiration: [{ days: 400 }],
            },
          ],
        });
      });

      test('conflicting or malformed inputs fail the plan with the modules\' messages', async () => {
        ws.configure(root('create_kms_key = true\n  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"'));
        const both = await ws.run(['plan', '-no-color', '-input=false']);
        expect(both.code).toBe(1);
        expect(both.output).toContain('Set either create_kms_key or kms_key_arn, not both.');
        ws.configure(root('transition_days = 400\n  expiration_days = 30'));
        expect((await ws.run(['plan', '-no-color', '-input=false'])).output).toContain('expiration_days must be greater than transition_days.');
        ws.configure(root('kms_key_arn = "alias/audit"'));
        expect((await ws.run(['plan', '-no-color', '-input=false'])).output).toContain('kms_key_arn must be the ARN of a KMS key');
      });
    });
  });

  describe('s3-log-destination applied against an S3 server, through a role assumed with the external id', () => {
    let s3: S3Fixture;
    let sts: StsServer;
    let service: TestService;
    let tenant: TenantWithKeys;
    let ws: Workspace;
    let bucket: string;
    let gw: S3Fixture['gw'];
    const roleArn = 'arn:aws:iam::210987654321:role/customer-audit-writer';
    const principal = 'arn:aws:iam::999999999999:role/auditdrain-service';

    const keys = (prefix: string) => s3.keys(prefix);

    beforeAll(async () => {
      s3 = await startS3Fixture('modules');
      ({ gw, bucket } = s3);
      // STS that behaves like AWS's for the role: only the service's keys, only with the tenant's external id. What
      // it hands out are the bucket owner's keys, which the S3 server accepts.
      sts = await startStsServer({
        credentials: { [s3.serviceUser.accessKeyId]: s3.serviceUser.secretAccessKey },
        issue: () => ({ accessKeyId: s3.owner.accessKeyId, secretAccessKey: s3.owner.secretAccessKey }),
      });
      service = await s3.startService({ awsPrincipalArn: principal, delivery: { awsRegion: 'us-east-1', stsEndpoint: sts.endpoint } });
      tenant = await service.tenant();
      sts.setRole(roleArn, { trustedAccessKeyIds: [s3.serviceUser.accessKeyId], externalId: `auditdrain:${tenant.id}` });
      ws = track(moduleWorkspace({ endpoint: await service.listen(), apiKey: tenant.keys.admin.secret }, true));
      copyModules(ws);
      ws.configure(`
data "auditdrain_identity" "current" {}

module "archive" {
  source = "./modules/s3-log-destination"

  name             = "customer archive"
  bucket_name      = "${bucket}"
  region           = "${gw.region}"
  role_arn         = "${roleArn}"
  endpoint_url     = "${gw.endpoint}"
  force_path_style = true
}

output "archive" {
  value = module.archive
}

output "identity" {
  value = data.auditdrain_identity.current
}
`);
      await ws.init();
    }, 120_000);
    afterAll(async () => {
      await sts?.stop();
      await s3?.stop();
    });

    let id: string;

    test('apply creates the destination; the service assumed the role with the external id and wrote the test object', async () => {
      const applied = await ws.apply();
      expect(applied.output).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
      const out = await outputs(ws);
      const archive = out.archive as Record<string, unknown>;
      const module = await moduleDocs.loadModule(path.join(MODULES_DIR, 's3-log-destination'));
      expect(Object.keys(archive).sort()).toEqual(moduleDocs.outputsOf(module).map((o) => o.name).sort());
      expect(archive).toEqual({
        id: expect.stringMatching(/^s3d_[0-9A-Z]{26}$/),
        external_id: `auditdrain:${tenant.id}`,
        key_prefix: `auditdrain/${tenant.id}`,
        bucket_name: bucket,
        created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
      // What the root reads from the identity is what the role's trust policy names and what the module reports.
      expect(out.identity).toMatchObject({ aws_principal_arn: principal, external_id: archive.external_id, tenant_id: tenant.id });
      id = String(archive.id);

      const assumed = sts.calls.filter((c) => c.roleArn === roleArn && c.decision === 'allowed');
      expect(assumed.map((c) => c.externalId)).toEqual([`auditdrain:${tenant.id}`]);
      expect(await keys(`auditdrain/${tenant.id}/test/`)).toHaveLength(1);
    });

    test("the API has the module's settings: its own gzip default and the provider's defaults for what it left null", async () => {
      const read = await service.http.get(`/v1/s3-log-destinations/${id}`).set(bearer(tenant.keys.admin.secret)).expect(200);
      expect(read.body).toMatchObject({
        name: 'customer archive',
        bucket_name: bucket,
        region: gw.region,
        role_arn: roleArn,
        key_prefix: `auditdrain/${tenant.id}`,
        endpoint_url: gw.endpoint,
        force_path_style: true,
        compression: 'gzip',
        encoding: 'jsonl',
        batch_duration_in_minutes: 5,
        maximum_batch_size: 5000,
        send_audit_log_events: true,
        send_authorization_events: false,
        enabled: true,
      });
    });

    test('a second plan is empty', async () => {
      const { changes, output } = await ws.plan();
      expect(output).toContain('No changes.');
      expect(changes).toBe(false);
    });

    test('destroy deletes it from the API', async () => {
      const destroyed = await ws.destroy();
      expect(destroyed.output).toContain('Destroy complete! Resources: 1 destroyed.');
      await service.http.get(`/v1/s3-log-destinations/${id}`).set(bearer(tenant.keys.admin.secret)).expect(404);
      expect((await stateResources(ws)).size).toBe(0);
    });
  });

  describe('webhook-destination applied against a control plane', () => {
    let service: TestService;
    let tenant: TenantWithKeys;
    let ws: Workspace;
    let id: string;
    const token = 'Splunk 0d7c-s3cr3t-hec-token';
    const url = 'https://127.0.0.1:9/services/collector/raw';
    const api = () => bearer(tenant.keys.admin.secret);
    const address = 'module.siem.auditdrain_webhook_integration.this';

    const root = (inputs = '', moduleUrl = url) => `
variable "siem_token" {
  type      = string
  sensitive = true
  default   = "${token}"
}

module "siem" {
  source = "./modules/webhook-destination"

  name          = "SIEM"
  url           = "${moduleUrl}"
  authorization = var.siem_token
  ${inputs}
}

output "id" {
  value = module.siem.id
}

output "signing_secret" {
  value     = module.siem.signing_secret
  sensitive = true
}
`;

    beforeAll(async () => {
      // Loopback URLs are refused unless the operator allows private networks, as tests and local demos do.
      service = await startTestService({ allowPrivateNetwork: true });
      tenant = await service.tenant();
      ws = track(moduleWorkspace({ endpoint: await service.listen(), apiKey: tenant.keys.admin.secret }, true));
      copyModules(ws);
      ws.configure(root());
      await ws.init();
    });
    afterAll(async () => {
      await service?.close();
    });

    test("apply creates the integration with the module's defaults; the credential stays out of the output", async () => {
      const applied = await ws.apply();
      expect(applied.output).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
      expect(applied.output).not.toContain('s3cr3t');
      const out = await outputs(ws);
      id = String(out.id);
      expect(id).toMatch(/^whk_[0-9A-Z]{26}$/);
      const read = await service.http.get(`/v1/webhook-integrations/${id}`).set(api()).expect(200);
      expect(read.body).toMatchObject({
        name: 'SIEM',
        url,
        headers: [{ key: 'Authorization' }],
        send_audit_log_events: true,
        // The module's default; the provider's is false.
        send_authorization_events: true,
        enabled: true,
      });
      expect(read.body.filter_for_actions ?? []).toEqual([]);
      const secret = await service.http.get(`/v1/webhook-integrations/${id}/signing-secret`).set(api()).expect(200);
      expect(out.signing_secret).toBe(secret.body.signing_secret);
      expect(String(out.signing_secret)).toMatch(/^whsec_/);
      expect((await stateResources(ws)).get(address)).toMatchObject({ headers: [{ key: 'Authorization', value: token }] });
    });

    test('a second plan is empty', async () => {
      const { changes, output } = await ws.plan();
      expect(output).toContain('No changes.');
      expect(changes).toBe(false);
    });

    test('changing an input updates the integration in place, keeping its id', async () => {
      ws.configure(root('filter_for_actions = ["grant.*", "access.requested"]'));
      const { changes, output } = await ws.plan();
      expect(changes).toBe(true);
      expect(output).toContain(`${address} will be updated in-place`);
      expect(output).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
      expect(output).not.toContain('s3cr3t');
      await ws.apply();
      expect((await outputs(ws)).id).toBe(id);
      const read = await service.http.get(`/v1/webhook-integrations/${id}`).set(api()).expect(200);
      expect([...read.body.filter_for_actions].sort()).toEqual(['access.requested', 'grant.*']);
      expect(read.body.send_authorization_events).toBe(true);
      expect((await ws.plan()).changes).toBe(false);
    });

    test('a plain http URL, or the credential header also among headers, fails the plan with the module\'s message', async () => {
      ws.configure(root('', 'http://127.0.0.1:9/services/collector/raw'));
      const plainHttp = await ws.run(['plan', '-no-color', '-input=false']);
      expect(plainHttp.code).toBe(1);
      expect(plainHttp.output).toContain('url must be an https URL');
      ws.configure(root('headers = { authorization = "Bearer another" }'));
      const twice = await ws.run(['plan', '-no-color', '-input=false']);
      expect(twice.code).toBe(1);
      expect(twice.output).toContain('headers must not also set the authorization header (Authorization)');
      ws.configure(root('filter_for_actions = ["grant.*", "access.requested"]'));
      expect((await ws.plan()).changes).toBe(false);
    });

    test('destroy deletes it from the API', async () => {
      const destroyed = await ws.destroy();
      expect(destroyed.output).toContain('Destroy complete! Resources: 1 destroyed.');
      await service.http.get(`/v1/webhook-integrations/${id}`).set(api()).expect(404);
    });
  });
});
