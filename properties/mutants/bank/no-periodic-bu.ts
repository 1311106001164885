/**
 * Alice never refreshes her peers: the BUs that name her addresses go out only with the A bit
 * (her Initial BU); the periodic BU of every `bindingRefreshSeconds`, and the same BU that
 * answers a BR, are never sent. Her peers' bindings of her addresses then run out.
 *
 * Breaks: docs/rules.md rule 16 ("Every `bindingRefreshSeconds`, Alice sends a periodic BU
 * (without the A bit) naming all her global addresses to each peer entry with an SA whose peer
 * is `homeless` or `unknown` ... A BR from a peer is answered at once with that same BU").
 * Decision: `sendAddressList` (send/bu.ts) sends nothing without the A bit.
 * Expected catcher: REFINES-SIGNALLING (a tick at or after the last BU to a proven homeless
 * peer + bindingRefreshSeconds, with the peer's address provably still active, carries no BU).
 */

import { REFERENCE_DECISIONS, type Decisions } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

const sendAddressList: Decisions['sendAddressList'] = (ctx, entry, route, source, ack, hao) => {
  // Once registered, always registered, thinks this host.
  if (ack) REFERENCE_DECISIONS.sendAddressList(ctx, entry, route, source, ack, hao);
};

export const noPeriodicBu: Mutant = {
  name: 'no-periodic-bu',
  breaks: 'never sends a periodic BU (nor the BU that answers a BR)',
  section: '§3.2.3, docs/rules.md rule 16',
  requirements: [],
  method: 'sendAddressList',
  expected: 'REFINES-SIGNALLING',
  factory: brokenHost('no-periodic-bu', { sendAddressList }),
};
