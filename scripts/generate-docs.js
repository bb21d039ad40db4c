#!/usr/bin/env node
// Regenerates the parts of docs/ that are derived from code (run after `npm run build`): the settings table of
// docs/configuration.md, the Terraform provider's pages (provider/scripts/generate-docs.js), the tables of the
// Terraform modules' READMEs (scripts/module-docs.js), and the example files the guides quote (scripts/doc-includes.js).
// With --check nothing is written: it exits 1 naming every file that would change.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { settingsTable } = require(path.join(root, 'control-plane', 'dist', 'config.js'));
const providerDocs = require(path.join(root, 'provider', 'scripts', 'generate-docs.js'));
const moduleDocs = require(path.join(root, 'scripts', 'module-docs.js'));
const docIncludes = require(path.join(root, 'scripts', 'doc-includes.js'));
const { withSection } = require(path.join(root, 'scripts', 'marked-sections.js'));

const check = process.argv.includes('--check');

/** In --check mode, what would change, one line per file. */
const wouldChange = [];

/** Replaces a marked section of a file (in --check mode only notes that it would change). */
function replaceSection(file, name, content) {
  const full = path.join(root, file);
  const text = fs.readFileSync(full, 'utf8');
  const next = withSection(text, name, content, file);
  if (next === text) return;
  if (check) {
    wouldChange.push(`${file}: the ${name} section would change`);
  } else {
    fs.writeFileSync(full, next);
    console.error(`updated ${file}`);
  }
}

async function main() {
  replaceSection('docs/configuration.md', 'settings', settingsTable());
  const moduleReadmes = await moduleDocs.renderReadmes(root);
  if (check) {
    for (const { file, reason } of providerDocs.staleFiles(providerDocs.renderDocs())) wouldChange.push(`${file}: ${reason}`);
    for (const { file, reason } of moduleDocs.staleFiles(moduleReadmes, root)) wouldChange.push(`${file}: ${reason}`);
    for (const { file } of docIncludes.staleQuotes(root)) wouldChange.push(`${file}: a quoted file has changed`);
    if (wouldChange.length > 0) {
      console.error('The generated documentation is out of date (regenerate it with `npm run docs`):');
      for (const line of wouldChange) console.error(`  ${line}`);
      process.exitCode = 1;
    }
  } else {
    providerDocs.writeDocs();
    moduleDocs.writeReadmes(moduleReadmes, root);
    for (const { file, text } of docIncludes.staleQuotes(root)) {
      fs.writeFileSync(path.join(root, file), text);
      console.error(`updated ${file}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
