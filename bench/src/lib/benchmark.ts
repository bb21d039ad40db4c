import type { BenchOptions } from './options';

/** What one benchmark hands back: Markdown for the terminal and for RESULTS.md. */
export interface BenchmarkReport {
  /** Markdown: the table, the ratios, the goals and notes. */
  markdown: string;
}

export interface Benchmark {
  name: string;
  title: string;
  run(options: BenchOptions, progress: (line: string) => void): Promise<BenchmarkReport>;
}
