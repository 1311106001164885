// Startup: the wall time of `node cli/bin.mjs --help` and of `node cli/bin.mjs serve-reference`
// from spawning it to its answer to `hello` (what `hmip6 oracle` waits for before the first
// run), for the compiled bin (dist/, built by `npm run build`) and, beside it in the same run,
// the sources through tsx (HMIP6_FROM_SOURCE=1, how the bin ran before there was a build).
// The machine is shared, so each figure is the minimum over repetitions (the median is kept
// too), with the load average beside it. Targets: ≤ 0.3 s each, compiled, on an idle machine.
//
// Run alone: npx tsx bench/startup.ts [--quick]

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median, round } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = 'cli/bin.mjs';
/** The startup targets, in seconds (compiled bin, idle machine). */
export const STARTUP_TARGET_S = 0.3;

export interface StartupOptions {
  repetitions: number;
}
export const STARTUP_FULL: Readonly<StartupOptions> = { repetitions: 15 };
export const STARTUP_QUICK: Readonly<StartupOptions> = { repetitions: 5 };

export interface StartupSide {
  /** Seconds: minimum and median of `node cli/bin.mjs --help`. */
  helpMin: number;
  helpMedian: number;
  /** Seconds from spawning `node cli/bin.mjs serve-reference` to its `hello` answer. */
  helloMin: number;
  helloMedian: number;
}

export interface StartupFigures {
  repetitions: number;
  /** The compiled bin (dist/); null when dist/ is not built. */
  compiled: StartupSide | null;
  /** The sources through tsx (HMIP6_FROM_SOURCE=1). */
  source: StartupSide;
  /** 1-minute load average before and after the measurements. */
  loadAverage: [number, number];
}

function env(fromSource: boolean): NodeJS.ProcessEnv {
  const e = { ...process.env };
  if (fromSource) e.HMIP6_FROM_SOURCE = '1';
  else delete e.HMIP6_FROM_SOURCE;
  return e;
}

/** Seconds from spawn to exit of `node cli/bin.mjs --help`. */
function timeHelp(fromSource: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, '--help'], {
      cwd: ROOT,
      env: env(fromSource),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(Number(process.hrtime.bigint() - start) / 1e9)
        : reject(new Error(`hmip6 --help exited ${code}`)),
    );
  });
}

/** Seconds from spawning `node cli/bin.mjs serve-reference` to its answer to `hello`. */
function timeHello(fromSource: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, 'serve-reference'], {
      cwd: ROOT,
      env: env(fromSource),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let buffer = '';
    child.on('error', reject);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      if (!buffer.includes('\n')) return;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const answer = JSON.parse(buffer.slice(0, buffer.indexOf('\n'))) as { ok?: boolean };
      child.stdin.end();
      if (answer.ok === true) resolve(seconds);
      else reject(new Error(`serve-reference answered hello with ${buffer.trim()}`));
    });
    child.stdin.write(`${JSON.stringify({ id: 1, type: 'hello', protocol: 1 })}\n`);
  });
}

async function side(fromSource: boolean, repetitions: number): Promise<StartupSide> {
  const help: number[] = [];
  const hello: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    help.push(await timeHelp(fromSource));
    hello.push(await timeHello(fromSource));
  }
  const r = (x: number): number => round(x, 3);
  return {
    helpMin: r(Math.min(...help)),
    helpMedian: r(median(help)),
    helloMin: r(Math.min(...hello)),
    helloMedian: r(median(hello)),
  };
}

export async function measureStartup(options: StartupOptions): Promise<StartupFigures> {
  const before = loadavg()[0];
  const built = existsSync(new URL('../dist/cli/main.js', import.meta.url));
  const compiled = built ? await side(false, options.repetitions) : null;
  const source = await side(true, options.repetitions);
  return {
    repetitions: options.repetitions,
    compiled,
    source,
    loadAverage: [round(before, 2), round(loadavg()[0], 2)],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await measureStartup(process.argv.includes('--quick') ? STARTUP_QUICK : STARTUP_FULL);
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
