/**
 * Prints a summary of V8 CPU profiles: `node bench/dist/tools/cpuprofile-summary.js FILE.cpuprofile... [--top N]
 * [--root REPO_DIR]`. Profile the service with BENCH_PROFILE_DIR=<dir> npm run bench, or by hand with
 * `node --cpu-prof --cpu-prof-dir <dir> control-plane/dist/cli/main.js serve` (stop it with SIGINT).
 */
import { parseArgs } from 'node:util';
import { profileFileSummary } from '../lib/cpuprofile';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, root: { type: 'string' } },
});
if (positionals.length === 0) {
  process.stderr.write('usage: cpuprofile-summary FILE.cpuprofile... [--top N] [--root REPO_DIR]\n');
  process.exit(64);
}
for (const file of positionals) {
  process.stdout.write(`== ${file}\n${profileFileSummary(file, Number(values.top), values.root)}\n\n`);
}
