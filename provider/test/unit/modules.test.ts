/**
 * The Terraform modules in examples/modules, checked without running terraform: their .tf files parsed with
 * @cdktf/hcl2json and compared with the provider's own schema (the `terraform providers schema -json` shape), with
 * each other (module calls and outputs), with their READMEs (the tables `npm run docs` generates) and with their
 * CHANGELOGs (the version the usage pins). Each check also runs on a broken snippet, to prove it can fail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROVIDER_SOURCE, providersSchemaJson } from '@auditdrain/schema';
import type { ExpectedProvider, TerraformModule } from './module-checks';
import {
  ROOT,
  attributeProblems,
  calleesOf,
  constraintAdmits,
  descriptionProblems,
  documentationProblems,
  moduleCallProblems,
  moduleDocs,
  moduleFromSources,
  referenceProblems,
  releaseProblems,
  releasesOf,
  usageProblems,
  versionProblems,
} from './module-checks';

// The parser behind scripts/module-docs.js, for the README examples.
const { parse } = require('@cdktf/hcl2json') as { parse(file: string, text: string): Promise<Record<string, unknown>> };

const PROVIDER = providersSchemaJson().provider_schemas[PROVIDER_SOURCE]!;
const PROVIDER_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'provider', 'package.json'), 'utf8')) as { version: string }).version;

/** The next minor version of the provider: while it is 0.x, a minor release may break, so modules must exclude it. */
function nextMinor(version: string): string {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return `${major}.${minor + 1}.0`;
}

const EXPECTED_PROVIDERS: Record<string, ExpectedProvider> = {
  auditdrain: { source: 'auditdrain/auditdrain', admits: [PROVIDER_VERSION], excludes: [nextMinor(PROVIDER_VERSION)] },
  aws: { source: 'hashicorp/aws', admits: ['5.0.0', '6.0.0'] },
};

const MODULE_NAMES = ['aws-audit-log-bucket', 's3-audit-archive', 's3-log-destination', 'webhook-destination'];
const MODULES_DIR = path.join(ROOT, moduleDocs.MODULES_DIR);
const read = (name: string, file: string) => fs.readFileSync(path.join(MODULES_DIR, name, file), 'utf8');

const modules = new Map<string, { module: TerraformModule; callees: Map<string, TerraformModule> }>();

beforeAll(async () => {
  for (const dir of moduleDocs.moduleDirs(ROOT)) {
    const module = await moduleDocs.loadModule(dir, ROOT);
    modules.set(module.name, { module, callees: await calleesOf(module) });
  }
});

describe('the Terraform modules in examples/modules', () => {
  test('are the four the index README lists, each linked', () => {
    expect([...modules.keys()].sort()).toEqual(MODULE_NAMES);
    const index = fs.readFileSync(path.join(MODULES_DIR, 'README.md'), 'utf8');
    for (const name of MODULE_NAMES) expect(index).toContain(`[\`${name}\`](${name})`);
  });

  test('have README tables as `npm run docs` generates them (run it when this fails)', async () => {
    const readmes = await moduleDocs.renderReadmes(ROOT);
    expect(Object.keys(readmes).sort()).toEqual(MODULE_NAMES.map((name) => `examples/modules/${name}/README.md`));
    expect(moduleDocs.staleFiles(readmes, ROOT)).toEqual([]);
  });

  describe.each(MODULE_NAMES)('%s', (name) => {
    const get = () => modules.get(name)!;

    test('has main.tf, variables.tf, outputs.tf, versions.tf, README.md and CHANGELOG.md', () => {
      const files = fs.readdirSync(path.join(MODULES_DIR, name));
      expect(files).toEqual(expect.arrayContaining(['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md', 'CHANGELOG.md']));
      expect(Object.keys(get().module.config.variable).length).toBeGreaterThan(0);
      expect(Object.keys(get().module.config.output).length).toBeGreaterThan(0);
    });

    test('its README documents every variable and every output', () => {
      expect(documentationProblems(get().module, read(name, 'README.md'))).toEqual([]);
    });

    test('every variable has a description and a type, every output a description', () => {
      expect(descriptionProblems(get().module)).toEqual([]);
    });

    test('versions.tf requires a Terraform version and each provider used, with its source and a version constraint', () => {
      const { module, callees } = get();
      expect(versionProblems(module, callees, EXPECTED_PROVIDERS)).toEqual([]);
    });

    test('sets only attributes of the provider schema on auditdrain resources and data sources, none computed-only', () => {
      expect(attributeProblems(get().module, PROVIDER)).toEqual([]);
    });

    test('calls local modules with only the variables they declare and all they require', () => {
      const { module, callees } = get();
      expect(moduleCallProblems(module, callees)).toEqual([]);
    });

    test('refers only to declared variables, local values, module calls and outputs those modules have', () => {
      const { module, callees } = get();
      expect(referenceProblems(module, callees)).toEqual([]);
    });

    test("its README's usage example passes only the module's variables and all it requires", async () => {
      expect(await usageProblems(get().module, read(name, 'README.md'), parse)).toEqual([]);
    });

    test("its README's usage pins the newest version of its CHANGELOG", () => {
      const changelog = read(name, 'CHANGELOG.md');
      expect(releasesOf(changelog)[0]).toEqual({ version: '1.0.0', date: '2026-11-21' });
      expect(releaseProblems(name, changelog, read(name, 'README.md'))).toEqual([]);
    });
  });

  test('s3-audit-archive wires the identity into the bucket module and the bucket module into the destination', () => {
    const { module, callees } = modules.get('s3-audit-archive')!;
    expect([...callees.values()].map((m) => m.name).sort()).toEqual(['aws-audit-log-bucket', 's3-log-destination']);
    const [bucket] = module.config.module.bucket!;
    const [destination] = module.config.module.destination!;
    expect(bucket).toMatchObject({
      source: '../aws-audit-log-bucket',
      trusted_principal_arn: '${data.auditdrain_identity.current.aws_principal_arn}',
      external_id: '${data.auditdrain_identity.current.external_id}',
    });
    expect(destination).toMatchObject({
      source: '../s3-log-destination',
      bucket_name: '${module.bucket.bucket_name}',
      region: '${module.bucket.region}',
      role_arn: '${module.bucket.writer_role_arn}',
      key_prefix: '${module.bucket.key_prefix}',
    });
  });
});

describe('the modules checker', () => {
  const versions = `terraform {
  required_version = ">= 1.5"
  required_providers {
    auditdrain = {
      source  = "auditdrain/auditdrain"
      version = "~> 0.1.0"
    }
  }
}
`;

  test('reports a misspelt attribute, a computed-only one, a missing required one and a dynamic block', async () => {
    const module = await moduleFromSources('broken', {
      'versions.tf': versions,
      'main.tf': `
resource "auditdrain_s3_log_destination" "this" {
  name        = "archive"
  bucket_nmae = "example-audit-logs"
  external_id = "auditdrain:tnt_123"
  count       = 1
}

resource "auditdrain_webhook_integration" "this" {
  name    = "siem"
  url     = "https://siem.example.com"
  headers = [{ key = "Authorization", valeu = "Bearer x" }]
  dynamic "filter" {
    for_each = []
    content {}
  }
}

data "auditdrain_identity" "current" {
  tenant_id = "tnt_123"
}

resource "auditdrain_destination" "gone" {}
`,
    });
    expect(attributeProblems(module, PROVIDER).sort()).toEqual(
      [
        'auditdrain_destination.gone: the provider has no resource auditdrain_destination',
        'auditdrain_s3_log_destination.this: bucket_nmae is not an attribute of the provider schema',
        'auditdrain_s3_log_destination.this: external_id is computed by the provider and cannot be set',
        'auditdrain_s3_log_destination.this: the required attribute bucket_name is not set',
        'auditdrain_webhook_integration.this.headers[0]: valeu is not an attribute of the provider schema',
        'auditdrain_webhook_integration.this.headers[0]: the required attribute value is not set',
        'auditdrain_webhook_integration.this: dynamic "filter": the schema has no blocks',
        'data.auditdrain_identity.current: tenant_id is computed by the provider and cannot be set',
      ].sort(),
    );
  });

  test('reports a module call with an unknown variable, a missing required one, a changed default and a missing output', async () => {
    const module = await moduleFromSources('caller', {
      'versions.tf': versions,
      'variables.tf': `
variable "compression" {
  description = "x"
  type        = string
  default     = "none"
}
`,
      'main.tf': `
module "destination" {
  source      = "../s3-log-destination"
  name        = "archive"
  bucket_nam  = "example-audit-logs"
  compression = var.compression
}

output "id" {
  description = "x"
  value       = module.destination.destination_id
}

output "other" {
  description = "x"
  value       = module.elsewhere.id
}

output "unknown" {
  description = "x"
  value       = [var.undeclared, local.nothing]
}
`,
    });
    // Resolved against the real s3-log-destination module, as if the caller sat next to it.
    const callees = new Map([['destination', modules.get('s3-log-destination')!.module]]);
    expect(moduleCallProblems(module, callees).sort()).toEqual(
      [
        'module.destination: bucket_nam is not a variable of s3-log-destination',
        'module.destination: compression passes var.compression (default "none") to a variable whose default is "gzip"',
        'module.destination: the required variable bucket_name of s3-log-destination is not passed',
        'module.destination: the required variable role_arn of s3-log-destination is not passed',
      ].sort(),
    );
    expect(referenceProblems(module, callees).sort()).toEqual(
      [
        'local.nothing is not a declared local value',
        'module.destination.destination_id: s3-log-destination has no output destination_id',
        'module.elsewhere is not a module call of this module',
        'var.undeclared is not a declared variable',
      ].sort(),
    );
  });

  test('reports missing descriptions and types, and a README table that leaves a variable out', async () => {
    const module = await moduleFromSources('undocumented', {
      'versions.tf': versions,
      'variables.tf': 'variable "name" {}\nvariable "url" {\n  description = "x"\n  type = string\n}\n',
      'outputs.tf': 'output "id" {\n  value = var.name\n}\n',
    });
    expect(descriptionProblems(module).sort()).toEqual(
      ['output id has no description', 'variable name has no description', 'variable name has no type'].sort(),
    );
    const readme = [
      '# undocumented', '## Usage', '', '## Requirements', '', '## Inputs', '<!-- inputs:start -->', '| Name | Description |', '| --- | --- |',
      '| `url` | x |', '| `retired` | x |', '<!-- inputs:end -->', '## Outputs', '<!-- outputs:start -->', '<!-- outputs:end -->', '',
    ].join('\n');
    expect(documentationProblems(module, readme).sort()).toEqual(
      [
        "output id is not in the README's outputs table",
        "the README's inputs table lists retired, which the module does not have",
        "variable name is not in the README's inputs table",
      ].sort(),
    );
  });

  test('reports a provider used without a requirement, without a version, outside the allowed versions or configured inside', async () => {
    const module = await moduleFromSources('unpinned', {
      'versions.tf': `terraform {
  required_providers {
    auditdrain = {
      source  = "auditdrain/auditdrain"
      version = ">= 0.1.0"
    }
    random = {
      source = "hashicorp/random"
    }
  }
}
`,
      'main.tf': `
provider "auditdrain" {}
data "auditdrain_identity" "current" {}
resource "random_id" "x" {}
resource "aws_s3_bucket" "x" {}
`,
    });
    expect(versionProblems(module, new Map(), EXPECTED_PROVIDERS).sort()).toEqual(
      [
        'terraform.required_version is not set',
        `provider auditdrain version ">= 0.1.0" admits ${nextMinor(PROVIDER_VERSION)}`,
        'provider aws is used but not in required_providers',
        'provider random has no version constraint',
        'provider "auditdrain" is configured inside the module; the caller configures providers',
      ].sort(),
    );
  });

  test('reads version constraints as Terraform does', () => {
    expect(constraintAdmits('~> 0.1.0', '0.1.7')).toBe(true);
    expect(constraintAdmits('~> 0.1.0', '0.2.0')).toBe(false);
    expect(constraintAdmits('~> 0.1', '0.9.0')).toBe(true);
    expect(constraintAdmits('~> 0.1', '1.0.0')).toBe(false);
    expect(constraintAdmits('>= 5.0, < 7.0', '6.12.1')).toBe(true);
    expect(constraintAdmits('>= 5.0, < 7.0', '7.0.0')).toBe(false);
    expect(constraintAdmits('>= 5.0, < 7.0', '4.67.0')).toBe(false);
    expect(constraintAdmits('!= 1.2.3', '1.2.3')).toBe(false);
    expect(constraintAdmits('latest', '1.0.0')).toBeUndefined();
  });

  test('reports a README usage example with an unknown variable or without a required one', async () => {
    const { module } = modules.get('webhook-destination')!;
    const source = 'git::https://github.com/auditdrain/auditdrain.git//examples/modules/webhook-destination?ref=modules/webhook-destination/v1.0.0';
    const readme = `# x\n\n\`\`\`hcl\nmodule "siem" {\n  source = "${source}"\n  name   = "SIEM"\n  token  = "x"\n}\n\`\`\`\n`;
    expect(await usageProblems(module, readme, parse)).toEqual([
      'usage module.siem: token is not a variable of webhook-destination',
      'usage module.siem: the required variable url is not passed',
    ]);
    expect(await usageProblems(module, '# x\n', parse)).toEqual(['the README has no hcl example calling webhook-destination from git']);
  });

  test('reports a usage pinned at another version than the newest release, and a release that is not semver', () => {
    const changelog = (version: string) =>
      `# Changelog\n\n## [Unreleased]\n\n## [${version}] - 2026-12-01\n\n## [1.0.0] - 2026-11-21\n\n` +
      `[${version}]: https://github.com/auditdrain/auditdrain/releases/tag/modules/x/v${version}\n`;
    const readme = 'source = "git::https://github.com/auditdrain/auditdrain.git//examples/modules/x?ref=modules/x/v1.0.0"\n';
    expect(releaseProblems('x', changelog('1.0.0'), readme)).toEqual([]);
    expect(releaseProblems('x', changelog('1.1.0'), readme)).toEqual([
      'the README\'s usage does not pin x 1.1.0 with: source = "git::https://github.com/auditdrain/auditdrain.git//examples/modules/x?ref=modules/x/v1.1.0"',
      'the README pins x at 1.0.0, not at the newest release 1.1.0',
    ]);
    expect(releaseProblems('x', changelog('1.1'), readme)[0]).toBe('the newest release "1.1" is not a semantic version');
  });

  test('reports a README whose generated tables no longer match the module', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'auditdrain-modules-'));
    try {
      const dir = path.join(root, 'examples', 'modules', 'webhook-destination');
      fs.mkdirSync(dir, { recursive: true });
      for (const file of fs.readdirSync(path.join(MODULES_DIR, 'webhook-destination'))) {
        fs.copyFileSync(path.join(MODULES_DIR, 'webhook-destination', file), path.join(dir, file));
      }
      expect(moduleDocs.staleFiles(await moduleDocs.renderReadmes(root), root)).toEqual([]);
      fs.appendFileSync(
        path.join(dir, 'variables.tf'),
        '\nvariable "timeout_seconds" {\n  description = "x"\n  type        = number\n  default     = 10\n}\n',
      );
      fs.appendFileSync(path.join(dir, 'outputs.tf'), '\noutput "url" {\n  description = "x"\n  value       = var.url\n}\n');
      expect(moduleDocs.staleFiles(await moduleDocs.renderReadmes(root), root)).toEqual([
        { file: 'examples/modules/webhook-destination/README.md', reason: 'the inputs, outputs sections would change' },
      ]);
      const module = await moduleDocs.loadModule(dir);
      expect(documentationProblems(module, fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).sort()).toEqual([
        "output url is not in the README's outputs table",
        "variable timeout_seconds is not in the README's inputs table",
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
