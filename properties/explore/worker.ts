// A worker thread of `hmip6 explore` (explore.ts): it loads the scope, Alice and the
// properties once, then evaluates batches of transitions (evaluate.ts) and posts the results.
//
// Messages, main thread → worker: {op: 'root', id}, {op: 'expand', id, items}, {op: 'keep',
// pairs}, {op: 'advance'}; worker → main thread:
// {op: 'ready'}, {op: 'results', id, results}, {op: 'error', message}.

import { parentPort, workerData } from 'node:worker_threads';
import type { PropertyId } from '../invariants/types.js';
import { loadAlice, type AliceSource } from './alice-source.js';
import { Evaluator, Expander, selectProperties } from './evaluate.js';
import type { ExploreScope } from './scope.js';

export interface WorkerSetup {
  scope: ExploreScope;
  alice: AliceSource;
  properties: PropertyId[] | undefined;
  all: boolean;
}

export type ToWorker =
  | { op: 'root'; id: number }
  | { op: 'expand'; id: number; items: import('./evaluate.js').ExpandItem[] }
  | { op: 'keep'; pairs: [number, number][] }
  | { op: 'advance' };
export type FromWorker =
  | { op: 'ready' }
  | { op: 'results'; id: number; results: import('./evaluate.js').TransitionResult[] }
  | { op: 'error'; message: string };

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const setup = workerData as WorkerSetup;
  try {
    const alice = await loadAlice(setup.alice);
    const { properties } = selectProperties(setup.properties, alice);
    const expander = new Expander(new Evaluator(setup.scope, alice, properties, setup.all));
    port.on('message', (message: ToWorker) => {
      try {
        if (message.op === 'keep') expander.keep(message.pairs);
        else if (message.op === 'advance') expander.advance();
        else {
          const results = message.op === 'root' ? [expander.root()] : expander.expand(message.items);
          port.postMessage({ op: 'results', id: message.id, results } satisfies FromWorker);
        }
      } catch (e) {
        port.postMessage({
          op: 'error',
          message: e instanceof Error ? (e.stack ?? e.message) : String(e),
        } satisfies FromWorker);
      }
    });
    port.postMessage({ op: 'ready' } satisfies FromWorker);
  } catch (e) {
    port.postMessage({
      op: 'error',
      message: e instanceof Error ? (e.stack ?? e.message) : String(e),
    } satisfies FromWorker);
  }
}

void main();
