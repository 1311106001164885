/**
 * AH is checked for a known SPI and a fresh sequence number, but the ICV itself is never
 * computed: any packet carrying a valid-looking AH header passes (a stack that trusts the SA
 * lookup alone).
 *
 * Breaks: RFC 2402 §3.4.4 as WIRE.md adopts it; §2.4.2 "REQUIRED that all Binding Updates and
 * Binding Acknowledgements are protected with AH" (R1.4-7, R2.4-3, R2.4.2-1); HOST.md rule 2.
 * Decision: `verifyPacketAh` (receive/packet.ts).
 * Expected catcher: INV-AUTH-REQUIRED (Mallory's `bad-icv` and `peer-spi` forgeries).
 */

import type { HostContext, SaRecord } from '../../../impl/host/index.js';
import type { AuthHeader, PacketLayout } from '../../../impl/wire/types.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function verifyPacketAh(ctx: HostContext, _bytes: Uint8Array, _layout: PacketLayout, ah: AuthHeader): SaRecord | null {
  const sa = ctx.state.sas.get(ah.spi);
  if (sa === undefined) return null;
  if (!ctx.decisions.replayCheck(ctx, sa, ah.sequence)) return null;
  // The ICV is never compared with HMAC(K, packet).
  sa.replay.update(ah.sequence);
  return sa;
}

export const skipsIcvCheck: Mutant = {
  name: 'skips-icv-check',
  breaks: 'accepts any AH whose SPI is known and whose sequence number is fresh, without verifying the ICV',
  section: '§2.4.2, RFC 2402 §3.4.4, docs/rules.md rule 2',
  requirements: ['R1.4-7', 'R2.4-3', 'R2.4.2-1'],
  method: 'verifyPacketAh',
  expected: 'INV-AUTH-REQUIRED',
  factory: brokenHost('skips-icv-check', { verifyPacketAh }),
};
