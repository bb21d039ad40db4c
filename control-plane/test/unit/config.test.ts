import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, SETTINGS, loadConfig, settingsTable } from '../../src/config';

const KEY = 'a'.repeat(64);

test('defaults: SQLite in ./data on port 8080', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    host: '0.0.0.0',
    port: 8080,
    dataDir: path.resolve('data'),
    database: { dialect: 'sqlite', file: path.resolve('data', 'auditdrain.db') },
    masterKey: null,
    logLevel: 'info',
    allowPrivateNetwork: false,
    awsPrincipalArn: null,
  });
});

test('a postgres URL selects PostgreSQL and then requires a master key', () => {
  expect(() => loadConfig({ AUDITDRAIN_DATABASE_URL: 'postgres://u@h/db' })).toThrow(/AUDITDRAIN_MASTER_KEY is required with PostgreSQL/);
  const config = loadConfig({ AUDITDRAIN_DATABASE_URL: 'postgresql://u@h/db', AUDITDRAIN_MASTER_KEY: KEY });
  expect(config.database).toEqual({ dialect: 'postgresql', url: 'postgresql://u@h/db' });
  expect(config.masterKey).toEqual(Buffer.alloc(32, 0xaa));
});

test('the master key may be hex or base64, and must be 32 bytes', () => {
  const b64 = Buffer.alloc(32, 7).toString('base64');
  expect(loadConfig({ AUDITDRAIN_MASTER_KEY: b64 }).masterKey).toEqual(Buffer.alloc(32, 7));
  expect(() => loadConfig({ AUDITDRAIN_MASTER_KEY: 'abcd' })).toThrow(/32 bytes/);
});

test.each([
  ['AUDITDRAIN_PORT', '70000', /AUDITDRAIN_PORT="70000": must be at most 65535/],
  ['AUDITDRAIN_PORT', 'eighty', /AUDITDRAIN_PORT="eighty": must be a whole number/],
  ['AUDITDRAIN_LOG_LEVEL', 'loud', /AUDITDRAIN_LOG_LEVEL/],
  ['AUDITDRAIN_ALLOW_PRIVATE_NETWORK', 'yes', /AUDITDRAIN_ALLOW_PRIVATE_NETWORK/],
  ['AUDITDRAIN_DATABASE_URL', 'mysql://x', /must start with postgres/],
  ['AUDITDRAIN_AWS_PRINCIPAL_ARN', 'not-an-arn', /IAM or STS ARN/],
  ['AUDITDRAIN_PROT', '8080', /unknown setting AUDITDRAIN_PROT/],
])('%s=%s is refused, naming the variable', (name, value, message) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => loadConfig({ [name]: value })).toThrow(message);
});

test('AUDITDRAIN_TEST_* variables belong to the test suite and are ignored', () => {
  expect(() => loadConfig({ AUDITDRAIN_TEST_DIALECT: 'sqlite' })).not.toThrow();
});

test('docs/configuration.md carries the current settings table (regenerate with `npm run docs`)', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
  const section = /<!-- settings:start -->\n([\s\S]*?)\n<!-- settings:end -->/.exec(doc);
  expect(section?.[1]).toBe(settingsTable());
  for (const name of Object.keys(SETTINGS)) expect(section?.[1]).toContain(`| \`${name}\` |`);
});

test('the process role and the delivery lease: defaults, values, refusals naming the variable', () => {
  expect(loadConfig({})).toMatchObject({ role: 'all', deliverySettings: { leaseMs: 30_000 } });
  expect(loadConfig({ AUDITDRAIN_ROLE: 'delivery', AUDITDRAIN_DELIVERY_LEASE_SECONDS: '10' })).toMatchObject({
    role: 'delivery',
    deliverySettings: { leaseMs: 10_000 },
  });
  expect(loadConfig({ AUDITDRAIN_ROLE: 'api' }).role).toBe('api');
  expect(() => loadConfig({ AUDITDRAIN_ROLE: 'worker' })).toThrow(/AUDITDRAIN_ROLE="worker": must be all, api or delivery/);
  expect(() => loadConfig({ AUDITDRAIN_DELIVERY_LEASE_SECONDS: '1' })).toThrow(/AUDITDRAIN_DELIVERY_LEASE_SECONDS/);
  expect(() => loadConfig({ AUDITDRAIN_DELIVERY: 'false' })).toThrow(/unknown setting AUDITDRAIN_DELIVERY/);
});
