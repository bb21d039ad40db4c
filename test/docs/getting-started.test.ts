/**
 * The getting-started guides (docs/getting-started/) show files that tests run, quoted whole by
 * scripts/doc-includes.js: here each guide is checked to quote its path's files, every quote to be current (else
 * `npm run docs`), and every relative link in the guides and the example READMEs to lead to a file that exists.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface DocIncludes {
  staleQuotes(root: string): Array<{ file: string; text: string }>;
  quotedFiles(root: string): Record<string, string[]>;
}

// Plain CommonJS, run by `npm run docs` without a build step.
const includes = require('../../scripts/doc-includes.js') as DocIncludes;
const ROOT = path.resolve(__dirname, '..', '..');

describe('the getting-started guides', () => {
  test('each quotes the files its path runs', () => {
    expect(includes.quotedFiles(ROOT)).toEqual(
      expect.objectContaining({
        'docs/getting-started/rest-api.md': ['examples/getting-started/rest-api.sh'],
        'docs/getting-started/terraform.md': ['examples/getting-started/terraform/main.tf'],
        'docs/getting-started/cdktf.md': ['examples/cdktf/main.ts', 'examples/cdktf/cdktf.json'],
      }),
    );
  });

  test('every quote is the current text of its file (regenerate with `npm run docs`)', () => {
    expect(includes.staleQuotes(ROOT).map((s) => s.file)).toEqual([]);
  });

  test('a quote that no longer matches its file is found, and refreshed', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'auditdrain-docs-'));
    try {
      fs.mkdirSync(path.join(root, 'docs'));
      fs.mkdirSync(path.join(root, 'examples'));
      fs.writeFileSync(path.join(root, 'examples', 'a.tf'), 'resource "x" "y" {}\n');
      const page = 'Intro\n\n<!-- include: examples/a.tf -->\n```hcl\nold text\n```\n<!-- /include -->\n\nEnd\n';
      fs.writeFileSync(path.join(root, 'docs', 'guide.md'), page);
      expect(includes.staleQuotes(root)).toEqual([
        { file: 'docs/guide.md', text: page.replace('old text', 'resource "x" "y" {}') },
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  const pages = [
    ...fs.readdirSync(path.join(ROOT, 'docs', 'getting-started')).map((f) => `docs/getting-started/${f}`),
    'examples/cdktf/README.md',
    'provider/cdktf/README.md',
    'README.md',
  ];
  test.each(pages)('%s: every relative link leads to a file that exists', (page) => {
    const text = fs.readFileSync(path.join(ROOT, page), 'utf8');
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string).filter((l) => !/^[a-z]+:|^#/.test(l));
    expect(links.length).toBeGreaterThan(0);
    const missing = links.filter((link) => !fs.existsSync(path.resolve(ROOT, path.dirname(page), link.split('#')[0] as string)));
    expect(missing).toEqual([]);
  });
});
