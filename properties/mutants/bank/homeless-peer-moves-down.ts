/**
 * The compatibility state follows the last signal seen: a homeless peer whose BU lacks the
 * Homeless Support sub-option (as every BU after its first BA does, §3.1) is taken for a
 * standard mobile node. A peer that is homeless can thus be moved down by its own routine BUs,
 * and Alice starts treating its care-of addresses as a draft-13 node's.
 *
 * Breaks: DESIGN.md "The model" ("a homeless peer never moves down"), HOST.md rule 15; §3.1
 * (Homeless Support only "until the first Binding Acknowledgement", R3.1-2).
 * Decision: `applyCompatEvent` (peer-kind.ts).
 * Expected catcher: REFINES-MODEL (the peer kind in the state differs from the model's).
 */

import { REFERENCE_DECISIONS, type CompatEvent, type EntryRecord, type HostContext } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function applyCompatEvent(ctx: HostContext, entry: EntryRecord, event: CompatEvent): void {
  if (entry.peerKind === 'homeless' && event === 'mobile-ipv6-signal') {
    entry.peerKind = 'standard-mobile';
    return;
  }
  REFERENCE_DECISIONS.applyCompatEvent(ctx, entry, event);
}

export const homelessPeerMovesDown: Mutant = {
  name: 'homeless-peer-moves-down',
  breaks: 'takes a homeless peer for a standard mobile node when its BU lacks Homeless Support',
  section: '§3.1, docs/rules.md rule 15',
  requirements: ['R3.1-2'],
  method: 'applyCompatEvent',
  expected: 'REFINES-MODEL',
  factory: brokenHost('homeless-peer-moves-down', { applyCompatEvent }),
};
