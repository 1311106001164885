/**
 * BU sequence numbers compared as plain integers: once a peer's numbers wrap from 65535 to 0,
 * every later packet of that peer carrying a BU is dropped, its deleting BUs included, so the
 * host keeps an address the peer gave up (§5.3: whoever holds it next gets the peer's traffic).
 *
 * Breaks: docs/rules.md rule 7 and docs/wire-format.md (BU sequence numbers are compared
 * modulo 2^16; the draft relies on Mobile IPv6's numbering, §3.2.2).
 * Decision: `verifyPacketAh` (receive/packet.ts) drops a packet whose BU is numbered no higher
 * than the last one its entry accepted, compared without the modulus.
 * Expected catcher: INV-STATE-TRUTHFUL (the address a deleting BU after the wrap removed is
 * still reported active).
 */

import { REFERENCE_DECISIONS, type HostContext, type SaRecord } from '../../../impl/host/index.js';
import { decodePacket } from '../../../impl/wire/index.js';
import type { AuthHeader, PacketLayout } from '../../../impl/wire/types.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function verifyPacketAh(ctx: HostContext, bytes: Uint8Array, layout: PacketLayout, ah: AuthHeader): SaRecord | null {
  const sa = REFERENCE_DECISIONS.verifyPacketAh(ctx, bytes, layout, ah);
  const last = sa?.entry.lastReceivedBuSequence ?? null;
  if (sa === null || last === null) return sa;
  const decoded = decodePacket(bytes);
  const stale = decoded.ok && (decoded.packet.destOptions ?? []).some((o) => o.kind === 'bu' && o.sequence <= last);
  return stale ? null : sa;
}

export const buSequenceWithoutModulus: Mutant = {
  name: 'bu-sequence-without-modulus',
  breaks: 'compares BU sequence numbers as plain integers, so every BU after a wrap from 65535 to 0 is dropped',
  section: 'docs/rules.md rule 7, docs/wire-format.md',
  requirements: [],
  method: 'verifyPacketAh',
  expected: 'INV-STATE-TRUTHFUL',
  factory: brokenHost('bu-sequence-without-modulus', { verifyPacketAh }),
};
