#!/usr/bin/env node
/**
 * The `auditdrain` command: run the service, apply migrations, manage tenants and API keys.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import type { Config } from '../config';
import { isRole, ROLES } from '../domain/access/roles';
import { createApiKey } from '../domain/api-keys/create-api-key';
import { listApiKeys } from '../domain/api-keys/list-api-keys';
import { revokeApiKey } from '../domain/api-keys/revoke-api-key';
import { createTenant } from '../domain/tenants/create-tenant';
import { listTenants } from '../domain/tenants/list-tenants';
import { ApiError } from '../errors';
import { createLogger } from '../log';
import type { RunningService } from '../server';
import { startService } from '../server';
import { openDatabase } from '../store/database';
import { migrate } from '../store/migrate';

const USAGE = `usage: auditdrain <command> [options]

commands:
  serve                                         run the API (the default command)
  migrate                                       apply database migrations and exit
  tenants create --name NAME                    create a tenant
  tenants list                                  list tenants
  keys create --tenant TENANT_ID --role ROLE [--name NAME]
                                                create an API key (shown once); ROLE: ${ROLES.join(', ')}
  keys list --tenant TENANT_ID                  list a tenant's API keys (never their secrets)
  keys revoke KEY_ID                            revoke an API key

options:
  --json                                        print results as JSON

Settings come from AUDITDRAIN_* environment variables; see docs/configuration.md.
`;

class UsageError extends Error {}

function print(value: unknown, json: boolean, human: string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : human + '\n');
}

async function withStore<T>(config: Config, fn: (db: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  await migrate(config.database);
  const db = openDatabase(config.database);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function serve(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  let service: RunningService | undefined;
  let signalled: string | undefined;
  const shutdown = (signal: string) => {
    log.info({ signal }, 'received signal');
    // A signal during start-up is acted on as soon as the service is up.
    if (!service) {
      signalled = signal;
      return;
    }
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Installed before anything starts, so a SIGTERM never finds Node's default handler (which exits at once).
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  service = await startService(config, log);
  if (signalled) shutdown(signalled);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      tenant: { type: 'string' },
      role: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const [command = 'serve', sub, arg] = positionals;
  const config = loadConfig();
  const json = values.json ?? false;
  const need = (v: string | undefined, flag: string) => {
    if (!v) throw new UsageError(`${flag} is required`);
    return v;
  };

  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const applied = await migrate(config.database);
      print({ applied }, json, applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      return;
    }
    case 'tenants create': {
      const tenant = await withStore(config, (db) => createTenant(db.client, need(values.name, '--name')));
      print(tenant, json, `created tenant ${tenant.id} (${tenant.name})`);
      return;
    }
    case 'tenants list': {
      const tenants = await withStore(config, (db) => listTenants(db.client));
      print(tenants, json, tenants.map((t) => `${t.id}\t${t.name}\t${t.created_at}`).join('\n') || 'no tenants');
      return;
    }
    case 'keys create': {
      const role = need(values.role, '--role');
      if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const key = await withStore(config, (db) =>
        createApiKey(db.client, { tenantId: need(values.tenant, '--tenant'), role, name: values.name ?? `${role} key` }),
      );
      print(key, json, `created API key ${key.id} (${key.role}) for tenant ${key.tenant_id}; it is shown this once:\n\n  ${key.secret}\n`);
      return;
    }
    case 'keys list': {
      const keys = await withStore(config, (db) => listApiKeys(db.client, need(values.tenant, '--tenant')));
      print(
        keys,
        json,
        keys.map((k) => `${k.id}\t${k.role}\t${k.hint}\t${k.name}\t${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}`).join('\n') ||
          'no keys',
      );
      return;
    }
    case 'keys revoke': {
      const key = await withStore(config, (db) => revokeApiKey(db.client, need(arg, 'KEY_ID')));
      print(key, json, `revoked API key ${key.id}`);
      return;
    }
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) process.stderr.write(`auditdrain: ${err.message}\n\n${USAGE}`);
  else if (err instanceof ConfigError || err instanceof ApiError) process.stderr.write(`auditdrain: ${err.message}\n`);
  else if (err instanceof Error && err.name === 'TypeError' && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`auditdrain: ${err.message}\n\n${USAGE}`);
  } else process.stderr.write(`auditdrain: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(err instanceof UsageError ? 64 : 1);
});
