// The ground truth of Alice's SAs (DESIGN.md "Independent ground truth"): every SA the world
// gave Alice, with its key, the world's own anti-replay window on packets to Alice, the
// Challenges she sent under it and the Responses she was given. `truthFor` is the world's
// verdict on a packet handed to Alice, from this knowledge alone (never from Alice).

import { ALGORITHMS } from '../../impl/crypto/index.js';
import type { AhAlgorithm, SaKind } from '../../impl/host/types.js';
import { addressToBytes, decodePacket, fromHex, toHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { AntiReplayWindow, arrivalFacts, droppedBeforeAh, responseValue, verifyIcv } from '../truth/index.js';
import { inspectPacket } from './inspect.js';
import type { Rng } from './random.js';
import type { NodeName, PacketInfo, ReceiveTruth, ResponseTruth, SaPeer, SaRecord } from './types.js';

/** SPIs are drawn from [SPI_MIN, SPI_MIN + SPI_SPAN) (RFC 2402 reserves 0–255). */
const SPI_MIN = 0x100;
const SPI_SPAN = 0xfff00;

/** What the world tracks about an SA of Alice's. */
export interface SaState {
  record: SaRecord;
  key: Uint8Array;
  /** The world's own anti-replay window on packets to Alice (RFC 2402 §3.4.3), for the ground truth (properties/truth). */
  window: AntiReplayWindow;
  /** Challenges Alice sent under this SA: packet id, destination, value. */
  challenges: { packet: number; destination: Address; value: string }[];
  /** Response values delivered to Alice under this SA with a valid AH. */
  responses: Set<string>;
}

export class SaTruth {
  private readonly sas: SaState[] = [];
  private readonly usedSpis = new Set<number>();
  private readonly byAliceInbound = new Map<number, SaState>();
  private readonly byAliceOutbound = new Map<number, SaState>();
  private readonly peerSa = new Map<NodeName, SaState>();

  /** SAs use `alg`; the world's windows are `windowPackets` wide (as Alice's). */
  constructor(
    private readonly alg: AhAlgorithm,
    private readonly windowPackets: number,
  ) {}

  /**
   * A new SA of Alice's with `peer`: its key and then its two SPIs are drawn from `rng`, unless
   * `spis` gives them (each unused: see `spiUsed`).
   */
  newSa(
    rng: Rng,
    name: string,
    peer: SaPeer,
    peerAddress: Address,
    kind: SaKind,
    spis?: { inbound: number; outbound: number },
  ): SaState {
    const alg = this.alg;
    const key = rng.bytes(ALGORITHMS[alg].keyBytes);
    const inbound = spis?.inbound ?? this.freshSpi(rng);
    const outbound = spis?.outbound ?? this.freshSpi(rng);
    this.usedSpis.add(inbound);
    this.usedSpis.add(outbound);
    const record: SaRecord = {
      name,
      peer,
      peerAddress,
      kind,
      alg,
      keyHex: toHex(key),
      aliceInboundSpi: inbound,
      aliceOutboundSpi: outbound,
      holders: peer === 'stranger' ? ['alice'] : ['alice', peer],
    };
    const state: SaState = {
      record,
      key,
      window: new AntiReplayWindow(this.windowPackets),
      challenges: [],
      responses: new Set(),
    };
    this.sas.push(state);
    this.byAliceInbound.set(inbound, state);
    this.byAliceOutbound.set(outbound, state);
    if (peer !== 'mallory' && peer !== 'stranger') this.peerSa.set(peer, state);
    return state;
  }

  /** Whether an SA of the world already uses `spi` (either direction). */
  spiUsed(spi: number): boolean {
    return this.usedSpis.has(spi);
  }

  private freshSpi(rng: Rng): number {
    // A few SPIs out of a million: a collision is rare, and the loop ends at the first miss.
    for (;;) {
      const spi = SPI_MIN + rng.int(SPI_SPAN);
      if (this.usedSpis.has(spi)) continue;
      this.usedSpis.add(spi);
      return spi;
    }
  }

  /** Every SA, in the order they were made. */
  all(): readonly SaState[] {
    return this.sas;
  }

  /** The records of every SA, in the order they were made (the trace's `sas`). */
  records(): SaRecord[] {
    return this.sas.map((s) => s.record);
  }

  /** Whether Alice has an SA with the stranger at `address`. */
  hasStrangerSa(address: Address): boolean {
    return this.sas.some((s) => s.record.peer === 'stranger' && s.record.peerAddress === address);
  }

  /** The SA of an honest peer (Bob, Carol, Sam, Lee) with Alice. */
  ofPeer(peer: NodeName): SaState | undefined {
    return this.peerSa.get(peer);
  }

  /** Whether the peer has an SA with Alice. */
  hasPeer(peer: NodeName): boolean {
    return this.peerSa.has(peer);
  }

  /** The peer of the SA whose outbound SPI (Alice's) is `spi`. */
  peerOfOutbound(spi: number): SaPeer | undefined {
    return this.byAliceOutbound.get(spi)?.record.peer;
  }

  /** Records the Challenges Alice sends in packet `id`, per SA, for the ground truth of Responses. */
  noteAliceSent(id: number, info: PacketInfo): void {
    if (info.spi === undefined) return;
    const sa = this.byAliceOutbound.get(info.spi);
    if (sa === undefined) return;
    for (const ba of info.bas) {
      if (ba.security !== undefined && info.destination !== undefined)
        sa.challenges.push({ packet: id, destination: info.destination, value: ba.security });
    }
  }

  /**
   * The world's verdict on a packet handed to Alice: AH, SA, replay, which challenge a Response
   * answers. AH, the anti-replay window and Response values are the independent ground truth's
   * (properties/truth, DESIGN.md "Independent ground truth"), never impl/crypto's; the codec
   * only says whether the packet decodes at all. `aliceAddresses` are hers when it arrives.
   */
  truthFor(bytes: Uint8Array, aliceAddresses: () => Address[]): ReceiveTruth {
    const truth: ReceiveTruth = {
      ah: 'none',
      sa: null,
      saKind: null,
      mobility: false,
      responses: [],
      responseRepeat: false,
    };
    const result = decodePacket(bytes);
    const facts = arrivalFacts(bytes);
    if (!result.ok || facts === null) {
      truth.ah = 'undecodable';
      return truth;
    }
    const p = result.packet;
    truth.mobility = (p.destOptions ?? []).some((o) => o.kind === 'bu' || o.kind === 'ba' || o.kind === 'br');
    const ah = facts.ah;
    if (ah === null) return truth;
    const sa = this.byAliceInbound.get(ah.spi);
    if (sa === undefined) {
      truth.ah = 'unknown-spi';
      return truth;
    }
    truth.sa = sa.record.name;
    truth.saKind = sa.record.kind;
    if (!verifyIcv(bytes, { alg: sa.record.alg, key: sa.key })) {
      truth.ah = 'bad-icv';
      return truth;
    }
    if (ah.sequence === 0) {
      truth.ah = 'bad-sequence';
      return truth;
    }
    if (!sa.window.check(ah.sequence)) {
      truth.ah = 'replay';
      return truth;
    }
    // The window moves once the ICV verified (RFC 2402 §3.4.3), but not for a packet that the
    // headers before the AH already drop (rule 22's destinations, an unknown option's action
    // bits): a host never reaches its AH.
    const hers = new Set(aliceAddresses());
    if (!droppedBeforeAh(facts, (a) => hers.has(a))) sa.window.update(ah.sequence);
    truth.ah = 'valid';
    const info = inspectPacket(bytes);
    for (const b of info.bus) {
      if (b.security === undefined) continue;
      const response: ResponseTruth = { address: b.careOf, answers: null };
      const addr = addressToBytes(b.careOf);
      for (let i = sa.challenges.length - 1; i >= 0; i--) {
        const c = sa.challenges[i];
        if (c.destination !== b.careOf) continue;
        const expected = responseValue(sa.record.alg, sa.key, fromHex(c.value) ?? new Uint8Array(16), addr);
        if (toHex(expected) === b.security) {
          response.answers = c.packet;
          break;
        }
      }
      if (sa.responses.has(b.security)) truth.responseRepeat = true;
      sa.responses.add(b.security);
      truth.responses.push(response);
    }
    return truth;
  }

  /** An independent copy: windows, challenges and responses copied, the records shared (never written). */
  fork(): SaTruth {
    const sas = new Map<SaState, SaState>(
      this.sas.map((s) => [
        s,
        { ...s, window: s.window.clone(), challenges: s.challenges.slice(), responses: new Set(s.responses) },
      ]),
    );
    const remap = <K>(m: Map<K, SaState>): Map<K, SaState> => new Map([...m].map(([k, s]) => [k, sas.get(s) ?? s]));
    const copy = Object.create(SaTruth.prototype) as SaTruth;
    Object.assign(copy, {
      alg: this.alg,
      windowPackets: this.windowPackets,
      sas: [...sas.values()],
      usedSpis: new Set(this.usedSpis),
      byAliceInbound: remap(this.byAliceInbound),
      byAliceOutbound: remap(this.byAliceOutbound),
      peerSa: remap(this.peerSa),
    });
    return copy;
  }
}
