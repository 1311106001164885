/**
 * Alice signs only the BAs that carry a Challenge: a plain acknowledgement (rule 10's answer to
 * a BU with the A bit, with no Security sub-option) goes out with no AH, as if an
 * acknowledgement carried nothing worth protecting. Her peers, who process only authenticated
 * BAs, drop it and go on retransmitting their BU.
 *
 * Breaks: §2.4 "All Binding Updates and Binding Acknowledgements MUST be protected with AH"
 * (R2.4-3 MUST, R2.4.2-1 REQUIRED); docs/rules.md rule 10.
 * Decision: `transmit` (transmit.ts) encodes a packet whose BAs carry no Challenge without AH.
 * Expected catcher: REFINES-SIGNALLING (part (e): every BU and BA Alice sends carries AH under
 * one of her SAs and its ICV verifies by the ground truth).
 */

import { REFERENCE_DECISIONS, type Decisions } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

const transmit: Decisions['transmit'] = (ctx, packet, sa, entry) => {
  const bas = (packet.destOptions ?? []).filter((o) => o.kind === 'ba');
  const plainAcknowledgement =
    bas.length > 0 &&
    bas.every((o) => o.kind === 'ba' && o.subOptions.length === 0) &&
    !(packet.destOptions ?? []).some((o) => o.kind === 'bu');
  return REFERENCE_DECISIONS.transmit(ctx, packet, plainAcknowledgement ? null : sa, entry);
};

export const acknowledgesWithoutAh: Mutant = {
  name: 'acknowledges-without-ah',
  breaks: 'sends a plain BA (no Challenge) without AH',
  section: '§2.4, docs/rules.md rule 10',
  requirements: ['R2.4-3'],
  method: 'transmit',
  expected: 'REFINES-SIGNALLING',
  factory: brokenHost('acknowledges-without-ah', { transmit }),
};
