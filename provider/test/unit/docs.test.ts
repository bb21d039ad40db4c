/**
 * The provider's registry pages (docs/index.md, docs/resources/, docs/data-sources/) are generated from schema/ and
 * examples/ by provider/scripts/generate-docs.js. Here they are rendered from the schema's sources (not from
 * schema/dist, which may be older than the sources) and compared with the pages on disk; and each page is read back
 * to prove it documents every attribute Terraform has, in the right group, with its flags, default and limits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as schema from '@auditdrain/schema';
import type { Field, Fields, TerraformAttribute } from '@auditdrain/schema';
import {
  PROVIDER_SOURCE,
  RESOURCES,
  identity,
  providerConfigFields,
  providersSchemaJson,
  resourceTerraformSchema,
  terraformTypeName,
} from '@auditdrain/schema';

interface StaleFile {
  file: string;
  reason: string;
}

interface DocsGenerator {
  renderDocs(options?: { schema?: unknown; root?: string }): Record<string, string>;
  staleFiles(pages: Record<string, string>, root?: string): StaleFile[];
  OWNED_DIRS: string[];
}

// The generator is plain CommonJS (it runs from `npm run docs` without a build step of its own).
const generator = require('../../scripts/generate-docs.js') as DocsGenerator;

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PAGES = generator.renderDocs({ schema, root: ROOT });
const PROVIDER = providersSchemaJson().provider_schemas[PROVIDER_SOURCE]!;

const resourcePage = (name: string) => `docs/resources/${name}.md`;
const dataSourcePage = (name: string) => `docs/data-sources/${name}.md`;

function example(file: string): string {
  return fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8').trim();
}

/** Where each attribute line of a page sits: `group` for top-level lists, `nested.group` inside a nested schema. */
function documentedAttributes(page: string): Map<string, { group: string; line: string }> {
  const out = new Map<string, { group: string; line: string }>();
  let section = '';
  let nested = '';
  for (const line of page.split('\n')) {
    const heading = /^### (.*)$/.exec(line);
    if (heading) {
      const nestedHeading = /^Nested Schema for `(.+)`$/.exec(heading[1]!);
      section = nestedHeading ? '' : heading[1]!;
      nested = nestedHeading ? nestedHeading[1]! : '';
      continue;
    }
    if (/^## /.test(line)) {
      section = '';
      nested = '';
      continue;
    }
    const label = /^(Required|Optional|Read-Only):$/.exec(line);
    if (label) section = label[1]!;
    const item = /^- `([^`]+)` \(/.exec(line);
    if (item && section) {
      const key = nested ? `${nested}.${item[1]}` : item[1]!;
      if (out.has(key)) throw new Error(`${key} is listed twice`);
      out.set(key, { group: section, line });
    }
  }
  return out;
}

function expectedGroup(attr: TerraformAttribute): string {
  if (attr.required) return 'Required';
  if (attr.optional) return 'Optional';
  return 'Read-Only';
}

/** Every Terraform attribute of a block, nested ones as `parent.child`, with the field it comes from (if any). */
function terraformAttributes(
  attributes: Record<string, TerraformAttribute>,
  fields: Fields,
  prefix = '',
): { name: string; attr: TerraformAttribute; field: Field | undefined }[] {
  return Object.entries(attributes).flatMap(([name, attr]) => {
    const field = fields[name];
    const own = { name: `${prefix}${name}`, attr, field };
    if (!attr.nested_type) return [own];
    const inner = field && 'attributes' in field ? field.attributes : {};
    return [own, ...terraformAttributes(attr.nested_type.attributes, inner, `${prefix}${name}.`)];
  });
}

const pageTitle = (type: string, kind: string) => `${type} ${kind} - terraform-provider-auditdrain`;

const BLOCKS = [
  {
    page: 'docs/index.md',
    pageTitle: 'auditdrain Provider',
    heading: '# auditdrain Provider',
    block: PROVIDER.provider.block,
    fields: providerConfigFields,
    spec: undefined,
  },
  ...RESOURCES.map((spec) => ({
    page: resourcePage(spec.name),
    pageTitle: pageTitle(terraformTypeName(spec), 'Resource'),
    heading: `# ${terraformTypeName(spec)} (Resource)`,
    block: resourceTerraformSchema(spec).block,
    fields: spec.fields,
    spec,
  })),
  {
    page: dataSourcePage(identity.name),
    pageTitle: pageTitle(terraformTypeName(identity), 'Data Source'),
    heading: `# ${terraformTypeName(identity)} (Data Source)`,
    block: resourceTerraformSchema(identity).block,
    fields: identity.fields,
    spec: undefined,
  },
];

describe('the provider documentation', () => {
  test('is generated for the provider, every resource and every data source, and nothing else', () => {
    expect(Object.keys(PAGES).sort()).toEqual(
      [
        'docs/index.md',
        ...RESOURCES.map((spec) => resourcePage(spec.name)),
        ...Object.keys(PROVIDER.data_source_schemas).map((type) => dataSourcePage(type.replace(/^auditdrain_/, ''))),
      ].sort(),
    );
  });

  test('on disk is what the schema and the examples generate (run `npm run docs` when this fails)', () => {
    expect(generator.staleFiles(PAGES, ROOT)).toEqual([]);
    for (const [file, content] of Object.entries(PAGES)) {
      expect({ file, content: fs.readFileSync(path.join(ROOT, file), 'utf8') }).toEqual({ file, content });
    }
  });

  describe.each(BLOCKS)('$page', ({ page, pageTitle, heading, block, fields, spec }) => {
    const text = PAGES[page]!;
    const onDisk = fs.existsSync(path.join(ROOT, page)) ? fs.readFileSync(path.join(ROOT, page), 'utf8') : '';
    const attributes = terraformAttributes(block.attributes, fields);

    test('starts with the registry front matter and title', () => {
      expect(text.slice(0, text.indexOf('\n---\n') + 5)).toBe(
        `---\npage_title: "${pageTitle}"\nsubcategory: ""\ndescription: |-\n  ${block.description}\n---\n`,
      );
      expect(text).toContain(`\n${heading}\n`);
    });

    test('lists every Terraform attribute once, in its group, with its type flags', () => {
      expect(attributes.length).toBeGreaterThan(0);
      for (const source of [text, onDisk]) {
        const documented = documentedAttributes(source);
        expect([...documented.keys()].sort()).toEqual(attributes.map((a) => a.name).sort());
        for (const { name, attr } of attributes) {
          const { group, line } = documented.get(name)!;
          expect({ name, group }).toEqual({ name, group: expectedGroup(attr) });
          expect({ name, sensitive: /\(.*, Sensitive[,)]/.test(line) }).toEqual({ name, sensitive: Boolean(attr.sensitive) });
          expect({ name, writeOnly: /, Write-only\)/.test(line) }).toEqual({ name, writeOnly: Boolean(attr.write_only) });
          expect(line).toContain(attr.description);
          if (attr.nested_type) {
            const anchor = `nestedatt--${name.split('.').join('--')}`;
            expect(line).toContain(`(#${anchor})`);
            expect(source).toContain(`<a id="${anchor}"></a>\n### Nested Schema for \`${name}\``);
          }
        }
      }
    });

    test('states each default, allowed value and numeric limit of the schema', () => {
      const documented = documentedAttributes(text);
      let checked = 0;
      for (const { name, field } of attributes) {
        if (!field) continue;
        const { line } = documented.get(name)!;
        if ('default' in field && field.default !== undefined) {
          const shown = typeof field.default === 'string' ? field.default : JSON.stringify(field.default);
          expect(line).toContain(`Defaults to \`${shown}\`.`);
          checked++;
        }
        if ('enum' in field && field.enum) {
          expect(line).toContain(`One of ${field.enum.map((v) => `\`${v}\``).join(', ')}.`);
          checked++;
        }
        if (field.type === 'integer') {
          expect(line).toContain(`Between ${field.minimum} and ${field.maximum}.`);
          checked++;
        }
      }
      if (spec) expect(checked).toBeGreaterThan(0);
    });

    if (spec) {
      test('shows the example, the rules across fields and both ways to import', () => {
        const type = terraformTypeName(spec);
        expect(text).toContain(`## Example Usage\n\n\`\`\`terraform\n${example(`resources/${type}/resource.tf`)}\n\`\`\``);
        expect(text).toContain(`\`\`\`shell\n${example(`resources/${type}/import.sh`)}\n\`\`\``);
        expect(text).toContain(`\`\`\`terraform\n${example(`resources/${type}/import-by-string-id.tf`)}\n\`\`\``);
        expect(text).toContain(`(\`${spec.idPrefix}_…\`)`);
        const rules = /### Rules\n\n((?:- .*\n)+)/.exec(text);
        if (spec.constraints.length === 0) expect(rules).toBeNull();
        else {
          const lines = rules![1]!.trim().split('\n');
          expect(lines).toHaveLength(spec.constraints.length);
          spec.constraints.forEach((constraint, i) => {
            const named = constraint.kind === 'exclusive' ? constraint.groups.flat() : constraint.kind === 'together' ? constraint.fields : [constraint.field, constraint.when, ...constraint.in];
            for (const name of named) expect(lines[i]).toContain(`\`${name}\``);
          });
        }
      });
    }
  });

  test('the provider page names the environment variable each setting falls back to, as its description does', () => {
    const text = PAGES['docs/index.md']!;
    expect(text).toContain(`\`\`\`terraform\n${example('provider/provider.tf')}\n\`\`\``);
    for (const [name, field] of Object.entries(providerConfigFields)) {
      const variable = `AUDITDRAIN_${name.toUpperCase()}`;
      expect(field.description).toContain(variable);
      expect(text).toContain(`| \`${name}\` | \`${variable}\` |`);
    }
    expect(text).toContain('`admin` role');
  });

  test('the data source page shows its example', () => {
    const type = terraformTypeName(identity);
    expect(PAGES[dataSourcePage(identity.name)]).toContain(`\`\`\`terraform\n${example(`data-sources/${type}/data-source.tf`)}\n\`\`\``);
  });
});

describe('the check of the generated pages', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'auditdrain-docs-'));
    for (const [file, content] of Object.entries(PAGES)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('passes pages that are current', () => {
    expect(generator.staleFiles(PAGES, root)).toEqual([]);
  });

  test('names a page that would change, one that is missing and one the schema no longer produces', () => {
    const [changed, missing] = Object.keys(PAGES).sort() as [string, string];
    fs.appendFileSync(path.join(root, changed), 'edited by hand\n');
    fs.rmSync(path.join(root, missing));
    fs.writeFileSync(path.join(root, 'docs', 'resources', 'retired_destination.md'), '# gone\n');
    expect(generator.staleFiles(PAGES, root)).toEqual(
      [
        { file: changed, reason: 'would change' },
        { file: missing, reason: 'missing' },
        { file: 'docs/resources/retired_destination.md', reason: 'not generated from the schema (would be removed)' },
      ].sort((a, b) => a.file.localeCompare(b.file)),
    );
  });
});
