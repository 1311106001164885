/**
 * AH is checked for a known SPI and a fresh sequence number, but the ICV itself is never
 * computed: any packet carrying a valid-looking AH header passes (a stack that trusts the SA
 * lookup alone).
 *
 * Breaks: RFC 2402 §3.4.4 as WIRE.md adopts it; §2.4.2 "REQUIRED that all Binding Updates and
 * Binding Acknowledgements are protected with AH" (R1.4-7, R2.4-3, R2.4.2-1); HOST.md rule 2.
 * Override: `verifyPacketAh` (receive-path.ts).
 * Expected catcher: INV-AUTH-REQUIRED (Mallory's `bad-icv` and `peer-spi` forgeries).
 */

import type { PacketLayout, AuthHeader } from '../../impl/wire/types.js';
import type { SaRecord } from '../../impl/host/index.js';
import { ReferenceHost } from '../../impl/host/index.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

export class SkipsIcvCheck extends ReferenceHost {
  protected override verifyPacketAh(bytes: Uint8Array, layout: PacketLayout, ah: AuthHeader): SaRecord | null {
    const sa = this.sas.get(ah.spi);
    if (sa === undefined) return null;
    if (!this.replayCheck(sa, ah.sequence)) return null;
    // The ICV is never compared with HMAC(K, packet).
    sa.replay.update(ah.sequence);
    return sa;
  }
}

export const skipsIcvCheck: Mutant = {
  name: 'skips-icv-check',
  breaks: 'accepts any AH whose SPI is known and whose sequence number is fresh, without verifying the ICV',
  section: '§2.4.2, RFC 2402 §3.4.4, docs/rules.md rule 2',
  requirements: ['R1.4-7', 'R2.4-3', 'R2.4.2-1'],
  method: 'verifyPacketAh',
  expected: 'INV-AUTH-REQUIRED',
  factory: hostFactory('skips-icv-check', (o) => new SkipsIcvCheck(o)),
};
