/**
 * The first address of an entry that a `send` creates (an address the application looked up,
 * as if a DNS record's lifetime applied) gets an absolute lifetime of `defaultLifetimeSeconds`
 * instead of an activity-related one: traffic from the peer no longer keeps it alive, and it
 * expires mid-conversation. (Entries an `addSA` creates keep the reference's lifetime.)
 *
 * Breaks: §2.1.1 "All the addresses initially added to the Foreign Host Cache Entry MUST be
 * temporary and have Activity-Related Lifetime" (R2.1.1-7); docs/rules.md rule 17.
 * Decision: `sendData` (send/) marks the address it sent to absolute in an entry without an SA.
 * Expected catcher: INV-STATE-TRUTHFUL (a proven first address shows its lifetime's kind).
 */

import { REFERENCE_DECISIONS, type HostContext, type SendRequest } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function sendData(ctx: HostContext, request: SendRequest, nowMs: number): boolean {
  const ok = REFERENCE_DECISIONS.sendData(ctx, request, nowMs);
  for (const record of ctx.state.cache.recordsOf(request.to)) {
    if (record.entry.sa === null && record.status === 'active') record.lifetimeKind = 'absolute';
  }
  return ok;
}

export const firstAddressAbsolute: Mutant = {
  name: 'first-address-absolute',
  breaks: 'gives the first address of an entry a send creates an absolute lifetime instead of an activity-related one',
  section: '§2.1.1, docs/rules.md rule 17',
  requirements: ['R2.1.1-7'],
  method: 'sendData',
  expected: 'INV-STATE-TRUTHFUL',
  factory: brokenHost('first-address-absolute', { sendData }),
};
