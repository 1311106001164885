// Lee: a plain IPv6 host with IPsec AH that knows no Mobile IPv6 option (HOST.md rule 15: a
// host that rejects them, as today's Linux does without CONFIG_IPV6_MIP6). A destination
// option whose type it does not know and whose action bits say "discard and send ICMP"
// (RFC 2460 §4.2: HAO 0xC9 and BU 0xC6 have action 11) makes it drop the packet and answer
// an ICMPv6 Parameter Problem, code 2, pointing at that option and quoting the packet.
// Options with action 00 (draft-13's BA, type 7, and BR, type 8) are skipped.

import { ReplayWindow, verifyAh } from '../../impl/crypto/index.js';
import type { AhAlgorithm } from '../../impl/host/types.js';
import { decodePacket, optionAction, toHex } from '../../impl/wire/index.js';
import type { Address, PacketLayout } from '../../impl/wire/types.js';
import { packet, plain, sign, textBytes, udp, type OutboundSa } from './craft.js';
import type { SimNode, WorldPort } from './node.js';

/** RFC 4443 §2.4(c): an ICMPv6 error must fit in the minimum MTU (1280 − 40 − 8 bytes of quote). */
const ICMP_QUOTE_BYTES_MAX = 1232;
/** ICMPv6 Parameter Problem code 2: unrecognized IPv6 option encountered (RFC 4443 §3.4). */
const PARAM_PROBLEM_UNRECOGNIZED_OPTION = 2;
const REPLAY_WINDOW_PACKETS = 64;

export interface LegacyPeerConfig {
  address: Address;
  aliceAddress: Address;
  alg: AhAlgorithm;
  key: Uint8Array;
  inboundSpi: number;
  outboundSpi: number;
}

/**
 * Offset of the first destination option Lee must reject, or null: Lee knows only Pad1 and
 * PadN, whose action bits are 00 like every option it skips, so it rejects exactly the
 * options whose action bits are not 00.
 */
function rejectedOptionOffset(layout: PacketLayout): number | null {
  return layout.options.find((o) => optionAction(o.type) !== 'skip')?.offset ?? null;
}

export class LegacyPeer implements SimNode {
  readonly name = 'lee' as const;
  private ahSequence = 0;
  private readonly window = new ReplayWindow(REPLAY_WINDOW_PACKETS);
  private dataCount = 0;

  constructor(
    private readonly port: WorldPort,
    readonly config: LegacyPeerConfig,
  ) {}

  /** A copy of Lee on `port` (a fork of its world): counters and window its own from here on. */
  fork(port: WorldPort): LegacyPeer {
    const copy = new LegacyPeer(port, this.config);
    Object.assign(copy, { ...this, port, window: this.window.clone() });
    return copy;
  }

  private get sa(): OutboundSa {
    return { alg: this.config.alg, key: this.config.key, spi: this.config.outboundSpi };
  }

  receive(packetId: number, bytes: Uint8Array, address: Address): void {
    const result = decodePacket(bytes);
    if (!result.ok) return;
    const p = result.packet;
    const pointer = rejectedOptionOffset(result.layout);
    if (pointer !== null) {
      const error = packet(address, p.ipv6.source, undefined, {
        kind: 'icmpv6',
        message: {
          type: 'parameter-problem',
          code: PARAM_PROBLEM_UNRECOGNIZED_OPTION,
          pointer,
          invoking: bytes.slice(0, ICMP_QUOTE_BYTES_MAX),
        },
      });
      this.port.emit(this.name, plain(error), { tag: 'lee-param-problem' });
      return;
    }
    let authenticated = false;
    if (p.ah !== undefined) {
      if (p.ah.spi !== this.config.inboundSpi || !this.window.check(p.ah.sequence)) return;
      if (!verifyAh(bytes, result.layout, p.ah, { alg: this.config.alg, key: this.config.key })) return;
      this.window.update(p.ah.sequence);
      authenticated = true;
    }
    if (p.upper.kind === 'udp') {
      this.port.peerDelivered(this.name, packetId, [
        {
          entry: 'alice',
          proto: 'udp',
          payload: toHex(p.upper.payload),
          authenticated,
          sport: p.upper.sourcePort,
          dport: p.upper.destinationPort,
        },
      ]);
    }
  }

  /** Lee's application sends Alice data, under AH. */
  sendData(): void {
    this.dataCount += 1;
    this.ahSequence += 1;
    const p = packet(
      this.config.address,
      this.config.aliceAddress,
      undefined,
      udp(textBytes(`lee-data-${this.dataCount}`)),
    );
    this.port.emit(this.name, sign(p, this.sa, this.ahSequence), { tag: 'lee-data' });
  }

  tick(): void {}
}
