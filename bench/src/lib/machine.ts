/** Facts about the machine a run happened on, recorded next to its numbers. */
import os from 'node:os';

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  totalMemoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: a hint of how busy the shared machine was. */
  loadAverage: number;
  /** When the run started: UTC, ISO 8601 to the second (`2026-01-31T12:34:56Z`). */
  date: string;
}

export function machineFacts(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg()[0] ?? Number.NaN,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

export function describeMachine(m: Machine): string[] {
  return [
    `CPU: ${m.cpuModel} × ${m.cpuCount}`,
    `memory: ${m.totalMemoryGiB.toFixed(1)} GiB`,
    `Node ${m.node}, ${m.os}`,
    `load average (1 min) at start: ${m.loadAverage.toFixed(2)}`,
    `date: ${m.date}`,
  ];
}
