/**
 * go-plugin's handshake, as Terraform's plugin client expects it: the magic cookie that tells a provider it was
 * started by Terraform, and the one line on stdout that tells Terraform where and how to connect.
 */

/** Set by Terraform in the provider's environment; a process started any other way refuses to run. */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** go-plugin's own protocol version, and the Terraform plugin protocol's major version this provider speaks. */
export const CORE_PROTOCOL_VERSION = 1;
export const APP_PROTOCOL_VERSION = 6;

/**
 * `core|app|network|address|protocol|cert`: the one line a plugin prints, and the only thing it may write to stdout.
 * `cert` is the server certificate as unpadded base64 DER, or empty when TLS is off.
 */
export function handshakeLine(socketPath: string, certificateBase64: string): string {
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|unix|${socketPath}|grpc|${certificateBase64}\n`;
}

export function startedByTerraform(env: NodeJS.ProcessEnv): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}
