#!/usr/bin/env node
// Regenerates the parts of docs/ that are derived from code (run after `npm run build`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { settingsTable } = require(path.join(root, 'control-plane', 'dist', 'config.js'));

function replaceSection(file, name, content) {
  const full = path.join(root, file);
  const text = fs.readFileSync(full, 'utf8');
  const pattern = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!pattern.test(text)) throw new Error(`${file} has no ${name} section`);
  const next = text.replace(pattern, (_m, start, end) => `${start}${content}\n${end}`);
  if (next !== text) {
    fs.writeFileSync(full, next);
    console.error(`updated ${file}`);
  }
}

replaceSection('docs/configuration.md', 'settings', settingsTable());
