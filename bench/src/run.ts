/**
 * Benchmark entry: `node bench/dist/run.js [NAME...]` runs the named benchmarks (all of them when none is named),
 * prints each one's table and adds the run to bench/RESULTS.md. `npm run bench` builds first, then runs this.
 * Settings come from BENCH_* environment variables (see lib/options.ts and README.md).
 */
import path from 'node:path';
import { ingestBenchmark } from './ingest/run';
import { s3Benchmark } from './s3/run';
import { scaleBenchmark } from './scale/run';
import { terraformBenchmark } from './terraform/run';
import { webhookBenchmark } from './webhook/run';
import type { Benchmark } from './lib/benchmark';
import { describeMachine, machineFacts } from './lib/machine';
import { nonDefaultSettings, readOptions } from './lib/options';
import { recordRun } from './lib/results';

const BENCHMARKS: Benchmark[] = [ingestBenchmark, s3Benchmark, webhookBenchmark, terraformBenchmark, scaleBenchmark];
const RESULTS_FILE = path.resolve(__dirname, '..', 'RESULTS.md');

function commandLine(names: string[]): string {
  const settings = nonDefaultSettings();
  const invoked = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : 'node bench/dist/run.js';
  return [...settings, invoked, ...(invoked === 'npm run bench' && names.length > 0 ? ['--'] : []), ...names].join(' ');
}

async function main(names: string[]): Promise<void> {
  try {
    const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
    if (unknown.length > 0) {
      throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    }
    const chosen = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
    const options = readOptions();
    const machine = machineFacts();
    const command = commandLine(names);
    const log = (line: string) => process.stdout.write(line + '\n');
    log(`auditdrain benchmarks: ${chosen.map((b) => b.name).join(', ')}`);
    for (const fact of describeMachine(machine)) log(`  ${fact}`);
    log('');

    for (const benchmark of chosen) {
      log(`== ${benchmark.name}: ${benchmark.title}`);
      const started = Date.now();
      const result = await benchmark.run(options, log);
      log('');
      log(result.markdown);
      log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
      if (options.record) {
        recordRun(RESULTS_FILE, { benchmark: benchmark.name, machine, command, markdown: result.markdown });
        log(`recorded in ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}`);
      }
    }
  } catch (err) {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}

void main(process.argv.slice(2));
