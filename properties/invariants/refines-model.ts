// REFINES-MODEL (DESIGN.md "The model"): after every call the world makes, Alice has the
// state the model predicts. The lockstep comparison lives in properties/lockstep.ts.

import { lockstep, lockstepFrom, type LockstepPoint } from '../lockstep.js';
import type { Trace } from '../world/types.js';
import type { Property, Verdict } from './types.js';

function check(trace: Trace): Verdict {
  return lockstep(trace).verdict;
}

/** The lockstep goes on from where it stopped on the trace this one extends (Property.resume). */
function resume(trace: Trace, from: unknown): { verdict: Verdict; point: unknown } {
  const { result, point } = lockstepFrom(trace, (from as LockstepPoint | null) ?? null);
  return { verdict: result.verdict, point };
}

export const refinesModel: Property = {
  id: 'REFINES-MODEL',
  needs: 'state',
  summary: 'after every step, Alice has the state the model predicts',
  situation: 'call compared with the model',
  judgedPerRun: 20,
  reportsEveryFailure: true,
  check,
  resume,
};
