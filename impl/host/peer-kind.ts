// The one place a peer's kind changes (HOST.md rule 15, docs/compatibility.md): the table in
// compat.ts says where an event leads; this applies it to an entry.

import type { EntryRecord } from './cache.js';
import { nextPeerKind, type CompatEvent } from './compat.js';
import type { HostContext } from './context.js';

export function applyCompatEvent(_ctx: HostContext, entry: EntryRecord, event: CompatEvent): void {
  const to = nextPeerKind(entry.peerKind, event);
  if (to === entry.peerKind) return;
  entry.peerKind = to;
  if (to !== 'unknown') entry.probeDeadlineMs = null;
  if (to !== 'standard-mobile') {
    // Rule 19: home and care-of addresses are shown for standard mobile peers only.
    entry.homeAddress = null;
    entry.careOfAddress = null;
  }
}
