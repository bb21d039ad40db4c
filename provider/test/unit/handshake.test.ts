/**
 * go-plugin's handshake and AutoMTLS: the line Terraform reads from stdout, the magic cookie, and the server
 * certificate the plugin makes for itself (what it is, and that it serves exactly the client Terraform named).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { SelfSignedCertificate } from '../../src/plugin/auto-mtls';
import { pluginTls, selfSignedCertificate } from '../../src/plugin/auto-mtls';
import {
  APP_PROTOCOL_VERSION,
  CORE_PROTOCOL_VERSION,
  handshakeLine,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  startedByTerraform,
} from '../../src/plugin/handshake';
import { loadProtocol } from '../../src/plugin/protocol-definitions';

type HealthCheck = (
  request: object,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, answer: { status: string }) => void,
) => void;

/** A client certificate and key as Terraform makes them for PLUGIN_CLIENT_CERT (the same shape as the server's). */
const clientCertificate = () => selfSignedCertificate('HashiCorp');

/** The PEM form of the handshake's unpadded base64 DER, as Terraform rebuilds it to trust the server. */
function pemOf(handshakeCertificate: string): string {
  return new X509Certificate(Buffer.from(handshakeCertificate, 'base64')).toString();
}

describe('handshake line', () => {
  test('core|app|unix|path|grpc|cert and a newline', () => {
    expect(handshakeLine('/tmp/tfprovider-x/plugin.sock', 'MIIBcert')).toBe('1|6|unix|/tmp/tfprovider-x/plugin.sock|grpc|MIIBcert\n');
  });

  test('without TLS the certificate is empty and the line still ends in a newline', () => {
    expect(handshakeLine('/tmp/p.sock', '')).toBe('1|6|unix|/tmp/p.sock|grpc|\n');
  });

  test('go-plugin protocol 1, Terraform plugin protocol 6', () => {
    expect(CORE_PROTOCOL_VERSION).toBe(1);
    expect(APP_PROTOCOL_VERSION).toBe(6);
  });
});

describe('magic cookie', () => {
  test("Terraform's cookie value is the one go-plugin defines for Terraform providers", () => {
    expect(MAGIC_COOKIE_KEY).toBe('TF_PLUGIN_MAGIC_COOKIE');
    expect(MAGIC_COOKIE_VALUE).toBe('d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2');
  });

  test('only the exact cookie means Terraform started the process', () => {
    expect(startedByTerraform({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE })).toBe(true);
    expect(startedByTerraform({})).toBe(false);
    expect(startedByTerraform({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE.toUpperCase() })).toBe(false);
    expect(startedByTerraform({ TF_PLUGIN_MAGIC_COOKIE: '' })).toBe(false);
  });
});

describe('pluginTls', () => {
  test.each(['1', 'true'])('TF_DISABLE_PLUGIN_TLS=%s gives insecure credentials and an empty certificate', async (value) => {
    const tls = await pluginTls({ TF_DISABLE_PLUGIN_TLS: value });
    expect(tls.handshakeCertificate).toBe('');
    expect(tls.credentials._isSecure()).toBe(false);
  });

  test('without PLUGIN_CLIENT_CERT (and TLS not disabled) it refuses to serve', async () => {
    await expect(pluginTls({})).rejects.toThrow(/PLUGIN_CLIENT_CERT is not set/);
    await expect(pluginTls({ TF_DISABLE_PLUGIN_TLS: '0' })).rejects.toThrow(/PLUGIN_CLIENT_CERT is not set/);
  });

  describe('with PLUGIN_CLIENT_CERT', () => {
    let client: SelfSignedCertificate;
    let handshakeCertificate: string;
    let credentials: grpc.ServerCredentials;
    let certificate: X509Certificate;

    beforeAll(async () => {
      client = await clientCertificate();
      ({ handshakeCertificate, credentials } = await pluginTls({ PLUGIN_CLIENT_CERT: client.certificatePem }));
      certificate = new X509Certificate(Buffer.from(handshakeCertificate, 'base64'));
    });

    test('the handshake certificate is unpadded base64', () => {
      expect(handshakeCertificate).toMatch(/^[A-Za-z0-9+/]+$/);
      expect(handshakeCertificate).not.toContain('=');
      // Unpadded: re-encoding the decoded bytes gives the same text plus only the padding Go leaves out.
      expect(Buffer.from(handshakeCertificate, 'base64').toString('base64').replace(/=+$/, '')).toBe(handshakeCertificate);
    });

    test('it decodes as DER to a self-signed X.509 certificate', () => {
      expect(certificate.raw.length).toBeGreaterThan(100);
      expect(certificate.checkIssued(certificate)).toBe(true);
      expect(certificate.verify(certificate.publicKey)).toBe(true);
    });

    test('for localhost, its own CA', () => {
      expect(certificate.subjectAltName).toBe('DNS:localhost');
      expect(certificate.ca).toBe(true);
      expect(certificate.subject).toContain('CN=localhost');
      expect(certificate.checkHost('localhost')).toBe('localhost');
    });

    test('with an EC P-256 public key', () => {
      expect(certificate.publicKey.asymmetricKeyType).toBe('ec');
      expect(certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    });

    test('valid now, and for no more than a day', () => {
      const from = new Date(certificate.validFrom).getTime();
      const to = new Date(certificate.validTo).getTime();
      expect(from).toBeLessThanOrEqual(Date.now());
      expect(to).toBeGreaterThan(Date.now());
      expect(to - from).toBeLessThanOrEqual(24 * 3600_000 + 60_000);
    });

    test('the credentials are TLS', () => {
      expect(credentials._isSecure()).toBe(true);
    });

    test('each start makes a fresh certificate', async () => {
      const again = await pluginTls({ PLUGIN_CLIENT_CERT: client.certificatePem });
      expect(again.handshakeCertificate).not.toBe(handshakeCertificate);
    });

    describe('served over mutual TLS', () => {
      const directory = mkdtempSync(join(tmpdir(), 'auditdrain-mtls-'));
      const socket = `unix://${join(directory, 'plugin.sock')}`;
      const server = new grpc.Server();
      const Health = grpc.makeGenericClientConstructor(loadProtocol().health, 'Health');
      const clients: grpc.Client[] = [];

      beforeAll(async () => {
        server.addService(loadProtocol().health, {
          Check: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { status: 'SERVING' }),
        });
        await new Promise<void>((resolve, reject) => server.bindAsync(socket, credentials, (err) => (err ? reject(err) : resolve())));
      });

      afterAll(async () => {
        for (const c of clients) c.close();
        await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
        rmSync(directory, { recursive: true, force: true });
      });

      function check(clientCredentials: grpc.ChannelCredentials): Promise<{ status: string }> {
        const health = new Health(socket, clientCredentials);
        clients.push(health);
        const checkMethod = (health as unknown as { Check: HealthCheck }).Check.bind(health);
        return new Promise((resolve, reject) =>
          checkMethod({}, { deadline: Date.now() + 5000 }, (err, res) => (err ? reject(err) : resolve(res))),
        );
      }

      test('a client with the certificate Terraform named, trusting the handshake certificate, is served', async () => {
        const creds = grpc.credentials.createSsl(Buffer.from(pemOf(handshakeCertificate)), Buffer.from(client.keyPem), Buffer.from(client.certificatePem));
        await expect(check(creds)).resolves.toEqual({ status: 'SERVING' });
      });

      test('a client with another certificate is refused', async () => {
        const stranger = await clientCertificate();
        const creds = grpc.credentials.createSsl(Buffer.from(pemOf(handshakeCertificate)), Buffer.from(stranger.keyPem), Buffer.from(stranger.certificatePem));
        await expect(check(creds)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
      });

      test('a client without a certificate is refused', async () => {
        const creds = grpc.credentials.createSsl(Buffer.from(pemOf(handshakeCertificate)));
        await expect(check(creds)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
      });
    });
  });
});
