/**
 * bench/RESULTS.md: a short header; a summary table with the goals of the latest run of each benchmark, derived
 * from the runs below it; then one section per day (newest first) holding one block per run (newest first). A run is
 * added, never rewritten; the summary is rebuilt from the runs each time one is added.
 */
import fs from 'node:fs';
import type { Machine } from './machine';
import { markdownTable } from './stats';

const SUMMARY_START = '<!-- summary: rebuilt from the runs below whenever `npm run bench` records one -->';
const SUMMARY_END = '<!-- end of summary -->';
const RUNS_MARKER = '<!-- runs: newest first; `npm run bench` inserts each run below this line -->';

const HEADER = `# Benchmark results

The machine these run on is shared with other work and has few cores, so absolute numbers move from run to run.
Each benchmark therefore reports its result next to a **limit measured in the same run** on the same machine (for
ingest: the same rows written straight through the database driver) and the **ratio** between the two, which is
far steadier than either number alone. Each run of \`npm run bench\` adds a block below (newest first, grouped by
UTC date) with the machine, the command and the table; earlier runs are kept for comparison. See
[README.md](README.md) for what each benchmark measures.

${SUMMARY_START}
${SUMMARY_END}

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
  fs.writeFileSync(file, withSummary(`${before}\n\n${rest.trimEnd()}\n`));
}

/**
 * The text with its summary table rebuilt: for each benchmark, its newest run's goal lines (the bullets under
 * "Goals…:" or "Summary:"), one row each, "met" or "not met" in a column of its own.
 */
export function withSummary(text: string): string {
  if (!text.includes(SUMMARY_START)) text = text.replace(RUNS_MARKER, `${SUMMARY_START}\n${SUMMARY_END}\n\n${RUNS_MARKER}`);
  const runs = text.slice(text.indexOf(RUNS_MARKER));
  const rows: string[][] = [];
  const seen = new Set<string>();
  let day = '';
  let current: { benchmark: string; when: string } | undefined;
  let inGoals = false;
  for (const line of runs.split('\n')) {
    const dayHeading = /^## (\d{4}-\d{2}-\d{2})$/.exec(line);
    const runHeading = /^### (\S+), (\d{2}:\d{2}) UTC$/.exec(line);
    if (dayHeading) day = dayHeading[1]!;
    if (dayHeading || runHeading) {
      current = runHeading && !seen.has(runHeading[1]!) ? { benchmark: runHeading[1]!, when: `${day} ${runHeading[2]!}` } : undefined;
      if (runHeading) seen.add(runHeading[1]!);
      inGoals = false;
    } else if (current && /^(Goals.*|Summary):$/.test(line)) {
      inGoals = true;
    } else if (inGoals && line.startsWith('- ')) {
      const goal = /^- (.*): (met|\*\*not met\*\*)(?: \((.*)\))?$/.exec(line);
      rows.push(
        goal
          ? [current!.benchmark, current!.when, goal[1]!, goal[2] === 'met' ? 'met' : '**not met**', goal[3] ?? '']
          : [current!.benchmark, current!.when, line.slice(2).replace(/\|/g, '/'), '', ''],
      );
    } else if (inGoals) {
      inGoals = false;
    }
  }
  const table = markdownTable(['benchmark', 'run (UTC)', 'goal or figure', 'goal', 'measured'], rows);
  const start = text.indexOf(SUMMARY_START) + SUMMARY_START.length;
  const end = text.indexOf(SUMMARY_END);
  const intro = 'The latest run of each benchmark, its goals from the issues and what it measured:';
  return `${text.slice(0, start)}\n\n${intro}\n\n${table}\n\n${text.slice(end)}`;
}
