// Upper-layer data (HOST.md rule 22, §1.4, §2.3): to which entry it belongs and whether it is
// authenticated; UDP is delivered here, ICMPv6 goes to receive/icmp.ts.

import type { HostContext } from '../context.js';
import type { Delivered } from '../types.js';
import { onIcmp } from './icmp.js';
import type { ReceivedPacket } from './packet.js';

/** The entry a delivery is reported under, and whether it is authenticated (ADAPTER-PROTOCOL.md `delivered`). */
export interface Attribution {
  readonly entry: string | null;
  readonly authenticated: boolean;
}

/**
 * "The source" is the HAO's address when one passed rule 2, else the IPv6 Source. Under a
 * generic SA it belongs to the SA's entry if active or deprecated there (authenticated);
 * under no or an anonymous SA, to the entry holding it active, else deprecated (never
 * authenticated, §3.4.1); otherwise to no entry.
 */
export function onData(ctx: HostContext, received: ReceivedPacket): void {
  const upper = received.packet.upper;
  if (upper.kind !== 'udp' && upper.kind !== 'icmpv6') return;
  const attribution = ctx.decisions.attributeData(ctx, received);
  if (upper.kind === 'udp') {
    deliver(ctx, {
      entry: attribution.entry,
      proto: 'udp',
      payload: upper.payload,
      authenticated: attribution.authenticated,
      sport: upper.sourcePort,
      dport: upper.destinationPort,
    });
    return;
  }
  onIcmp(ctx, received, upper.message, attribution);
}

export function attributeData(ctx: HostContext, received: ReceivedPacket): Attribution {
  const cache = ctx.state.cache;
  const source = received.homeAddress ?? received.packet.ipv6.source;
  const sa = received.sa;
  if (sa !== null && ctx.decisions.mayProtectData(ctx, sa)) {
    const record = cache.recordIn(sa.entry, source);
    if (record !== undefined && (record.status === 'active' || record.status === 'deprecated')) {
      return { entry: sa.entry.id, authenticated: true };
    }
    return { entry: null, authenticated: false };
  }
  const record = cache.findWithStatus(source, 'active') ?? cache.findWithStatus(source, 'deprecated');
  return { entry: record === undefined ? null : record.entry.id, authenticated: false };
}

export function deliver(ctx: HostContext, d: Delivered): void {
  ctx.delivered.push(d);
}
