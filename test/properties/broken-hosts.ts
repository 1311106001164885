// Deliberately broken hosts, each a ReferenceHost with one method overridden, to prove that
// the properties bite (DESIGN.md "Proof that the properties bite"). A broken host is just
// another AliceFactory for the runner.

import { decodePacket } from '../../impl/wire/index.js';
import type { Packet } from '../../impl/wire/types.js';
import { ReferenceHost } from '../../impl/host/index.js';
import { hostFactory } from '../../properties/world/alice.js';
import type { AliceFactory } from '../../properties/world/types.js';

/** §3.4.2 skipped: every named address becomes active at once (Appendix C's "simple-minded" Alice). */
export class ActivatesWithoutChallenge extends ReferenceHost {
  protected override shouldChallenge(): boolean {
    return false;
  }
}

/** TIME = the clock (8-byte big-endian ms): a peer holding K can compute the Challenge (WIRE.md). */
export class ClockBasedTime extends ReferenceHost {
  protected override drawChallengeTime(nowMs: number): Uint8Array {
    const time = new Uint8Array(8);
    new DataView(time.buffer).setBigUint64(0, BigInt(nowMs), false);
    return time;
  }
}

/**
 * §2.4.2 broken: a packet with a BU and no AH is processed as if the SA of the entry holding
 * its source (or HAO) had verified it.
 */
export class AcceptsBuWithoutAh extends ReferenceHost {
  protected override receivePacket(bytes: Uint8Array, nowMs: number): void {
    const decoded = decodePacket(bytes);
    if (decoded.ok && decoded.packet.ah === undefined && (decoded.packet.destOptions ?? []).some((o) => o.kind === 'bu')) {
      const p: Packet = decoded.packet;
      const localAddress = this.finalDestination(p);
      const holder = this.cache.findWithStatus(p.ipv6.source, 'active');
      if (localAddress !== null && holder !== undefined && holder.entry.sa !== null) {
        this.onAuthenticated({ packet: p, nowMs, localAddress, sa: holder.entry.sa, homeAddress: null }, holder.entry);
        return;
      }
    }
    super.receivePacket(bytes, nowMs);
  }
}

export const activatesWithoutChallenge: AliceFactory = hostFactory('activates-without-challenge', (o) => new ActivatesWithoutChallenge(o));
export const clockBasedTime: AliceFactory = hostFactory('clock-based-time', (o) => new ClockBasedTime(o));
export const acceptsBuWithoutAh: AliceFactory = hostFactory('accepts-bu-without-ah', (o) => new AcceptsBuWithoutAh(o));
