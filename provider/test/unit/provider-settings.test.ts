/**
 * The provider's settings: the provider block first, the environment as fallback, and every problem reported as a
 * diagnostic pointing at the attribute it is about.
 */
import { providerSettings } from '../../src/provider';
import { UNKNOWN } from '../../src/values/value';

const ENV = { AUDITDRAIN_ENDPOINT: 'https://env.example.com', AUDITDRAIN_API_KEY: 'adk_env' };

test('the provider block beats the environment', () => {
  expect(providerSettings({ endpoint: 'https://config.example.com', api_key: 'adk_config' }, ENV)).toEqual({
    settings: { endpoint: 'https://config.example.com', apiKey: 'adk_config' },
    diagnostics: [],
  });
});

test('each setting falls back to the environment on its own', () => {
  expect(providerSettings({ endpoint: null, api_key: null }, ENV)).toEqual({
    settings: { endpoint: 'https://env.example.com', apiKey: 'adk_env' },
    diagnostics: [],
  });
  expect(providerSettings({ endpoint: 'http://localhost:8080', api_key: null }, ENV).settings).toEqual({
    endpoint: 'http://localhost:8080',
    apiKey: 'adk_env',
  });
  expect(providerSettings({ endpoint: null, api_key: 'adk_config' }, ENV).settings).toEqual({
    endpoint: 'https://env.example.com',
    apiKey: 'adk_config',
  });
});

test('an empty provider block reads the environment', () => {
  expect(providerSettings({}, ENV).settings).toEqual({ endpoint: 'https://env.example.com', apiKey: 'adk_env' });
});

test('a missing endpoint is reported at endpoint', () => {
  const { settings, diagnostics } = providerSettings({ endpoint: null, api_key: 'adk_config' }, {});
  expect(settings).toBeUndefined();
  expect(diagnostics).toEqual([
    {
      severity: 'ERROR',
      summary: 'Missing auditdrain endpoint',
      detail: 'Set endpoint in the provider block or AUDITDRAIN_ENDPOINT.',
      attribute: { steps: [{ attribute_name: 'endpoint' }] },
    },
  ]);
});

test('a missing API key is reported at api_key', () => {
  const { settings, diagnostics } = providerSettings({ endpoint: 'https://config.example.com', api_key: null }, {});
  expect(settings).toBeUndefined();
  expect(diagnostics).toEqual([
    {
      severity: 'ERROR',
      summary: 'Missing auditdrain API key',
      detail: 'Set api_key in the provider block or AUDITDRAIN_API_KEY.',
      attribute: { steps: [{ attribute_name: 'api_key' }] },
    },
  ]);
});

test('both missing gives both diagnostics', () => {
  const { settings, diagnostics } = providerSettings({ endpoint: null, api_key: null }, {});
  expect(settings).toBeUndefined();
  expect(diagnostics.map((d) => d.attribute)).toEqual([
    { steps: [{ attribute_name: 'endpoint' }] },
    { steps: [{ attribute_name: 'api_key' }] },
  ]);
});

test.each(['ftp://files.example.com', 'auditdrain.example.com', 'file:///etc/passwd', 'not a url'])(
  'the endpoint %s is refused',
  (endpoint) => {
    const { settings, diagnostics } = providerSettings({ endpoint, api_key: 'adk_config' }, {});
    expect(settings).toBeUndefined();
    expect(diagnostics).toEqual([
      {
        severity: 'ERROR',
        summary: 'Invalid auditdrain endpoint',
        detail: `"${endpoint}" is not an absolute http or https URL.`,
        attribute: { steps: [{ attribute_name: 'endpoint' }] },
      },
    ]);
  },
);

test('a non-http endpoint from the environment is refused too', () => {
  const { settings, diagnostics } = providerSettings({}, { ...ENV, AUDITDRAIN_ENDPOINT: 'ftp://env.example.com' });
  expect(settings).toBeUndefined();
  expect(diagnostics.map((d) => d.summary)).toEqual(['Invalid auditdrain endpoint']);
});

test('http and https endpoints are both accepted', () => {
  expect(providerSettings({ endpoint: 'http://127.0.0.1:8080', api_key: 'k' }, {}).settings?.endpoint).toBe('http://127.0.0.1:8080');
  expect(providerSettings({ endpoint: 'https://auditdrain.example.com/base', api_key: 'k' }, {}).settings?.endpoint).toBe(
    'https://auditdrain.example.com/base',
  );
});

test('an unknown endpoint is reported at endpoint, not replaced by the environment', () => {
  const { settings, diagnostics } = providerSettings({ endpoint: UNKNOWN, api_key: 'adk_config' }, ENV);
  expect(settings).toBeUndefined();
  expect(diagnostics).toEqual([
    {
      severity: 'ERROR',
      summary: 'Provider configuration is not known yet',
      detail: 'endpoint depends on a value known only after apply; set it from known values.',
      attribute: { steps: [{ attribute_name: 'endpoint' }] },
    },
  ]);
});

test('an unknown API key is reported at api_key', () => {
  const { settings, diagnostics } = providerSettings({ endpoint: 'https://config.example.com', api_key: UNKNOWN }, ENV);
  expect(settings).toBeUndefined();
  expect(diagnostics).toHaveLength(1);
  expect(diagnostics[0]).toMatchObject({ severity: 'ERROR', attribute: { steps: [{ attribute_name: 'api_key' }] } });
});
