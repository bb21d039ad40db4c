/**
 * S3 destinations applied with terraform against a real S3 server (Ceph's RADOS Gateway with its STS): the service
 * verifies each one by assuming the role (or using the static keys) and writing a test object before the apply
 * succeeds, and a refusal comes back as a Terraform error carrying the remote's code.
 */
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Gateway, S3GatewayUser } from '@auditdrain/test-services';
import { startS3Gateway } from '@auditdrain/test-services';
import type { TenantWithKeys, TestService } from '../../../control-plane/test/support/test-service';
import { startTestService } from '../../../control-plane/test/support/test-service';
import { describeWithTerraform, Workspace } from './support/terraform';

describeWithTerraform('auditdrain_s3_log_destination against an S3 server, with terraform', () => {
  let gw: S3Gateway;
  let owner: S3GatewayUser;
  let ownerS3: S3Client;
  let roleArn: string;
  let bucket: string;
  let service: TestService;
  let tenant: TenantWithKeys;
  let w: Workspace;

  const keys = async (prefix: string) =>
    ((await ownerS3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key as string);

  beforeAll(async () => {
    gw = await startS3Gateway();
    owner = await gw.createUser('bucket-owner');
    const svc = await gw.createUser('auditdrain-service');
    ownerS3 = new S3Client({
      endpoint: gw.endpoint,
      region: gw.region,
      forcePathStyle: true,
      credentials: { accessKeyId: owner.accessKeyId, secretAccessKey: owner.secretAccessKey },
    });
    bucket = `tf-${Date.now().toString(36)}`;
    await ownerS3.send(new CreateBucketCommand({ Bucket: bucket }));
    roleArn = await gw.createRole(
      'auditdrain-writer',
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [svc.arn] }, Action: ['sts:AssumeRole'] }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetBucketLocation'], Resource: ['arn:aws:s3:::*'] }] },
    );
    service = await startTestService({
      delivery: {
        awsRegion: 'default',
        stsEndpoint: gw.endpoint,
        serviceCredentials: { accessKeyId: svc.accessKeyId, secretAccessKey: svc.secretAccessKey },
        verify: true,
        verifyTimeoutMs: 2_000,
        requestTimeoutMs: 5_000,
        pollMs: 50,
        concurrency: 2,
        webhookTimeoutMs: 15_000,
        webhookConcurrency: 8,
        webhookRetryDelaysMs: [],
        allowPrivateNetwork: false,
        faultInjection: null,
      },
    });
    tenant = await service.tenant();
    w = new Workspace({ endpoint: await service.listen(), apiKey: tenant.keys.admin.secret });
  });
  afterAll(async () => {
    w?.remove();
    await service?.close();
    ownerS3?.destroy();
    await gw?.stop();
  });

  const config = (roleLine: string) => `
data "auditdrain_identity" "me" {}

resource "auditdrain_s3_log_destination" "archive" {
  name             = "customer archive"
  bucket_name      = "${bucket}"
  key_prefix       = "auditdrain/\${data.auditdrain_identity.me.tenant_id}"
  ${roleLine}
  endpoint_url     = "${gw.endpoint}"
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
        `access_key_id = "${owner.accessKeyId}"\n  secret_access_key_wo = "${secret}"\n  secret_access_key_wo_version = ${version}`,
      );
    w.configure(staticKeys(owner.secretAccessKey, 1));
    await w.apply();
    expect(w.stateFile()).not.toContain(owner.secretAccessKey);
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
