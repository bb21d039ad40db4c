/**
 * The service's settings, read from the environment once at start-up into a typed object. Nothing downstream
 * reads process.env. An `AUDITDRAIN_*` variable that is not a known setting is refused, so a typo cannot pass
 * unnoticed. docs/configuration.md documents every setting; a test holds the two together.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { DeliverySettings } from './delivery/settings';
import { RETRY_DELAYS_MS } from './delivery/webhook/retry-schedule';

export type Dialect = 'sqlite' | 'postgresql';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  database: { dialect: 'sqlite'; file: string } | { dialect: 'postgresql'; url: string };
  /** 32 bytes, or null when the key is to be read from (or generated into) the data directory. */
  masterKey: Buffer | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** ARN of the AWS principal the service runs as, shown to tenants for their trust policies. */
  awsPrincipalArn: string | null;
  /** Allow webhook URLs on loopback and private networks, and plain http to them. */
  allowPrivateNetwork: boolean;
  /** Name of the tenant created, with an admin key, when the database is empty at start-up. */
  bootstrapTenantName: string;
  /** Largest accepted request body. */
  maxBodyBytes: number;
  /** How long shutdown waits for requests in flight before closing anyway. */
  shutdownGraceMs: number;
  /** Worker threads that parse and validate large ingest batches; 0 does it on the main thread. */
  ingestWorkers: number;
  /** What this process does: serve the API, run delivery, or both. */
  role: ProcessRole;
  /** How long events are kept at least (store/prune-events.ts). */
  retentionMs: number;
  deliverySettings: DeliverySettings;
}

/** One documented setting. */
interface Setting {
  description: string;
  default?: string;
}

export const SETTINGS = {
  AUDITDRAIN_HOST: { description: 'Address the HTTP server listens on.', default: '0.0.0.0' },
  AUDITDRAIN_PORT: { description: 'Port the HTTP server listens on.', default: '8080' },
  AUDITDRAIN_DATA_DIR: {
    description: 'Directory for the SQLite database and the generated master key.',
    default: './data',
  },
  AUDITDRAIN_DATABASE_URL: {
    description:
      'A `postgres://` or `postgresql://` URL selects PostgreSQL; a `file:` URL selects SQLite at that path. ' +
      'Unset: SQLite at `<data dir>/auditdrain.db`.',
  },
  AUDITDRAIN_MASTER_KEY: {
    description:
      'Key that encrypts secrets at rest: 32 bytes as 64 hex digits or base64. Unset with SQLite: generated once ' +
      'into `<data dir>/master.key` (with a warning). Required with PostgreSQL.',
  },
  AUDITDRAIN_LOG_LEVEL: { description: 'fatal, error, warn, info, debug, trace or silent.', default: 'info' },
  AUDITDRAIN_AWS_PRINCIPAL_ARN: {
    description: 'ARN of the AWS principal the service runs as, returned by `GET /v1/identity` for trust policies.',
  },
  AUDITDRAIN_ALLOW_PRIVATE_NETWORK: {
    description:
      'true allows webhook URLs on loopback, private and link-local addresses, and plain http to them (tests, ' +
      'local demos).',
    default: 'false',
  },
  AUDITDRAIN_BOOTSTRAP_TENANT: {
    description: 'Name of the tenant created, with an admin API key printed once, when the database is empty.',
    default: 'default',
  },
  AUDITDRAIN_MAX_BODY_BYTES: { description: 'Largest request body accepted, in bytes.', default: '16777216' },
  AUDITDRAIN_INGEST_WORKERS: {
    description:
      'Worker threads that parse and validate large `POST /v1/events` batches while the main thread writes. ' +
      '`auto`: one fewer than the CPUs available, at most 4; `0`: all on the main thread.',
    default: 'auto',
  },
  AUDITDRAIN_ROLE: {
    description:
      'What this process does: `all` serves the API and runs delivery; `api` serves the API only; `delivery` runs ' +
      'delivery only (its HTTP port serves /healthz, /readyz and /metrics, and answers 503 to the API). Any number ' +
      'of processes of any role may share one PostgreSQL database.',
    default: 'all',
  },
  AUDITDRAIN_DELIVERY_POLL_MS: {
    description: 'How often the delivery engine looks for due batches when no ingest wakes it, in milliseconds.',
    default: '1000',
  },
  AUDITDRAIN_DELIVERY_CONCURRENCY: { description: 'Destinations delivered at the same time.', default: '8' },
  AUDITDRAIN_RETENTION_DAYS: {
    description:
      'Events received longer ago than this are deleted once every destination of their tenant has passed them and ' +
      'no pending webhook delivery needs them. Processes that deliver run it every 10 minutes.',
    default: '30',
  },
  AUDITDRAIN_DELIVERY_LEASE_SECONDS: {
    description:
      'How long a process holds a destination it delivers without renewing its claim (it renews every third of ' +
      'this while delivering); when a process dies, others take its destinations over after this long.',
    default: '30',
  },
  AUDITDRAIN_AWS_REGION: {
    description:
      "Region the service's own STS calls are signed for, and where bucket regions are discovered. The service's " +
      'own AWS identity comes from the AWS SDK default chain (`AWS_ACCESS_KEY_ID`…, a profile, an instance or task role).',
    default: 'us-east-1',
  },
  AUDITDRAIN_STS_ENDPOINT: { description: 'STS endpoint for AssumeRole. Unset: AWS STS in `AUDITDRAIN_AWS_REGION`.' },
  AUDITDRAIN_VERIFY_DESTINATIONS: {
    description:
      'true: creating or updating an S3 destination first writes a test object with its settings, and a failure ' +
      'answers 422. false skips it (and `…/test` answers 503).',
    default: 'true',
  },
  AUDITDRAIN_VERIFY_TIMEOUT_SECONDS: {
    description: 'How long verification retries AccessDenied (an IAM role created moments ago is not assumable yet).',
    default: '30',
  },
  AUDITDRAIN_AWS_REQUEST_TIMEOUT_MS: { description: 'Timeout of one S3 or STS request, in milliseconds.', default: '30000' },
  AUDITDRAIN_WEBHOOK_TIMEOUT_SECONDS: {
    description: 'How long one webhook POST may take, connection and response included, before it counts as failed and is retried.',
    default: '15',
  },
  AUDITDRAIN_WEBHOOK_CONCURRENCY: {
    description: 'Requests in flight to one webhook integration at a time.',
    default: '8',
  },
  AUDITDRAIN_FAULT_INJECTION: {
    description:
      'Tests only: `exit-after-put` kills the process after a batch is written to S3 and before its cursor moves.',
  },
  AUDITDRAIN_SHUTDOWN_GRACE_MS: {
    description: 'On SIGTERM, how long to let requests in flight finish before closing, in milliseconds.',
    default: '10000',
  },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** The settings as the Markdown table docs/configuration.md carries (kept current by `npm run docs`). */
export function settingsTable(): string {
  const rows = Object.entries(SETTINGS).map(([name, s]: [string, Setting]) => {
    const def = s.default === undefined ? '(unset)' : `\`${s.default}\``;
    return `| \`${name}\` | ${s.description} | ${def} |`;
  });
  return ['| Variable | Meaning | Default |', '| --- | --- | --- |', ...rows].join('\n');
}

export type ProcessRole = 'all' | 'api' | 'delivery';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

function parseMasterKey(raw: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new ConfigError('AUDITDRAIN_MASTER_KEY must be 32 bytes: 64 hex digits or base64');
  return key;
}

function parseDatabase(url: string | undefined, dataDir: string): Config['database'] {
  if (url === undefined || url === '') return { dialect: 'sqlite', file: path.join(dataDir, 'auditdrain.db') };
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgresql', url };
  if (url.startsWith('file:')) return { dialect: 'sqlite', file: path.resolve(url.slice('file:'.length)) };
  throw new ConfigError('AUDITDRAIN_DATABASE_URL must start with postgres://, postgresql:// or file:');
}

function read<T>(env: NodeJS.ProcessEnv, name: SettingName, schema: z.ZodType<T, string>): T {
  const setting: Setting = SETTINGS[name];
  const raw = env[name] ?? setting.default;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return parsed.data;
}

/** Parses the settings, throwing a ConfigError naming the variable at the first bad one. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // AUDITDRAIN_TEST_* variables belong to the test suite, not to the service.
  const unknown = Object.keys(env).filter(
    (k) => k.startsWith('AUDITDRAIN_') && !k.startsWith('AUDITDRAIN_TEST_') && !(k in SETTINGS),
  );
  if (unknown.length > 0) {
    throw new ConfigError(`unknown setting ${unknown.join(', ')}; known settings: ${Object.keys(SETTINGS).join(', ')}`);
  }
  const dataDir = path.resolve(read(env, 'AUDITDRAIN_DATA_DIR', z.string().min(1, 'must not be empty')));
  const database = parseDatabase(env.AUDITDRAIN_DATABASE_URL, dataDir);
  const masterKey = env.AUDITDRAIN_MASTER_KEY ? parseMasterKey(env.AUDITDRAIN_MASTER_KEY) : null;
  if (masterKey === null && database.dialect === 'postgresql') {
    throw new ConfigError(
      'AUDITDRAIN_MASTER_KEY is required with PostgreSQL: every process must decrypt with the same key',
    );
  }
  const principal = env.AUDITDRAIN_AWS_PRINCIPAL_ARN;
  if (principal !== undefined && principal !== '' && !/^arn:[a-z0-9-]+:(iam|sts)::[^:]*:.+$/.test(principal)) {
    throw new ConfigError('AUDITDRAIN_AWS_PRINCIPAL_ARN must be an IAM or STS ARN');
  }
  return {
    host: read(env, 'AUDITDRAIN_HOST', z.string().min(1, 'must not be empty')),
    port: read(env, 'AUDITDRAIN_PORT', int(0, 65535)),
    dataDir,
    database,
    masterKey,
    logLevel: read(env, 'AUDITDRAIN_LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
    awsPrincipalArn: principal ? principal : null,
    allowPrivateNetwork: read(env, 'AUDITDRAIN_ALLOW_PRIVATE_NETWORK', bool),
    bootstrapTenantName: read(env, 'AUDITDRAIN_BOOTSTRAP_TENANT', z.string().min(1).max(128)),
    maxBodyBytes: read(env, 'AUDITDRAIN_MAX_BODY_BYTES', int(1024, 1024 * 1024 * 1024)),
    shutdownGraceMs: read(env, 'AUDITDRAIN_SHUTDOWN_GRACE_MS', int(0, 600_000)),
    retentionMs: read(env, 'AUDITDRAIN_RETENTION_DAYS', int(1, 36_500)) * 86_400_000,
    role: read(env, 'AUDITDRAIN_ROLE', z.enum(['all', 'api', 'delivery'], { error: 'must be all, api or delivery' })),
    deliverySettings: {
      awsRegion: read(env, 'AUDITDRAIN_AWS_REGION', z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be a region name')),
      stsEndpoint: env.AUDITDRAIN_STS_ENDPOINT ? read(env, 'AUDITDRAIN_STS_ENDPOINT', z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })) : null,
      serviceCredentials: null,
      verify: read(env, 'AUDITDRAIN_VERIFY_DESTINATIONS', bool),
      verifyTimeoutMs: read(env, 'AUDITDRAIN_VERIFY_TIMEOUT_SECONDS', int(0, 600)) * 1000,
      requestTimeoutMs: read(env, 'AUDITDRAIN_AWS_REQUEST_TIMEOUT_MS', int(100, 600_000)),
      pollMs: read(env, 'AUDITDRAIN_DELIVERY_POLL_MS', int(10, 600_000)),
      concurrency: read(env, 'AUDITDRAIN_DELIVERY_CONCURRENCY', int(1, 256)),
      leaseMs: read(env, 'AUDITDRAIN_DELIVERY_LEASE_SECONDS', int(2, 3600)) * 1000,
      webhookTimeoutMs: read(env, 'AUDITDRAIN_WEBHOOK_TIMEOUT_SECONDS', int(1, 300)) * 1000,
      webhookConcurrency: read(env, 'AUDITDRAIN_WEBHOOK_CONCURRENCY', int(1, 64)),
      webhookRetryDelaysMs: RETRY_DELAYS_MS,
      allowPrivateNetwork: read(env, 'AUDITDRAIN_ALLOW_PRIVATE_NETWORK', bool),
      faultInjection: env.AUDITDRAIN_FAULT_INJECTION
        ? read(env, 'AUDITDRAIN_FAULT_INJECTION', z.literal('exit-after-put', { error: 'must be "exit-after-put"' }))
        : null,
    },
    ingestWorkers: read(
      env,
      'AUDITDRAIN_INGEST_WORKERS',
      z.union([z.literal('auto').transform(() => Math.max(0, Math.min(4, os.availableParallelism() - 1))), int(0, 16)], {
        error: 'must be "auto" or a whole number from 0 to 16',
      }),
    ),
  };
}
