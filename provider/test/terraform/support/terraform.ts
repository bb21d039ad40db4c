/**
 * Drives the real `terraform` binary against the built provider, the way a user would: a working directory with
 * `.tf` files, the provider found through `dev_overrides` (no `terraform init`, which asks the registry even then) or,
 * where `terraform init` is part of the story (modules, CDKTF stacks, the getting-started guides), installed into
 * Terraform's own plugin directory by provider/scripts/install-local.js; and the control plane's URL and key in the
 * environment.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PROVIDER_DIR = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { installLocal } = require('../../../scripts/install-local.js') as { installLocal(dir: string): string };

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const TERRAFORM = onPath('terraform');

/** `describe` when terraform is installed; otherwise skipped with a line that says what was skipped and why. */
export function describeWithTerraform(name: string, body: () => void): void {
  if (TERRAFORM) {
    if (!fs.existsSync(path.join(PROVIDER_DIR, 'dist', 'main.js'))) {
      throw new Error('provider/dist/main.js is missing: run `npm run build` before the terraform tests');
    }
    describe(name, body);
    return;
  }
  console.warn(`SKIPPED "${name}": the terraform binary is not on the PATH, so these Terraform acceptance tests did not run`);
  describe.skip(name, body);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, as a user reads them. */
  output: string;
}

const VERSIONS_TF = `terraform {
  required_providers {
    auditdrain = { source = "auditdrain/auditdrain" }
  }
}
`;

export interface WorkspaceOptions {
  /**
   * How terraform finds the provider: `dev_overrides` (the default; no `terraform init`) or `mirror`: installed into
   * the workspace's ~/.terraform.d/plugins by provider/scripts/install-local.js, so that `terraform init` installs it
   * as it would from a registry.
   */
  install?: 'dev_overrides' | 'mirror';
  /** Whether to write a versions.tf requiring the provider (default true); a module brings its own. */
  versionsTf?: boolean;
}

/** The CLI configuration of a workspace: where terraform installs auditdrain from (`pluginDir` with the mirror). */
function cliConfigFor(install: 'dev_overrides' | 'mirror', pluginDir: string): string {
  if (install === 'dev_overrides') {
    return `provider_installation {\n  dev_overrides {\n    "auditdrain/auditdrain" = "${PROVIDER_DIR}"\n  }\n  direct {}\n}\n`;
  }
  // As the getting-started guides install it (`npm run provider:install`): into ~/.terraform.d/plugins, a mirror
  // terraform searches without being told, so the CLI configuration says nothing about installation.
  installLocal(pluginDir);
  return '# auditdrain/auditdrain is installed from the implied local mirror, ~/.terraform.d/plugins\n';
}

/** One Terraform working directory with its own state. */
export class Workspace {
  readonly dir: string;
  /** With `install: 'mirror'`: the plugin directory holding auditdrain (the workspace's ~/.terraform.d/plugins). */
  readonly pluginDir: string;
  /** Where terraform runs: `dir`, or the directory below it that `workIn` named (a synthesized CDKTF stack). */
  workingDir: string;
  private readonly cliConfig: string;

  constructor(
    private readonly env: { endpoint: string; apiKey: string },
    options: WorkspaceOptions = {},
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditdrain-tf-'));
    this.workingDir = this.dir;
    this.cliConfig = path.join(this.dir, '.terraformrc');
    this.pluginDir = path.join(this.dir, '.terraform.d', 'plugins');
    fs.writeFileSync(this.cliConfig, cliConfigFor(options.install ?? 'dev_overrides', this.pluginDir));
    if (options.versionsTf ?? true) fs.writeFileSync(path.join(this.dir, 'versions.tf'), VERSIONS_TF);
  }

  /** Runs terraform in `relative` (below `dir`) from now on. */
  workIn(relative: string): this {
    this.workingDir = path.join(this.dir, relative);
    return this;
  }

  /** `terraform init` (with the mirror: installs the provider and writes the lock file). */
  init(...args: string[]): Promise<RunResult> {
    return this.ok(['init', '-no-color', '-input=false', ...args]);
  }

  /** Replaces the configuration (every `.tf` file but versions.tf) with `main.tf` holding `hcl`. */
  configure(hcl: string): this {
    for (const file of fs.readdirSync(this.dir)) {
      if (file.endsWith('.tf') && file !== 'versions.tf') fs.rmSync(path.join(this.dir, file));
    }
    fs.writeFileSync(path.join(this.dir, 'main.tf'), hcl);
    return this;
  }

  run(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(TERRAFORM as string, [...args], {
        cwd: this.workingDir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: this.dir,
          TMPDIR: os.tmpdir(),
          TF_CLI_CONFIG_FILE: this.cliConfig,
          TF_IN_AUTOMATION: '1',
          CHECKPOINT_DISABLE: '1',
          AUDITDRAIN_ENDPOINT: this.env.endpoint,
          AUDITDRAIN_API_KEY: this.env.apiKey,
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, output: `${stdout}\n${stderr}` }));
    });
  }

  /** Runs a command that must succeed, failing with terraform's own output when it does not. */
  async ok(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const result = await this.run(args, extraEnv);
    if (result.code !== 0) throw new Error(`terraform ${args.join(' ')} exited ${result.code}:\n${result.output}`);
    return result;
  }

  apply(...args: string[]): Promise<RunResult> {
    return this.ok(['apply', '-auto-approve', '-no-color', '-input=false', ...args]);
  }

  destroy(): Promise<RunResult> {
    return this.ok(['destroy', '-auto-approve', '-no-color', '-input=false']);
  }

  /** A plan, with whether it has changes (`-detailed-exitcode`: 0 none, 2 some, 1 an error). */
  async plan(...args: string[]): Promise<{ changes: boolean; output: string }> {
    const result = await this.run(['plan', '-no-color', '-input=false', '-detailed-exitcode', ...args]);
    if (result.code !== 0 && result.code !== 2) throw new Error(`terraform plan exited ${result.code}:\n${result.output}`);
    return { changes: result.code === 2, output: result.output };
  }

  /** The values of a resource in state (`terraform show -json`), or undefined when the state has no such address. */
  async stateOf(address: string): Promise<Record<string, unknown> | undefined> {
    const shown = JSON.parse((await this.ok(['show', '-json', '-no-color'])).stdout) as {
      values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } };
    };
    return shown.values?.root_module?.resources?.find((r) => r.address === address)?.values;
  }

  /** The raw state file, to prove what never reaches it. */
  stateFile(): string {
    const file = path.join(this.workingDir, 'terraform.tfstate');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
