/**
 * The provider as a process: what it prints, what it serves and how it ends, as go-plugin's client inside
 * Terraform sees it.
 */
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { selfSignedCertificate } from '../../src/plugin/auto-mtls';
import { loadProtocol } from '../../src/plugin/protocol-definitions';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../src/plugin/handshake';
import type { TestService } from '../../../control-plane/test/support/test-service';
import { startTestService } from '../../../control-plane/test/support/test-service';
import { until } from '../../../control-plane/test/support/until';
import { describeWithTerraform, Workspace } from './support/terraform';

const SHIM = path.resolve(__dirname, '..', '..', 'terraform-provider-auditdrain');

function startProvider(env: Record<string, string>) {
  const child = spawn(SHIM, [], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const handshake = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => stdout.includes('\n') && resolve(stdout.slice(0, stdout.indexOf('\n'))));
    child.on('exit', () => reject(new Error(`provider exited before the handshake: ${stderr}`)));
  });
  return { child, exited, handshake, output: () => ({ stdout, stderr }) };
}

describe('the provider process', () => {
  test('started by anything but Terraform it explains itself on stderr, prints nothing on stdout and exits 1', async () => {
    const p = startProvider({});
    p.handshake.catch(() => undefined);
    expect(await p.exited).toBe(1);
    expect(p.output().stdout).toBe('');
    expect(p.output().stderr).toContain('This binary is a plugin');
  });

  test('plaintext: one handshake line, a private socket, SIGINT ignored, Shutdown ends it and removes the socket', async () => {
    const p = startProvider({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, TF_DISABLE_PLUGIN_TLS: '1' });
    const line = await p.handshake;
    const match = /^1\|6\|unix\|(.+)\|grpc\|$/.exec(line);
    expect(match).not.toBeNull();
    const socket = match![1]!;
    expect(fs.statSync(socket).isSocket()).toBe(true);
    expect(fs.statSync(path.dirname(socket)).mode & 0o777).toBe(0o700);

    p.child.kill('SIGINT');
    const definitions = loadProtocol();
    const Controller = grpc.makeGenericClientConstructor(definitions.controller, 'GRPCController');
    const Health = grpc.makeGenericClientConstructor(definitions.health, 'Health');
    const health = new Health(`unix://${socket}`, grpc.credentials.createInsecure()) as unknown as {
      Check(req: object, cb: (err: Error | null, res: { status: string }) => void): void;
      close(): void;
    };
    const status = await new Promise<string>((resolve, reject) =>
      health.Check({ service: 'plugin' }, (err, res) => (err ? reject(err) : resolve(res.status))),
    );
    expect(status).toBe('SERVING');
    health.close();

    const controller = new Controller(`unix://${socket}`, grpc.credentials.createInsecure()) as unknown as {
      Shutdown(req: object, cb: (err: Error | null) => void): void;
      close(): void;
    };
    await new Promise<void>((resolve, reject) => controller.Shutdown({}, (err) => (err ? reject(err) : resolve())));
    controller.close();
    expect(await p.exited).toBe(0);
    expect(p.output().stdout).toBe(`${line}\n`);
    expect(fs.existsSync(path.dirname(socket))).toBe(false);
  });

  test('with AutoMTLS the handshake carries an unpadded base64 certificate', async () => {
    const client = await selfSignedCertificate('HashiCorp');
    const p = startProvider({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_CLIENT_CERT: client.certificatePem });
    const line = await p.handshake;
    const cert = line.split('|')[5]!;
    expect(cert).toMatch(/^[A-Za-z0-9+/]+$/);
    expect(new X509Certificate(Buffer.from(cert, 'base64')).subjectAltName).toBe('DNS:localhost');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  test('when Terraform goes away without a Shutdown (killed), the provider ends too', async () => {
    const env = { PATH: process.env.PATH ?? '', [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, TF_DISABLE_PLUGIN_TLS: '1' };
    const terraform = spawn('sh', ['-c', `"${SHIM}" & echo "pid $!"; wait`], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    terraform.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const pid = await until('the provider to start', async () => out.includes('|grpc|') && Number(/pid (\d+)/.exec(out)?.[1]));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      expect(alive()).toBe(true);
      terraform.kill('SIGKILL');
      await until('the orphaned provider to exit', async () => !alive(), 15_000);
    } finally {
      if (alive()) process.kill(pid, 'SIGKILL');
    }
  });
});

describeWithTerraform('the provider process under terraform', () => {
  let service: TestService;
  let w: Workspace;

  beforeAll(async () => {
    service = await startTestService();
    const tenant = await service.tenant();
    w = new Workspace({ endpoint: await service.listen(), apiKey: tenant.keys.admin.secret }).configure(
      'data "auditdrain_identity" "me" {}\noutput "tenant" { value = data.auditdrain_identity.me.tenant_id }\n',
    );
  });
  afterAll(async () => {
    w?.remove();
    await service?.close();
  });

  test('terraform shuts the provider down through GRPCController (never by killing it), and its logs reach TF_LOG', async () => {
    const result = await w.ok(['apply', '-auto-approve', '-no-color'], { TF_LOG: 'debug' });
    expect(result.output).toContain('provider.terraform-provider-auditdrain');
    expect(result.output).toMatch(/plugin stopping.*"why":"Shutdown"/);
    expect(result.output).not.toContain('plugin failed to exit gracefully');
    expect(result.output).toContain('plugin exited');
  });

  test('with TF_DISABLE_PLUGIN_TLS=1 terraform talks to it in plaintext', async () => {
    const result = await w.ok(['apply', '-auto-approve', '-no-color'], { TF_DISABLE_PLUGIN_TLS: '1' });
    expect(result.output).toMatch(/tenant = "tnt_[0-9A-Z]{26}"/);
  });
});
