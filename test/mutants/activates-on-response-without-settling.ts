/**
 * A matching Response makes its address active at once, as the draft's §3.4.2 step 3 reads on
 * its own, without waiting for the rival claims on the same address to be settled (the holder's
 * re-check of rule 13). When Mallory takes over an address a peer lost and answers, the
 * address is active in Mallory's entry while the peer's entry still holds it.
 *
 * Breaks: §1.3 "For each remote host ... there MUST be only one Foreign Host Cache Entry" and
 * §3.4.2 on conflicting claims (R1.3-2, R3.4.2-3, R3.4.2-4); HOST.md rule 13.
 * Override: `recordResponse` (verification.ts).
 * Expected catcher: INV-UNIQUE-ACTIVE.
 */

import { ReferenceHost, type AddressRecord } from '../../impl/host/index.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

const MS_PER_SECOND = 1000;

export class ActivatesOnResponseWithoutSettling extends ReferenceHost {
  protected override recordResponse(record: AddressRecord, lifetimeSeconds: number, nowMs: number): void {
    const expiresAtMs = nowMs + this.grantedLifetimeSeconds(lifetimeSeconds) * MS_PER_SECOND;
    record.challenge = null;
    record.grantedExpiresAtMs = expiresAtMs;
    if (record.status === 'active') {
      record.lifetimeKind = 'absolute';
      record.expiresAtMs = expiresAtMs;
      return;
    }
    this.activateAddress(record, 'absolute', expiresAtMs, 'verified');
  }
}

export const activatesOnResponseWithoutSettling: Mutant = {
  name: 'activates-on-response-without-settling',
  breaks: "activates an address on its Response at once, ignoring a rival entry's claim on it",
  section: '§1.3, §3.4.2, docs/rules.md rule 13',
  requirements: ['R1.3-2', 'R3.4.2-3', 'R3.4.2-4'],
  method: 'recordResponse',
  expected: 'INV-UNIQUE-ACTIVE',
  factory: hostFactory('activates-on-response-without-settling', (o) => new ActivatesOnResponseWithoutSettling(o)),
};
