// Files quoted whole in the documentation. A Markdown file marks the place with
//
//   <!-- include: examples/getting-started/terraform/main.tf -->
//   ```hcl
//   ```
//   <!-- /include -->
//
// and `npm run docs` puts the file's current text in the fenced block (the fence's language is kept), so the
// examples a guide shows are the files the tests run. `npm run docs:check` fails when a quote is out of date.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const INCLUDE = /(<!-- include: (\S+) -->\n)```(\w*)\n[\s\S]*?```\n(<!-- \/include -->)/g;
/** Where Markdown files with quotes may be: these, recursively (node_modules and generated output excluded). */
const SEARCHED = ['README.md', 'docs', 'examples', 'provider/cdktf/README.md'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'cdktf.out', '.terraform']);

function markdownFiles(root, relative) {
  const full = path.join(root, relative);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return relative.endsWith('.md') ? [relative] : [];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .filter((e) => !(e.isDirectory() && SKIPPED_DIRS.has(e.name)))
    .flatMap((e) => markdownFiles(root, path.join(relative, e.name)))
    .sort();
}

/** The text of `file` with every quote brought up to date; throws naming a quoted file that does not exist. */
function refreshed(root, file) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return text.replace(INCLUDE, (_match, open, quoted, language, close) => {
    const source = path.join(root, quoted);
    if (!fs.existsSync(source)) throw new Error(`${file} quotes ${quoted}, which does not exist`);
    const body = fs.readFileSync(source, 'utf8').replace(/\s+$/, '');
    if (body.includes('```')) throw new Error(`${quoted} contains a code fence, so ${file} cannot quote it`);
    return `${open}\`\`\`${language}\n${body}\n\`\`\`\n${close}`;
  });
}

const searchedFiles = (root) => SEARCHED.flatMap((s) => markdownFiles(root, s));

/** Every Markdown file whose quotes are out of date: [{ file, text }] with the text it should have. */
function staleQuotes(root) {
  return searchedFiles(root)
    .map((file) => ({ file, text: refreshed(root, file) }))
    .filter(({ file, text }) => text !== fs.readFileSync(path.join(root, file), 'utf8'));
}

/** The files each Markdown file quotes: { [markdown file]: [quoted files] }, for tests. */
function quotedFiles(root) {
  const quoted = {};
  for (const file of searchedFiles(root)) {
    const names = [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(INCLUDE)].map((m) => m[2]);
    if (names.length > 0) quoted[file] = names;
  }
  return quoted;
}

module.exports = { staleQuotes, quotedFiles };
