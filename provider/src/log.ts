/**
 * Logs to stderr as JSON lines in the shape go-plugin understands (`@level`, `@message`, `@timestamp`), so they
 * appear in Terraform's own log under TF_LOG / TF_LOG_PROVIDER. stdout belongs to the handshake alone.
 */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface Log {
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function stderrLog(module = 'provider.terraform-provider-auditdrain'): Log {
  const write = (level: Level, message: string, fields: Record<string, unknown> = {}): void => {
    process.stderr.write(
      `${JSON.stringify({ '@level': level, '@message': message, '@module': module, '@timestamp': new Date().toISOString(), ...fields })}\n`,
    );
  };
  return {
    debug: (m, f) => write('debug', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
