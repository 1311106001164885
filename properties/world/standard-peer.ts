// Sam: a minimal Mobile IPv6 draft-13 mobile node, the "Standard Mobile Host" of §1.2. It
// does not know Homeless Mobile IPv6: it sends BUs with an HAO and without Homeless Support,
// protects them with AH, skips unknown sub-options (draft-13 §5.5), so it never answers a
// Security Challenge (sub-option 130), and it takes any BA with its BU's sequence number as
// the acknowledgement. As a correspondent it keeps one binding for Alice (her emulated home
// address → care-of address, §2.2.2) and sends her data through a routing header when it has
// one (draft-13 §8.9). Written from draft-13's rules, not from the reference host.

import { ReplayWindow, verifyAh } from '../../impl/crypto/index.js';
import type { AhAlgorithm } from '../../impl/host/types.js';
import { BA_STATUS, careOfAddress, decodePacket, toHex } from '../../impl/wire/index.js';
import type { Address, DestOption } from '../../impl/wire/types.js';
import { ba, bu, NO_UPPER, packet, sign, textBytes, udp, type OutboundSa } from './craft.js';
import type { SimNode, WorldPort } from './node.js';

/** draft-13 §10.12 starts at INITIAL_BINDACK_TIMEOUT (1 s); Sam keeps it fixed. */
const BU_RETRANSMIT_MS = 1000;
/** Transmissions of one BU before Sam gives up until its next refresh. */
const BU_ATTEMPTS_MAX = 4;
/** How often Sam refreshes its binding while away (draft-13 leaves the rate to the node). */
const BU_REFRESH_MS = 300_000;
/** The lifetime Sam asks for (draft-13 §10.8: the node's choice). */
const BU_LIFETIME_SECONDS = 600;
/** RFC 2402's default anti-replay window. */
const REPLAY_WINDOW_PACKETS = 64;

export interface StandardPeerConfig {
  home: Address;
  /** Alice as Sam knows her: the address given to Sam's SA (her emulated home address). */
  aliceHome: Address;
  alg: AhAlgorithm;
  key: Uint8Array;
  /** SPI on packets to Sam (Alice's outbound). */
  inboundSpi: number;
  /** SPI on packets from Sam (Alice's inbound). */
  outboundSpi: number;
}

export class StandardMobilePeer implements SimNode {
  readonly name = 'sam' as const;
  /** The current care-of address; null while at home. */
  coa: Address | null = null;
  private buSequence = 0;
  private ahSequence = 0;
  private readonly window = new ReplayWindow(REPLAY_WINDOW_PACKETS);
  /** The BU waiting for its BA. */
  private pending: { sequence: number; lastSentAt: number; attempts: number } | null = null;
  private lastBuAt = Number.NEGATIVE_INFINITY;
  /** Alice's binding at Sam: her home address → care-of address. */
  binding: { home: Address; coa: Address } | null = null;
  private dataCount = 0;

  constructor(
    private readonly port: WorldPort,
    readonly config: StandardPeerConfig,
  ) {}

  /** A copy of Sam on `port` (a fork of its world): counters and window its own from here on. */
  fork(port: WorldPort): StandardMobilePeer {
    const copy = new StandardMobilePeer(port, this.config);
    // `pending` and `binding` are replaced, never written into, so the copy may share them.
    Object.assign(copy, { ...this, port, window: this.window.clone() });
    return copy;
  }

  private get sa(): OutboundSa {
    return { alg: this.config.alg, key: this.config.key, spi: this.config.outboundSpi };
  }

  private nextAh(): number {
    this.ahSequence += 1;
    return this.ahSequence;
  }

  /** Sam's addresses: home (reached through its home agent while away) and care-of. */
  addresses(): Address[] {
    return this.coa === null ? [this.config.home] : [this.config.home, this.coa];
  }

  /** Moves to `coa` and registers it with Alice (draft-13 §10.6). */
  moveTo(coa: Address): void {
    this.coa = coa;
    this.pending = null;
    this.sendBu();
  }

  private sendBu(): void {
    if (this.coa === null) return;
    this.buSequence = (this.buSequence + 1) & 0xffff;
    const options: DestOption[] = [
      { kind: 'hao', homeAddress: this.config.home },
      bu(this.buSequence, BU_LIFETIME_SECONDS, true, []),
    ];
    const bytes = sign(packet(this.coa, this.config.aliceHome, options, NO_UPPER), this.sa, this.nextAh());
    this.port.emit(this.name, bytes, { tag: 'sam-bu' });
    const attempts = this.pending !== null ? this.pending.attempts + 1 : 1;
    this.pending = { sequence: this.buSequence, lastSentAt: this.port.now, attempts };
    this.lastBuAt = this.port.now;
  }

  /** Sam's application sends Alice data (from its care-of address with an HAO while away). */
  sendData(): void {
    this.dataCount += 1;
    const payload = textBytes(`sam-data-${this.dataCount}`);
    const source = this.coa ?? this.config.home;
    const options: DestOption[] = this.coa !== null ? [{ kind: 'hao', homeAddress: this.config.home }] : [];
    const p = packet(source, this.config.aliceHome, options, udp(payload));
    if (this.binding !== null && this.binding.coa !== this.binding.home) {
      // draft-13 §8.9: to the care-of address, with the home address in a routing header.
      p.ipv6.destination = this.binding.coa;
      p.routing = { segmentsLeft: 1, addresses: [this.binding.home] };
    }
    this.port.emit(this.name, sign(p, this.sa, this.nextAh()), { tag: 'sam-data' });
  }

  receive(packetId: number, bytes: Uint8Array): void {
    const result = decodePacket(bytes);
    if (!result.ok) return;
    const p = result.packet;
    let authenticated = false;
    if (p.ah !== undefined) {
      if (p.ah.spi !== this.config.inboundSpi) return;
      if (!this.window.check(p.ah.sequence)) return;
      if (!verifyAh(bytes, result.layout, p.ah, { alg: this.config.alg, key: this.config.key })) return;
      this.window.update(p.ah.sequence);
      authenticated = true;
    }
    let hao: Address | null = null;
    for (const o of p.destOptions ?? []) {
      if (o.kind === 'hao') hao = o.homeAddress;
    }
    for (const o of p.destOptions ?? []) {
      // draft-13 §8.2: BUs and BAs are only processed under AH.
      if (o.kind === 'bu' && authenticated)
        this.onBindingUpdate(
          o.sequence,
          o.lifetimeSeconds,
          o.flags.ack,
          careOfAddress(o, p.ipv6.source),
          hao ?? p.ipv6.source,
          p.ipv6.source,
        );
      if (
        o.kind === 'ba' &&
        authenticated &&
        o.status === BA_STATUS.accepted &&
        this.pending !== null &&
        o.sequence === this.pending.sequence
      ) {
        this.pending = null; // any sub-option (a Challenge, type 130) is skipped: draft-13 §5.5
      }
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

  /** draft-13 §8.3 as a correspondent: record, replace or delete Alice's binding; acknowledge if asked. */
  private onBindingUpdate(
    sequence: number,
    lifetimeSeconds: number,
    ack: boolean,
    coa: Address,
    home: Address,
    source: Address,
  ): void {
    if (lifetimeSeconds === 0 || coa === home) this.binding = null;
    else this.binding = { home, coa };
    if (!ack) return;
    const from = this.coa ?? this.config.home;
    const lifetime = Math.min(lifetimeSeconds, BU_LIFETIME_SECONDS);
    const bytes = sign(
      packet(from, source, [ba(BA_STATUS.accepted, sequence, lifetime)], NO_UPPER),
      this.sa,
      this.nextAh(),
    );
    this.port.emit(this.name, bytes, { tag: 'sam-ba' });
  }

  tick(): void {
    const now = this.port.now;
    if (
      this.pending !== null &&
      this.pending.attempts < BU_ATTEMPTS_MAX &&
      now >= this.pending.lastSentAt + BU_RETRANSMIT_MS
    ) {
      this.sendBu();
      return;
    }
    if (this.coa !== null && now >= this.lastBuAt + BU_REFRESH_MS) this.sendBu();
  }
}
