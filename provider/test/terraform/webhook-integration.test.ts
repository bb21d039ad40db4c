/**
 * `auditdrain_webhook_integration` driven by the real terraform binary against a running control plane, as a user's
 * session goes: create, an empty second plan, update in place, drift made through the API and repaired, import by
 * command and by `import {}` block, deletion outside Terraform, destroy.
 */
import type { TenantWithKeys, TestService } from '../../../control-plane/test/support/test-service';
import { bearer, startTestService } from '../../../control-plane/test/support/test-service';
import { describeWithTerraform, Workspace } from './support/terraform';

const TOKEN = 'Bearer s3cr3t-token-value';

function config(extra: { name?: string; headers?: string } = {}): string {
  return `
variable "token" {
  type      = string
  sensitive = true
  default   = "${TOKEN}"
}

resource "auditdrain_webhook_integration" "hook" {
  name                      = "${extra.name ?? 'security alerts'}"
  url                       = "http://127.0.0.1:9/audit"
  headers                   = ${extra.headers ?? '[{ key = "Authorization", value = var.token }]'}
  filter_for_actions        = ["grant.*", "access.requested"]
  send_authorization_events = true
}
`;
}

describeWithTerraform('auditdrain_webhook_integration with terraform', () => {
  let service: TestService;
  let tenant: TenantWithKeys;
  let endpoint: string;
  let ws: Workspace;
  const extraWorkspaces: Workspace[] = [];
  let id: string;

  const api = () => bearer(tenant.keys.admin.secret);
  const workspace = () => {
    const w = new Workspace({ endpoint, apiKey: tenant.keys.admin.secret });
    extraWorkspaces.push(w);
    return w;
  };

  beforeAll(async () => {
    service = await startTestService({ allowPrivateNetwork: true });
    tenant = await service.tenant();
    endpoint = await service.listen();
    ws = workspace().configure(config());
  });
  afterAll(async () => {
    for (const w of extraWorkspaces) w.remove();
    await service?.close();
  });

  test('the plan masks the header value and shows defaults and unknowns', async () => {
    const { changes, output } = await ws.plan();
    expect(changes).toBe(true);
    expect(output).toContain('auditdrain_webhook_integration.hook will be created');
    expect(output).toMatch(/\+ value\s+= \(sensitive value\)/);
    expect(output).toMatch(/\+ signing_secret\s+= \(sensitive value\)/);
    expect(output).toMatch(/\+ id\s+= \(known after apply\)/);
    expect(output).toMatch(/\+ enabled\s+= true/);
    expect(output).not.toContain('s3cr3t-token-value');
  });

  test('apply creates it; state and API agree, with the signing secret from its own endpoint', async () => {
    const applied = await ws.apply();
    expect(applied.output).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    expect(applied.output).not.toContain('s3cr3t-token-value');
    const state = (await ws.stateOf('auditdrain_webhook_integration.hook'))!;
    id = String(state.id);
    expect(id).toMatch(/^whk_[0-9A-Z]{26}$/);
    const read = await service.http.get(`/v1/webhook-integrations/${id}`).set(api()).expect(200);
    expect(read.body).toMatchObject({
      name: 'security alerts',
      url: 'http://127.0.0.1:9/audit',
      headers: [{ key: 'Authorization' }],
      send_audit_log_events: true,
      send_authorization_events: true,
      enabled: true,
    });
    expect([...read.body.filter_for_actions].sort()).toEqual(['access.requested', 'grant.*']);
    const secret = await service.http.get(`/v1/webhook-integrations/${id}/signing-secret`).set(api()).expect(200);
    expect(state).toMatchObject({
      name: 'security alerts',
      headers: [{ key: 'Authorization', value: TOKEN }],
      signing_secret: secret.body.signing_secret,
      created_at: read.body.created_at,
    });
    expect(String(state.signing_secret)).toMatch(/^whsec_/);
  });

  test('a second plan is empty', async () => {
    const { changes, output } = await ws.plan();
    expect(output).toContain('No changes.');
    expect(changes).toBe(false);
  });

  test('a change to the configuration updates in place, keeping the id', async () => {
    ws.configure(
      config({ name: 'security alerts (eu)', headers: '[{ key = "Authorization", value = var.token }, { key = "X-Team", value = "secops" }]' }),
    );
    const { changes, output } = await ws.plan();
    expect(changes).toBe(true);
    expect(output).toContain('will be updated in-place');
    expect(output).not.toContain('must be replaced');
    expect(output).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    await ws.apply();
    const read = await service.http.get(`/v1/webhook-integrations/${id}`).set(api()).expect(200);
    expect(read.body.name).toBe('security alerts (eu)');
    expect(read.body.headers).toEqual([{ key: 'Authorization' }, { key: 'X-Team' }]);
    expect((await ws.stateOf('auditdrain_webhook_integration.hook'))?.id).toBe(id);
    expect((await ws.plan()).changes).toBe(false);
  });

  test('a change made through the API shows as drift, and apply puts it back', async () => {
    await service.http
      .patch(`/v1/webhook-integrations/${id}`)
      .set(api())
      .send({ name: 'renamed by hand', enabled: false, filter_for_actions: ['grant.*'] })
      .expect(200);
    const { changes, output } = await ws.plan();
    expect(changes).toBe(true);
    expect(output).toMatch(/~ name\s+= "renamed by hand" -> "security alerts \(eu\)"/);
    expect(output).toMatch(/~ enabled\s+= false -> true/);
    expect(output).toContain('+ "access.requested"');
    await ws.apply();
    const read = await service.http.get(`/v1/webhook-integrations/${id}`).set(api()).expect(200);
    expect(read.body).toMatchObject({ name: 'security alerts (eu)', enabled: true });
    expect([...read.body.filter_for_actions].sort()).toEqual(['access.requested', 'grant.*']);
    expect((await ws.plan()).changes).toBe(false);
  });

  test('terraform import brings it into a new state; only the header values, which the API never returns, differ', async () => {
    const other = workspace().configure(
      config({ name: 'security alerts (eu)', headers: '[{ key = "Authorization", value = var.token }, { key = "X-Team", value = "secops" }]' }),
    );
    const imported = await other.ok(['import', '-no-color', '-input=false', 'auditdrain_webhook_integration.hook', id]);
    expect(imported.output).toContain('Import successful!');
    const state = (await other.stateOf('auditdrain_webhook_integration.hook'))!;
    expect(state).toMatchObject({ id, name: 'security alerts (eu)', url: 'http://127.0.0.1:9/audit', send_authorization_events: true });
    expect(state.headers).toEqual([
      { key: 'Authorization', value: null },
      { key: 'X-Team', value: null },
    ]);
    expect(String(state.signing_secret)).toMatch(/^whsec_/);
    const { changes, output } = await other.plan();
    expect(changes).toBe(true);
    expect(output).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    await other.apply();
    expect((await other.plan()).changes).toBe(false);
  });

  test('an import {} block imports it during plan and apply', async () => {
    const other = workspace().configure(
      `${config({ name: 'security alerts (eu)', headers: '[{ key = "Authorization", value = var.token }, { key = "X-Team", value = "secops" }]' })}
import {
  to = auditdrain_webhook_integration.hook
  id = "${id}"
}
`,
    );
    const { output } = await other.plan();
    expect(output).toContain(`(imported from \"${id}\")`);
    expect(output).toMatch(/Plan: 1 to import, 0 to add, 1 to change, 0 to destroy\./);
    await other.apply();
    expect((await other.stateOf('auditdrain_webhook_integration.hook'))?.id).toBe(id);
  });

  test('an import of an id that does not exist, or of another kind, is a clear error', async () => {
    const other = workspace().configure(config());
    const missing = await other.run(['import', '-no-color', '-input=false', 'auditdrain_webhook_integration.hook', 'whk_01m7zzzzzzzzzzzzzzzzzzzzzz']);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('does not exist');
    const wrongKind = await other.run(['import', '-no-color', '-input=false', 'auditdrain_webhook_integration.hook', 's3d_01m7zzzzzzzzzzzzzzzzzzzzzz']);
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.output).toContain('those start with "whk_"');
  });

  test('deleted outside Terraform, it leaves the state on refresh and the next apply creates it again', async () => {
    await service.http.delete(`/v1/webhook-integrations/${id}`).set(api()).expect(204);
    const { changes, output } = await ws.plan();
    expect(changes).toBe(true);
    expect(output).toContain('will be created');
    expect(output).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
    await ws.apply();
    const recreated = String((await ws.stateOf('auditdrain_webhook_integration.hook'))?.id);
    expect(recreated).not.toBe(id);
    await service.http.get(`/v1/webhook-integrations/${recreated}`).set(api()).expect(200);
    id = recreated;
  });

  test('destroy deletes it', async () => {
    const destroyed = await ws.destroy();
    expect(destroyed.output).toContain('Destroy complete! Resources: 1 destroyed.');
    await service.http.get(`/v1/webhook-integrations/${id}`).set(api()).expect(404);
    expect(await ws.stateOf('auditdrain_webhook_integration.hook')).toBeUndefined();
  });
});
