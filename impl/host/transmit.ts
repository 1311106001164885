// Transmission: every packet Alice sends is encoded here, under AH when an SA is given, and
// queued as the current request's output; a packet with a Mobile IPv6 option is remembered
// for legacy detection (HOST.md rule 15) and never goes to a legacy peer.

import { protectWithLayout } from '../crypto/index.js';
import { encodePacketWithLayout, OPTION_TYPE } from '../wire/index.js';
import type { Packet, PacketLayout } from '../wire/types.js';
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
  const { bytes, layout } =
    sa === null
      ? encodePacketWithLayout(packet)
      : protectWithLayout(packet, {
          alg: sa.config.alg,
          key: sa.config.key,
          spi: sa.config.outboundSpi,
          sequence: ctx.state.sas.takeOutboundSequence(sa),
        });
  ctx.out.push(bytes);
  if (mobile && entry !== null) rememberSent(entry, bytes, layout);
  return bytes;
}

/** Rule 15's memory: the last SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX packets with a Mobile IPv6 option. */
function rememberSent(entry: EntryRecord, bytes: Uint8Array, layout: PacketLayout): void {
  pushNewest(
    entry.sentPackets,
    { bytes, mobileOptionSpans: mobileOptionSpans(layout) },
    SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX,
  );
}

const MOBILE_OPTION_TYPES: ReadonlySet<number> = new Set([
  OPTION_TYPE.hao,
  OPTION_TYPE.bu,
  OPTION_TYPE.ba,
  OPTION_TYPE.br,
]);

/** [start, end) of every Mobile IPv6 option in an encoded packet, as the encoder laid it out. */
function mobileOptionSpans(layout: PacketLayout): Array<[number, number]> {
  return layout.options
    .filter((o) => MOBILE_OPTION_TYPES.has(o.type))
    .map((o): [number, number] => [o.offset, o.offset + o.length]);
}
