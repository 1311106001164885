// The model and the reference host (impl/host) in lockstep on hand-made scenarios, one or
// more for every transition of both machines: after each request both must be in the same
// abstract state (REFINES-MODEL), accept the same requests and agree on `unreachable`. The
// events are derived from the bytes as the world derives them (docs/model.md): the keys,
// the Challenges Alice sent, the clock; never from the host's verdicts. A coverage tracker
// checks that together the scenarios take every transition.

import { afterAll, describe, expect, it } from 'vitest';
import { makeResponse, verifyAh } from '../../impl/crypto/index.js';
import { createHost, seededRandom, type ReferenceHost } from '../../impl/host/index.js';
import type { SaKind } from '../../impl/host/types.js';
import {
  addressToBytes,
  alternatePrefixesFor,
  decodePacket,
  encodePacket,
  expandAlternatePrefixes,
  OPTION_TYPE,
  toHex,
} from '../../impl/wire/index.js';
import type { OptionSpan, Packet, SubOption } from '../../impl/wire/types.js';
import { abstractHostState, abstractModel, diffAbstract } from '../../model/abstraction.js';
import { createModel, step, type CacheModel } from '../../model/cache.js';
import { CoverageTracker, coverageReport } from '../../model/coverage.js';
import type { ModelEvent, ModelParams, PacketItem, ReceivedPacket, ResponseAnswers } from '../../model/events.js';
import {
  bu,
  challengesIn,
  HandPeer,
  KEY_SHA1,
  KEY_SHA1_MALLORY,
  packet,
  udp,
  type SeenChallenge,
} from '../host/helpers.js';
import { A1, B1, B2, B3, M1, PARAMS } from './helpers.js';

const tracker = new CoverageTracker();
const S = 1000;
const MOBILITY_OPTIONS: ReadonlySet<number> = new Set([
  OPTION_TYPE.hao,
  OPTION_TYPE.bu,
  OPTION_TYPE.ba,
  OPTION_TYPE.br,
]);

interface Sa {
  inbound: number;
  outbound: number;
  key: Uint8Array;
  peer: HandPeer;
  sequence: number;
}

/** Alice (reference host) and the model, driven together. */
class Pair {
  readonly host: ReferenceHost;
  model: CacheModel;
  readonly sas = new Map<string, Sa>();
  /** Distinct Challenge values Alice sent, per (Alice's inbound SPI, address), in order. */
  private readonly challenges = new Map<string, string[]>();
  private readonly sentHex = new Map<string, { destination: string; spi: number | null }>();
  readonly sent: Uint8Array[] = [];
  now = 0;

  constructor(params: Partial<ModelParams> = {}) {
    this.host = createHost({ localAddresses: [A1], params, random: seededRandom(7), nowMs: 0 });
    this.model = createModel({ localAddresses: [A1], params });
  }

  private compare(event: ModelEvent, answer: { ok: boolean; unreachable?: true }, sent: Uint8Array[]): void {
    const r = step(this.model, event, { observer: tracker });
    this.model = r.model;
    expect(r.accepted, `accepted after ${event.type}`).toBe(answer.ok);
    if (event.type === 'send' && answer.ok) expect(r.unreachable, 'unreachable').toBe(answer.unreachable === true);
    expect(
      diffAbstract(abstractHostState(this.host.snapshot()), abstractModel(this.model), ['Alice', 'model']),
      `after ${JSON.stringify(event)}`,
    ).toEqual([]);
    this.learn(sent);
  }

  private learn(sent: Uint8Array[]): void {
    for (const bytes of sent) {
      this.sent.push(bytes);
      const d = decodePacket(bytes);
      if (!d.ok) continue;
      const spi = d.packet.ah?.spi ?? null;
      this.sentHex.set(toHex(bytes), { destination: d.packet.ipv6.destination, spi });
      const sa = [...this.sas.values()].find((x) => x.outbound === spi);
      if (sa === undefined) continue;
      for (const ch of challengesIn([bytes])) {
        const key = `${sa.inbound}|${ch.packet.ipv6.destination}`;
        const list = this.challenges.get(key) ?? [];
        if (!list.includes(toHex(ch.value))) list.push(toHex(ch.value));
        this.challenges.set(key, list);
      }
    }
  }

  at(now: number): this {
    this.now = now;
    return this;
  }

  addSa(
    name: string,
    peerAddress: string,
    inbound: number,
    kind: SaKind = 'generic',
    key: Uint8Array = KEY_SHA1,
  ): void {
    const sa: Sa = { inbound, outbound: inbound + 1000, key, peer: new HandPeer(inbound, key), sequence: 1 };
    this.sas.set(name, sa);
    const answer = this.host.addSA(
      { peer: peerAddress, inboundSpi: inbound, outboundSpi: sa.outbound, alg: 'hmac-sha1-96', key, kind },
      this.now,
    );
    this.compare(
      { type: 'saAdded', now: this.now, peer: peerAddress, inboundSpi: inbound, outboundSpi: sa.outbound, kind },
      answer,
      answer.ok ? answer.sent : [],
    );
  }

  tick(now: number): void {
    this.now = now;
    const answer = this.host.tick(now);
    this.compare({ type: 'tick', now }, answer, answer.ok ? answer.sent : []);
  }

  send(to: string): void {
    const answer = this.host.send({ to, proto: 'udp', payload: new Uint8Array([1]) }, this.now);
    this.compare({ type: 'send', now: this.now, to }, answer, answer.ok ? answer.sent : []);
  }

  /** Delivers bytes to Alice; the model gets the event derived from them. */
  receive(bytes: Uint8Array): void {
    const event = this.derive(bytes);
    const answer = this.host.receive(bytes, this.now);
    this.compare(event, answer, answer.ok ? answer.sent : []);
  }

  /** A BU from `name`'s peer under its SA: from `source`, naming `source` and `others`. */
  claim(
    name: string,
    source: string,
    others: string[],
    opts: { lifetimeSeconds?: number; homelessSupport?: boolean; hao?: string } = {},
  ): void {
    const sa = this.sa(name);
    const subs: SubOption[] = [];
    if (opts.homelessSupport === true) subs.push({ kind: 'homeless-support' });
    if (others.length > 0) subs.push(...alternatePrefixesFor(others, source));
    const options = [
      ...(opts.hao === undefined ? [] : [{ kind: 'hao' as const, homeAddress: opts.hao }]),
      bu(sa.sequence++, opts.lifetimeSeconds ?? 600, subs),
    ];
    this.receive(sa.peer.protect(packet(source, A1, options)));
  }

  /** `name`'s peer answers the latest Challenge Alice sent to `address` under its SA (or forges an answer). */
  answer(name: string, address: string, lifetimeSeconds?: number, forged = false): void {
    const sa = this.sa(name);
    const ch = this.latestChallenge(sa, address);
    const value = forged
      ? new Uint8Array(16).fill(0xee)
      : makeResponse('hmac-sha1-96', sa.key, ch.value, addressToBytes(address));
    const p = packet(address, ch.packet.ipv6.source, [
      bu(sa.sequence++, lifetimeSeconds ?? ch.lifetimeSeconds, [{ kind: 'security', value }]),
    ]);
    this.receive(sa.peer.protect(p));
  }

  data(name: string, source: string): void {
    this.receive(this.sa(name).peer.protect(packet(source, A1, undefined, udp(new Uint8Array([7])))));
  }

  /** An ICMPv6 Parameter Problem quoting `quoted` (under `name`'s SA if given). */
  parameterProblem(from: string, quoted: Uint8Array, code = 2, underSa?: string): void {
    const p = parameterProblemPacket(from, quoted, code);
    this.receive(underSa === undefined ? encodePacket(p) : this.sa(underSa).peer.protect(p));
  }

  private sa(name: string): Sa {
    const sa = this.sas.get(name);
    if (sa === undefined) throw new Error(`no SA ${name}`);
    return sa;
  }

  private latestChallenge(sa: Sa, address: string): SeenChallenge {
    const all = challengesIn(this.sent, address).filter((c) => c.spi === sa.outbound);
    const ch = all[all.length - 1];
    if (ch === undefined) throw new Error(`no Challenge to ${address}`);
    return ch;
  }

  private answers(inbound: number, address: string, response: Uint8Array): ResponseAnswers {
    const sa = [...this.sas.values()].find((x) => x.inbound === inbound);
    const list = this.challenges.get(`${inbound}|${address}`) ?? [];
    if (sa === undefined) return 'forged';
    for (let k = 0; k < list.length; k++) {
      const challenge = Uint8Array.from(list[k].match(/../g) ?? [], (h) => parseInt(h, 16));
      if (toHex(makeResponse('hmac-sha1-96', sa.key, challenge, addressToBytes(address))) === toHex(response))
        return k + 1;
    }
    return 'forged';
  }

  /** The event the world derives from bytes it sends Alice (docs/model.md, "Event vocabulary"). */
  private derive(bytes: Uint8Array): ModelEvent {
    const now = this.now;
    const d = decodePacket(bytes);
    if (!d.ok) return { type: 'noise', now };
    const p = d.packet;
    const sa = p.ah === undefined ? undefined : [...this.sas.values()].find((x) => x.inbound === p.ah?.spi);
    const icvValid =
      p.ah !== undefined && sa !== undefined && verifyAh(bytes, d.layout, p.ah, { alg: 'hmac-sha1-96', key: sa.key });
    const items: PacketItem[] = [];
    let hao: string | null = null;
    for (const o of p.destOptions ?? []) {
      if (o.kind === 'hao') hao = o.homeAddress;
      if (o.kind === 'ba') items.push({ kind: 'bindingAck', status: o.status });
      if (o.kind === 'br')
        items.push({
          kind: 'bindingRequest',
          homelessSupport: o.subOptions.some((s) => s.kind === 'homeless-support'),
        });
      if (o.kind !== 'bu') continue;
      let careOf = p.ipv6.source;
      for (const s of o.subOptions) if (s.kind === 'alternate-coa') careOf = s.address;
      const security = o.subOptions.find((s) => s.kind === 'security');
      if (security !== undefined && security.kind === 'security') {
        const wellFormed =
          o.subOptions.every((s) => s.kind === 'security' || s.kind === 'alternate-coa') &&
          o.subOptions.filter((s) => s.kind === 'alternate-coa').length <= 1;
        const answers = p.ah === undefined || !icvValid ? 'forged' : this.answers(p.ah.spi, careOf, security.value);
        items.push({
          kind: 'response',
          sequence: o.sequence,
          lifetimeSeconds: o.lifetimeSeconds,
          address: careOf,
          answers,
          wellFormed,
        });
      } else {
        const named = [careOf];
        for (const a of expandAlternatePrefixes(o, p.ipv6.source)) if (!named.includes(a)) named.push(a);
        items.push({
          kind: 'bindingUpdate',
          sequence: o.sequence,
          lifetimeSeconds: o.lifetimeSeconds,
          homelessSupport: o.subOptions.some((s) => s.kind === 'homeless-support'),
          named,
        });
      }
    }
    if (p.upper.kind !== 'none') items.push({ kind: 'data' });
    const received: ReceivedPacket = {
      source: p.ipv6.source,
      destinations: [p.ipv6.destination, ...(p.routing?.addresses ?? [])],
      ah: p.ah === undefined ? null : { spi: p.ah.spi, sequence: p.ah.sequence, icvValid },
      hao,
      items,
    };
    if (p.upper.kind === 'icmpv6' && p.upper.message.type === 'parameter-problem') {
      const m = p.upper.message;
      const hit = this.sentHex.get(toHex(m.invoking)) ?? null;
      const about =
        hit !== null && MOBILITY_OPTIONS.has(optionSpans(m.invoking).find((o) => o.offset === m.pointer)?.type ?? -1);
      const quoted = hit === null ? null : { destination: hit.destination, outboundSpi: hit.spi };
      return { type: 'parameterProblem', now, code: m.code, aboutMobilityOption: about, quoted, packet: received };
    }
    return { type: 'received', now, packet: received };
  }
}

/** An ICMPv6 Parameter Problem to Alice quoting `quoted`, pointing at its first Mobile IPv6 option. */
function parameterProblemPacket(from: string, quoted: Uint8Array, code: number): Packet {
  const pointer = optionSpans(quoted).find((o) => MOBILITY_OPTIONS.has(o.type))?.offset ?? 0;
  return {
    ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: from, destination: A1 },
    upper: { kind: 'icmpv6', message: { type: 'parameter-problem', code, pointer, invoking: quoted } },
  };
}

/** Every destination option in `bytes`, in wire order, as the decoder found it (none if the bytes do not decode). */
function optionSpans(bytes: Uint8Array): OptionSpan[] {
  const d = decodePacket(bytes);
  return d.ok ? d.layout.options : [];
}

/** Alice with Bob's SA and Bob's homeless Initial BU naming B1 and `others`. */
function withBob(others: string[] = [B2], params: Partial<ModelParams> = {}): Pair {
  const pair = new Pair(params);
  pair.addSa('bob', B1, 256);
  pair.at(10).claim('bob', B1, others, { homelessSupport: true, hao: B1 });
  return pair;
}

describe('model and reference host agree, transition by transition', () => {
  it('homeless_peer_claims_verifies_and_expires', () => {
    const pair = withBob();
    pair.at(20).data('bob', B1);
    pair.at(30).answer('bob', B2);
    pair.tick(10 + 600 * S);
    pair.tick(30 + 600 * S + PARAMS.maximumExpiredLifetimeSeconds * S);
  });

  it('forged_response_and_other_parameter_problems_change_nothing', () => {
    const pair = withBob();
    pair.at(20).answer('bob', B2, undefined, true);
    pair.at(30).parameterProblem(B1, pair.sent[0], 1);
  });

  it('unanswered_claim_expires_and_a_claim_can_be_withdrawn', () => {
    const pair = withBob([B2, B3]);
    pair.at(100).claim('bob', B1, [B3], { lifetimeSeconds: 0 });
    pair.tick(10 + PARAMS.challengeLifetimeMs);
  });

  it('deprecated_address_named_again_or_deleted', () => {
    const pair = withBob([B2, B3]);
    pair.at(20).answer('bob', B2, 1);
    pair.at(30).answer('bob', B3, 1);
    pair.tick(2 * S);
    pair.at(3 * S).claim('bob', B1, [B2]);
    pair.at(4 * S).claim('bob', B1, [B3], { lifetimeSeconds: 0 });
  });

  it('compat_standard_then_homeless', () => {
    const pair = new Pair();
    pair.addSa('bob', B1, 256);
    pair.tick(PARAMS.compatProbeTimeoutMs);
    pair.at(PARAMS.compatProbeTimeoutMs + 10).claim('bob', B1, [], { homelessSupport: true });
  });

  it('compat_standard_then_standard_mobile_then_homeless', () => {
    const pair = new Pair();
    pair.addSa('bob', B1, 256);
    pair.tick(PARAMS.compatProbeTimeoutMs);
    pair.at(PARAMS.compatProbeTimeoutMs + 10).claim('bob', B2, [], { hao: B1 });
    pair.at(PARAMS.compatProbeTimeoutMs + 20).claim('bob', B2, [], { hao: B1 });
    pair.at(PARAMS.compatProbeTimeoutMs + 30).claim('bob', B1, [], { homelessSupport: true });
  });

  it('parameter_problem_under_ah_refreshes_activity_and_one_failing_ah_is_dropped', () => {
    const pair = new Pair();
    pair.addSa('bob', B1, 256);
    const initialBu = pair.sent[pair.sent.length - 1];
    // A wrong key: the ICV fails, the whole packet is dropped (rule 2), the peer stays unknown.
    pair.at(10).receive(new HandPeer(256, KEY_SHA1_MALLORY).protect(parameterProblemPacket(B1, initialBu, 2)));
    pair.at(20).parameterProblem(B1, initialBu, 2, 'bob');
    expect(pair.model.entries[0].compat.value).toBe('legacy');
  });

  it('compat_unknown_and_standard_peers_turn_legacy_then_homeless', () => {
    const pair = new Pair();
    pair.addSa('bob', B1, 256);
    const initialBu = pair.sent[pair.sent.length - 1];
    pair.at(10).parameterProblem(B1, initialBu);
    pair.at(20).claim('bob', B1, [], { homelessSupport: true });
    const other = new Pair();
    other.addSa('bob', B1, 256);
    other.tick(PARAMS.compatProbeTimeoutMs);
    other.at(PARAMS.compatProbeTimeoutMs + 5).parameterProblem(B1, other.sent[0]);
  });

  it('add_sa_reuses_an_entry_send_made_with_its_address_active_or_deprecated', () => {
    const active = new Pair();
    active.send(B1);
    active.at(100).addSa('bob', B1, 256);
    const deprecated = new Pair();
    deprecated.send(B1);
    deprecated.tick(PARAMS.defaultLifetimeSeconds * S);
    deprecated.at(PARAMS.defaultLifetimeSeconds * S + 1).addSa('bob', B1, 256);
  });

  describe('conflicts (rule 13)', () => {
    /** Bob holds B2 active; Mallory (its own SA) claims B2. */
    function contested(): Pair {
      const pair = withBob();
      pair.at(20).answer('bob', B2);
      pair.at(30).addSa('mallory', M1, 258, 'generic', KEY_SHA1_MALLORY);
      pair.at(40).claim('mallory', M1, [B2], { homelessSupport: true });
      return pair;
    }

    it('holder_silent_claimant_answers', () => {
      const pair = contested();
      pair.at(50).answer('mallory', B2);
      pair.tick(40 + PARAMS.challengeLifetimeMs);
    });

    it('claimant_silent_holder_answers', () => {
      const pair = contested();
      pair.at(50).answer('bob', B2, 100);
      pair.tick(40 + PARAMS.challengeLifetimeMs);
    });

    it('claimant_withdraws_then_holder_answers_uncontested', () => {
      const pair = contested();
      pair.at(50).claim('mallory', M1, [B2], { lifetimeSeconds: 0 });
      pair.at(60).answer('bob', B2);
    });

    it('both_answer_both_entries_flushed_deprecated_addresses_included', () => {
      const pair = withBob([B2, B3]);
      pair.at(20).answer('bob', B2);
      pair.at(25).answer('bob', B3, 1);
      pair.tick(2 * S); // B3 deprecated
      pair.at(2 * S + 10).addSa('mallory', M1, 258, 'generic', KEY_SHA1_MALLORY);
      pair.at(2 * S + 20).claim('mallory', M1, [B2], { homelessSupport: true });
      pair.at(2 * S + 25).claim('bob', B1, ['2001:db8:b4::1']); // tentative at the flush
      pair.at(2 * S + 30).answer('mallory', B2);
      pair.at(2 * S + 40).answer('bob', B2);
    });

    it('holder_without_sa_is_displaced', () => {
      const pair = new Pair();
      pair.send(B2);
      pair.at(10).addSa('mallory', M1, 258, 'generic', KEY_SHA1_MALLORY);
      pair.at(20).claim('mallory', M1, [B2], { homelessSupport: true });
      pair.at(30).answer('mallory', B2);
    });

    it('first_address_while_tentative_elsewhere_is_rechecked', () => {
      const pair = new Pair();
      pair.addSa('mallory', M1, 258, 'generic', KEY_SHA1_MALLORY);
      pair.at(10).claim('mallory', M1, [B1], { homelessSupport: true });
      pair.at(20).addSa('bob', B1, 256);
      pair.at(30).answer('bob', B1);
      pair.tick(10 + PARAMS.challengeLifetimeMs);
    });
  });

  afterAll(() => {
    // Together the scenarios take every transition of both machines against the host.
    const report = coverageReport(tracker);
    expect(report.split('\n')[0], report).toMatch(/^states 13\/13, transitions 36\/36, /);
  });
});
