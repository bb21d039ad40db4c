/**
 * Object-key templates: parsing, rendering, and the templates refused at create time.
 */
import type { KeyTemplateValues } from '../src';
import {
  DEFAULT_KEY_TEMPLATE,
  HIVE_KEY_TEMPLATE,
  KEY_TEMPLATE_VARIABLES,
  KeyTemplateError,
  parseKeyTemplate,
  renderKeyTemplate,
  usesBatchId,
} from '../src';

/** The values of a batch whose first event occurred at 2026-01-31T09:05:07Z. */
const VALUES: KeyTemplateValues = {
  Year: '2026',
  Month: '01',
  Day: '31',
  Hour: '09',
  Minute: '05',
  Second: '07',
  Timestamp: '1769850307000',
  ID: 'b_01JXYZ',
  DestinationID: 's3d_01ABC',
  TenantID: 'tnt_01DEF',
};

const render = (template: string) => renderKeyTemplate(parseKeyTemplate(template), VALUES);

function parseError(template: string): string {
  try {
    parseKeyTemplate(template);
  } catch (err) {
    expect(err).toBeInstanceOf(KeyTemplateError);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(template)} to be refused`);
}

describe('the documented templates', () => {
  test('the default template is the one the contract names', () => {
    expect(DEFAULT_KEY_TEMPLATE).toBe('{{ .Year }}/{{ .Month }}/{{ .Day }}/{{ .Hour }}_{{ .Minute }}_{{ .Second }}_{{ .ID }}');
  });

  test('the default template parses into literals and variables', () => {
    expect(parseKeyTemplate(DEFAULT_KEY_TEMPLATE).parts).toEqual([
      { variable: 'Year' },
      { literal: '/' },
      { variable: 'Month' },
      { literal: '/' },
      { variable: 'Day' },
      { literal: '/' },
      { variable: 'Hour' },
      { literal: '_' },
      { variable: 'Minute' },
      { literal: '_' },
      { variable: 'Second' },
      { literal: '_' },
      { variable: 'ID' },
    ]);
  });

  test.each([
    ['default', DEFAULT_KEY_TEMPLATE, '2026/01/31/09_05_07_b_01JXYZ'],
    ['Hive', HIVE_KEY_TEMPLATE, 'schema=audit_log/version=v1/year=2026/month=01/day=31/1769850307000_b_01JXYZ'],
  ])('the %s template renders exactly', (_, template, key) => {
    expect(render(template)).toBe(key);
  });

  test('the Hive template is the one the contract names', () => {
    expect(HIVE_KEY_TEMPLATE).toBe(
      'schema=audit_log/version=v1/year={{ .Year }}/month={{ .Month }}/day={{ .Day }}/{{ .Timestamp }}_{{ .ID }}',
    );
  });
});

describe('rendering', () => {
  test.each([
    ['{{.Year}}/{{.Month}}/{{.ID}}', '2026/01/b_01JXYZ'],
    ['{{   .Year   }}/{{ .ID}}', '2026/b_01JXYZ'],
    ['{{- .Year -}}/{{ .ID }}', '2026/b_01JXYZ'],
    ['tenant={{ .TenantID }}/dest={{ .DestinationID }}/{{ .ID }}', 'tenant=tnt_01DEF/dest=s3d_01ABC/b_01JXYZ'],
    ['static/{{ .ID }}.part', 'static/b_01JXYZ.part'],
  ])('%s renders as %s', (template, key) => {
    expect(render(template)).toBe(key);
  });

  test.each(KEY_TEMPLATE_VARIABLES.map((v) => [v]))('.%s is a known variable', (variable) => {
    expect(render(`v/{{ .${variable} }}/{{ .ID }}`)).toBe(`v/${VALUES[variable]}/${VALUES.ID}`);
  });

  test.each([
    ['{{ .Year }}/{{ .Month }}', '2026/01_b_01JXYZ'],
    ['{{ .Timestamp }}', '1769850307000_b_01JXYZ'],
    ['static', 'static_b_01JXYZ'],
    ['{{ .DestinationID }}', 's3d_01ABC_b_01JXYZ'],
  ])('%s has no .ID, so _<ID> is appended: %s', (template, key) => {
    expect(usesBatchId(parseKeyTemplate(template))).toBe(false);
    expect(render(template)).toBe(key);
  });

  test('a template with .ID gets nothing appended, even with .ID in the middle', () => {
    expect(usesBatchId(parseKeyTemplate('{{ .ID }}/{{ .Year }}'))).toBe(true);
    expect(render('{{ .ID }}/{{ .Year }}')).toBe('b_01JXYZ/2026');
  });

  test('two batches never share a key, whatever the template', () => {
    for (const template of ['static', DEFAULT_KEY_TEMPLATE, '{{ .Year }}']) {
      const parsed = parseKeyTemplate(template);
      expect(renderKeyTemplate(parsed, VALUES)).not.toBe(renderKeyTemplate(parsed, { ...VALUES, ID: 'b_other' }));
    }
  });
});

describe('refused templates', () => {
  test.each([
    ['an unknown variable', '{{ .Year }}/{{ .Week }}', /unknown variable "\.Week" at offset 12/],
    ['a lower-case variable', '{{ .year }}', /unknown variable "\.year"/],
    ['a control structure', '{{ if .Year }}x{{ end }}', /unsupported action "\{\{ if \.Year \}\}"/],
    ['a bare {{ if }}', 'a/{{ if }}', /unsupported action/],
    ['a function call', '{{ printf "%d" .Year }}', /unsupported action/],
    ['a pipeline', '{{ .Year | html }}', /unsupported action/],
    ['an empty action', 'a/{{}}', /unsupported action/],
    ['a field of a variable', '{{ .Year.Month }}', /unsupported action/],
    ['an unclosed action', '{{ .Year }}/{{ .Month', /unbalanced braces at offset 12/],
    ['a stray closing brace pair', '{{ .Year }}/x}}', /unbalanced braces/],
    ['a stray opening brace pair', 'x{{/{{ .ID }}', /unbalanced braces|unsupported action/],
    ['a leading "/"', '/{{ .Year }}/{{ .ID }}', /must not start with "\/"/],
    ['a trailing "/"', '{{ .Year }}/', /must not end with "\/"/],
    ['a ".." segment', '{{ .Year }}/../{{ .ID }}', /".." path segment/],
    ['a "." segment', './{{ .ID }}', /"." path segment/],
    ['an empty segment', '{{ .Year }}//{{ .ID }}', /empty path segment/],
    ['a backslash', '{{ .Year }}\\{{ .ID }}', /must not contain "\\"/],
    ['an empty template', '', /template is empty/],
  ])('%s: %j', (_, template, message) => {
    expect(parseError(template)).toMatch(message);
  });

  test('a single brace is literal text', () => {
    expect(render('{x}/{{ .ID }}')).toBe('{x}/b_01JXYZ');
  });
});
