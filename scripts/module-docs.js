// Writes the Requirements, Inputs and Outputs tables of each Terraform module's README (examples/modules/<name>/)
// from the module's own .tf files, parsed with @cdktf/hcl2json, between these markers:
//
//   <!-- requirements:start --> … <!-- requirements:end -->
//   <!-- inputs:start --> … <!-- inputs:end -->
//   <!-- outputs:start --> … <!-- outputs:end -->
//
// Everything else in a README is prose and is left alone. scripts/generate-docs.js (`npm run docs`, `npm run
// docs:check`) runs it with the rest of the generated documentation.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('@cdktf/hcl2json');
const { sectionOf, withSection } = require('./marked-sections');

const ROOT = path.resolve(__dirname, '..');
const MODULES_DIR = 'examples/modules';
const SECTIONS = ['requirements', 'inputs', 'outputs'];

/** Blocks that hcl2json gives as `{ <label>: [body] }` (one label) or `{ <type>: { <label>: [body] } }` (two). */
const ONE_LABEL = ['variable', 'output', 'module', 'provider'];
const TWO_LABELS = ['resource', 'data'];

/** The module directories under examples/modules, relative to `root`, sorted. */
function moduleDirs(root = ROOT) {
  const base = path.join(root, MODULES_DIR);
  if (!fs.existsSync(base)) return [];
  return fs
    .readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.readdirSync(path.join(base, entry.name)).some((f) => f.endsWith('.tf')))
    .map((entry) => `${MODULES_DIR}/${entry.name}`)
    .sort();
}

/** Merges the JSON of several .tf files into the one configuration Terraform would read from the directory. */
function mergeConfigs(parts) {
  const merged = { terraform: [], locals: [], variable: {}, output: {}, module: {}, provider: {}, resource: {}, data: {} };
  for (const { file, json } of parts) {
    for (const [kind, value] of Object.entries(json)) {
      if (kind === 'terraform' || kind === 'locals') {
        merged[kind].push(...value);
      } else if (ONE_LABEL.includes(kind)) {
        for (const [name, bodies] of Object.entries(value)) {
          if (name in merged[kind] && kind !== 'provider') throw new Error(`${file}: ${kind} "${name}" is declared twice`);
          merged[kind][name] = [...(merged[kind][name] ?? []), ...bodies];
        }
      } else if (TWO_LABELS.includes(kind)) {
        for (const [type, byName] of Object.entries(value)) {
          merged[kind][type] ??= {};
          for (const [name, bodies] of Object.entries(byName)) {
            if (name in merged[kind][type]) throw new Error(`${file}: ${kind} "${type}" "${name}" is declared twice`);
            merged[kind][type][name] = bodies;
          }
        }
      } else {
        // import, moved, removed, check: nothing documented comes from them.
        merged[kind] = [...(merged[kind] ?? []), value];
      }
    }
  }
  return merged;
}

/**
 * Parses every .tf file of a module directory. `dir` is absolute or relative to `root`. The answer keeps both the
 * files' own JSON (`files`) and the merged configuration (`config`).
 */
async function loadModule(dir, root = ROOT) {
  const full = path.resolve(root, dir);
  const names = fs.readdirSync(full).filter((f) => f.endsWith('.tf')).sort();
  if (names.length === 0) throw new Error(`${dir} has no .tf files`);
  const parts = [];
  for (const file of names) {
    const text = fs.readFileSync(path.join(full, file), 'utf8');
    parts.push({ file, json: await parse(file, text) });
  }
  return {
    name: path.basename(full),
    dir: full,
    files: Object.fromEntries(parts.map(({ file, json }) => [file, json])),
    config: mergeConfigs(parts),
  };
}

/** An HCL expression as hcl2json gives it (`${…}`), back in source form on one line. */
function expressionText(value) {
  const text = typeof value === 'string' ? value.replace(/^\$\{([\s\S]*)\}$/, '$1') : JSON.stringify(value);
  return text.replace(/\s+/g, ' ').trim();
}

/** The variables of a module, required ones first, then by name. */
function variablesOf(module) {
  return Object.entries(module.config.variable)
    .map(([name, [body]]) => ({
      name,
      description: typeof body.description === 'string' ? body.description : undefined,
      type: body.type === undefined ? undefined : expressionText(body.type),
      required: !('default' in body),
      default: body.default,
      sensitive: body.sensitive === true,
      nullable: body.nullable !== false,
    }))
    .sort((a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name));
}

/** The outputs of a module, by name. */
function outputsOf(module) {
  return Object.entries(module.config.output)
    .map(([name, [body]]) => ({
      name,
      description: typeof body.description === 'string' ? body.description : undefined,
      sensitive: body.sensitive === true,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `required_version` and `required_providers` from the module's terraform blocks. */
function requirementsOf(module) {
  let requiredVersion;
  const providers = {};
  for (const block of module.config.terraform) {
    if (typeof block.required_version === 'string') requiredVersion = block.required_version;
    for (const group of block.required_providers ?? []) {
      for (const [name, requirement] of Object.entries(group)) {
        providers[name] = typeof requirement === 'string' ? { version: requirement } : requirement;
      }
    }
  }
  return { requiredVersion, providers };
}

function oneLine(text) {
  return String(text).replace(/\s+/g, ' ').trim();
}

/**
 * Plain text (a description) for a Markdown table cell: one line, with the characters Markdown would take as a
 * table border, HTML or emphasis escaped ("Bearer <token>", "grant.*").
 */
function cell(text) {
  return oneLine(text)
    .replace(/\|/g, '\\|')
    .replace(/\*/g, '\\*')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Inline code for a table cell, surviving backticks and pipes inside it. */
function code(text) {
  const value = oneLine(text).replace(/\|/g, '\\|');
  return value.includes('`') ? `\`\` ${value} \`\`` : `\`${value}\``;
}

/** A default value the way it is written in HCL. */
function hclLiteral(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_][\w-]*$/.test(k) ? k : JSON.stringify(k)} = ${hclLiteral(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function renderRequirements(module) {
  const { requiredVersion, providers } = requirementsOf(module);
  const rows = [['terraform', requiredVersion === undefined ? 'any' : code(requiredVersion)]];
  for (const [name, requirement] of Object.entries(providers).sort(([a], [b]) => a.localeCompare(b))) {
    const source = requirement.source ? ` (${code(requirement.source)})` : '';
    rows.push([`${name}${source}`, requirement.version ? code(requirement.version) : 'any']);
  }
  return table(['Name', 'Version'], rows);
}

function renderInputs(module) {
  const variables = variablesOf(module);
  if (variables.length === 0) return 'No inputs.';
  return table(
    ['Name', 'Description', 'Type', 'Default', 'Required'],
    variables.map((v) => [
      code(v.name),
      cell(`${v.description ?? ''}${v.sensitive ? ' Sensitive.' : ''}`),
      v.type === undefined ? 'any' : code(v.type),
      v.required ? 'n/a' : code(hclLiteral(v.default)),
      v.required ? 'yes' : 'no',
    ]),
  );
}

function renderOutputs(module) {
  const outputs = outputsOf(module);
  if (outputs.length === 0) return 'No outputs.';
  return table(
    ['Name', 'Description', 'Sensitive'],
    outputs.map((o) => [code(o.name), cell(o.description ?? ''), o.sensitive ? 'yes' : 'no']),
  );
}

const RENDERERS = { requirements: renderRequirements, inputs: renderInputs, outputs: renderOutputs };

/** Replaces each marked section of a README; throws when a marker pair is missing. */
function fillSections(file, text, module) {
  return SECTIONS.reduce((next, name) => withSection(next, name, RENDERERS[name](module), file), text);
}

/** Every module README as it should be: { "examples/modules/<name>/README.md": content }. */
async function renderReadmes(root = ROOT) {
  const readmes = {};
  for (const dir of moduleDirs(root)) {
    const file = `${dir}/README.md`;
    const full = path.join(root, file);
    if (!fs.existsSync(full)) throw new Error(`${file} is missing: every module has a README`);
    readmes[file] = fillSections(file, fs.readFileSync(full, 'utf8'), await loadModule(dir, root));
  }
  return readmes;
}

/** The READMEs whose content differs from `readmes`, with what would change in each. */
function staleFiles(readmes, root = ROOT) {
  const stale = [];
  for (const [file, content] of Object.entries(readmes)) {
    const current = fs.readFileSync(path.join(root, file), 'utf8');
    if (current === content) continue;
    const changed = SECTIONS.filter((name) => sectionOf(current, name) !== sectionOf(content, name));
    stale.push({ file, reason: `the ${changed.join(', ')} section${changed.length === 1 ? '' : 's'} would change` });
  }
  return stale.sort((a, b) => a.file.localeCompare(b.file));
}

/** Writes the READMEs that changed and returns them. */
function writeReadmes(readmes, root = ROOT) {
  const stale = staleFiles(readmes, root);
  for (const { file } of stale) {
    fs.writeFileSync(path.join(root, file), readmes[file]);
    console.error(`updated ${file}`);
  }
  return stale;
}

module.exports = {
  MODULES_DIR,
  moduleDirs,
  loadModule,
  variablesOf,
  outputsOf,
  requirementsOf,
  expressionText,
  renderReadmes,
  staleFiles,
  writeReadmes,
};
