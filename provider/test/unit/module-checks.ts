/**
 * Static checks of the Terraform modules in examples/modules, on their .tf files as @cdktf/hcl2json parses them
 * (through scripts/module-docs.js, which renders the modules' README tables from the same parse). Each check returns
 * the problems it finds as sentences, so a test can show them all at once and a negative test can prove it finds one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TerraformAttribute, TerraformSchema } from '@auditdrain/schema';

/** One block body as hcl2json gives it: attributes, and nested blocks as arrays of bodies. */
export type HclBody = Record<string, unknown>;

export interface HclConfig {
  terraform: HclBody[];
  locals: HclBody[];
  variable: Record<string, HclBody[]>;
  output: Record<string, HclBody[]>;
  module: Record<string, HclBody[]>;
  provider: Record<string, HclBody[]>;
  resource: Record<string, Record<string, HclBody[]>>;
  data: Record<string, Record<string, HclBody[]>>;
}

export interface TerraformModule {
  name: string;
  /** Absolute path of the module's directory. */
  dir: string;
  /** Each .tf file's own JSON. */
  files: Record<string, Record<string, unknown>>;
  /** The files merged, as Terraform reads the directory. */
  config: HclConfig;
}

export interface ModuleVariable {
  name: string;
  description: string | undefined;
  type: string | undefined;
  required: boolean;
  default: unknown;
  sensitive: boolean;
  nullable: boolean;
}

export interface ModuleOutput {
  name: string;
  description: string | undefined;
  sensitive: boolean;
}

export interface ProviderRequirement {
  source?: string;
  version?: string;
}

export interface ModuleDocs {
  MODULES_DIR: string;
  moduleDirs(root?: string): string[];
  loadModule(dir: string, root?: string): Promise<TerraformModule>;
  variablesOf(module: TerraformModule): ModuleVariable[];
  outputsOf(module: TerraformModule): ModuleOutput[];
  requirementsOf(module: TerraformModule): { requiredVersion: string | undefined; providers: Record<string, ProviderRequirement> };
  expressionText(value: unknown): string;
  renderReadmes(root?: string): Promise<Record<string, string>>;
  staleFiles(readmes: Record<string, string>, root?: string): { file: string; reason: string }[];
}

// The script is plain CommonJS: `npm run docs` runs it without a build step.
export const moduleDocs = require('../../../scripts/module-docs.js') as ModuleDocs;

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A module parsed from sources given inline, written to a temporary directory (removed again). */
export async function moduleFromSources(name: string, files: Record<string, string>): Promise<TerraformModule> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'auditdrain-module-'));
  try {
    const dir = path.join(base, name);
    fs.mkdirSync(dir);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    return await moduleDocs.loadModule(dir);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** The names in the first column of the table between `<!-- <section>:start -->` and its end marker. */
export function tableNames(readme: string, section: string): string[] | undefined {
  const body = new RegExp(`<!-- ${section}:start -->\\n([\\s\\S]*?)<!-- ${section}:end -->`).exec(readme)?.[1];
  if (body === undefined) return undefined;
  return body
    .split('\n')
    .map((line) => /^\| `([^`]+)` \|/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** Variables and outputs the README's tables leave out, or list without the module having them. */
export function documentationProblems(module: TerraformModule, readme: string): string[] {
  const problems: string[] = [];
  const sections = [
    { section: 'inputs', kind: 'variable', names: moduleDocs.variablesOf(module).map((v) => v.name) },
    { section: 'outputs', kind: 'output', names: moduleDocs.outputsOf(module).map((o) => o.name) },
  ];
  for (const { section, kind, names } of sections) {
    const documented = tableNames(readme, section);
    if (documented === undefined) {
      problems.push(`the README has no ${section} section`);
      continue;
    }
    for (const name of names) if (!documented.includes(name)) problems.push(`${kind} ${name} is not in the README's ${section} table`);
    for (const name of documented) {
      if (!names.includes(name)) problems.push(`the README's ${section} table lists ${name}, which the module does not have`);
    }
  }
  for (const heading of ['## Usage', '## Requirements', '## Inputs', '## Outputs']) {
    if (!readme.includes(`\n${heading}\n`)) problems.push(`the README has no "${heading}" section`);
  }
  return problems;
}

/** Variables without a description or a type, outputs without a description. */
export function descriptionProblems(module: TerraformModule): string[] {
  const problems: string[] = [];
  for (const v of moduleDocs.variablesOf(module)) {
    if (!v.description?.trim()) problems.push(`variable ${v.name} has no description`);
    if (!v.type) problems.push(`variable ${v.name} has no type`);
  }
  for (const o of moduleDocs.outputsOf(module)) if (!o.description?.trim()) problems.push(`output ${o.name} has no description`);
  return problems;
}

/** A version such as 0.1.0 or 5.0 as numbers, missing parts as 0. */
function versionParts(version: string): number[] | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)] : undefined;
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Whether a Terraform version constraint (`~> 0.1.0`, `>= 5.0, < 7.0`, …) admits a version; undefined when the
 * constraint cannot be parsed.
 */
export function constraintAdmits(constraint: string, version: string): boolean | undefined {
  const wanted = versionParts(version);
  if (!wanted) return undefined;
  let admits = true;
  for (const clause of constraint.split(',')) {
    const match = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*$/.exec(clause);
    const bound = match ? versionParts(match[2]!) : undefined;
    if (!match || !bound) return undefined;
    const cmp = compareVersions(wanted, bound);
    switch (match[1] ?? '=') {
      case '=':
        admits &&= cmp === 0;
        break;
      case '!=':
        admits &&= cmp !== 0;
        break;
      case '>':
        admits &&= cmp > 0;
        break;
      case '>=':
        admits &&= cmp >= 0;
        break;
      case '<':
        admits &&= cmp < 0;
        break;
      case '<=':
        admits &&= cmp <= 0;
        break;
      case '~>': {
        // The rightmost given part may grow: ~> 0.1.0 is >= 0.1.0, < 0.2.0; ~> 5.0 is >= 5.0, < 6.0.
        const given = match[2]!.replace(/^v/, '').split('.').length;
        const upper = [...bound];
        const bump = Math.max(0, given - 2);
        upper[bump] = upper[bump]! + 1;
        for (let i = bump + 1; i < 3; i++) upper[i] = 0;
        admits &&= cmp >= 0 && compareVersions(wanted, upper) < 0;
        break;
      }
    }
  }
  return admits;
}

/** What a provider's requirement must say, by local name. */
export interface ExpectedProvider {
  source: string;
  /** Versions the constraint must admit, e.g. the version this repository builds. */
  admits?: string[];
  /** Versions it must exclude, e.g. the next 0.x minor version, which may break. */
  excludes?: string[];
}

/** The providers a module uses: those of its resources and data sources, and those its local module calls need. */
export function providersUsed(module: TerraformModule, callees: Map<string, TerraformModule>): string[] {
  const used = new Set<string>();
  for (const kind of ['resource', 'data'] as const) {
    for (const type of Object.keys(module.config[kind])) used.add(type.split('_')[0]!);
  }
  for (const callee of callees.values()) {
    for (const name of Object.keys(moduleDocs.requirementsOf(callee).providers)) used.add(name);
  }
  return [...used].sort();
}

/**
 * versions.tf: a required Terraform version, and every provider the module uses required with its source and a
 * version constraint that admits (and excludes) what `expected` says; no provider configured inside the module.
 */
export function versionProblems(
  module: TerraformModule,
  callees: Map<string, TerraformModule>,
  expected: Record<string, ExpectedProvider>,
): string[] {
  const problems: string[] = [];
  const { requiredVersion, providers } = moduleDocs.requirementsOf(module);
  if (!requiredVersion) problems.push('terraform.required_version is not set');
  else if (constraintAdmits(requiredVersion, '1.5.0') === undefined) {
    problems.push(`required_version "${requiredVersion}" is not a version constraint`);
  }
  const used = providersUsed(module, callees);
  for (const name of used) {
    const requirement = providers[name];
    if (!requirement) {
      problems.push(`provider ${name} is used but not in required_providers`);
      continue;
    }
    if (!requirement.source) problems.push(`provider ${name} has no source`);
    if (!requirement.version) {
      problems.push(`provider ${name} has no version constraint`);
      continue;
    }
    const want = expected[name];
    if (want && requirement.source !== want.source) problems.push(`provider ${name} has source "${requirement.source}", not "${want.source}"`);
    if (constraintAdmits(requirement.version, '0.0.0') === undefined) {
      problems.push(`provider ${name} has version "${requirement.version}", which is not a version constraint`);
      continue;
    }
    for (const version of want?.admits ?? []) {
      if (!constraintAdmits(requirement.version, version)) problems.push(`provider ${name} version "${requirement.version}" excludes ${version}`);
    }
    for (const version of want?.excludes ?? []) {
      if (constraintAdmits(requirement.version, version)) problems.push(`provider ${name} version "${requirement.version}" admits ${version}`);
    }
  }
  for (const name of Object.keys(providers)) if (!used.includes(name)) problems.push(`provider ${name} is required but not used`);
  for (const name of Object.keys(module.config.provider)) {
    problems.push(`provider "${name}" is configured inside the module; the caller configures providers`);
  }
  return problems;
}

/** Arguments every resource and data block takes besides its schema's attributes. */
const META_ARGUMENTS = ['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'connection', 'provisioner'];

function isComputedOnly(attr: TerraformAttribute): boolean {
  return Boolean(attr.computed) && !attr.optional && !attr.required;
}

/**
 * Every argument of an `auditdrain_*` resource or data block is an attribute of that type in the provider schema,
 * none computed-only, and every required attribute is set; nested attributes are checked where the value is written
 * out literally (an expression's result cannot be checked here).
 */
export function attributeProblems(
  module: TerraformModule,
  schemas: { resource_schemas: Record<string, TerraformSchema>; data_source_schemas: Record<string, TerraformSchema> },
): string[] {
  const problems: string[] = [];
  const kinds = [
    { kind: 'resource', blocks: module.config.resource, schemas: schemas.resource_schemas },
    { kind: 'data', blocks: module.config.data, schemas: schemas.data_source_schemas },
  ] as const;
  for (const { kind, blocks, schemas: byType } of kinds) {
    for (const [type, byName] of Object.entries(blocks)) {
      if (!type.startsWith('auditdrain_')) continue;
      for (const [name, bodies] of Object.entries(byName)) {
        const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
        const schema = byType[type];
        if (!schema) {
          problems.push(`${address}: the provider has no ${kind === 'data' ? 'data source' : 'resource'} ${type}`);
          continue;
        }
        for (const body of bodies) problems.push(...bodyProblems(address, body, schema.block.attributes, META_ARGUMENTS));
      }
    }
  }
  return problems;
}

function bodyProblems(
  address: string,
  body: HclBody,
  attributes: Record<string, TerraformAttribute>,
  meta: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (meta.includes(key)) continue;
    if (key === 'dynamic') {
      for (const block of Object.keys(value as HclBody)) problems.push(`${address}: dynamic "${block}": the schema has no blocks`);
      continue;
    }
    const attr = attributes[key];
    if (!attr) {
      problems.push(`${address}: ${key} is not an attribute of the provider schema`);
      continue;
    }
    if (isComputedOnly(attr)) {
      problems.push(`${address}: ${key} is computed by the provider and cannot be set`);
      continue;
    }
    const nested = attr.nested_type?.attributes;
    if (nested) {
      const items = Array.isArray(value) ? value : [value];
      for (const [i, item] of items.entries()) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          problems.push(...bodyProblems(`${address}.${key}[${i}]`, item as HclBody, nested, []));
        }
      }
    }
  }
  for (const [key, attr] of Object.entries(attributes)) {
    if (attr.required && !(key in body)) problems.push(`${address}: the required attribute ${key} is not set`);
  }
  return problems;
}

const MODULE_META_ARGUMENTS = ['source', 'version', 'count', 'for_each', 'providers', 'depends_on'];

/** Whether a module call's source is a path inside the same repository. */
export function isLocalSource(source: unknown): source is string {
  return typeof source === 'string' && (source.startsWith('./') || source.startsWith('../'));
}

/** The modules that `module` calls by a local path, by the call's name. */
export async function calleesOf(module: TerraformModule): Promise<Map<string, TerraformModule>> {
  const callees = new Map<string, TerraformModule>();
  for (const [name, [body]] of Object.entries(module.config.module)) {
    if (!body || !isLocalSource(body.source)) continue;
    const dir = path.resolve(module.dir, body.source);
    if (fs.existsSync(dir)) callees.set(name, await moduleDocs.loadModule(dir));
  }
  return callees;
}

/**
 * Each local module call passes only variables the callee declares and every variable it requires; a variable passed
 * straight through (`x = var.x`) has the same default on both sides, so the caller's documentation does not lie.
 */
export function moduleCallProblems(module: TerraformModule, callees: Map<string, TerraformModule>): string[] {
  const problems: string[] = [];
  const ownVariables = new Map(moduleDocs.variablesOf(module).map((v) => [v.name, v]));
  for (const [name, [body]] of Object.entries(module.config.module)) {
    if (!body || !isLocalSource(body.source)) continue;
    const callee = callees.get(name);
    if (!callee) {
      problems.push(`module.${name}: ${body.source} is not a module directory`);
      continue;
    }
    const declared = new Map(moduleDocs.variablesOf(callee).map((v) => [v.name, v]));
    for (const [key, value] of Object.entries(body)) {
      if (MODULE_META_ARGUMENTS.includes(key)) continue;
      const target = declared.get(key);
      if (!target) {
        problems.push(`module.${name}: ${key} is not a variable of ${callee.name}`);
        continue;
      }
      const passedThrough = typeof value === 'string' ? /^\$\{var\.([A-Za-z_][\w-]*)\}$/.exec(value)?.[1] : undefined;
      const own = passedThrough === undefined ? undefined : ownVariables.get(passedThrough);
      if (own && !own.required && !target.required && JSON.stringify(own.default) !== JSON.stringify(target.default)) {
        problems.push(
          `module.${name}: ${key} passes var.${passedThrough} (default ${JSON.stringify(own.default)}) ` +
            `to a variable whose default is ${JSON.stringify(target.default)}`,
        );
      }
    }
    for (const v of declared.values()) {
      if (v.required && !(v.name in body)) problems.push(`module.${name}: the required variable ${v.name} of ${callee.name} is not passed`);
    }
  }
  return problems;
}

/** Every string of a configuration that holds an expression. */
function expressions(value: unknown): string[] {
  if (typeof value === 'string') return value.includes('${') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(expressions);
  return [];
}

/**
 * Every `module.X.Y` names a module call X whose (local) module has an output Y; every `var.X` and `local.X` is
 * declared.
 */
export function referenceProblems(module: TerraformModule, callees: Map<string, TerraformModule>): string[] {
  const problems = new Set<string>();
  const variables = new Set(Object.keys(module.config.variable));
  const locals = new Set(module.config.locals.flatMap((block) => Object.keys(block)));
  for (const expression of expressions(module.config)) {
    for (const match of expression.matchAll(/(?<![\w.])(module|var|local)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?/g)) {
      const [, kind, name, attribute] = match as unknown as [string, string, string, string | undefined];
      if (kind === 'var' && !variables.has(name)) problems.add(`var.${name} is not a declared variable`);
      if (kind === 'local' && !locals.has(name)) problems.add(`local.${name} is not a declared local value`);
      if (kind !== 'module') continue;
      const call = module.config.module[name]?.[0];
      if (!call) {
        problems.add(`module.${name} is not a module call of this module`);
        continue;
      }
      const callee = callees.get(name);
      if (!callee || attribute === undefined) continue;
      if (!(attribute in callee.config.output)) problems.add(`module.${name}.${attribute}: ${callee.name} has no output ${attribute}`);
    }
  }
  return [...problems];
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export interface Release {
  version: string;
  date: string;
}

/** The releases of a Keep a Changelog file, newest first (the `## [Unreleased]` heading is not one). */
export function releasesOf(changelog: string): Release[] {
  return [...changelog.matchAll(/^## \[([^\]]+)\](?: - (\S+))?\s*$/gm)]
    .filter((m) => m[1] !== 'Unreleased')
    .map((m) => ({ version: m[1]!, date: m[2] ?? '' }));
}

/**
 * The CHANGELOG's newest release is a semantic version with a date, and the README's usage pins exactly it:
 * `?ref=modules/<name>/v<version>`, with the git source form, and no other version.
 */
export function releaseProblems(name: string, changelog: string, readme: string): string[] {
  const problems: string[] = [];
  const [newest] = releasesOf(changelog);
  if (!newest) return ['the CHANGELOG has no release'];
  if (!SEMVER.test(newest.version)) problems.push(`the newest release "${newest.version}" is not a semantic version`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(newest.date)) problems.push(`the newest release ${newest.version} has no date (YYYY-MM-DD)`);
  const source = `source = "git::https://github.com/auditdrain/auditdrain.git//examples/modules/${name}?ref=modules/${name}/v${newest.version}"`;
  if (!readme.includes(source)) problems.push(`the README's usage does not pin ${name} ${newest.version} with: ${source}`);
  for (const match of readme.matchAll(/\?ref=modules\/([\w-]+)\/v([^"\s]+)/g)) {
    if (match[1] === name && match[2] !== newest.version) {
      problems.push(`the README pins ${name} at ${match[2]}, not at the newest release ${newest.version}`);
    }
  }
  const link = `[${newest.version}]: https://github.com/auditdrain/auditdrain/releases/tag/modules/${name}/v${newest.version}`;
  if (!changelog.includes(link)) problems.push(`the CHANGELOG has no link for ${newest.version}: ${link}`);
  return problems;
}

/**
 * The README's `hcl` examples that call this module (a source naming `//examples/modules/<name>?ref=`) pass only
 * variables it declares and every variable it requires; a README without such an example is a problem too.
 */
export async function usageProblems(
  module: TerraformModule,
  readme: string,
  parse: (file: string, text: string) => Promise<Record<string, unknown>>,
): Promise<string[]> {
  const problems: string[] = [];
  const declared = new Map(moduleDocs.variablesOf(module).map((v) => [v.name, v]));
  let calls = 0;
  for (const [i, match] of [...readme.matchAll(/```hcl\n([\s\S]*?)```/g)].entries()) {
    const json = (await parse(`README.md example ${i + 1}`, match[1]!)) as { module?: Record<string, HclBody[]> };
    for (const [name, bodies] of Object.entries(json.module ?? {})) {
      for (const body of bodies) {
        if (typeof body.source !== 'string' || !body.source.includes(`//examples/modules/${module.name}?ref=`)) continue;
        calls++;
        for (const key of Object.keys(body)) {
          if (MODULE_META_ARGUMENTS.includes(key) || declared.has(key)) continue;
          problems.push(`usage module.${name}: ${key} is not a variable of ${module.name}`);
        }
        for (const v of declared.values()) {
          if (v.required && !(v.name in body)) problems.push(`usage module.${name}: the required variable ${v.name} is not passed`);
        }
      }
    }
  }
  if (calls === 0) problems.push(`the README has no hcl example calling ${module.name} from git`);
  return problems;
}
