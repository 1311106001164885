// INV-SOURCE-OWNED (§1.4; HOST.md rules 9, 11, 20, 21, 23; DESIGN.md "Storms"): Alice sends
// every packet from an address she holds at that instant. The source of a packet is "selected
// among those in the Local Host Cache Entry" (§1.4, R1.4-13), and her addresses are what the
// world gave her: those she had at the start, then every address the world gave her before an
// `addLocalAddress` and took from her before a `removeLocalAddress` (the trace's ownership
// events, read in the order the world made them, not by instant). A packet from an address she
// lost goes out under a source that may now be someone else's: a spoofed packet, which the
// peer's ingress may drop and the address's new owner receives the answers to.
//
// Every packet counts: data (rule 21: "the source any of Alice's addresses"), BUs (rule 20:
// a deleting BU "from a remaining address"), Challenges and plain BAs (rules 9, 10: from the
// address the BU arrived at, "or, if Alice no longer has it, any of her addresses"), Responses
// (rule 11: from ADDR "while the responder still has it", else from another), and echo replies
// (rule 23: from the address the request was sent to, which the network delivered to her
// because she held it). The HAO of the standard-host emulation may name an address she lost
// (§2.2.2: the connection's home address); only the IPv6 Source is judged. A packet too short
// to have an IPv6 header has no source and is not judged.

import { bytesToAddress, fromHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import type { PacketRecord, Trace } from '../world/types.js';
import { callText, events, Holdings, packet } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';

const ID = 'INV-SOURCE-OWNED';
/** The IPv6 Source field: bytes 8..24 of the fixed header (RFC 2460 §3). */
const IPV6_SOURCE_OFFSET = 8;
const IPV6_HEADER_BYTES = 40;

/** The packet's IPv6 Source as sent: decoded, or read off the header of bytes that do not decode. */
function sourceOf(p: PacketRecord): Address | null {
  if (p.info.source !== undefined) return p.info.source;
  const bytes = fromHex(p.hex);
  if (bytes === null || bytes.length < IPV6_HEADER_BYTES) return null;
  return bytesToAddress(bytes, IPV6_SOURCE_OFFSET);
}

function check(trace: Trace): Verdict {
  const holdings = new Holdings(trace);
  let judged = 0;
  for (const { step, event } of events(trace)) {
    holdings.observe(event);
    if (event.kind !== 'alice') continue;
    for (const id of event.sent) {
      const p = packet(trace, id);
      const source = sourceOf(p);
      if (source === null) continue;
      judged += 1;
      const holder = holdings.holder(source);
      if (holder === 'alice') continue;
      const hers = holdings.addressesOf('alice');
      return fail(
        ID,
        step,
        `Alice sent #${p.id} (${p.summary}) in ${callText(event)} from ${source}, which she does not hold (${holder === null ? 'nobody holds it' : `${holder} holds it`}${holdings.everHeld('alice', source) ? '; she lost it earlier' : ''}); her addresses then: ${hers.length === 0 ? 'none' : hers.join(', ')}`,
      );
    }
  }
  return pass(judged);
}

export const sourceOwned: Property = {
  id: ID,
  needs: 'black-box',
  summary: 'every packet Alice sends has as its IPv6 Source an address she holds at that instant',
  situation: 'packet sent',
  // The reference sends about 18 packets per run at check's defaults (seeds 1..5): a quarter of that.
  judgedPerRun: 4.5,
  check,
};
