/**
 * A matching Response makes its address active at once, as the draft's §3.4.2 step 3 reads on
 * its own, without waiting for the rival claims on the same address to be settled (the holder's
 * re-check of rule 13). When Mallory takes over an address a peer lost and answers, the
 * address is active in Mallory's entry while the peer's entry still holds it.
 *
 * Breaks: §1.3 "For each remote host ... there MUST be only one Foreign Host Cache Entry" and
 * §3.4.2 on conflicting claims (R1.3-2, R3.4.2-3, R3.4.2-4); HOST.md rule 13.
 * Decision: `recordResponse` (verification.ts).
 * Expected catcher: INV-UNIQUE-ACTIVE.
 */

import { MS_PER_SECOND, type AddressRecord, type HostContext } from '../../../impl/host/index.js';
import { activateAddress } from '../../../impl/host/lifecycle.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function recordResponse(ctx: HostContext, record: AddressRecord, lifetimeSeconds: number, nowMs: number): void {
  const expiresAtMs = nowMs + ctx.decisions.grantedLifetimeSeconds(ctx, lifetimeSeconds) * MS_PER_SECOND;
  record.challenge = null;
  record.grantedExpiresAtMs = expiresAtMs;
  if (record.status === 'active') {
    record.lifetimeKind = 'absolute';
    record.expiresAtMs = expiresAtMs;
    return;
  }
  activateAddress(ctx, record, 'absolute', expiresAtMs, 'verified');
}

export const activatesOnResponseWithoutSettling: Mutant = {
  name: 'activates-on-response-without-settling',
  breaks: "activates an address on its Response at once, ignoring a rival entry's claim on it",
  section: '§1.3, §3.4.2, docs/rules.md rule 13',
  requirements: ['R1.3-2', 'R3.4.2-3', 'R3.4.2-4'],
  method: 'recordResponse',
  expected: 'INV-UNIQUE-ACTIVE',
  factory: brokenHost('activates-on-response-without-settling', { recordResponse }),
};
