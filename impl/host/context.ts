// What every behaviour function of the host works on: the state record, the fixed parameters
// and random source, the decisions in force (the reference's, or a mutant's), and what the
// current request has sent and delivered so far.

import type { Decisions } from './decisions.js';
import type { HostRecord } from './state.js';
import type { Delivered, HostParams } from './types.js';

export interface HostContext {
  state: HostRecord;
  readonly params: Readonly<HostParams>;
  /** n fresh bytes (HostOptions.random); a dry run gets zeros so the real source is not advanced. */
  readonly random: (n: number) => Uint8Array;
  readonly decisions: Decisions;
  /** What the current request sends, in order. */
  out: Uint8Array[];
  /** What the current request delivers, in order. */
  delivered: Delivered[];
}
