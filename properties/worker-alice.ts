// Where a worker of `runCheck` (a child process or a thread, properties/workers.ts) gets its
// Alice. A factory holds functions, which cannot cross processes, so a worker is told where
// Alice comes from and makes its own: a module's export (the reference host, a mutant), or an
// implementation under test over the adapter protocol, one process per worker (each worker is
// another copy of the IUT).

import type { ExchangeStats } from './adapter/client.js';
import type { AdapterFailure } from './adapter/errors.js';
import type { Finding } from './adapter/checks.js';

/** `.ts` from the sources (through tsx), `.js` from the compiled dist/. */
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

export type WorkerAlice =
  | {
      kind: 'module';
      /** A module's URL. */
      module: string;
      /** The export: an AliceFactory, an object holding one in `factory` (a mutant), or a list of either. */
      export: string;
      /** In a list, the one with this name. */
      name?: string;
      /** Judge her without her state (world/alice.ts `blackBox`). */
      blackBox: boolean;
    }
  | {
      kind: 'adapter';
      command: string;
      cwd: string;
      blackBox: boolean;
      timeoutMs: number;
      startupTimeoutMs?: number;
    };

/** The reference host, for workers. */
export function referenceWorkerAlice(blackBox: boolean): WorkerAlice {
  return {
    kind: 'module',
    module: new URL(`./world/alice${EXT}`, import.meta.url).href,
    export: 'referenceAlice',
    blackBox,
  };
}

/** What a worker's Alice said when the worker closed her (the adapter's: her IUT's exchanges and findings). */
export interface WorkerClosed {
  worker: number;
  /** Only for an IUT: the oracle's packet checks' findings, the exchanges, a protocol failure and its stderr tail. */
  adapter: {
    findings: Finding[];
    exchanges: ExchangeStats;
    failure: AdapterFailure | null;
    stderrTail: string[];
  } | null;
}
