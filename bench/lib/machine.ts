// The machine a benchmark ran on: results mean little without it.

import { readFileSync } from 'node:fs';
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

/** The machine's CPU time counters (Linux `/proc/stat`, in clock ticks), or null elsewhere. */
export interface CpuTimes {
  busy: number;
  idle: number;
  /** Time the hypervisor gave this virtual machine's CPUs to others. */
  steal: number;
}

export function cpuTimes(): CpuTimes | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
    return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal: steal ?? 0 };
  } catch {
    return null;
  }
}

/**
 * What the whole machine did between two readings, in percent of its CPU time: busy (this run
 * and everything else) and stolen by the hypervisor (a virtual machine's neighbours). Null
 * where /proc/stat is not there.
 */
export function cpuShares(
  from: CpuTimes | null,
  to: CpuTimes | null,
): { busyPercent: number; stealPercent: number } | null {
  if (from === null || to === null) return null;
  const busy = to.busy - from.busy;
  const idle = to.idle - from.idle;
  const steal = to.steal - from.steal;
  const total = busy + idle + steal;
  if (total <= 0) return null;
  return { busyPercent: Math.round((busy / total) * 1000) / 10, stealPercent: Math.round((steal / total) * 1000) / 10 };
}

/** The longest a benchmark waits for the load left by earlier work to settle before it measures. */
export const SETTLE_WAIT_MS_MAX = 180_000;
const SETTLE_POLL_MS = 5_000;

/**
 * Waits, up to `maxMs`, for the 1-minute load average to fall to `loadMax` (it decays by about
 * e every minute once the machine is idle), calling `waiting` with the load at every poll.
 */
export async function settle(maxMs: number, loadMax: number, waiting: (load: number) => void): Promise<void> {
  const started = performance.now();
  while (loadavg()[0] > loadMax && performance.now() - started < maxMs) {
    waiting(loadavg()[0]);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}
