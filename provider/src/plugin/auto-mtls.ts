/**
 * AutoMTLS as go-plugin does it: Terraform puts a fresh client certificate in `PLUGIN_CLIENT_CERT`; the plugin
 * makes its own fresh self-signed server certificate, sends it in the handshake line, and serves TLS that accepts
 * exactly that client certificate. Neither side trusts anything else, so nothing else on the machine can talk to the
 * provider's socket. `TF_DISABLE_PLUGIN_TLS=1` turns TLS off (the handshake then carries an empty certificate).
 */
// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { ServerCredentials } from '@grpc/grpc-js';
import * as x509 from '@peculiar/x509';

export interface PluginTls {
  credentials: ServerCredentials;
  /** The server certificate for the handshake line: base64 DER without `=` padding, as Go's RawStdEncoding. */
  handshakeCertificate: string;
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface SelfSignedCertificate {
  certificatePem: string;
  keyPem: string;
  der: Buffer;
}

/**
 * A self-signed certificate for `localhost`, valid for a day (the process lives for one Terraform command). Like
 * go-plugin's own (and the client certificate Terraform makes), it is its own CA, because each side verifies the
 * other against exactly that certificate. EC P-256 keeps start-up fast: generating an RSA key would cost more than
 * everything else a command does.
 */
export async function selfSignedCertificate(organization: string): Promise<SelfSignedCertificate> {
  const keys = (await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    // A leading 01 byte keeps the random serial number positive, as X.509 requires.
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    name: `CN=localhost, O=${organization}`,
    notBefore: new Date(now - 30_000),
    notAfter: new Date(now + 24 * 3600_000),
    signingAlgorithm: EC_P256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }]),
    ],
  });
  const keyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }) as string;
  return { certificatePem: certificate.toString('pem'), keyPem, der: Buffer.from(certificate.rawData) };
}

/** The credentials to serve with, from the environment Terraform started the provider in. */
export async function pluginTls(env: NodeJS.ProcessEnv): Promise<PluginTls> {
  if (env.TF_DISABLE_PLUGIN_TLS === '1' || env.TF_DISABLE_PLUGIN_TLS === 'true') {
    return { credentials: ServerCredentials.createInsecure(), handshakeCertificate: '' };
  }
  const clientCertificate = env.PLUGIN_CLIENT_CERT;
  if (!clientCertificate) {
    throw new Error('PLUGIN_CLIENT_CERT is not set: this provider must be started by Terraform (or with TF_DISABLE_PLUGIN_TLS=1)');
  }
  const server = await selfSignedCertificate('auditdrain');
  return {
    credentials: ServerCredentials.createSsl(
      Buffer.from(clientCertificate),
      [{ private_key: Buffer.from(server.keyPem), cert_chain: Buffer.from(server.certificatePem) }],
      true,
    ),
    handshakeCertificate: server.der.toString('base64').replace(/=+$/, ''),
  };
}
