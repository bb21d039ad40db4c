/**
 * Structured JSON logs, one object per line. Request bodies and headers are never logged; the redaction list is a
 * second line of defence for secrets that reach a log call by mistake.
 */
import pino from 'pino';

export type Logger = pino.Logger;

const REDACT = [
  'authorization',
  '*.authorization',
  'api_key',
  '*.api_key',
  'secret',
  '*.secret',
  'secret_access_key',
  '*.secret_access_key',
  'signing_secret',
  '*.signing_secret',
  'headers',
  '*.headers',
  'masterKey',
  '*.masterKey',
];

export function createLogger(level: pino.LevelWithSilent, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'auditdrain' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
