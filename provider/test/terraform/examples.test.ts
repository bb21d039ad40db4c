/**
 * The examples in examples/ (shown on the registry pages in docs/) are real configurations: each directory, copied
 * into a working directory with the provider's `required_providers`, passes `terraform validate` against the built
 * provider, so an attribute renamed or a value the schema refuses fails here before it reaches the documentation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { identity, RESOURCES, terraformTypeName } from '@auditdrain/schema';
import { describeWithTerraform, Workspace } from './support/terraform';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');
/** The top-level directories of examples/ in the layout the registry documentation is generated from. */
const REGISTRY_LAYOUT = ['provider', 'resources', 'data-sources'];

/**
 * The directories of the registry layout that hold `.tf` files (`provider`, `resources/<type>`,
 * `data-sources/<type>`), relative to examples/. The rest of examples/ (the Terraform modules, the CDKTF stack) is
 * proven by its own tests: modules.test.ts installs the modules with `terraform init`, which dev_overrides skips.
 */
function exampleDirs(dir = EXAMPLES): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  const relative = path.relative(EXAMPLES, dir);
  const own = relative && entries.some((e) => e.isFile() && e.name.endsWith('.tf')) ? [relative] : [];
  const below = entries
    .filter((e) => e.isDirectory() && (relative !== '' || REGISTRY_LAYOUT.includes(e.name)))
    .flatMap((e) => exampleDirs(path.join(dir, e.name)));
  return [...own, ...below].sort();
}

const DIRS = exampleDirs();

/** A workspace for validation only: the provider is never configured, so the endpoint and key are never used. */
const workspace = () => new Workspace({ endpoint: 'http://127.0.0.1:9', apiKey: 'adk_unused' });

describeWithTerraform('the examples in examples/ with terraform', () => {
  test('there is one for the provider, every resource and every data source', () => {
    expect(DIRS).toEqual(
      expect.arrayContaining([
        'provider',
        ...RESOURCES.map((spec) => `resources/${terraformTypeName(spec)}`),
        `data-sources/${terraformTypeName(identity)}`,
      ]),
    );
  });

  test.each(DIRS)('%s passes terraform validate', async (dir) => {
    const ws = workspace();
    try {
      const files = fs.readdirSync(path.join(EXAMPLES, dir)).filter((f) => f.endsWith('.tf'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) fs.copyFileSync(path.join(EXAMPLES, dir, file), path.join(ws.dir, file));
      const { output } = await ws.ok(['validate', '-no-color']);
      expect(output).toContain('Success! The configuration is valid');
      // The only warning allowed is the one dev_overrides always prints; a deprecation would be another.
      expect(output.match(/^Warning: .*$/gm)).toEqual(['Warning: Provider development overrides are in effect']);
    } finally {
      ws.remove();
    }
  });

  test('every example is formatted as terraform fmt writes it', async () => {
    const ws = workspace();
    try {
      const result = await ws.run(['fmt', '-check', '-diff', '-recursive', '-no-color', EXAMPLES]);
      expect({ code: result.code, output: result.output.trim() }).toEqual({ code: 0, output: '' });
    } finally {
      ws.remove();
    }
  });

  test.each(RESOURCES.map((spec) => [terraformTypeName(spec), spec.idPrefix]))(
    '%s: import.sh and the import block import a resource the example declares, by an id of its kind',
    (type, prefix) => {
      const dir = path.join(EXAMPLES, 'resources', type);
      const resources = fs.readFileSync(path.join(dir, 'resource.tf'), 'utf8');
      const command = /^terraform import (\S+)\.(\S+) (\S+)$/m.exec(fs.readFileSync(path.join(dir, 'import.sh'), 'utf8'));
      expect(command).not.toBeNull();
      const [, importedType, name, id] = command!;
      expect(importedType).toBe(type);
      expect(resources).toContain(`resource "${type}" "${name}" {`);
      expect(id).toMatch(new RegExp(`^${prefix}_[0-9a-z]{26}$`));
      expect(fs.readFileSync(path.join(dir, 'import-by-string-id.tf'), 'utf8')).toContain(`to = ${type}.${name}\n  id = "${id}"`);
    },
  );
});
