#!/usr/bin/env node
// Generates the CDK for Terraform bindings in provider/cdktf/src with @cdktf/provider-generator, from the provider's
// own schema: providersSchemaJson() of @auditdrain/schema (schema/dist, so run after the schema is built), the same
// document the provider serves to Terraform, in the shape of `terraform providers schema -json`. Nothing in src/ is
// written by hand; `npm run build` runs this before compiling the package.
//
//   node provider/cdktf/scripts/generate.js           regenerate src/
//   node provider/cdktf/scripts/generate.js --check   exit 1 naming every file that would change; writes nothing
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PACKAGE_DIR = path.resolve(__dirname, '..');
const SRC = path.join(PACKAGE_DIR, 'src');
const ROOT = path.resolve(PACKAGE_DIR, '..', '..');

/** Loads the generator. Its package index needs jsii-pacmak (not a dependency), so the module is loaded by path. */
function loadGenerator() {
  // @cdktf/commons runs `terraform version -json` when it is loaded, for reasons of its own CLI; the generator never
  // uses the answer. Give that child an empty CLI configuration and no update check, so it neither complains about a
  // configuration file nor calls out to the network.
  process.env.TF_CLI_CONFIG_FILE = os.devNull;
  process.env.CHECKPOINT_DISABLE = '1';
  const { CodeMaker } = require('codemaker');
  const { TerraformProviderGenerator } = require('@cdktf/provider-generator/lib/get/generator/provider-generator');
  const { ConstructsMakerProviderTarget, TerraformProviderConstraint, LANGUAGES } = require('@cdktf/commons');
  return { CodeMaker, TerraformProviderGenerator, ConstructsMakerProviderTarget, TerraformProviderConstraint, LANGUAGES };
}

/** The version constraint the bindings put in `required_providers`: this minor release line of the provider. */
function providerConstraint() {
  const { version } = require(path.join(ROOT, 'provider', 'package.json'));
  const [major, minor] = version.split('.');
  return `~> ${major}.${minor}.0`;
}

/**
 * Generates the bindings into a fresh temporary directory; returns { out, dir, files }, files relative to dir.
 * `schema` is the @auditdrain/schema module to take the provider schema from (default: the built one).
 */
async function generate({ schema = require(path.join(ROOT, 'schema', 'dist')) } = {}) {
  const g = loadGenerator();
  const source = schema.PROVIDER_SOURCE.replace(/^registry\.terraform\.io\//, '');
  const name = source.split('/')[1];
  const generator = new g.TerraformProviderGenerator(new g.CodeMaker(), schema.providersSchemaJson());
  generator.generate(
    new g.ConstructsMakerProviderTarget(
      new g.TerraformProviderConstraint({ name, source, version: providerConstraint() }),
      g.LANGUAGES[0], // typescript
    ),
  );
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'auditdrain-cdktf-'));
  await generator.save(out);
  const dir = path.join(out, 'providers', name);
  return { out, dir, files: listFiles(dir) };
}

function listFiles(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]))
    .sort();
}

/** What would change in src/ if `generated` replaced it: one line per file. */
function differences(generated) {
  const current = listFiles(SRC);
  const lines = [];
  for (const file of generated.files) {
    if (!current.includes(file)) lines.push(`provider/cdktf/src/${file}: would be added`);
    else if (!fs.readFileSync(path.join(SRC, file)).equals(fs.readFileSync(path.join(generated.dir, file)))) {
      lines.push(`provider/cdktf/src/${file}: would change`);
    }
  }
  for (const file of current) if (!generated.files.includes(file)) lines.push(`provider/cdktf/src/${file}: would be removed`);
  return lines;
}

/** Replaces src/ with the generated files; returns how many changed. */
function write(generated) {
  const changed = differences(generated).length;
  if (changed === 0) return 0;
  fs.rmSync(SRC, { recursive: true, force: true });
  fs.cpSync(generated.dir, SRC, { recursive: true });
  return changed;
}

async function main() {
  const check = process.argv.includes('--check');
  const generated = await generate();
  try {
    if (check) {
      const lines = differences(generated);
      if (lines.length > 0) {
        console.error('The CDKTF bindings are out of date (regenerate them with `npm run build`):');
        for (const line of lines) console.error(`  ${line}`);
        process.exitCode = 1;
      }
    } else {
      const changed = write(generated);
      if (changed > 0) console.error(`provider/cdktf/src: ${changed} generated file(s) updated`);
    }
  } finally {
    fs.rmSync(generated.out, { recursive: true, force: true });
  }
}

module.exports = { generate, differences };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
