/**
 * S3 destinations applied with terraform against a real S3 server (Ceph's RADOS Gateway with its STS): the service
 * verifies each one by assuming the role (or using the static keys) and writing a test object before the apply
 * succeeds, and a refusal comes back as a Terraform error carrying the remote's code.
 */
import type { S3Fixture } from '../../../control-plane/test/support/s3-fixture';
import { startS3Fixture } from '../../../control-plane/test/support/s3-fixture';
import type { TenantWithKeys, TestService } from '../../../control-plane/test/support/test-service';
import { describeWithTerraform, Workspace } from './support/terraform';

describeWithTerraform('auditdrain_s3_log_destination against an S3 server, with terraform', () => {
  let s3: S3Fixture;
  let bucket: string;
  let roleArn: string;
  let service: TestService;
  let tenant: TenantWithKeys;
  let w: Workspace;

  const keys = (prefix: string) => s3.keys(prefix);

  beforeAll(async () => {
    s3 = await startS3Fixture('tf');
    ({ bucket, roleArn } = s3);
    service = await s3.startService();
    tenant = await service.tenant();
    w = new Workspace({ endpoint: await service.listen(), apiKey: tenant.keys.admin.secret });
  });
  afterAll(async () => {
    w?.remove();
    await s3?.stop();
  });

  const config = (roleLine: string) => `
data "auditdrain_identity" "me" {}

resource "auditdrain_s3_log_destination" "archive" {
  name             = "customer archive"
  bucket_name      = "${bucket}"
  key_prefix       = "auditdrain/\${data.auditdrain_identity.me.tenant_id}"
  ${roleLine}
  endpoint_url     = "${s3.gw.endpoint}"
  force_path_style = true
  compression      = "gzip"
}

output "external_id" {
  value = auditdrain_s3_log_destination.archive.external_id
}
`;

  test('apply assumes the role and writes the test object under the prefix; a second plan is empty', async () => {
    w.configure(config(`role_arn = "${roleArn}"`));
    const applied = await w.apply();
    expect(applied.output).toContain('Apply complete! Resources: 1 added');
    expect(applied.output).toContain(`external_id = "auditdrain:${tenant.id}"`);
    const written = await keys(`auditdrain/${tenant.id}/test/`);
    expect(written).toHaveLength(1);
    expect((await w.plan()).changes).toBe(false);
  });

  test('a role that cannot be assumed fails the apply with the remote error, and state keeps the last good role', async () => {
    const before = (await w.stateOf('auditdrain_s3_log_destination.archive'))!;
    const missingRole = roleArn.replace(/role\/.*$/, 'role/no-such-role');
    w.configure(config(`role_arn = "${missingRole}"`));
    const result = await w.run(['apply', '-auto-approve', '-no-color', '-input=false']);
    expect(result.code).toBe(1);
    expect(result.output).toContain('Could not update the S3 log destination');
    expect(result.output).toContain('verification_failed');
    expect(result.output).toMatch(/AssumeRole/);
    const after = (await w.stateOf('auditdrain_s3_log_destination.archive'))!;
    expect(after.role_arn).toBe(before.role_arn);
    expect(after.id).toBe(before.id);
  });

  test('static keys given write-only are used to verify, and a new version with a wrong secret is refused by the S3 server', async () => {
    const staticKeys = (secret: string, version: number) =>
      config(
        `access_key_id = "${s3.owner.accessKeyId}"\n  secret_access_key_wo = "${secret}"\n  secret_access_key_wo_version = ${version}`,
      );
    w.configure(staticKeys(s3.owner.secretAccessKey, 1));
    await w.apply();
    expect(w.stateFile()).not.toContain(s3.owner.secretAccessKey);
    expect(await keys(`auditdrain/${tenant.id}/test/`)).toHaveLength(2);

    w.configure(staticKeys('not-the-secret-key', 2));
    const refused = await w.run(['apply', '-auto-approve', '-no-color', '-input=false']);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('verification_failed');
    expect(refused.output).toMatch(/answered (AccessDenied|SignatureDoesNotMatch)/);
    expect((await w.stateOf('auditdrain_s3_log_destination.archive'))?.secret_access_key_wo_version).toBe(1);
    await w.destroy();
  });
});
