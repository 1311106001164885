// Transmission: every packet Alice sends is encoded here, under AH when an SA is given, and
// queued as the current request's output; a packet with a Mobile IPv6 option is remembered
// for legacy detection (HOST.md rule 15) and never goes to a legacy peer.

import { protect } from '../crypto/index.js';
import { encodePacket, EXT, IPV6, OPTION_TYPE, ROUTING, ADDRESS_BYTES, TLV } from '../wire/index.js';
import type { Packet } from '../wire/types.js';
import type { EntryRecord } from './cache.js';
import { mayUseMobileOptions } from './compat.js';
import type { HostContext } from './context.js';
import { assert } from './lifecycle.js';
import { pushNewest } from './lru.js';
import { hasMobileOption } from './packets.js';
import { SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX } from './params.js';
import type { SaRecord } from './sa.js';

/**
 * Encodes `packet`, under AH with `sa` when given, and queues it. `entry` is the peer the
 * packet belongs to: a packet with a Mobile IPv6 option is remembered there (rule 15) and
 * must never go to a legacy peer.
 */
export function transmit(ctx: HostContext, packet: Packet, sa: SaRecord | null, entry: EntryRecord | null): Uint8Array {
  const mobile = hasMobileOption(packet);
  assert(
    !(mobile && entry !== null && !mayUseMobileOptions(entry.peerKind)),
    `Mobile IPv6 option toward legacy peer ${entry?.id}`,
  );
  const bytes =
    sa === null
      ? encodePacket(packet)
      : protect(packet, {
          alg: sa.config.alg,
          key: sa.config.key,
          spi: sa.config.outboundSpi,
          sequence: ctx.state.sas.takeOutboundSequence(sa),
        });
  ctx.out.push(bytes);
  if (mobile && entry !== null) rememberSent(entry, packet, bytes);
  return bytes;
}

/** Rule 15's memory: the last SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX packets with a Mobile IPv6 option. */
function rememberSent(entry: EntryRecord, packet: Packet, bytes: Uint8Array): void {
  pushNewest(
    entry.sentPackets,
    { bytes, mobileOptionSpans: mobileOptionSpans(packet, bytes) },
    SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX,
  );
}

const MOBILE_OPTION_TYPES: ReadonlySet<number> = new Set([
  OPTION_TYPE.hao,
  OPTION_TYPE.bu,
  OPTION_TYPE.ba,
  OPTION_TYPE.br,
]);

/**
 * [start, end) of every Mobile IPv6 option in an encoded packet Alice built: the Destination
 * Options header follows the IPv6 header and the routing header, if any (WIRE.md order).
 */
function mobileOptionSpans(packet: Packet, bytes: Uint8Array): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (packet.destOptions === undefined) return spans;
  const routingBytes =
    packet.routing === undefined ? 0 : ROUTING.offsetAddresses + ADDRESS_BYTES * packet.routing.addresses.length;
  const header = IPV6.headerBytes + routingBytes;
  const end = header + (bytes[header + EXT.offsetHdrExtLen] + 1) * EXT.unitBytes;
  let p = header + 2;
  while (p < end && p < bytes.length) {
    const type = bytes[p];
    if (type === OPTION_TYPE.pad1) {
      p++;
      continue;
    }
    const next = p + TLV.headerBytes + bytes[p + 1];
    if (MOBILE_OPTION_TYPES.has(type)) spans.push([p, next]);
    p = next;
  }
  return spans;
}
