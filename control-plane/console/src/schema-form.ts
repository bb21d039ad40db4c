/**
 * Forms generated from the API's own OpenAPI document (`/v1/openapi.json`, derived from @auditdrain/schema like the
 * API's validation): one control per property of the create or update schema, labelled with its name and described
 * by its description; the API's field errors are shown under the field they name.
 */
import { h } from './dom.js';

export interface PropertySchema {
  type?: string | string[];
  enum?: (string | null)[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  writeOnly?: boolean;
  readOnly?: boolean;
  items?: PropertySchema;
}

export interface ObjectSchema {
  properties: Record<string, PropertySchema>;
  required?: string[];
}

let apiDocument: Promise<{ components: { schemas: Record<string, ObjectSchema> } }> | undefined;
export function schemaNamed(name: string): Promise<ObjectSchema> {
  apiDocument ??= fetch('/v1/openapi.json').then((r) => r.json() as Promise<{ components: { schemas: Record<string, ObjectSchema> } }>);
  return apiDocument.then((d) => {
    const schema = d.components.schemas[name];
    if (!schema) throw new Error(`the API document has no schema ${name}`);
    return schema;
  });
}

type Kind = 'text' | 'secret' | 'integer' | 'boolean' | 'choice' | 'lines' | 'json';

function kindOf(p: PropertySchema): Kind {
  const types = Array.isArray(p.type) ? p.type : [p.type];
  if (p.enum) return 'choice';
  if (types.includes('boolean')) return 'boolean';
  if (types.includes('integer')) return 'integer';
  if (types.includes('array')) return p.items?.type === 'string' || (Array.isArray(p.items?.type) && p.items.type.includes('string')) ? 'lines' : 'json';
  if (types.includes('object')) return 'json';
  return p.writeOnly ? 'secret' : 'text';
}

export interface SchemaForm {
  element: HTMLFormElement;
  /** The request body: on create only what was filled in; on update what changed (cleared = null, the default). */
  body(): Record<string, unknown>;
  /** Shows the API's errors under their fields; returns those that name no field. */
  showErrors(details: { path: string; message: string }[]): { path: string; message: string }[];
}

export function schemaForm(schema: ObjectSchema, current: Record<string, unknown> | null, onSubmit: () => void, submitLabel: string): SchemaForm {
  const controls = new Map<string, { kind: Kind; input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement; error: HTMLElement; initial: string }>();
  const fields = Object.entries(schema.properties)
    .filter(([, p]) => !p.readOnly)
    .map(([name, p]) => {
      const kind = kindOf(p);
      const id = `field-${name}`;
      const required = schema.required?.includes(name) ?? false;
      const value = current?.[name];
      const initial =
        value === undefined || value === null
          ? ''
          : kind === 'lines'
            ? (value as string[]).join('\n')
            : kind === 'json'
              ? JSON.stringify(value, null, 2)
              : String(value);
      const describedBy = `${id}-hint ${id}-error`;
      let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
      if (kind === 'choice') {
        input = h(
          'select',
          { id, name, 'aria-describedby': describedBy },
          h('option', { value: '' }, required ? 'choose…' : `(default${p.default !== undefined ? `: ${String(p.default)}` : ''})`),
          ...(p.enum ?? []).filter((v): v is string => v !== null).map((v) => h('option', { value: v, selected: v === initial }, v)),
        );
      } else if (kind === 'boolean') {
        input = h('select', { id, name, 'aria-describedby': describedBy }, h('option', { value: '' }, `(default${p.default !== undefined ? `: ${String(p.default)}` : ''})`), h('option', { value: 'true', selected: initial === 'true' }, 'true'), h('option', { value: 'false', selected: initial === 'false' }, 'false'));
      } else if (kind === 'lines' || kind === 'json') {
        input = h('textarea', { id, name, rows: 4, spellcheck: 'false', 'aria-describedby': describedBy });
        input.value = initial;
      } else {
        input = h('input', {
          id,
          name,
          type: kind === 'secret' ? 'password' : kind === 'integer' ? 'number' : 'text',
          autocomplete: 'off',
          required,
          min: p.minimum,
          max: p.maximum,
          placeholder: p.default !== undefined && p.default !== null ? `default: ${String(p.default)}` : kind === 'secret' && current ? 'unchanged' : undefined,
          'aria-describedby': describedBy,
        });
        input.value = kind === 'secret' ? '' : initial;
      }
      const error = h('p', { id: `${id}-error`, class: 'error' });
      controls.set(name, { kind, input, error, initial: kind === 'secret' ? '' : initial });
      const hint = [p.description, kind === 'lines' ? 'One per line.' : kind === 'json' ? 'JSON.' : ''].filter(Boolean).join(' ');
      return h('div', { class: 'field' }, h('label', { for: id }, name, required ? ' (required)' : ''), input, h('p', { id: `${id}-hint`, class: 'hint' }, hint), error);
    });
  const element = h(
    'form',
    {
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        onSubmit();
      },
    },
    ...fields,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, submitLabel)),
  );

  return {
    element,
    body() {
      const out: Record<string, unknown> = {};
      for (const [name, c] of controls) {
        const raw = c.input.value;
        if (current && raw === c.initial) continue;
        if (raw.trim() === '') {
          if (current && c.kind !== 'secret') out[name] = null;
          continue;
        }
        out[name] =
          c.kind === 'integer' ? Number(raw) : c.kind === 'boolean' ? raw === 'true' : c.kind === 'lines' ? raw.split('\n').map((l) => l.trim()).filter(Boolean) : c.kind === 'json' ? parseJson(raw) : raw;
      }
      return out;
    },
    showErrors(details) {
      for (const c of controls.values()) {
        c.error.textContent = '';
        c.input.removeAttribute('aria-invalid');
      }
      const unplaced: { path: string; message: string }[] = [];
      let first: HTMLElement | undefined;
      for (const d of details) {
        const c = controls.get(d.path.split(/[.[]/)[0] ?? '');
        if (!c) {
          unplaced.push(d);
          continue;
        }
        c.error.textContent = [c.error.textContent, d.path.includes('.') || d.path.includes('[') ? `${d.path}: ${d.message}` : d.message].filter(Boolean).join('; ');
        c.input.setAttribute('aria-invalid', 'true');
        first ??= c.input;
      }
      first?.focus();
      return unplaced;
    },
  };
}

/** JSON as typed; text that does not parse is sent as it is, so the API names the field that is wrong. */
function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
