/**
 * Prints a summary of V8 CPU profiles: `node bench/dist/tools/cpuprofile-summary.js FILE.cpuprofile... [--top N]`.
 * Profile the service with BENCH_PROFILE_DIR=<dir> npm run bench, or by hand with
 * `node --cpu-prof --cpu-prof-dir <dir> control-plane/dist/cli/main.js serve` (stop it with SIGINT).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CpuProfile } from '../lib/cpuprofile';
import { formatProfileSummary, summariseProfile } from '../lib/cpuprofile';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, root: { type: 'string' } },
});
if (positionals.length === 0) {
  process.stderr.write('usage: cpuprofile-summary FILE.cpuprofile... [--top N] [--root REPO_DIR]\n');
  process.exit(64);
}
const root = values.root ?? path.resolve(__dirname, '..', '..', '..');
for (const file of positionals) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(`== ${file}\n${formatProfileSummary(summariseProfile(profile, root, Number(values.top)))}\n\n`);
}
