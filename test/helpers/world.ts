// The small world most property tests play hand-made schedules in: Alice with one address,
// Bob, Mallory with a generic SA, the default parameters; each test overrides what it needs.

import { expect } from 'vitest';
import { paramsFor } from '../../properties/arbitraries/schedule.js';
import { aliceCalls, type CallView } from '../../properties/invariants/trace-view.js';
import { referenceAlice } from '../../properties/world/alice.js';
import type {
  Action,
  AliceCall,
  AliceEventOf,
  AliceFactory,
  Trace,
  WorldConfig,
} from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';

/** Seed 11, default parameters, one address for Alice, no Carol, Sam or Lee, Mallory generic. */
export function worldConfig(overrides: Partial<WorldConfig> = {}): WorldConfig {
  return {
    seed: 11,
    params: paramsFor('default'),
    aliceAddressCount: 1,
    alg: 'hmac-sha1-96',
    carol: 'absent',
    sam: false,
    lee: false,
    mallory: 'generic',
    ...overrides,
  };
}

/** The trace of `actions` in `config`, which must end without a crash of the world or a host. */
export function traceOf(config: WorldConfig, actions: Action[], alice: AliceFactory = referenceAlice): Trace {
  const result = runSchedule({ config, actions }, alice);
  expect(result.crash, result.crash?.message).toBeUndefined();
  return result.trace;
}

/** A call of Alice's whose event is of one op: well formed, or malformed (`invalid`, its request untyped). */
export type CallOf<Op extends AliceCall> = CallView & { event: AliceEventOf<Op> };

/** Alice's calls of `op` in `trace`, in order, their events narrowed to that op. */
export function callsOf<Op extends AliceCall>(trace: Trace, op: Op): CallOf<Op>[] {
  return aliceCalls(trace).filter((c): c is CallOf<Op> => c.event.op === op);
}
