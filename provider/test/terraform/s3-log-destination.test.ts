/**
 * `auditdrain_s3_log_destination` driven by the real terraform binary against a running control plane (without
 * bucket verification; s3-gateway.test.ts applies destinations against a real S3 server): validation errors at
 * their attribute, the identity data source feeding a destination, the user's session from create to destroy, and
 * the write-only secret that never reaches plan or state.
 */
import { SecretBox } from '../../../control-plane/src/crypto/secret-box';
import { findResource } from '../../../control-plane/src/domain/resources/find-resource';
import { s3LogDestinationKind } from '../../../control-plane/src/domain/resources/resource-kind';
import { configOf } from '../../../control-plane/src/domain/resources/stored-resource';
import type { TenantWithKeys, TestService } from '../../../control-plane/test/support/test-service';
import { bearer, startTestService } from '../../../control-plane/test/support/test-service';
import { describeWithTerraform, Workspace } from './support/terraform';

const ROLE = 'arn:aws:iam::123456789012:role/auditdrain-writer';

function destination(body: string, name = 'archive'): string {
  return `
data "auditdrain_identity" "me" {}

resource "auditdrain_s3_log_destination" "${name}" {
${body}
}
`;
}

describeWithTerraform('auditdrain_s3_log_destination with terraform', () => {
  let service: TestService;
  let tenant: TenantWithKeys;
  let endpoint: string;
  const workspaces: Workspace[] = [];
  const api = () => bearer(tenant.keys.admin.secret);
  const workspace = (hcl: string) => {
    const w = new Workspace({ endpoint, apiKey: tenant.keys.admin.secret }).configure(hcl);
    workspaces.push(w);
    return w;
  };
  /** The configuration the service holds, secrets included, as delivery would use it. */
  const stored = async (id: string) =>
    configOf(await findResource(service.db.client, s3LogDestinationKind, tenant.id, id), new SecretBox(service.masterKey));

  beforeAll(async () => {
    service = await startTestService();
    tenant = await service.tenant();
    endpoint = await service.listen();
  });
  afterAll(async () => {
    for (const w of workspaces) w.remove();
    await service?.close();
  });

  describe('validation needs no API call and points at the attribute', () => {
    test.each([
      ['a value out of range', 'batch_duration_in_minutes = 99', 'batch_duration_in_minutes', 'batch_duration_in_minutes must be at most 60'],
      ['a value outside the enum', 'compression = "zstd"', 'compression', 'compression must be one of "none", "gzip"'],
      ['an unknown key template variable', 'key_template = "{{ .Year }}/{{ .Nope }}"', 'key_template', 'key_template'],
      [
        'a role and static keys together',
        'access_key_id = "AKIAIOSFODNN7EXAMPLE"\n  secret_access_key = "x"',
        'access_key_id',
        'access_key_id conflicts with role_arn',
      ],
      [
        'both batch durations',
        'batch_duration_in_minutes = 5\n  batch_duration_in_seconds = 30',
        'batch_duration_in_seconds',
        'batch_duration_in_seconds conflicts with batch_duration_in_minutes',
      ],
      ['a KMS key without KMS encryption', 'kms_key_id = "alias/audit"', 'kms_key_id', 'kms_key_id may only be set when server_side_encryption'],
    ])('%s', async (_title, line, attribute, message) => {
      const w = workspace(destination(`  name = "x"\n  bucket_name = "customer-audit-logs"\n  role_arn = "${ROLE}"\n  ${line}`));
      const result = await w.run(['validate', '-no-color']);
      expect(result.code).toBe(1);
      expect(result.output).toContain('Error: Invalid configuration');
      expect(result.output).toContain(message);
      // Terraform quotes the configuration line the diagnostic's attribute path points at.
      expect(result.output).toMatch(new RegExp(`\\d+:\\s+${attribute}\\s+=`));
    });
  });

  describe('a destination from create to destroy', () => {
    let w: Workspace;
    let id: string;
    const config = (extra = '') =>
      destination(`  name        = "audit archive"
  bucket_name = "customer-audit-logs"
  role_arn    = "${ROLE}"
  key_prefix  = "tenants/\${data.auditdrain_identity.me.tenant_id}"
  key_template = "schema=audit_log/version=v1/year={{ .Year }}/month={{ .Month }}/day={{ .Day }}/{{ .Timestamp }}_{{ .ID }}"
  filter_for_actions = ["grant.*"]
${extra}`);

    beforeAll(() => {
      w = workspace(config());
    });

    test('create: the identity data source feeds the key prefix; defaults are planned and applied', async () => {
      const { output } = await w.plan();
      expect(output).toContain(`+ key_prefix                = "tenants/${tenant.id}"`);
      expect(output).toMatch(/\+ maximum_batch_size\s+= 5000/);
      expect(output).toMatch(/\+ external_id\s+= \(known after apply\)/);
      await w.apply();
      const state = (await w.stateOf('auditdrain_s3_log_destination.archive'))!;
      id = String(state.id);
      expect(state).toMatchObject({
        external_id: `auditdrain:${tenant.id}`,
        key_prefix: `tenants/${tenant.id}`,
        encoding: 'jsonl',
        compression: 'none',
        batch_duration_in_minutes: 5,
        batch_duration_in_seconds: null,
        maximum_batch_size: 5000,
        force_path_style: false,
        enabled: true,
        secret_access_key: null,
        secret_access_key_wo: null,
      });
      const read = await service.http.get(`/v1/s3-log-destinations/${id}`).set(api()).expect(200);
      expect(read.body).toMatchObject({ name: 'audit archive', role_arn: ROLE, key_prefix: `tenants/${tenant.id}`, filter_for_actions: ['grant.*'] });
      expect((await w.plan()).changes).toBe(false);
    });

    test('update in place: from minutes to seconds and to gzip', async () => {
      w.configure(config('  batch_duration_in_seconds = 30\n  compression = "gzip"'));
      const { output } = await w.plan();
      expect(output).toContain('will be updated in-place');
      expect(output).toMatch(/- batch_duration_in_minutes\s+= 5 -> null/);
      expect(output).toMatch(/\+ batch_duration_in_seconds\s+= 30/);
      expect(output).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
      await w.apply();
      const read = await service.http.get(`/v1/s3-log-destinations/${id}`).set(api()).expect(200);
      expect(read.body).toMatchObject({ id, batch_duration_in_minutes: null, batch_duration_in_seconds: 30, compression: 'gzip' });
      expect((await w.plan()).changes).toBe(false);
    });

    test('removing an attribute from the configuration resets it to its default', async () => {
      w.configure(config('  compression = "gzip"'));
      const { output } = await w.plan();
      expect(output).toMatch(/\+ batch_duration_in_minutes\s+= 5\n/);
      expect(output).toMatch(/- batch_duration_in_seconds\s+= 30 -> null/);
      await w.apply();
      const read = await service.http.get(`/v1/s3-log-destinations/${id}`).set(api()).expect(200);
      expect(read.body).toMatchObject({ batch_duration_in_minutes: 5, batch_duration_in_seconds: null });
      expect((await w.plan()).changes).toBe(false);
    });

    test('drift made through the API is planned back', async () => {
      await service.http.patch(`/v1/s3-log-destinations/${id}`).set(api()).send({ maximum_batch_size: 10, enabled: false }).expect(200);
      const { changes, output } = await w.plan();
      expect(changes).toBe(true);
      expect(output).toMatch(/~ maximum_batch_size\s+= 10 -> 5000/);
      expect(output).toMatch(/~ enabled\s+= false -> true/);
      await w.apply();
      expect((await service.http.get(`/v1/s3-log-destinations/${id}`).set(api()).expect(200)).body).toMatchObject({
        maximum_batch_size: 5000,
        enabled: true,
      });
    });

    test('imported into another workspace, by command and by block, it plans no change', async () => {
      const byCommand = workspace(config('  compression = "gzip"'));
      await byCommand.ok(['import', '-no-color', '-input=false', 'auditdrain_s3_log_destination.archive', id]);
      expect((await byCommand.stateOf('auditdrain_s3_log_destination.archive'))?.id).toBe(id);
      expect((await byCommand.plan()).changes).toBe(false);

      const byBlock = workspace(`${config('  compression = "gzip"')}
import {
  to = auditdrain_s3_log_destination.archive
  id = "${id}"
}
`);
      const { output } = await byBlock.plan();
      expect(output).toContain('Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.');
      await byBlock.apply();
      expect((await byBlock.stateOf('auditdrain_s3_log_destination.archive'))?.id).toBe(id);
    });

    test('deleted through the API, it is planned for creation; destroy then removes the new one', async () => {
      await service.http.delete(`/v1/s3-log-destinations/${id}`).set(api()).expect(204);
      const { output } = await w.plan();
      expect(output).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
      await w.apply();
      const recreated = String((await w.stateOf('auditdrain_s3_log_destination.archive'))?.id);
      expect(recreated).not.toBe(id);
      await w.destroy();
      await service.http.get(`/v1/s3-log-destinations/${recreated}`).set(api()).expect(404);
    });
  });

  describe('static keys', () => {
    test('secret_access_key is sensitive: masked in plan output, sent to the API', async () => {
      const w = workspace(
        destination(`  name = "static"\n  bucket_name = "customer-audit-logs"\n  access_key_id = "AKIAIOSFODNN7EXAMPLE"\n  secret_access_key = "plain-secret-in-state"`),
      );
      const { output } = await w.plan();
      expect(output).toMatch(/\+ secret_access_key\s+= \(sensitive value\)/);
      expect(output).not.toContain('plain-secret-in-state');
      await w.apply();
      const id = String((await w.stateOf('auditdrain_s3_log_destination.archive'))?.id);
      expect((await stored(id)).secret_access_key).toBe('plain-secret-in-state');
      expect((await w.plan()).changes).toBe(false);
      await w.destroy();
    });

    test('secret_access_key_wo never reaches plan or state, and is sent again only when its version changes', async () => {
      const config = (secret: string, version: number) =>
        destination(
          `  name = "write-only"\n  bucket_name = "customer-audit-logs"\n  access_key_id = "AKIAIOSFODNN7EXAMPLE"\n  secret_access_key_wo = "${secret}"\n  secret_access_key_wo_version = ${version}`,
        );
      const w = workspace(config('wo-secret-one', 1));
      const planned = await w.plan();
      expect(planned.output).not.toContain('wo-secret-one');
      await w.apply();
      const state = (await w.stateOf('auditdrain_s3_log_destination.archive'))!;
      const id = String(state.id);
      expect(state).toMatchObject({ secret_access_key: null, secret_access_key_wo: null, secret_access_key_wo_version: 1 });
      expect(w.stateFile()).not.toContain('wo-secret-one');
      expect((await stored(id)).secret_access_key).toBe('wo-secret-one');

      // A new value under the same version is not a change: the version is what says "send it again".
      w.configure(config('wo-secret-two', 1));
      expect((await w.plan()).changes).toBe(false);

      w.configure(config('wo-secret-two', 2));
      const bumped = await w.plan();
      expect(bumped.output).toMatch(/~ secret_access_key_wo_version\s+= 1 -> 2/);
      await w.apply();
      expect((await stored(id)).secret_access_key).toBe('wo-secret-two');
      expect(w.stateFile()).not.toContain('wo-secret-two');
      expect((await w.plan()).changes).toBe(false);

      // An unrelated change leaves the stored secret alone.
      w.configure(config('wo-secret-three', 2).replace('"write-only"', '"write-only renamed"'));
      await w.apply();
      expect((await stored(id)).secret_access_key).toBe('wo-secret-two');
      await w.destroy();
    });
  });
});
