// Mallory, the off-path attacker of DESIGN.md ("The world and the attacker"). It holds its
// own SAs with Alice (generic and/or anonymous, §2.4.3), sees only the packets the network
// delivers to addresses it owns, can put any bytes on the wire (spoofed sources included: no
// ingress filtering), and can compute anything its own keys allow. It answers every Challenge
// it receives under its own SAs (it wants the addresses), and nothing else honestly.
//
// Each attack is one method; the world resolves targets and records what happened. Every
// packet Mallory sends is tagged with the attack that made it, which the trace keeps.

import { makeChallenge, makeResponse, verifyAh } from '../../impl/crypto/index.js';
import type { AhAlgorithm, HostParams, SaKind } from '../../impl/host/types.js';
import { SEQUENCE_MODULUS } from '../../impl/sequence.js';
import { MS_PER_SECOND } from '../../impl/units.js';
import { addressToBytes, BA_STATUS, decodePacket, encodePacket, OPTION_TYPE } from '../../impl/wire/index.js';
import type { Address, DestOption, Packet, SubOption } from '../../impl/wire/types.js';
import { nodeAddress, victimAddress } from './addresses.js';
import { LATENCY_MS, TICK_MS } from './constants.js';
import { ba, bu, NO_UPPER, packet, plain, sign, textBytes, udp, type OutboundSa } from './craft.js';
import type { SimNode, WorldPort } from './node.js';
import type { Rng } from './random.js';
import type { BadAhKind, ClaimForm, ParamProblemForm, ResponseForm, ReuseKind, SpoofKind } from './types.js';

/** An SPI no SA uses: RFC 2402 leaves 256 and above to SAs; the world's are far below this. */
const UNUSED_SPI = 0x7ead_0000;
/** AH Authentication Data too short for either algorithm (AH length stays a multiple of 8). */
const TRUNCATED_AUTH_DATA_BYTES = 4;
/** Bytes of a Challenge, Response or TIME (WIRE.md). */
const CHALLENGE_BYTES = 16;
/** Where the first option of a Destination Options header right after the IPv6 header sits. */
const FIRST_OPTION_OFFSET = 42;
/** ICMPv6 Parameter Problem code 2: unrecognized IPv6 option (RFC 4443 §3.4). */
const PARAM_PROBLEM_UNRECOGNIZED_OPTION = 2;
/** The quote of an ICMPv6 error fits the minimum MTU (RFC 4443 §2.4(c)). */
const ICMP_QUOTE_BYTES_MAX = 1232;
/** The Mobile IPv6 options a Parameter Problem about Alice's packet points at (HOST.md rule 15). */
const MOBILITY_OPTION_TYPES: ReadonlySet<number> = new Set([
  OPTION_TYPE.hao,
  OPTION_TYPE.bu,
  OPTION_TYPE.ba,
  OPTION_TYPE.br,
]);
/** ICMPv6 Parameter Problem codes other than 2 (RFC 4443 §3.4): erroneous header field, unrecognized Next Header. */
const PARAM_PROBLEM_OTHER_CODES: readonly number[] = [0, 1];
/** The UDP checksum's offset in a packet with no extension header: after the IPv6 header, at byte 6 of UDP. */
const IPV6_HEADER_BYTES = 40;
const UDP_CHECKSUM_OFFSET = 6;
/**
 * Option types no one knows: action bits 01, 10 and 11 (RFC 2460 §4.2: discard the packet), one
 * with the C bit, and 00 (skip the option: the packet goes on, its data delivered).
 */
const UNKNOWN_OPTIONS: readonly number[] = [0x4d, 0x8d, 0xcd, 0x6d, 0x1d];
const UNKNOWN_OPTION_DATA_BYTES = 4;
/** Mallory sets the A bit on one of this many of its own Responses (rule 12's plain BA). */
const RESPONSE_ACK_EVERY = 4;
/** A random AH sequence number for forged AHs lies in [1, this). */
const FORGED_SEQUENCE_MAX = 1 << 30;
/** `seqWrap`: the first number of the crossing, how many numbers cross, and the climb toward it. */
const WRAP_START = 0xfffd;
const WRAP_CROSSING = 5;
const WRAP_CLIMB_STEP = 0x7000;
/** `reuse stale-sequence` goes back at most this many numbers. */
const STALE_SEQUENCE_BACK_MAX = 4;
/** Sub-option types no one knows (WIRE.md's are 0, 1, 2, 4, 128, 129 and 130). */
const UNKNOWN_SUB_OPTION_TYPES: readonly number[] = [0x07, 0x42, 0x85, 0xc3];
const UNKNOWN_SUB_OPTION_DATA_BYTES = 2;
/** Alternate Prefixes with `pl` 1: 8 bytes per prefix (WIRE.md). */
const ALTERNATE_PREFIX_PL = 1 as const;
const ALTERNATE_PREFIX_BYTES = 8;
/** The last AH sequence number a sender may use: RFC 2402 §3.3.2 forbids cycling past it. */
const AH_SEQUENCE_MAX = 0xffffffff;

export interface MallorySa {
  name: string;
  kind: SaKind;
  alg: AhAlgorithm;
  key: Uint8Array;
  /** SPI on Mallory's packets to Alice (Alice's inbound). */
  outboundSpi: number;
  /** SPI on Alice's packets to Mallory (Alice's outbound). */
  inboundSpi: number;
  /** The address Mallory gave at SA establishment: its first registered address. */
  registered: Address;
  buSequence: number;
  ahSequence: number;
}

/** A Challenge Mallory received: under which SA, for which of its addresses, from which of Alice's. */
export interface ReceivedChallenge {
  sa: MallorySa;
  value: Uint8Array;
  /** ADDR: the address it arrived at. */
  address: Address;
  /** The BA's source: where the Response goes (HOST.md rule 11). */
  from: Address;
  lifetimeSeconds: number;
  at: number;
}

export interface MalloryWorld extends WorldPort {
  /** Mallory's current addresses. */
  malloryAddresses(): Address[];
}

/**
 * Where a packet to Alice goes when it is routed through her own addresses (HOST.md rule 22):
 * its IPv6 Destination and its type 0 routing header.
 */
export interface AliceRoute {
  to: Address;
  routing: NonNullable<Packet['routing']>;
}

/** TIME encodings a clock-based host might use (WIRE.md forbids them all): 8 bytes each. */
function clockTimes(ms: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const be64 = (v: number): Uint8Array => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(Math.max(0, Math.floor(v))), false);
    return b;
  };
  const le64 = (v: number): Uint8Array => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(Math.max(0, Math.floor(v))), true);
    return b;
  };
  const be32Padded = (v: number): Uint8Array => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, Math.max(0, Math.floor(v)) >>> 0, false);
    return b;
  };
  out.push(be64(ms), be64(ms / MS_PER_SECOND), le64(ms), be32Padded(ms / MS_PER_SECOND));
  return out;
}

export class Mallory implements SimNode {
  readonly name = 'mallory' as const;
  /** Ids of every packet Mallory received or sent, oldest first (what it can replay). */
  readonly seen: { id: number; bytes: Uint8Array }[] = [];
  /** Every distinct Challenge Mallory received under its SAs, oldest first: what `reuse` reuses. */
  readonly challenges: ReceivedChallenge[] = [];
  /** Responses Mallory sent: value and address, oldest first. */
  private readonly responses: { sa: MallorySa; value: Uint8Array; address: Address; to: Address }[] = [];
  /** Addresses whose Challenges Mallory keeps unanswered (`withhold`), until the instant given. */
  private readonly withheld = new Map<Address, number>();
  /** The newest BU with the A bit Alice sent it under one of its SAs: what `acknowledge` acknowledges. */
  private lastAliceBu: { sa: MallorySa; sequence: number; lifetimeSeconds: number; from: Address; at: Address } | null =
    null;
  private dataCount = 0;
  /**
   * An address of Mallory's own prefix that no SA of its names, taken the first time Alice's
   * application talks to it (`correspond` with `aside`): her entry for it has no SA.
   */
  aside: Address | null = null;

  constructor(
    private readonly world: MalloryWorld,
    readonly sas: MallorySa[],
    /** Alice's inbound SPIs of the honest peers' SAs (Mallory is assumed to know them). */
    private readonly peerSpis: number[],
    private readonly rng: Rng,
  ) {}

  private get params(): HostParams {
    return this.world.params;
  }

  /**
   * A copy of Mallory in `world` (a fork of this one's world): its own SAs' counters, memory
   * and random stream, so that neither copy's attacks move the other's. Packet bytes and
   * Challenge values are never written after they are made, so the copies share them.
   */
  fork(world: MalloryWorld): Mallory {
    const sas = new Map(this.sas.map((s) => [s, { ...s }]));
    const saOf = (s: MallorySa): MallorySa => sas.get(s) ?? s;
    const copy = new Mallory(world, [...sas.values()], this.peerSpis, this.rng.clone());
    copy.seen.push(...this.seen);
    copy.challenges.push(...this.challenges.map((c) => ({ ...c, sa: saOf(c.sa) })));
    copy.responses.push(...this.responses.map((r) => ({ ...r, sa: saOf(r.sa) })));
    for (const [a, until] of this.withheld) copy.withheld.set(a, until);
    copy.lastAliceBu = this.lastAliceBu === null ? null : { ...this.lastAliceBu, sa: saOf(this.lastAliceBu.sa) };
    copy.dataCount = this.dataCount;
    copy.aside = this.aside;
    return copy;
  }

  /** The SA of the requested kind, else the other one (a schedule may ask for one Mallory lacks). */
  sa(kind: 'generic' | 'anonymous'): MallorySa {
    return this.sas.find((s) => s.kind === kind) ?? this.sas[0];
  }

  /** Where Mallory sends to Alice: her first address; with none left, her very first (nobody owns it, so the network drops what goes there). */
  private alice(): Address {
    return this.world.aliceAddresses()[0] ?? nodeAddress('alice', 0);
  }

  private out(sa: MallorySa): OutboundSa {
    return { alg: sa.alg, key: sa.key, spi: sa.outboundSpi };
  }

  private nextBu(sa: MallorySa): number {
    sa.buSequence = (sa.buSequence + 1) & 0xffff;
    return sa.buSequence;
  }

  /** The next AH sequence number: after 2^32 − 1 Mallory cycles to 1, as an honest sender never does (RFC 2402 §3.3.2). */
  private nextAh(sa: MallorySa): number {
    sa.ahSequence = sa.ahSequence >= AH_SEQUENCE_MAX ? 1 : sa.ahSequence + 1;
    return sa.ahSequence;
  }

  private send(bytes: Uint8Array, tag: string, extraDelayMs = 0): number {
    const id = this.world.emit(this.name, bytes, { tag, extraDelayMs });
    this.seen.push({ id, bytes });
    return id;
  }

  // -------------------------------------------------------------------------------------
  // What Mallory receives.

  receive(packetId: number, bytes: Uint8Array, address: Address): void {
    this.seen.push({ id: packetId, bytes });
    const result = decodePacket(bytes);
    if (!result.ok || result.packet.ah === undefined) return;
    const p = result.packet;
    const ah = p.ah;
    if (ah === undefined) return;
    const sa = this.sas.find((s) => s.inboundSpi === ah.spi);
    if (sa === undefined || !verifyAh(bytes, result.layout, ah, { alg: sa.alg, key: sa.key })) return;
    for (const o of p.destOptions ?? []) {
      if (o.kind === 'bu' && o.flags.ack)
        this.lastAliceBu = {
          sa,
          sequence: o.sequence,
          lifetimeSeconds: o.lifetimeSeconds,
          from: p.ipv6.source,
          at: address,
        };
      if (o.kind !== 'ba' || o.status !== BA_STATUS.accepted) continue;
      const challenge = o.subOptions.find((s) => s.kind === 'security');
      if (challenge === undefined || challenge.kind !== 'security') continue;
      const value = challenge.value;
      if (!this.challenges.some((c) => c.sa === sa && c.address === address && sameBytes(c.value, value))) {
        this.challenges.push({
          sa,
          value,
          address,
          from: p.ipv6.source,
          lifetimeSeconds: o.lifetimeSeconds,
          at: this.world.now,
        });
      }
      if ((this.withheld.get(address) ?? Number.NEGATIVE_INFINITY) > this.world.now) continue;
      this.answer(sa, value, address, p.ipv6.source, o.lifetimeSeconds);
    }
  }

  /**
   * HOST.md rule 11, first form: Mallory owns ADDR, so it answers from ADDR itself; one time in
   * RESPONSE_ACK_EVERY with the A bit set, which rule 11 clears but a receiver must take: rule 12
   * owes such a Response, once it verifies, a plain BA.
   */
  private answer(sa: MallorySa, challenge: Uint8Array, address: Address, to: Address, lifetimeSeconds: number): void {
    const response = makeResponse(sa.alg, sa.key, challenge, addressToBytes(address));
    const ack = this.rng.int(RESPONSE_ACK_EVERY) === 0;
    const option = bu(this.nextBu(sa), lifetimeSeconds, ack, [{ kind: 'security', value: response }]);
    this.send(sign(packet(address, to, [option], NO_UPPER), this.out(sa), this.nextAh(sa)), 'mallory-answer');
    this.responses.push({ sa, value: response, address, to });
  }

  /**
   * A Response naming `named` with `value`, under `sa`: from `named` itself while Mallory owns
   * it (rule 11's first form), else from its registered address with an Alternate CoA.
   */
  private respond(
    sa: MallorySa,
    named: Address,
    value: Uint8Array,
    to: Address,
    lifetimeSeconds: number,
    tag: string,
  ): void {
    const own = this.world.malloryAddresses().includes(named);
    const subs: SubOption[] = own
      ? [{ kind: 'security', value }]
      : [
          { kind: 'alternate-coa', address: named },
          { kind: 'security', value },
        ];
    const option = bu(this.nextBu(sa), lifetimeSeconds, false, subs);
    this.send(sign(packet(own ? named : sa.registered, to, [option], NO_UPPER), this.out(sa), this.nextAh(sa)), tag);
    this.responses.push({ sa, value, address: named, to });
  }

  tick(): void {}

  // -------------------------------------------------------------------------------------
  // Attacks.

  /** A BU under Mallory's SA naming `target` (Appendix C; §3.4.2 must stop it). */
  claim(
    kind: 'generic' | 'anonymous',
    target: Address,
    form: ClaimForm,
    tag = 'mallory-claim',
    lifetime = this.params.defaultLifetimeSeconds,
    to = this.alice(),
    route: AliceRoute | null = null,
  ): void {
    const sa = this.sa(kind);
    const seq = this.nextBu(sa);
    let options: DestOption[];
    let source: Address;
    if (form === 'alt-coa') {
      source = sa.registered;
      options = [bu(seq, lifetime, true, [{ kind: 'alternate-coa', address: target }])];
    } else if (form === 'spoofed-source') {
      source = target;
      options = [{ kind: 'hao', homeAddress: sa.registered }, bu(seq, lifetime, true, [])];
    } else {
      // Appendix C step 2: "my home address is the target, and I am at my own address".
      source = sa.registered;
      options = [{ kind: 'hao', homeAddress: target }, bu(seq, lifetime, true, [])];
    }
    const p = packet(source, route?.to ?? to, options, NO_UPPER);
    if (route !== null) p.routing = route.routing;
    this.send(sign(p, this.out(sa), this.nextAh(sa)), `${tag}:${form}${route !== null ? ':routed' : ''}`);
  }

  /** Many claims on fresh third-party addresses at once (§4.1 DoS; INV-BOUNDED, INV-AMPLIFICATION). */
  flood(kind: 'generic' | 'anonymous', targets: Address[]): void {
    for (const t of targets) this.claim(kind, t, 'alt-coa', 'mallory-flood');
  }

  /**
   * Packets with a spoofed source and no AH; `route`: through a routing header of Alice's own
   * addresses (not for `routed-away`, whose header names a third party, nor `bad-checksum`,
   * whose checksum is spoilt where the header would move it).
   */
  spoof(what: SpoofKind, as: Address, route: AliceRoute | null = null): void {
    const routed = route !== null && what !== 'routed-away' && what !== 'bad-checksum' ? route : null;
    const alice = routed?.to ?? this.alice();
    const registered = this.sas[0].registered;
    let p: Packet;
    if (what === 'data') {
      p = packet(as, alice, undefined, udp(textBytes(`mallory-spoof-${this.nextData()}`)));
    } else if (what === 'bu-no-ah') {
      const option = bu(this.rng.int(SEQUENCE_MODULUS), this.params.defaultLifetimeSeconds, true, [
        { kind: 'alternate-coa', address: registered },
      ]);
      p = packet(as, alice, [option], NO_UPPER);
    } else if (what === 'echo') {
      p = packet(as, alice, undefined, {
        kind: 'icmpv6',
        message: { type: 'echo-request', identifier: 0, sequence: this.nextData(), data: textBytes('mallory-echo') },
      });
    } else if (what === 'ba-no-ah') {
      const option = ba(BA_STATUS.accepted, this.rng.int(SEQUENCE_MODULUS), this.params.defaultLifetimeSeconds, [
        { kind: 'security', value: this.rng.bytes(CHALLENGE_BYTES) },
      ]);
      p = packet(as, alice, [option], NO_UPPER);
    } else if (what === 'hao-data') {
      p = packet(
        registered,
        alice,
        [{ kind: 'hao', homeAddress: as }],
        udp(textBytes(`mallory-hao-${this.nextData()}`)),
      );
    } else if (what === 'bad-checksum') {
      // WIRE.md: receivers drop a zero or wrong UDP checksum.
      const bytes = plain(packet(as, alice, undefined, udp(textBytes(`mallory-bad-checksum-${this.nextData()}`))));
      const at = IPV6_HEADER_BYTES + UDP_CHECKSUM_OFFSET;
      if (this.rng.int(2) === 0) bytes.fill(0, at, at + 2);
      else bytes[at + 1] ^= 0x01;
      this.send(bytes, `mallory-spoof:${what}`);
      return;
    } else if (what === 'unknown-option') {
      // RFC 2460 §4.2: action bits 01, 10 or 11 make the receiver discard the packet, whatever
      // else it carries (one time in two a BR before the option, which without AH is ignored,
      // rule 2); 00 makes it skip the option.
      const type = UNKNOWN_OPTIONS[this.rng.int(UNKNOWN_OPTIONS.length)];
      const option: DestOption = { kind: 'unknown', type, data: this.rng.bytes(UNKNOWN_OPTION_DATA_BYTES) };
      const options: DestOption[] = this.rng.int(2) === 0 ? [{ kind: 'br', subOptions: [] }, option] : [option];
      p = packet(as, alice, options, udp(textBytes(`mallory-unknown-option-${this.nextData()}`)));
    } else {
      // Through Alice to `as` (HOST.md rule 22, RFC 5095: a routing header naming an address that
      // is not Alice's is dropped; one naming only hers is processed).
      p = packet(registered, alice, undefined, udp(textBytes(`mallory-routed-${this.nextData()}`)));
      p.routing = { segmentsLeft: 1, addresses: [as] };
    }
    if (routed !== null) p.routing = routed.routing;
    this.send(plain(p), `mallory-spoof:${what}${routed !== null ? ':routed' : ''}`);
  }

  private nextData(): number {
    this.dataCount += 1;
    return this.dataCount;
  }

  /** A claim whose AH is missing or wrong in one way (INV-AUTH-REQUIRED). */
  badAh(what: BadAhKind, target: Address): void {
    const sa = this.sa('generic');
    const option = bu(this.nextBu(sa), this.params.defaultLifetimeSeconds, true, [
      { kind: 'alternate-coa', address: target },
    ]);
    const p = packet(sa.registered, this.alice(), [option], NO_UPPER);
    let bytes: Uint8Array;
    if (what === 'no-ah') {
      bytes = plain(p);
    } else if (what === 'bad-icv') {
      bytes = sign(p, this.out(sa), this.nextAh(sa));
      bytes[bytes.length - 1] ^= 0x01; // the last ICV byte (No Next Header: the AH ends the packet)
    } else if (what === 'unknown-spi') {
      bytes = sign(p, { ...this.out(sa), spi: UNUSED_SPI + this.rng.int(0x1000) }, this.nextAh(sa));
    } else if (what === 'peer-spi') {
      const spi = this.peerSpis.length > 0 ? this.peerSpis[this.rng.int(this.peerSpis.length)] : UNUSED_SPI;
      bytes = sign(p, { ...this.out(sa), spi }, 1 + this.rng.int(FORGED_SEQUENCE_MAX));
    } else if (what === 'seq-zero') {
      bytes = sign(p, this.out(sa), 0);
    } else {
      bytes = encodePacket({
        ...p,
        ah: { spi: sa.outboundSpi, sequence: this.nextAh(sa), authData: this.rng.bytes(TRUNCATED_AUTH_DATA_BYTES) },
      });
    }
    this.send(bytes, `mallory-bad-ah:${what}`);
  }

  /** Replays a packet it received or sent, as is or re-addressed to Alice (which breaks AH and checksums). */
  replay(fromEnd: number, retarget: boolean): boolean {
    if (this.seen.length === 0) return false;
    const original = this.seen[this.seen.length - 1 - (fromEnd % this.seen.length)];
    const bytes = original.bytes.slice();
    if (retarget && bytes.length >= 40) bytes.set(addressToBytes(this.alice()), 24);
    this.send(bytes, `mallory-replay:#${original.id}${retarget ? ':retarget' : ''}`);
    return true;
  }

  /** A Response it cannot know: a random value under its own SA, or under a peer's SPI with a random ICV. */
  forgeResponse(target: Address, under: 'generic' | 'anonymous' | 'peer'): void {
    const value = this.rng.bytes(CHALLENGE_BYTES);
    if (under === 'peer') {
      const spi = this.peerSpis.length > 0 ? this.peerSpis[this.rng.int(this.peerSpis.length)] : UNUSED_SPI;
      const option = bu(this.rng.int(SEQUENCE_MODULUS), this.params.defaultLifetimeSeconds, false, [
        { kind: 'security', value },
      ]);
      const p = packet(target, this.alice(), [option], NO_UPPER);
      const bytes = encodePacket({
        ...p,
        ah: {
          spi,
          sequence: 1 + this.rng.int(FORGED_SEQUENCE_MAX),
          authData: this.rng.bytes(this.sas[0].alg === 'hmac-sha1-96' ? 12 : 20),
        },
      });
      this.send(bytes, 'mallory-forge-response:peer');
      return;
    }
    const sa = this.sa(under);
    const subs: SubOption[] = [
      { kind: 'alternate-coa', address: target },
      { kind: 'security', value },
    ];
    const option = bu(this.nextBu(sa), this.params.defaultLifetimeSeconds, false, subs);
    this.send(
      sign(packet(sa.registered, this.alice(), [option], NO_UPPER), this.out(sa), this.nextAh(sa)),
      `mallory-forge-response:${under}`,
    );
  }

  /**
   * The clock attack (WIRE.md "Why not the clock"): claim `target`, then answer at once,
   * without receiving the Challenge, with HMAC(K, Challenge || ADDR) for Challenge =
   * HMAC(K, ADDR || TIME) and TIME = the virtual time at which the claim arrives (and the next
   * tick), in several encodings. Against a host that draws TIME from its random source, every
   * guess is wrong; against a host that uses the clock, one is right.
   */
  clockGuess(kind: 'generic' | 'anonymous', target: Address): number {
    const sa = this.sa(kind);
    this.claim(kind, target, 'alt-coa', 'mallory-clock-claim');
    const arrival = this.world.now + LATENCY_MS;
    const nextTick = Math.ceil(arrival / TICK_MS) * TICK_MS;
    const addr = addressToBytes(target);
    let guesses = 0;
    for (const at of arrival === nextTick ? [arrival] : [arrival, nextTick]) {
      for (const time of clockTimes(at)) {
        const challenge = makeChallenge(sa.alg, sa.key, addr, time);
        const response = makeResponse(sa.alg, sa.key, challenge, addr);
        const subs: SubOption[] = [
          { kind: 'alternate-coa', address: target },
          { kind: 'security', value: response },
        ];
        const option = bu(this.nextBu(sa), this.params.defaultLifetimeSeconds, false, subs);
        const bytes = sign(packet(sa.registered, this.alice(), [option], NO_UPPER), this.out(sa), this.nextAh(sa));
        // Sent so as to arrive just after the claim (and after a tick at the same instant).
        this.send(bytes, 'mallory-clock-guess', 1 + (at - arrival));
        guesses += 1;
      }
    }
    return guesses;
  }

  /** Upper-layer data under the anonymous SA, which MUST NOT authenticate it (§2.4.3, §3.4.1). */
  anonData(): boolean {
    const sa = this.sas.find((s) => s.kind === 'anonymous');
    if (sa === undefined) return false;
    const p = packet(sa.registered, this.alice(), undefined, udp(textBytes(`mallory-anon-data-${this.nextData()}`)));
    this.send(sign(p, this.out(sa), this.nextAh(sa)), 'mallory-anon-data');
    return true;
  }

  /** Arbitrary bytes on Alice's link. */
  garbage(bytes: Uint8Array): void {
    const id = this.world.emit(this.name, bytes, { tag: 'mallory-garbage', direct: 'alice' });
    this.seen.push({ id, bytes });
  }

  /** A copy of a packet it has, with one bit flipped, on Alice's link. */
  bitflip(fromEnd: number, bit: number): boolean {
    if (this.seen.length === 0) return false;
    const original = this.seen[this.seen.length - 1 - (fromEnd % this.seen.length)];
    const bytes = original.bytes.slice();
    if (bytes.length === 0) return false;
    const at = bit % (bytes.length * 8);
    bytes[at >> 3] ^= 1 << (at & 7);
    const id = this.world.emit(this.name, bytes, { tag: `mallory-bitflip:#${original.id}`, direct: 'alice' });
    this.seen.push({ id, bytes });
    return true;
  }

  /**
   * An ICMPv6 Parameter Problem quoting a packet of Alice's that Mallory received (it can only
   * quote what it saw, HOST.md rule 15), one that carries a Mobile IPv6 option if any does,
   * pointing at the first such option, from the address it was sent to: as a node that rejects
   * the option answers (docs/findings.md), or in one of the forms that must change nothing
   * (ParamProblemForm).
   */
  paramProblem(fromEnd: number, aliceAddresses: readonly Address[], form: ParamProblemForm = 'whole'): boolean {
    const candidates: { id: number; bytes: Uint8Array; packet: Packet; pointer: number | null }[] = [];
    for (const s of this.seen) {
      const r = decodePacket(s.bytes);
      if (
        !r.ok ||
        !aliceAddresses.includes(r.packet.ipv6.source) ||
        !this.world.malloryAddresses().includes(r.packet.ipv6.destination)
      )
        continue;
      const pointer = r.layout.options.find((o) => MOBILITY_OPTION_TYPES.has(o.type))?.offset ?? null;
      candidates.push({ id: s.id, bytes: s.bytes, packet: r.packet, pointer });
    }
    const withOption = candidates.filter((c) => c.pointer !== null);
    const pool = withOption.length > 0 ? withOption : candidates;
    if (pool.length === 0) return false;
    const quoted = pool[pool.length - 1 - (fromEnd % pool.length)];
    const { source, destination } = quoted.packet.ipv6;
    let pointer = quoted.pointer ?? FIRST_OPTION_OFFSET;
    let invoking = quoted.bytes.slice(0, ICMP_QUOTE_BYTES_MAX);
    let code = PARAM_PROBLEM_UNRECOGNIZED_OPTION;
    let from = destination;
    if (form === 'truncated') {
      // Only the bytes up to the option's type: what a forger can guess (docs/findings.md).
      invoking = invoking.slice(0, Math.min(pointer + 1, invoking.length - 1));
    } else if (form === 'altered') {
      invoking[invoking.length - 1] ^= 0xff;
    } else if (form === 'code') {
      code = PARAM_PROBLEM_OTHER_CODES[this.rng.int(PARAM_PROBLEM_OTHER_CODES.length)];
    } else if (form === 'elsewhere') {
      from = this.world.malloryAddresses().find((a) => a !== destination) ?? victimAddress(0);
      // The Version byte: no option's type.
      pointer = 0;
    }
    const error = packet(from, source, undefined, {
      kind: 'icmpv6',
      message: { type: 'parameter-problem', code, pointer, invoking },
    });
    this.send(plain(error), `mallory-param-problem:#${quoted.id}${form === 'whole' ? '' : `:${form}`}`);
    return true;
  }

  /**
   * Claims `address` (one of its own) and keeps the Challenges for it unanswered while they
   * live, so that `reuse` can play them later: an attacker that collects Challenges.
   */
  withhold(kind: 'generic' | 'anonymous', address: Address): void {
    this.withheld.set(address, this.world.now + this.params.challengeLifetimeMs + 2 * LATENCY_MS);
    // To Alice's newest address: her Challenge then comes from there (HOST.md rule 9), and so must
    // every retransmission of it, while her oldest address, the one most packets reach her at,
    // would do as well for a host that picks a source afresh (REFINES-SIGNALLING).
    const newest = this.world.aliceAddresses().at(-1) ?? this.alice();
    this.claim(kind, address, 'alt-coa', 'mallory-withhold', this.params.defaultLifetimeSeconds, newest);
  }

  /**
   * Reuses a value it has seen where a host might take it (§3.4.2; ReuseKind): Challenges
   * (answered late, to another address of Alice's, bound to another address, reflected),
   * Response values and BU sequence numbers. False when it has nothing to reuse.
   */
  reuse(what: ReuseKind, fromEnd: number, target: Address | null): boolean {
    if (what === 'again') {
      if (this.responses.length === 0) return false;
      const r = this.responses[this.responses.length - 1 - (fromEnd % this.responses.length)];
      this.respond(r.sa, r.address, r.value, r.to, this.params.defaultLifetimeSeconds, 'mallory-reuse:again');
      return true;
    }
    if (what === 'stale-sequence') {
      const sa = this.sas[fromEnd % this.sas.length];
      // A number it used before: 1 to 4 behind its last (HOST.md rule 7 ignores it).
      const sequence = (sa.buSequence - 1 - (fromEnd % STALE_SEQUENCE_BACK_MAX) + SEQUENCE_MODULUS) % SEQUENCE_MODULUS;
      const option = bu(sequence, this.params.defaultLifetimeSeconds, true, []);
      this.send(
        sign(packet(sa.registered, this.alice(), [option], NO_UPPER), this.out(sa), this.nextAh(sa)),
        'mallory-reuse:stale-sequence',
      );
      return true;
    }
    if (this.challenges.length === 0) return false;
    const c = this.challenges[this.challenges.length - 1 - (fromEnd % this.challenges.length)];
    const { sa } = c;
    if (what === 'late' || what === 'elsewhere') {
      const response = makeResponse(sa.alg, sa.key, c.value, addressToBytes(c.address));
      const to = what === 'late' ? c.from : (this.world.aliceAddresses().find((a) => a !== c.from) ?? c.from);
      this.respond(sa, c.address, response, to, c.lifetimeSeconds, `mallory-reuse:${what}`);
      this.withheld.delete(c.address);
      return true;
    }
    if (what === 'reflect') {
      // Half the time (by the value's low bit) a Unique Identifier sub-option comes first: a
      // receiver finds the Challenge among the sub-options, wherever it is (rule 11).
      const subs: SubOption[] = [{ kind: 'security', value: c.value }];
      if ((c.value[0] & 1) === 1) subs.unshift({ kind: 'unique-id', id: sa.buSequence });
      const option = ba(BA_STATUS.accepted, sa.buSequence, c.lifetimeSeconds, subs);
      const from = this.world.malloryAddresses().includes(c.address) ? c.address : sa.registered;
      this.send(sign(packet(from, c.from, [option], NO_UPPER), this.out(sa), this.nextAh(sa)), 'mallory-reuse:reflect');
      return true;
    }
    // `cross` and `rebind`: a Response for `target` built from the Challenge for another address.
    const named = target !== null && target !== c.address ? target : null;
    if (named === null) return false;
    const bound = what === 'cross' ? c.address : named;
    this.respond(
      sa,
      named,
      makeResponse(sa.alg, sa.key, c.value, addressToBytes(bound)),
      this.alice(),
      c.lifetimeSeconds,
      `mallory-reuse:${what}`,
    );
    return true;
  }

  /**
   * Answers the `fromEnd`-th newest Challenge it received, now, with the correct value
   * HMAC(K, Challenge ‖ ADDR), in `form` (ResponseForm): rule 11's second form, which every
   * receiver accepts, or one of the forms rule 12 ignores (so that only the form stops it).
   * A form built on the first form comes from ADDR while Mallory holds it, else from another
   * of its addresses with an Alternate CoA naming ADDR. False when it received no Challenge.
   */
  answerIn(form: ResponseForm, fromEnd: number): boolean {
    if (this.challenges.length === 0) return false;
    const c = this.challenges[this.challenges.length - 1 - (fromEnd % this.challenges.length)];
    const { sa } = c;
    const value = makeResponse(sa.alg, sa.key, c.value, addressToBytes(c.address));
    const security: SubOption = { kind: 'security', value };
    const mine = this.world.malloryAddresses();
    // Another of its addresses, for the second form: the SA's own unless that is ADDR.
    const elsewhere =
      sa.registered !== c.address ? sa.registered : (mine.find((a) => a !== c.address) ?? sa.registered);
    const altCoa: SubOption = { kind: 'alternate-coa', address: c.address };
    const firstForm = mine.includes(c.address);
    const around = (subs: SubOption[]): { source: Address; subs: SubOption[] } =>
      firstForm ? { source: c.address, subs } : { source: elsewhere, subs: [altCoa, ...subs] };
    let lifetime = c.lifetimeSeconds;
    let sent: { source: Address; subs: SubOption[] };
    if (form === 'alt-coa') sent = { source: elsewhere, subs: [altCoa, security] };
    else if (form === 'two-alt-coa')
      sent = { source: elsewhere, subs: [{ kind: 'alternate-coa', address: elsewhere }, altCoa, security] };
    else if (form === 'two-security')
      sent = around([security, { kind: 'security', value: this.rng.bytes(CHALLENGE_BYTES) }]);
    else if (form === 'other-sub-option') sent = around([security, this.otherSubOption()]);
    else {
      lifetime = 0;
      sent = around([security]);
    }
    const option = bu(this.nextBu(sa), lifetime, false, sent.subs);
    this.send(
      sign(packet(sent.source, c.from, [option], NO_UPPER), this.out(sa), this.nextAh(sa)),
      `mallory-answer-in:${form}`,
    );
    if (form === 'alt-coa') {
      // Well formed and correct: a value that verified, for `reuse again`; the address is answered for.
      this.responses.push({ sa, value, address: c.address, to: c.from });
      this.withheld.delete(c.address);
    }
    return true;
  }

  /** A sub-option rule 12 does not allow in a Response: a Unique Identifier, Alternate Prefixes or an unknown type. */
  private otherSubOption(): SubOption {
    const k = this.rng.int(3);
    if (k === 0) return { kind: 'unique-id', id: this.rng.int(0x10000) };
    if (k === 1)
      return {
        kind: 'alternate-prefixes',
        pl: ALTERNATE_PREFIX_PL,
        prefixes: [this.rng.bytes(ALTERNATE_PREFIX_BYTES)],
      };
    const type = UNKNOWN_SUB_OPTION_TYPES[this.rng.int(UNKNOWN_SUB_OPTION_TYPES.length)];
    return { kind: 'unknown', type, data: this.rng.bytes(UNKNOWN_SUB_OPTION_DATA_BYTES) };
  }

  /**
   * BUs renewing its first address whose sequence numbers climb (each newer than the last,
   * WIRE.md) to just below 2^16 and wrap to 0 and on: a host comparing without the modulus
   * ignores the ones after the wrap. Then, newer again, a BU deleting that address and one
   * naming it anew (HOST.md rules 6 and 7): every correct host removes it and challenges it
   * (Mallory answers), so a host that ignored the deletion shows an address no correct host
   * still has (INV-STATE-TRUTHFUL), and the entry is as before once the Response is back.
   */
  seqWrap(kind: 'generic' | 'anonymous'): void {
    const sa = this.sa(kind);
    const numbers: number[] = [];
    let s = sa.buSequence;
    // Climb in steps that stay "newer" (at most 2^15 − 1 ahead) until the wrap is in reach.
    while ((WRAP_START - s + SEQUENCE_MODULUS) % SEQUENCE_MODULUS > WRAP_CLIMB_STEP) {
      s = (s + WRAP_CLIMB_STEP) % SEQUENCE_MODULUS;
      numbers.push(s);
    }
    for (let k = 0; k < WRAP_CROSSING; k++) numbers.push((WRAP_START + k) % SEQUENCE_MODULUS);
    const last = numbers[numbers.length - 1];
    const deleting = (last + 1) % SEQUENCE_MODULUS;
    const renewing = (last + 2) % SEQUENCE_MODULUS;
    for (const n of [...numbers, deleting, renewing]) {
      const option = bu(n, n === deleting ? 0 : this.params.defaultLifetimeSeconds, false, []);
      this.send(
        sign(packet(sa.registered, this.alice(), [option], NO_UPPER), this.out(sa), this.nextAh(sa)),
        'mallory-seq-wrap',
      );
    }
    sa.buSequence = renewing;
  }

  /**
   * Claims `target` (Alternate CoA) under its SA with the last AH sequence number, 2^32 − 1:
   * its counter jumps there. The receiver knows nothing of the sender's counter, so the number
   * is fresh (RFC 2402 §3.4.3) and valid like any other. The counter then cycles (`nextAh`),
   * so the SA's later packets are replays at Alice.
   */
  ahEnd(kind: 'generic' | 'anonymous', target: Address): void {
    this.sa(kind).ahSequence = AH_SEQUENCE_MAX - 1;
    this.claim(kind, target, 'alt-coa', 'mallory-ah-end');
  }

  /** Upper-layer data under its generic SA, as any correspondent sends (false without one). */
  data(): boolean {
    const sa = this.sas.find((s) => s.kind === 'generic');
    if (sa === undefined) return false;
    const p = packet(sa.registered, this.alice(), undefined, udp(textBytes(`mallory-data-${this.nextData()}`)));
    this.send(sign(p, this.out(sa), this.nextAh(sa)), 'mallory-data');
    return true;
  }

  /**
   * A BA (status 0, no sub-option) under the SA of the newest BU with the A bit that Alice sent
   * it, with that BU's sequence number, from the address it came to, to its source: Mallory as
   * a correspondent that acknowledges her bindings (§2.2.2: the emulation's BUs stop once a BA
   * is received). False when Alice sent it no such BU.
   */
  acknowledge(): boolean {
    const last = this.lastAliceBu;
    if (last === null) return false;
    const option = ba(BA_STATUS.accepted, last.sequence, last.lifetimeSeconds);
    this.send(
      sign(packet(last.at, last.from, [option], NO_UPPER), this.out(last.sa), this.nextAh(last.sa)),
      'mallory-ack',
    );
    return true;
  }

  /** A Binding Request under its SA (§3.2.3; HOST.md rule 16: answered with a BU). */
  bindingRequest(): void {
    const sa = this.sa('generic');
    this.send(
      sign(
        packet(sa.registered, this.alice(), [{ kind: 'br', subOptions: [] }], NO_UPPER),
        this.out(sa),
        this.nextAh(sa),
      ),
      'mallory-br',
    );
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
