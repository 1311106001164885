// Every property of DESIGN.md's table that this harness judges (INV-WIRE-TOTAL lives with the
// codec's tests), in the table's order. REFINES-MODEL compares Alice with the model in lockstep;
// REFINES-SIGNALLING judges how she transmits her Challenges (rule 9) from the trace alone.

import { activeVerified } from './active-verified.js';
import { amplification } from './amplification.js';
import { anonScope } from './anon-scope.js';
import { authRequired } from './auth-required.js';
import { bounded } from './bounded.js';
import { challengeTarget } from './challenge-target.js';
import { dataToActive } from './data-to-active.js';
import { delivery } from './delivery.js';
import { deprecatedBound } from './deprecated-bound.js';
import { liveCompat } from './live-compat.js';
import { liveHonestMove } from './live-honest-move.js';
import { noDiversion } from './no-diversion.js';
import { noStrangerState } from './no-stranger-state.js';
import { ownMove } from './own-move.js';
import { refinesModel } from './refines-model.js';
import { refinesSignalling } from './refines-signalling.js';
import { replay } from './replay.js';
import { sendFaithful } from './send-faithful.js';
import { sourceOwned } from './source-owned.js';
import { stateTruthful } from './state-truthful.js';
import type { Property, PropertyId } from './types.js';
import { uniqueActive } from './unique-active.js';

export * from './types.js';

export const PROPERTIES: readonly Property[] = [
  activeVerified,
  dataToActive,
  noDiversion,
  challengeTarget,
  authRequired,
  anonScope,
  noStrangerState,
  bounded,
  amplification,
  deprecatedBound,
  uniqueActive,
  replay,
  ownMove,
  delivery,
  sendFaithful,
  sourceOwned,
  stateTruthful,
  liveHonestMove,
  liveCompat,
  refinesModel,
  refinesSignalling,
];

export function propertyById(id: PropertyId): Property {
  const p = PROPERTIES.find((x) => x.id === id);
  if (p === undefined) throw new Error(`no property ${id}`);
  return p;
}
