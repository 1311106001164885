// Deliberately broken hosts, each the reference host with one decision replaced, to prove that
// the properties bite (DESIGN.md "Proof that the properties bite"). A broken host is just
// another AliceFactory for the runner.

import { REFERENCE_DECISIONS, ReferenceHost, type Decisions, type HostContext } from '../../impl/host/index.js';
import { finalDestination, onAuthenticated } from '../../impl/host/receive/packet.js';
import { decodePacket } from '../../impl/wire/index.js';
import type { Packet } from '../../impl/wire/types.js';
import { hostFactory } from '../../properties/world/alice.js';
import type { AliceFactory } from '../../properties/world/types.js';

function broken(name: string, replaced: Partial<Decisions>): AliceFactory {
  return hostFactory(name, (o) => new ReferenceHost(o, { ...REFERENCE_DECISIONS, ...replaced }));
}

/** §3.4.2 skipped: every named address becomes active at once (Appendix C's "simple-minded" Alice). */
export const activatesWithoutChallenge: AliceFactory = broken('activates-without-challenge', {
  shouldChallenge: () => false,
});

/** TIME = the clock (8-byte big-endian ms): a peer holding K can compute the Challenge (WIRE.md). */
export const clockBasedTime: AliceFactory = broken('clock-based-time', {
  drawChallengeTime: (_ctx, nowMs) => {
    const time = new Uint8Array(8);
    new DataView(time.buffer).setBigUint64(0, BigInt(nowMs), false);
    return time;
  },
});

/**
 * §2.4.2 broken: a packet with a BU and no AH is processed as if the SA of the entry holding
 * its source (or HAO) had verified it.
 */
function receiveBuWithoutAh(ctx: HostContext, bytes: Uint8Array, nowMs: number): void {
  const decoded = decodePacket(bytes);
  if (
    decoded.ok &&
    decoded.packet.ah === undefined &&
    (decoded.packet.destOptions ?? []).some((o) => o.kind === 'bu')
  ) {
    const p: Packet = decoded.packet;
    const localAddress = finalDestination(ctx, p);
    const holder = ctx.state.cache.findWithStatus(p.ipv6.source, 'active');
    if (localAddress !== null && holder !== undefined && holder.entry.sa !== null) {
      onAuthenticated(ctx, { packet: p, nowMs, localAddress, sa: holder.entry.sa, homeAddress: null }, holder.entry);
      return;
    }
  }
  REFERENCE_DECISIONS.receivePacket(ctx, bytes, nowMs);
}

export const acceptsBuWithoutAh: AliceFactory = broken('accepts-bu-without-ah', { receivePacket: receiveBuWithoutAh });
