// Helpers for the oracle's tests: where the fixtures are, and whether a process is left behind.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MISBEHAVE = 'node test/oracle/fixtures/misbehave.mjs';
export const PYTHON_HOST = 'python3 examples/python-host/host.py';
/** How long a killed process group may take to disappear from the process table. */
const REAP_WAIT_MS = 3000;
const POLL_MS = 50;

/** A tag unique to one test, put on an IUT's command line so that its processes can be found. */
export function uniqueTag(name: string): string {
  return `--tag=t${process.pid}x${name.replace(/[^a-z0-9]/gi, '')}x${Math.floor(Math.random() * 1e9)}`;
}

function processesWith(tag: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,stat,args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(tag) && !line.includes(' ps -eo'));
}

/** The processes whose command line holds `tag` once they had time to die (zombies excluded). */
export async function leftovers(tag: string): Promise<string[]> {
  const deadline = Date.now() + REAP_WAIT_MS;
  for (;;) {
    const alive = processesWith(tag).filter((line) => !/^\s*\d+\s+Z/.test(line));
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether python3 runs here (the Python example's tests need it). */
export function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import hmac, hashlib, ipaddress, json, struct'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
