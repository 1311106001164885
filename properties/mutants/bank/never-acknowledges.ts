/**
 * Alice never sends a plain BA: a BU that asks for one (the A bit) and names nothing new (rule
 * 10) goes unanswered, as if the A bit were a hint. Her Challenges (BAs with a Security
 * sub-option) still go. Her peers keep Homeless Support in their BUs to her for good (rule 14:
 * until the first BA), and a mobile node waiting on its acknowledgement never gets one.
 *
 * Breaks: docs/rules.md rule 10 (a BU with the A bit is acknowledged, as in Mobile IPv6 §4.2, to
 * which §1.4 refers); rule 12's plain BA for a Response with the A bit.
 * Decision: `transmit` (transmit.ts) drops every packet whose BAs all lack a Challenge and that
 * carries no BU.
 * Expected catcher: REFINES-SIGNALLING (part (g): a BU every correct host accepts, with the A
 * bit, naming no new address, from a source proven active or with an HAO, draws a plain BA in
 * the same call; the honest peers' Initial BUs at setup are such BUs).
 */

import { REFERENCE_DECISIONS, type Decisions } from '../../../impl/host/index.js';
import { encodePacket } from '../../../impl/wire/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

const transmit: Decisions['transmit'] = (ctx, packet, sa, entry) => {
  const options = packet.destOptions ?? [];
  const bas = options.filter((o) => o.kind === 'ba');
  const plainAcknowledgement =
    bas.length > 0 &&
    bas.every((o) => o.kind === 'ba' && o.subOptions.length === 0) &&
    !options.some((o) => o.kind === 'bu');
  return plainAcknowledgement ? encodePacket(packet) : REFERENCE_DECISIONS.transmit(ctx, packet, sa, entry);
};

export const neverAcknowledges: Mutant = {
  name: 'never-acknowledges',
  breaks: 'sends no plain BA: a BU with the A bit that names nothing new goes unanswered',
  section: 'docs/rules.md rules 10 and 12',
  requirements: [],
  method: 'transmit',
  expected: 'REFINES-SIGNALLING',
  factory: brokenHost('never-acknowledges', { transmit }),
};
