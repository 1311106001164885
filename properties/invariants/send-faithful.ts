// INV-SEND-FAITHFUL (HOST.md rules 21, 23, 24; ADAPTER-PROTOCOL.md `send`; §1.4, §2.2): Alice
// puts on the wire what her application asked for, and refuses what she must refuse.
//
// Each `send` the world makes is well-formed (rule 24 refuses it for nothing), so:
// - it is accepted (`ok: true`);
// - answered `unreachable: true`, it carries no packet with upper-layer data, and it may say
//   so only when the world cannot prove the entry rule 21 picks has an active address
//   (`ReachProof` below: DESIGN.md's MUST-ACTIVE, judged conservatively) or Alice holds no
//   address of the destination's scope (§1.4, R1.4-14: nothing to send from);
// - otherwise exactly one packet of its `sent` carries upper-layer data (every other one is
//   signalling only), and that packet carries exactly what was asked: UDP with the request's
//   ports (default 5000 and 5000) and payload, or an ICMPv6 echo request with identifier 0,
//   the request's payload and the next sequence number of Alice's echo requests, counted from
//   1 since `reset` (an `unreachable` ICMP send uses none, rule 23); from an address Alice
//   holds of its final destination's scope (§1.4); to a final destination (after a routing
//   header, §2.2.2) that belongs to the peer the send is for: the `to` itself, an address
//   that peer held, or one named in an AH-valid BU under that peer's SA. Every destination
//   rule 21 allows is one of these (an entry holds only its peer's addresses), so a correct
//   choice never fails; a host that sends elsewhere (to an address Mallory claimed in its own
//   entry, to a stale guess) does.
//
// And the world's malformed requests (`invalid` actions, rule 24: a bad address, port,
// payload, key, SPI, `proto`, `kind` or `alg` on `addSA`, `send`, `addLocalAddress` or
// `removeLocalAddress`) must be answered `ok: false` with no effect: nothing sent, and (with
// `state`) the same state after as before. With `state`, every refused request, for any
// reason, must also leave the state as it was (rule 24: "Every request answered `ok: false`,
// for any reason, has no effect"), and every refusal must say why: a non-empty `error` text
// (the adapter protocol's `{"ok": false, "error": "text"}`; any text will do).
//
// The world's no-ops (`noop`: adding an address Alice has, removing one she lacks, at an
// instant with no expiry due; rule 24: "does nothing") send nothing and (with `state`) leave
// the state as it was, accepted or refused.

import { MS_PER_SECOND } from '../../impl/units.js';
import { worldScope as scopeOf } from '../world/scope.js';
import type { HostState } from '../../impl/host/types.js';
import type { Address } from '../../impl/wire/types.js';
import type {
  AddSaEvent,
  AliceEvent,
  NodeName,
  PacketRecord,
  ReceiveEvent,
  SaRecord,
  SendRecord,
  Trace,
} from '../world/types.js';
import { callText, events, Holdings, isData, packet, sameState } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';

const ID = 'INV-SEND-FAITHFUL';
/** ADAPTER-PROTOCOL.md `send`: UDP ports default to 5000 and 5000. */
const UDP_PORT_DEFAULT = 5000;
/** ADAPTER-PROTOCOL.md `send`: Alice's echo requests carry identifier 0. */
const ECHO_IDENTIFIER = 0;
/** ICMPv6 sequence numbers are 16 bits (RFC 4443); Alice's count from 1 and wrap. */
const ECHO_SEQUENCE_MODULUS = 0x10000;

/**
 * What the world can prove about rule 21's entry for a `to`, from its own ground truth: that
 * it has an active address (DESIGN.md "Ground truth": MUST-ACTIVE is not empty). Proofs may be
 * lost, never invented, so an `unreachable` is convicted only when a correct host could not
 * have answered so. Two ways to a proof:
 * - `to` is new to Alice: never in a request of hers, nor in any packet that reached her. A
 *   `send` to it creates an entry with `to` active (rules 17, 21), unless the entries may
 *   already be at `foreignEntriesCountMax` (rule 8: at most one entry per accepted `addSA`
 *   and per distinct `to` of her sends, those answered unreachable included).
 * - `to` is the first address of an entry (an accepted `addSA`'s peer, or the `to` of a send
 *   that created the entry), active with an activity lifetime of `defaultLifetimeSeconds`
 *   from the first time Alice was asked about it (rule 17; activity only extends it). Each
 *   AH-valid BU under the entry's SA naming it may shorten it to an absolute lifetime (rule
 *   6); a BU with lifetime 0 naming it removes it; and anything that may start a conflict
 *   (rule 13) over any address the entry may hold loses the proof for good: an AH-valid
 *   packet under another SA, or a send of Alice's, touching an address seen under this SA
 *   (a conflict may end in both entries being flushed). An entry without an SA loses its
 *   proof as soon as any packet that reaches Alice names or comes from its address.
 */
class ReachProof {
  /** Per address: until when it is active for certain, and the SA of its entry (null: none). */
  private readonly witness = new Map<Address, { expiresAt: number; sa: string | null }>();
  /** Per SA name: every address seen under it (its peer, sources, HAOs, named addresses). */
  private readonly related = new Map<string, Set<Address>>();
  /** Every address Alice was asked about or that a packet reaching her carried. */
  private readonly seen = new Set<Address>();
  /** When Alice was first asked about each address (`send`'s `to`, `addSA`'s `peer`). */
  private readonly firstAsked = new Map<Address, number>();
  /** Entries that may exist: SA names accepted, and distinct `to`s of sends (answered unreachable or not). */
  private readonly entryKeys = new Set<string>();
  private readonly byName = new Map<string, SaRecord>();
  private readonly byInboundSpi = new Map<number, SaRecord>();
  private readonly lifetimeMs: number;
  private readonly bindingMaxMs: number;

  constructor(
    private readonly trace: Trace,
    private readonly entriesMax: number,
  ) {
    const params = trace.config.params;
    this.lifetimeMs = params.defaultLifetimeSeconds * MS_PER_SECOND;
    this.bindingMaxMs = params.bindingLifetimeSecondsMax * MS_PER_SECOND;
    for (const sa of trace.sas) {
      this.byName.set(sa.name, sa);
      this.byInboundSpi.set(sa.aliceInboundSpi, sa);
      this.related.set(sa.name, new Set([sa.peerAddress]));
    }
  }

  /** Whether the entry rule 21 picks for a `send` to `to` at `at` has an active address for certain. */
  reachable(to: Address, at: number): boolean {
    if (!this.seen.has(to)) return this.entryKeys.size < this.entriesMax;
    const w = this.witness.get(to);
    return w !== undefined && at < w.expiresAt;
  }

  /** Takes in one of Alice's calls, after it was judged. */
  observe(event: AliceEvent): void {
    if (!event.ok || event.invalid === true) return;
    if (event.op === 'addSA') this.onAddSa(event);
    else if (event.op === 'send') this.onSend(event.request.to, event.at, event.unreachable === true);
    else if (event.op === 'receive') this.onReceive(event, packet(this.trace, event.input));
  }

  private asked(address: Address, at: number): void {
    this.seen.add(address);
    if (!this.firstAsked.has(address)) this.firstAsked.set(address, at);
  }

  private onSend(to: Address, at: number, unreachable: boolean): void {
    const isNew = !this.seen.has(to);
    const w = this.witness.get(to);
    this.asked(to, at);
    // Even a send answered unreachable may have made an entry (rule 21 makes it before finding
    // no route, e.g. when Alice holds no address of the destination's scope): it may count
    // toward foreignEntriesCountMax (rule 8).
    this.entryKeys.add(`to ${to}`);
    // A `to` not active for certain may be only tentative in another entry: the send then
    // gives it an entry of its own (rule 21), a conflict (rule 13 through rule 17).
    if (w === undefined || at >= w.expiresAt) this.contest(null, [to]);
    if (isNew && !unreachable) this.witness.set(to, { expiresAt: at + this.lifetimeMs, sa: null });
  }

  private onAddSa(event: AddSaEvent): void {
    const sa = this.byInboundSpi.get(event.request.inboundSpi);
    if (sa === undefined) return;
    this.entryKeys.add(`sa ${sa.name}`);
    this.asked(sa.peerAddress, event.at);
    // Rule 13 also applies when an address becomes active through rule 17 while tentative elsewhere.
    if (this.contest(sa.name, [sa.peerAddress])) return;
    this.witness.set(sa.peerAddress, {
      expiresAt: (this.firstAsked.get(sa.peerAddress) ?? event.at) + this.lifetimeMs,
      sa: sa.name,
    });
  }

  private onReceive(event: ReceiveEvent, p: PacketRecord): void {
    const touched = [
      p.info.source,
      p.info.hao,
      ...(p.info.routing ?? []),
      ...p.info.bus.flatMap((b) => b.named),
    ].filter((a): a is Address => a !== undefined);
    for (const a of touched) this.seen.add(a);
    const truth = event.truth;
    if (truth.ah !== 'valid' || truth.sa === null) {
      // Without a valid AH nothing changes in the cache (rule 3), but an entry without an SA
      // is judged only while nothing at all speaks of its address.
      this.dropSaLess(touched);
      return;
    }
    const sa = this.byName.get(truth.sa);
    if (sa === undefined) return;
    this.contest(sa.name, touched);
    const mine = this.related.get(sa.name);
    for (const a of touched) mine?.add(a);
    for (const bu of p.info.bus) {
      for (const a of bu.named) {
        const w = this.witness.get(a);
        if (w === undefined || w.sa !== sa.name) continue;
        if (bu.lifetimeSeconds === 0) this.witness.delete(a);
        else
          w.expiresAt = Math.min(
            w.expiresAt,
            event.at + Math.min(bu.lifetimeSeconds * MS_PER_SECOND, this.bindingMaxMs),
          );
      }
    }
  }

  private dropSaLess(addresses: readonly Address[]): void {
    for (const a of addresses) if (this.witness.get(a)?.sa === null) this.witness.delete(a);
  }

  /**
   * Addresses under SA `name` (null: a send's) that meet another SA's may be contested (rule
   * 13): every proof of either entry is lost. Returns whether any met.
   */
  private contest(name: string | null, addresses: readonly Address[]): boolean {
    if (name !== null) this.dropSaLess(addresses);
    let met = false;
    for (const [other, seen] of this.related) {
      if (other === name || !addresses.some((a) => seen.has(a))) continue;
      met = true;
      for (const [a, w] of [...this.witness])
        if (w.sa === other || (name !== null && w.sa === name)) this.witness.delete(a);
    }
    return met;
  }
}

/**
 * The addresses a send's final destination may be (see the header): the `to`, and for the
 * peer the send is for (the world's intent, else whoever holds `to`), every address it held
 * so far and every address seen in an AH-valid packet under its SAs (source, HAO, named).
 */
class PeerAddresses {
  private readonly named = new Map<NodeName, Set<Address>>();
  private readonly peerOfSa = new Map<string, NodeName>();

  constructor(trace: Trace) {
    for (const sa of trace.sas) {
      if (sa.peer === 'stranger') continue;
      this.peerOfSa.set(sa.name, sa.peer);
      this.add(sa.peer, [sa.peerAddress]);
    }
  }

  observe(trace: Trace, event: AliceEvent): void {
    if (event.op !== 'receive' || event.input === undefined || event.truth?.ah !== 'valid' || event.truth.sa === null)
      return;
    const peer = this.peerOfSa.get(event.truth.sa);
    if (peer === undefined) return;
    const p = packet(trace, event.input);
    this.add(
      peer,
      [p.info.source, p.info.hao, ...p.info.bus.flatMap((b) => b.named)].filter((a): a is Address => a !== undefined),
    );
  }

  private add(peer: NodeName, addresses: readonly Address[]): void {
    const set = this.named.get(peer) ?? new Set<Address>();
    for (const a of addresses) set.add(a);
    this.named.set(peer, set);
  }

  allows(peer: NodeName | null, to: Address, destination: Address, holdings: Holdings): boolean {
    if (destination === to) return true;
    if (peer === null) return false;
    return holdings.everHeld(peer, destination) || (this.named.get(peer)?.has(destination) ?? false);
  }
}

function describePacket(p: PacketRecord): string {
  return `#${p.id} ${p.summary}`;
}

/** What the accepted, reachable `send` asked for, checked on its one data packet; null when it matches. */
function contentProblem(p: PacketRecord, request: SendRecord, echoSequence: number): string | null {
  const payload = request.payload.toLowerCase();
  if (request.proto === 'udp') {
    const sport = request.sport ?? UDP_PORT_DEFAULT;
    const dport = request.dport ?? UDP_PORT_DEFAULT;
    if (p.info.upper !== 'udp') return `it asked for UDP, and the data packet carries ${p.info.upper}`;
    const [s, d] = p.info.ports ?? [-1, -1];
    if (s !== sport || d !== dport) return `it asked for ports ${sport} → ${dport}, and the packet carries ${s} → ${d}`;
  } else {
    if (p.info.upper !== 'echo-request')
      return `it asked for an ICMPv6 echo request, and the data packet carries ${p.info.upper}`;
    const echo = p.info.echo ?? { identifier: -1, sequence: -1 };
    if (echo.identifier !== ECHO_IDENTIFIER)
      return `the echo request's identifier is ${echo.identifier}, not ${ECHO_IDENTIFIER}`;
    if (echo.sequence !== echoSequence)
      return `the echo request's sequence number is ${echo.sequence}, not ${echoSequence} (Alice's echo requests count from 1 since reset; a refused or unreachable send uses none)`;
  }
  if ((p.info.payload ?? '') !== payload)
    return `it asked for payload ${payload}, and the packet carries ${p.info.payload ?? 'none'}`;
  return null;
}

function check(trace: Trace): Verdict {
  const holdings = new Holdings(trace);
  const proof = new ReachProof(trace, trace.config.params.foreignEntriesCountMax);
  const peers = new PeerAddresses(trace);
  let state: HostState | undefined = trace.initialState;
  let echoCount = 0;
  let judged = 0;
  for (const { step, event } of events(trace)) {
    holdings.observe(event);
    if (event.kind !== 'alice') continue;
    const before = state;
    state = event.state ?? state;
    const where = callText(event);
    // The request as the JSON it is, for the messages (a malformed one may hold anything).
    const request: Readonly<Record<string, unknown>> = event.request ?? {};

    if (event.invalid === true) {
      judged += 1;
      if (event.ok)
        return fail(
          ID,
          step,
          `Alice accepted a malformed ${event.op} (${JSON.stringify(request)}), which rule 24 (docs/rules.md) refuses (${where}); she sent ${event.sent.length === 0 ? 'nothing' : event.sent.map((id) => describePacket(packet(trace, id))).join('; ')}`,
        );
    }
    if (event.noop === true) {
      judged += 1;
      if (event.sent.length > 0)
        return fail(
          ID,
          step,
          `Alice was asked ${where} of ${String(request.address)}, which ${event.op === 'addLocalAddress' ? 'she has' : 'she lacks'}: that does nothing (rule 24, docs/rules.md), yet she sent ${event.sent.map((id) => describePacket(packet(trace, id))).join('; ')}`,
        );
      if (event.state !== undefined && !sameState(before, event.state))
        return fail(
          ID,
          step,
          `Alice was asked ${where} of ${String(request.address)}, which ${event.op === 'addLocalAddress' ? 'she has' : 'she lacks'}, with no expiry due: that does nothing (rule 24, docs/rules.md), yet her state changed`,
        );
    }
    if (!event.ok) {
      if (typeof event.error !== 'string' || event.error.trim() === '')
        return fail(
          ID,
          step,
          `Alice refused ${where} with no error text: a refusal is {"ok": false, "error": "text"} (docs/adapter-protocol.md), the text saying why`,
        );
      if (event.state !== undefined && !sameState(before, event.state)) {
        return fail(
          ID,
          step,
          `Alice refused ${where} (${event.error ?? ''}), but her state changed: a refused request has no effect at all (rule 24, docs/rules.md)`,
        );
      }
      if (event.op === 'send' && event.invalid !== true) {
        return fail(
          ID,
          step,
          `Alice refused a well-formed send (${JSON.stringify(request)}, ${where}): ${event.error ?? ''}; rule 24 (docs/rules.md) refuses only malformed requests, and an entry that cannot be had is answered unreachable (rules 8, 21)`,
        );
      }
      continue;
    }
    // Every malformed request is judged above: accepted, it failed; refused, it went on.
    if (event.op === 'send' && event.invalid !== true) {
      judged += 1;
      const to = event.request.to;
      const scope = scopeOf(to);
      const hasSource = holdings.addressesOf('alice').some((a) => scopeOf(a) === scope);
      const data = event.sent.map((id) => packet(trace, id)).filter(isData);
      if (event.unreachable === true) {
        if (data.length > 0)
          return fail(
            ID,
            step,
            `Alice answered ${where} to ${to} unreachable, yet sent data: ${data.map(describePacket).join('; ')}`,
          );
        if (hasSource && proof.reachable(to, event.at)) {
          return fail(
            ID,
            step,
            `Alice answered ${where} to ${to} unreachable, but the entry for ${to} has an active address for certain (rules 17 and 21 of docs/rules.md: ${to} is new to her, or the first address of its entry within its lifetime with nothing that could have removed it) and she holds an address of its scope`,
          );
        }
      } else {
        if (data.length !== 1) {
          return fail(
            ID,
            step,
            `Alice answered ${where} to ${to} with ${data.length} packets carrying upper-layer data, not exactly one: ${event.sent.length === 0 ? 'sent nothing' : event.sent.map((id) => describePacket(packet(trace, id))).join('; ')}`,
          );
        }
        const p = data[0];
        if (event.request.proto !== 'udp') echoCount = (echoCount + 1) % ECHO_SEQUENCE_MODULUS;
        const content = contentProblem(p, event.request, echoCount);
        if (content !== null)
          return fail(
            ID,
            step,
            `Alice's packet ${describePacket(p)} for ${where} (${JSON.stringify(request)}) is not what was asked: ${content}`,
          );
        const source = p.info.source ?? '';
        const destination = p.info.finalDestination ?? p.info.destination ?? '';
        if (holdings.holder(source) !== 'alice')
          return fail(
            ID,
            step,
            `Alice sent the data of ${where} (${describePacket(p)}) from ${source}, which is not hers (held by ${holdings.holder(source) ?? 'nobody'})`,
          );
        if (scopeOf(source) !== scopeOf(destination))
          return fail(
            ID,
            step,
            `Alice sent the data of ${where} (${describePacket(p)}) from ${source} (${scopeOf(source)}) to ${destination} (${scopeOf(destination)}): §1.4 (R1.4-14) wants the destination's scope`,
          );
        const intent = event.intent ?? holdings.holder(to);
        if (!peers.allows(intent, to, destination, holdings)) {
          return fail(
            ID,
            step,
            `Alice sent the data of ${where} to ${to}${intent === null ? '' : ` (for ${intent})`} to ${destination} (${describePacket(p)}), which is neither ${to} nor an address ${intent ?? 'its peer'} held or named under its SA: not an address of the entry rule 21 (docs/rules.md) picks`,
          );
        }
      }
    }
    proof.observe(event);
    peers.observe(trace, event);
  }
  return pass(judged);
}

export const sendFaithful: Property = {
  id: ID,
  needs: 'black-box',
  summary:
    'each accepted send is exactly one data packet with the protocol, ports and payload asked for, from her address to the peer (or unreachable only when it may be), and malformed requests are refused with no effect',
  situation: 'send or malformed request',
  // The reference judges about 2.4 per run at check's defaults (seeds 1..5): a quarter of that.
  judgedPerRun: 0.6,
  check,
};
