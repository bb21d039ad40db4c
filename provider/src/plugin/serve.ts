/**
 * Runs the provider as a go-plugin gRPC server: a Unix socket in a private temporary directory, TLS per AutoMTLS,
 * the handshake line on stdout, and the services go-plugin's client calls besides the provider's own (its
 * controller's Shutdown and the health check). The process ends when Terraform calls Shutdown, or when Terraform itself is gone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { pluginTls } from './auto-mtls';
import { handshakeLine } from './handshake';
import { loadProtocol } from './protocol-definitions';
import type { Log } from '../log';

export type ProviderImplementation = grpc.UntypedServiceImplementation;

export async function serve(provider: ProviderImplementation, log: Log, env: NodeJS.ProcessEnv): Promise<void> {
  const definitions = loadProtocol();
  const tls = await pluginTls(env);
  const directory = mkdtempSync(join(tmpdir(), 'tfprovider-auditdrain-'));
  process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
  const socketPath = join(directory, 'plugin.sock');
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 256 * 1024 * 1024 });

  let stopped = false;
  const stop = (why: string): void => {
    if (stopped) return;
    stopped = true;
    log.debug('plugin stopping', { why });
    // The socket's directory goes with the process (the exit handler above).
    server.tryShutdown(() => process.exit(0));
    // An RPC that hangs must not keep the process alive once Terraform is done with it.
    setTimeout(() => {
      server.forceShutdown();
      process.exit(0);
    }, 2000).unref();
  };

  server.addService(definitions.provider, provider);
  server.addService(definitions.controller, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      setImmediate(() => stop('Shutdown'));
    },
  });
  server.addService(definitions.health, {
    Check: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { status: 'SERVING' }),
  });

  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socketPath}`, tls.credentials, (err) => (err ? reject(err) : resolve())),
  );
  // Terraform forwards Ctrl-C to the provider as StopProvider; the signal itself must not end the process mid-apply.
  process.on('SIGINT', () => log.debug('SIGINT ignored: Terraform sends StopProvider'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // When Terraform goes away without a Shutdown (a crash, a kill -9), this process is re-parented: end with it.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('Terraform exited');
  }, 1000).unref();

  process.stdout.write(handshakeLine(socketPath, tls.handshakeCertificate));
  log.debug('plugin serving', { socket: socketPath, tls: tls.handshakeCertificate !== '' });
}
