/**
 * The Terraform walkthrough of docs/getting-started/terraform.md applies examples/getting-started/terraform/main.tf;
 * here that file is applied as the guide says: the provider installed by `terraform init` from a local mirror
 * (provider/scripts/install-local.js), the variables from the environment, against a control plane that verifies the
 * S3 destination on a real S3 server. Then an empty plan, and destroy.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { S3Fixture } from '../../../control-plane/test/support/s3-fixture';
import { startS3Fixture } from '../../../control-plane/test/support/s3-fixture';
import type { TenantWithKeys, TestService } from '../../../control-plane/test/support/test-service';
import { bearer } from '../../../control-plane/test/support/test-service';
import { describeWithTerraform, Workspace } from './support/terraform';

const MAIN_TF = path.resolve(__dirname, '..', '..', '..', 'examples', 'getting-started', 'terraform', 'main.tf');

describeWithTerraform('the Terraform getting-started configuration', () => {
  let s3: S3Fixture;
  let service: TestService;
  let tenant: TenantWithKeys;
  let ws: Workspace;
  let vars: Record<string, string>;

  beforeAll(async () => {
    s3 = await startS3Fixture('start');
    service = await s3.startService({ allowPrivateNetwork: true, awsPrincipalArn: s3.serviceUser.arn });
    tenant = await service.tenant();
    ws = new Workspace({ endpoint: await service.listen(), apiKey: tenant.keys.admin.secret }, { install: 'mirror', versionsTf: false });
    fs.copyFileSync(MAIN_TF, path.join(ws.dir, 'main.tf'));
    vars = {
      TF_VAR_bucket_name: s3.bucket,
      TF_VAR_role_arn: s3.roleArn,
      TF_VAR_s3_endpoint_url: s3.gw.endpoint,
      TF_VAR_siem_url: 'http://127.0.0.1:9/siem',
      TF_VAR_siem_token: 'getting-started-token',
    };
  });
  afterAll(async () => {
    ws?.remove();
    await s3?.stop();
  });

  test('init, apply, an empty second plan, destroy', async () => {
    const init = await ws.init();
    expect(init.output).toContain('Terraform has been successfully initialized!');

    const applied = await ws.ok(['apply', '-auto-approve', '-no-color', '-input=false'], vars);
    expect(applied.output).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
    const outputs = JSON.parse((await ws.ok(['output', '-json'])).stdout) as Record<string, { value: string }>;
    expect(outputs.external_id?.value).toBe(`auditdrain:${tenant.id}`);
    expect(outputs.aws_principal_arn?.value).toBe(s3.serviceUser.arn);
    expect(outputs.archive_id?.value).toMatch(/^s3d_/);
    expect(outputs.siem_integration_id?.value).toMatch(/^whk_/);
    // The service assumed the role and wrote its test object under the tenant's prefix before saving.
    expect(await s3.keys(`auditdrain/${tenant.id}/test/`)).toHaveLength(1);

    const plan = await ws.run(['plan', '-no-color', '-input=false', '-detailed-exitcode'], vars);
    expect({ code: plan.code, output: plan.output }).toEqual({ code: 0, output: expect.stringContaining('No changes.') });

    const destroyed = await ws.ok(['destroy', '-auto-approve', '-no-color', '-input=false'], vars);
    expect(destroyed.output).toContain('Destroy complete! Resources: 2 destroyed.');
    const api = bearer(tenant.keys.admin.secret);
    expect((await service.http.get('/v1/s3-log-destinations').set(api)).body.data).toEqual([]);
    expect((await service.http.get('/v1/webhook-integrations').set(api)).body.data).toEqual([]);
  });
});
