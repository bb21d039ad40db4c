/**
 * Object-key templates in Go-template syntax: literal text with `{{ .Variable }}` references.
 *
 * Only variable references are supported (no pipelines, functions or control structures): a key layout needs
 * nothing else, and refusing the rest keeps every template checkable at create time.
 */

export const KEY_TEMPLATE_VARIABLES = [
  'Year',
  'Month',
  'Day',
  'Hour',
  'Minute',
  'Second',
  'Timestamp',
  'ID',
  'DestinationID',
  'TenantID',
] as const;

export type KeyTemplateVariable = (typeof KEY_TEMPLATE_VARIABLES)[number];
export type KeyTemplateValues = Readonly<Record<KeyTemplateVariable, string>>;

export const DEFAULT_KEY_TEMPLATE =
  '{{ .Year }}/{{ .Month }}/{{ .Day }}/{{ .Hour }}_{{ .Minute }}_{{ .Second }}_{{ .ID }}';

export const HIVE_KEY_TEMPLATE =
  'schema=audit_log/version=v1/year={{ .Year }}/month={{ .Month }}/day={{ .Day }}/{{ .Timestamp }}_{{ .ID }}';

export type KeyTemplatePart = { literal: string } | { variable: KeyTemplateVariable };

export interface ParsedKeyTemplate {
  parts: readonly KeyTemplatePart[];
}

export class KeyTemplateError extends Error {
  override name = 'KeyTemplateError';
}

const ACTION = /\{\{(.*?)\}\}/gs;
const REFERENCE = /^-?\s*\.([A-Za-z][A-Za-z0-9]*)\s*-?$/;

/** Parses a template, throwing a KeyTemplateError that says what is wrong and where. */
export function parseKeyTemplate(template: string): ParsedKeyTemplate {
  const parts: KeyTemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(ACTION)) {
    const at = match.index;
    pushLiteral(parts, template.slice(last, at), last);
    const body = match[1] ?? '';
    const ref = REFERENCE.exec(body);
    if (!ref) {
      throw new KeyTemplateError(
        `unsupported action "{{${body}}}" at offset ${at}: only variable references such as {{ .Year }} are allowed`,
      );
    }
    const name = ref[1] as string;
    if (!(KEY_TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      throw new KeyTemplateError(
        `unknown variable ".${name}" at offset ${at}; known variables: ${KEY_TEMPLATE_VARIABLES.map((v) => '.' + v).join(', ')}`,
      );
    }
    parts.push({ variable: name as KeyTemplateVariable });
    last = at + match[0].length;
  }
  pushLiteral(parts, template.slice(last), last);
  if (parts.length === 0) throw new KeyTemplateError('template is empty');
  checkStaysUnderPrefix(parts);
  return { parts };
}

function pushLiteral(parts: KeyTemplatePart[], text: string, offset: number): void {
  if (text === '') return;
  const stray = text.search(/\{\{|\}\}/);
  if (stray >= 0) throw new KeyTemplateError(`unbalanced braces at offset ${offset + stray}`);
  parts.push({ literal: text });
}

/**
 * Variables render to digits and ids, never to `/` or `.`, so whether a key can leave the destination's
 * `key_prefix` is decided by the literal text alone.
 */
function checkStaysUnderPrefix(parts: readonly KeyTemplatePart[]): void {
  const skeleton = parts.map((p) => ('literal' in p ? p.literal : 'x')).join('');
  if (skeleton.startsWith('/')) throw new KeyTemplateError('must not start with "/"');
  if (skeleton.endsWith('/')) throw new KeyTemplateError('must not end with "/": the last segment names the object');
  for (const segment of skeleton.split('/')) {
    if (segment === '') throw new KeyTemplateError('must not contain an empty path segment ("//")');
    if (segment === '.' || segment === '..') {
      throw new KeyTemplateError(`must not contain a "${segment}" path segment`);
    }
  }
  if (skeleton.includes('\\')) throw new KeyTemplateError('must not contain "\\"');
}

/** Whether the template names the batch id; one that does not gets `_<ID>` appended when rendered. */
export function usesBatchId(parsed: ParsedKeyTemplate): boolean {
  return parsed.parts.some((p) => 'variable' in p && p.variable === 'ID');
}

/** Renders a parsed template; a template without `.ID` gets `_<ID>` appended so no two batches share a key. */
export function renderKeyTemplate(parsed: ParsedKeyTemplate, values: KeyTemplateValues): string {
  let key = '';
  for (const part of parsed.parts) key += 'literal' in part ? part.literal : values[part.variable];
  return usesBatchId(parsed) ? key : `${key}_${values.ID}`;
}
