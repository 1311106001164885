/**
 * The RFC 2402 anti-replay window is switched off (RFC 2402 lets a receiver do so for manually
 * keyed SAs): a BU, BA or Response Mallory captured, or a duplicate the network made, is
 * processed again.
 *
 * Breaks: WIRE.md "A receiver checks SPI, ICV ... and the RFC 2402 anti-replay window";
 * HOST.md rule 2 ("a replayed AH sequence number: the whole packet is dropped").
 * Decision: `replayCheck` (receive/packet.ts) accepts every sequence number.
 * Expected catcher: INV-REPLAY (also INV-AUTH-REQUIRED for AH sequence number 0).
 */

import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

const replayCheck = (): boolean => true;

export const skipsAntiReplay: Mutant = {
  name: 'skips-anti-replay',
  breaks: 'processes a replayed packet (an AH sequence number already seen) again',
  section: 'RFC 2402 §3.4.3, docs/wire-format.md "AH and what the ICV covers", docs/rules.md rule 2',
  requirements: [],
  method: 'replayCheck',
  expected: 'INV-REPLAY',
  factory: brokenHost('skips-anti-replay', { replayCheck }),
};
