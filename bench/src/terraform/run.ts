/**
 * Terraform benchmark: the wall time of real `terraform` commands driving the provider against the real service
 * (a child process, SQLite), next to terraform's own floor measured in the same run. Run it with
 * `npm run bench -- terraform`.
 *
 * - **Floor**: `terraform plan` of a configuration with the provider block and nothing else. Terraform starts the
 *   provider, reads its schema, validates and configures it: what every command pays before any resource.
 * - **apply N**: `terraform apply` creating N S3 destinations (N = 1 and 50), from an empty state; each repetition
 *   starts from a `terraform destroy` that is not measured.
 * - **plan N**: a no-change `terraform plan` with the N destinations in state (a refresh reads every one).
 * - Each is the median of RUNS repetitions; the per-resource cost is (time − floor) / N.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Benchmark, BenchmarkReport } from '../lib/benchmark';
import type { BenchOptions } from '../lib/options';
import { startChildService } from '../lib/service';
import { formatMs, formatRatio, markdownTable, now, quantile } from '../lib/stats';

const RUNS = 5;
const SIZES = [1, 50] as const;
const PROVIDER_DIR = path.resolve(__dirname, '..', '..', '..', 'provider');

class TerraformDir {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-terraform-'));
  private readonly env: NodeJS.ProcessEnv;

  constructor(endpoint: string, apiKey: string) {
    const cliConfig = path.join(this.dir, '.terraformrc');
    fs.writeFileSync(
      cliConfig,
      `provider_installation {\n  dev_overrides {\n    "auditdrain/auditdrain" = "${PROVIDER_DIR}"\n  }\n  direct {}\n}\n`,
    );
    this.env = {
      PATH: process.env.PATH,
      HOME: this.dir,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
      AUDITDRAIN_ENDPOINT: endpoint,
      AUDITDRAIN_API_KEY: apiKey,
    };
  }

  /** main.tf with the provider and `count` destinations. */
  configure(count: number): void {
    const resources =
      count === 0
        ? ''
        : `
resource "auditdrain_s3_log_destination" "bench" {
  count       = ${count}
  name        = "bench \${count.index}"
  bucket_name = "bench-audit-logs"
  role_arn    = "arn:aws:iam::123456789012:role/auditdrain-writer"
  key_prefix  = "tenant-\${count.index}"
  compression = "gzip"
}
`;
    fs.writeFileSync(
      path.join(this.dir, 'main.tf'),
      `terraform {\n  required_providers {\n    auditdrain = { source = "auditdrain/auditdrain" }\n  }\n}\n\nprovider "auditdrain" {}\n${resources}`,
    );
  }

  /** Runs terraform; resolves with the wall seconds, rejects with its output when it fails. */
  run(args: string[], okCodes: number[] = [0]): Promise<number> {
    const started = now();
    return new Promise((resolve, reject) => {
      const child = spawn('terraform', args, { cwd: this.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        if (okCodes.includes(code ?? -1)) resolve(now() - started);
        else reject(new Error(`terraform ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`));
      });
    });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];
const DESTROY = ['destroy', '-auto-approve', '-input=false', '-no-color'];
/** `-detailed-exitcode` makes a plan with changes exit 2: a no-change plan must exit 0. */
const PLAN = ['plan', '-input=false', '-no-color', '-detailed-exitcode'];

async function median(times: number, measure: () => Promise<number>): Promise<number> {
  const seconds: number[] = [];
  for (let i = 0; i < times; i++) seconds.push(await measure());
  return quantile(seconds, 0.5);
}

export const terraformBenchmark: Benchmark = {
  name: 'terraform',
  title: 'terraform apply and plan through the provider, against terraform\'s own floor',
  async run(_options: BenchOptions, progress): Promise<BenchmarkReport> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-terraform-service-'));
    const service = await startChildService({ dataDir, env: { AUDITDRAIN_VERIFY_DESTINATIONS: 'false' } });
    const tf = new TerraformDir(service.url, service.adminKey);
    try {
      tf.configure(0);
      await tf.run(PLAN); // the first command pays for cold caches; not measured
      const floor = await median(RUNS, () => tf.run(PLAN));
      progress(`  floor (empty plan): ${formatMs(floor * 1000)}`);
      const rows: string[][] = [['floor: plan, no resources', '0', formatMs(floor * 1000), '1.00', '']];
      const summary: string[] = [];
      for (const size of SIZES) {
        tf.configure(size);
        const apply = await median(RUNS, async () => {
          await tf.run(DESTROY);
          return tf.run(APPLY);
        });
        const plan = await median(RUNS, () => tf.run(PLAN));
        progress(`  ${size}: apply ${formatMs(apply * 1000)}, plan ${formatMs(plan * 1000)}`);
        rows.push(['apply (create)', String(size), formatMs(apply * 1000), formatRatio(apply / floor), formatMs(((apply - floor) / size) * 1000)]);
        rows.push(['plan, no changes', String(size), formatMs(plan * 1000), formatRatio(plan / floor), formatMs(((plan - floor) / size) * 1000)]);
        summary.push(
          `- apply of ${size}: ${formatMs(apply * 1000)} ms, ${formatRatio(apply / floor)} × the floor of ${formatMs(floor * 1000)} ms`,
          `- plan of ${size}: ${formatMs(plan * 1000)} ms, ${formatRatio(plan / floor)} × the floor`,
        );
        await tf.run(DESTROY);
      }
      const table = markdownTable(['command', 'destinations', 'wall ms (median)', 'ratio to floor', 'ms per destination above floor'], rows, [
        false,
        true,
        true,
        true,
        true,
      ]);
      return {
        markdown: [
          `terraform ${await terraformVersion()}, the provider against the service on SQLite (verification off), ` +
            `median of ${RUNS} runs each; terraform's default parallelism (10).`,
          '',
          table,
          '',
          'Summary:',
          ...summary,
        ].join('\n'),
      };
    } finally {
      tf.remove();
      await service.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

function terraformVersion(): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('terraform', ['version', '-json'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('close', () => {
      try {
        resolve((JSON.parse(out) as { terraform_version: string }).terraform_version);
      } catch {
        resolve('(unknown version)');
      }
    });
  });
}
