// The machine a benchmark ran on: results mean little without it.

import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';

export interface MachineDescription {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  kernel: string;
  /** 1, 5 and 15 minute load averages when the run started (other work on the machine skews figures). */
  loadAverage: [number, number, number];
  date: string;
}

const BYTES_PER_GIB = 1024 ** 3;

export function describeMachine(): MachineDescription {
  const cpu = cpus();
  const [l1, l5, l15] = loadavg();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / BYTES_PER_GIB) * 10) / 10,
    node: process.version,
    os: osType(),
    kernel: release(),
    loadAverage: [round2(l1), round2(l5), round2(l15)],
    date: new Date().toISOString(),
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The current 1-minute load average. */
export function currentLoad(): number {
  return round2(loadavg()[0]);
}
