/**
 * bench/RESULTS.md: a short header, then one section per day (newest first) holding one block per run (newest
 * first). A run is added, never rewritten.
 */
import fs from 'node:fs';
import type { Machine } from './machine';

const RUNS_MARKER = '<!-- runs: newest first; `npm run bench` inserts each run below this line -->';

const HEADER = `# Benchmark results

The machine these run on is shared with other work and has few cores, so absolute numbers move from run to run.
Each benchmark therefore reports its result next to a **limit measured in the same run** on the same machine (for
ingest: the same rows written straight through the database driver) and the **ratio** between the two, which is
far steadier than either number alone. Each run of \`npm run bench\` adds a block below (newest first, grouped by
UTC date) with the machine, the command and the table; earlier runs are kept for comparison. See
[README.md](README.md) for what each benchmark measures.

${RUNS_MARKER}
`;

export interface RecordedRun {
  benchmark: string;
  /** The machine, and when the run started (`machine.date`: the section's date and the block's time). */
  machine: Machine;
  /** The command that reproduces the run. */
  command: string;
  /** The benchmark's report. */
  markdown: string;
}

/** Inserts `run` as the newest block of the section of its UTC date. */
export function recordRun(file: string, run: RecordedRun): void {
  const m = run.machine;
  const block = [
    `### ${run.benchmark}, ${m.date.slice(11, 16)} UTC`,
    '',
    `- Machine: ${m.cpuModel} × ${m.cpuCount}, ${m.totalMemoryGiB.toFixed(1)} GiB, Node ${m.node}, ${m.os}; load average ${m.loadAverage.toFixed(2)} at start`,
    `- Command: \`${run.command}\``,
    '',
    run.markdown,
  ].join('\n');

  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : HEADER;
  if (!text.includes(RUNS_MARKER)) text = `${text.trimEnd()}\n\n${RUNS_MARKER}\n`;
  const at = text.indexOf(RUNS_MARKER) + RUNS_MARKER.length;
  const before = text.slice(0, at);
  const after = text.slice(at).replace(/^\n+/, '');
  const heading = `## ${m.date.slice(0, 10)}`;
  const entry = block.trim() + '\n';
  let rest: string;
  if (after.startsWith(heading + '\n')) {
    // Today's section is the newest one: this run goes first inside it.
    rest = `${heading}\n\n${entry}\n${after.slice(heading.length).replace(/^\n+/, '')}`;
  } else {
    rest = `${heading}\n\n${entry}` + (after.trim() === '' ? '' : `\n${after}`);
  }
  fs.writeFileSync(file, `${before}\n\n${rest.trimEnd()}\n`);
}
