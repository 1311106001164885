// Alice's periodic BUs (docs/rules.md rule 16), judged for REFINES-SIGNALLING from the world's
// ground truth alone: "Every `bindingRefreshSeconds`, Alice sends a periodic BU (without the A
// bit) naming all her global addresses to each peer entry with an SA whose peer is `homeless`
// or `unknown` ... Retransmissions and periodic BUs happen only in `tick`."
//
// Black box, the kind of a peer is proven only one way: an AH-valid BU with Homeless Support
// under the SA reached Alice, which makes the peer `homeless` for good (rule 15). Only such SAs
// are judged, both ways, and conservatively:
//
//   (1) Never too often. A `tick` that sends, under the SA, a BU that is no Response, has no A
//       bit and a lifetime > 0 (a refresh) is a refresh tick. Two refresh ticks of one SA less
//       than bindingRefreshSeconds apart fail, unless something in between may have owed a BU
//       of its own (rule 20's announcements, rule 16's answer to a BR): Alice gaining or losing
//       an address, a BR under the SA, or a clock jump.
//   (2) Owed. The anchor of an SA is the latest of: the last BU Alice sent under it (in any
//       call; the reference's period counts from its `addSA`, before the Initial BU, or from its
//       last periodic BU) and the last `tick` at or after a due instant that the property could
//       not prove owed (the host may have found no route then and counted the period again).
//       Every `tick` before the peer is proven homeless, once it may be `standard`,
//       `standard-mobile` or `legacy` (compatProbeTimeoutMs after the Initial BU, or an
//       authenticated BU without Homeless Support, or a Parameter Problem), moves the anchor too:
//       the host may have had its due instant then and sent that kind's BU or none (a peer whose
//       Initial BU never reached Alice falls back to `standard`, and its periodic BU makes it
//       homeless later). An `unknown` peer gets a periodic BU as a homeless one does.
//       A `tick` at or after anchor + bindingRefreshSeconds must carry a BU under the SA when
//       the world can prove the BU can go: Alice holds an address, and the entry provably
//       holds an active address D of the peer's, with its lifetime still running:
//         - the SA's first address, from an accepted `addSA` to which no `send` went before
//           (rule 17: active, with an activity-related lifetime of defaultLifetimeSeconds);
//         - an address a correct Response under the SA named (the world's verdict), when no
//           other SA ever claimed it (rule 12; with a rival, rule 13 may flush it): active with
//           min(lifetime, bindingLifetimeSecondsMax) from then;
//         - an address an AH-valid BU under the SA (no Response, lifetime > 0) named while
//           provably active, or to which Alice sent a packet under the SA, no Challenge, after
//           that BU (she sends only to active addresses, rule 21): min(lifetime,
//           bindingLifetimeSecondsMax) from the BU (rule 6).
//       A proof ends with a later BU under the SA naming D (it may shorten or end its
//       lifetime), an AH-valid BU under another SA naming D (a conflict, rule 13), Alice
//       holding D (rule 5), a clock jump, and a correct Response for an address that another SA
//       claimed or holds as its first address (rule 13: when both sides answer, both entries
//       are flushed, every address removed): every proof of both SAs ends.
//
// Rule 16 goes on: "toward a `standard` or `standard-mobile` peer she refreshes her emulated
// bindings in draft-13 form instead ... A BR from a peer is answered at once with that same
// BU." (4) judges that refresh toward a peer the world proves `standard` or `standard-mobile`
// (REFINES-SIGNALLING (h)'s proof: no AH-valid BU or BR with Homeless Support under the SA, in
// an earlier call or this one; and an AH-valid BU without it, no HAO and no routing header,
// in an earlier call, or compatProbeTimeoutMs since the Initial BU of its `addSA`), and not
// possibly `legacy` (no ICMPv6 Parameter Problem quoting a packet of Alice's under the SA, or
// one the world cannot place, reached her: rule 15 sends a legacy peer nothing). A binding of
// the SA is home H → care-of C from the last BU Alice sent under it with HAO H (no Response)
// from a source C ≠ H with a lifetime > 0 (the emulation's BUs, §2.2.2, and their refreshes); a
// BU with HAO H and lifetime 0 ends it, and so does Alice losing C. Judged only while the SA
// holds one binding (a host may bound its bindings; the reference keeps 64 per entry):
//   (4a) What it is. Every BU (no Response) Alice sends under the SA in the `receive` of an
//        AH-valid BR under it has no A bit (rule 16: the BR is answered "with that same BU", the
//        periodic BU, which has none, and the draft-13 refresh goes instead of it). Not judged in
//        a `tick`, where a host may also repeat an emulation BU that no BA answered yet (§2.2.2:
//        "keep sending Binding Updates until a Binding Acknowledgement is received").
//   (4b) Owed, in the BR's answer. The `receive` of an AH-valid BR under the SA, in a packet
//        every correct host processes (no HAO, no routing header), while the entry provably
//        holds an active address as in (2) and Alice holds C but not H, sends under the SA a BU
//        from C with HAO H (no Response, lifetime > 0).
//   (4c) Owed, in time. The binding's anchor is the latest of its last BU and the last `tick`
//        in which the world could not prove the refresh could go (no proven active address, or
//        the peer's kind unproven): the host may have skipped its due refresh then and counted
//        its period again. A `tick` at or after anchor + bindingRefreshSeconds, while the proofs
//        of (4b) hold, sends under the SA a BU from C with HAO H. Alice losing another address
//        does not end a binding: only C's loss does (§2.2.2: the binding is the connection's).

import { MS_PER_SECOND } from '../../impl/units.js';
import type { Address } from '../../impl/wire/types.js';
import { isGlobalAddress } from '../../impl/wire/index.js';
import type { AliceEvent, AliceEventOf, BuInfo, PacketRecord, ReceiveTruth, SaRecord, Trace } from '../world/types.js';
import { callText, carriesHomelessSupport, clockText, Holdings, isChallenge, packet, SaIndex } from './trace-view.js';

/** What the judgement found: how many refresh instants it judged, or the first departure. */
export type PeriodicBuVerdict = { ok: true; judged: number } | { ok: false; step: number; reason: string };

/** A peer address of an entry the world can prove active, from the BU that named it. */
interface Proof {
  /** When the last AH-valid BU under the SA naming it reached Alice. */
  namedAt: number;
  /** That BU's lifetime, capped (rule 6). */
  lifetimeMs: number;
  /** Whether Alice sent it a packet under the SA since (so it was active). */
  used: boolean;
}

/** (4) An emulated binding of Alice's at the peer: home → care-of, from her last BU with that HAO. */
interface Binding {
  careOf: Address;
  /** The last BU for it had a lifetime > 0. */
  live: boolean;
  /** Its last BU, or the last tick the world could not prove its refresh could go (4c). */
  anchor: number;
}

interface PerSa {
  sa: SaRecord;
  /** Proven homeless (rule 15): an AH-valid BU with Homeless Support under the SA reached Alice. */
  homeless: boolean;
  /** (4) Maybe homeless: an AH-valid BU or BR with Homeless Support under the SA reached Alice. */
  maybeHomeless: boolean;
  /** (4) Proven standard-mobile: an AH-valid BU without Homeless Support, no HAO, no routing header, reached her. */
  mobile: boolean;
  /** (4) When Alice sent her Initial BU under the SA (in its `addSA`), or null. */
  initialAt: number | null;
  /** (4) A Parameter Problem that may make the peer legacy (rule 15) reached Alice. */
  mayBeLegacy: boolean;
  /** (4) Home address → binding. */
  bindings: Map<Address, Binding>;
  /** The anchor of (2), or null before Alice's first BU under the SA. */
  anchor: number | null;
  /** The last refresh tick (1), or null. */
  lastRefreshTick: number | null;
  /** Something since the last refresh tick may have owed a BU of its own (1). */
  disturbed: boolean;
  proofs: Map<Address, Proof>;
}

/** Whether a packet Alice sent carries a BU that is a refresh: no Response, no A bit, lifetime > 0. */
function isRefresh(bus: readonly { ack: boolean; lifetimeSeconds: number; security?: string }[]): boolean {
  return bus.some((b) => b.security === undefined && !b.ack && b.lifetimeSeconds > 0);
}

/**
 * (3) Why the BUs of one `tick` under a homeless peer's SA are not rule 16's periodic BU, or null:
 * one has the A bit, or together they leave out one of Alice's global addresses.
 */
function periodicFault(bus: readonly { id: number; bu: BuInfo }[], local: ReadonlySet<Address>): string | null {
  const asking = bus.find((b) => b.bu.ack);
  if (asking !== undefined) return `with the A bit (BU #${asking.bu.sequence}, packet #${asking.id})`;
  const named = new Set(bus.flatMap((b) => b.bu.named));
  const missing = [...local].filter((a) => isGlobalAddress(a) && !named.has(a));
  if (missing.length === 0) return null;
  return `naming ${[...named].join(', ')} but not ${missing.join(', ')}, hers (packet${bus.length > 1 ? 's' : ''} ${[...new Set(bus.map((b) => `#${b.id}`))].join(', ')})`;
}

export function judgePeriodicBus(trace: Trace): PeriodicBuVerdict {
  const sas = new SaIndex(trace);
  const params = trace.config.params;
  const periodMs = params.bindingRefreshSeconds * MS_PER_SECOND;
  const capMs = params.bindingLifetimeSecondsMax * MS_PER_SECOND;
  const holdings = new Holdings(trace);
  const per = new Map<string, PerSa>();
  const probeMs = params.compatProbeTimeoutMs;
  for (const sa of trace.sas)
    per.set(sa.name, {
      sa,
      homeless: false,
      maybeHomeless: false,
      mobile: false,
      initialAt: null,
      mayBeLegacy: false,
      bindings: new Map(),
      anchor: null,
      lastRefreshTick: null,
      disturbed: false,
      proofs: new Map(),
    });
  /** Every address an AH-valid BU named, with the SAs it came under (rule 13's rivals). */
  const claimedBy = new Map<Address, Set<string>>();
  /** Every address Alice's application sent to (rule 17: a `send` may make an entry before its `addSA`). */
  const sentTo = new Set<Address>();
  /** Alice's addresses as her accepted requests made them (the world's owners at the start, then her address changes). */
  const local = new Set<Address>(
    Object.entries(trace.owners).flatMap(([a, node]): Address[] => (node === 'alice' ? [a] : [])),
  );
  let judged = 0;

  const disturbAll = (): void => {
    for (const s of per.values()) s.disturbed = true;
  };

  for (const step of trace.steps) {
    if (step.action?.kind === 'jump') {
      for (const s of per.values()) {
        s.disturbed = true;
        s.proofs.clear();
      }
    }
    for (const event of step.events) {
      if (event.kind === 'own') {
        holdings.observe(event);
        if (event.from === 'alice' || event.to === 'alice') disturbAll();
        if (event.to === 'alice') for (const s of per.values()) s.proofs.delete(event.address);
        continue;
      }
      if (event.kind !== 'alice') continue;
      if ((event.op === 'addLocalAddress' || event.op === 'removeLocalAddress') && event.ok) {
        disturbAll();
        const address = event.request.address;
        if (typeof address === 'string') {
          if (event.op === 'addLocalAddress') local.add(address);
          else local.delete(address);
        }
      }

      // (4) What the received packet proves before her answer: Homeless Support counts in this very call.
      const received =
        event.op === 'receive' && event.invalid !== true
          ? { truth: event.truth, packet: packet(trace, event.input) }
          : undefined;
      const brUnder =
        received === undefined ? undefined : observeKind(trace, received.truth, received.packet, per, sas);

      // What Alice sent in this call, per SA.
      const buUnder = new Set<PerSa>();
      const refreshUnder = new Set<PerSa>();
      /** (3) Per SA, the BUs of the call that are no Response, with their packets. */
      const claimsUnder = new Map<PerSa, { id: number; bu: BuInfo }[]>();
      for (const id of event.sent) {
        const p = packet(trace, id);
        const sa = sas.byOutbound(p.info.spi);
        const s = sa === undefined ? undefined : per.get(sa.name);
        if (s === undefined) continue;
        const to = p.info.destination;
        // A Challenge goes to a tentative address (rule 9): it proves nothing active.
        if (to !== undefined && !isChallenge(p)) {
          const proof = s.proofs.get(to);
          if (proof !== undefined) proof.used = true;
        }
        if (p.info.bus.length === 0) continue;
        buUnder.add(s);
        if (isRefresh(p.info.bus)) refreshUnder.add(s);
        for (const bu of p.info.bus)
          if (bu.security === undefined) claimsUnder.set(s, [...(claimsUnder.get(s) ?? []), { id, bu }]);
      }

      // (4) The emulated bindings' draft-13 refresh toward a peer proven standard.
      if (event.op === 'tick' || brUnder !== undefined) {
        for (const s of per.values()) {
          const fault = judgeRefresh(s, event, brUnder === s, claimsUnder.get(s) ?? []);
          if (fault !== null) return { ok: false, step: step.index, reason: fault };
        }
      }
      for (const [s, list] of claimsUnder) noteBindings(s, list, event.at);

      if (event.op === 'tick') {
        for (const s of per.values()) {
          if (!s.homeless) {
            // Not (yet) proven homeless, and maybe no longer `unknown` (which gets a periodic BU
            // too): this tick may be the host's due instant, when it sent what the kind it took
            // the peer for gets (draft-13 refreshes, or nothing) and counted its period again.
            if (s.anchor !== null && maybeNotUnknown(s, event)) s.anchor = event.at;
            continue;
          }
          // (3) What a periodic BU is: no A bit, naming all Alice's global addresses.
          const periodic = claimsUnder.get(s);
          if (periodic !== undefined) {
            judged += 1;
            const fault = periodicFault(periodic, local);
            if (fault !== null)
              return {
                ok: false,
                step: step.index,
                reason: `Alice sent a periodic BU to ${s.sa.peerAddress} (SA ${s.sa.name}, a homeless peer) in the ${callText(event)} ${fault} (docs/rules.md rule 16: a periodic BU, no A bit, naming all her global addresses)`,
              };
          }
          // (1) Not more often than every bindingRefreshSeconds.
          if (refreshUnder.has(s)) {
            if (s.lastRefreshTick !== null && !s.disturbed) {
              judged += 1;
              if (event.at - s.lastRefreshTick < periodMs) {
                return {
                  ok: false,
                  step: step.index,
                  reason: `Alice sent a periodic BU to ${s.sa.peerAddress} (SA ${s.sa.name}, a homeless peer) in the ${callText(event)}, ${event.at - s.lastRefreshTick} ms after the one in the tick at ${clockText(s.lastRefreshTick)}, before bindingRefreshSeconds = ${params.bindingRefreshSeconds} s, with no address change of hers and no BR in between (docs/rules.md rule 16)`,
                };
              }
            }
            s.lastRefreshTick = event.at;
            s.disturbed = false;
          }
          // (2) Owed at or after anchor + bindingRefreshSeconds.
          if (s.anchor === null || event.at < s.anchor + periodMs) continue;
          const route = holdings.addressesOf('alice').length > 0 ? provenRoute(s, event) : undefined;
          if (route !== undefined) judged += 1;
          if (buUnder.has(s)) continue;
          if (route !== undefined) {
            return {
              ok: false,
              step: step.index,
              reason: `Alice sent no periodic BU to ${s.sa.peerAddress} (SA ${s.sa.name}, a homeless peer: an authenticated BU with Homeless Support reached her) in the ${callText(event)}, though her last BU to it (or the last tick it was due in) was at ${clockText(s.anchor)}, bindingRefreshSeconds = ${params.bindingRefreshSeconds} s before or more, and its entry still holds ${route} active (docs/rules.md rule 16)`,
            };
          }
          // Not provably owed: the host may have counted its period again from here.
          s.anchor = event.at;
        }
      }
      for (const s of buUnder) s.anchor = event.at;
      if (event.op === 'receive') observeReceived(trace, event, per);
      if (received !== undefined) observeMobile(received.truth, received.packet, per);
      if (event.op === 'addSA' && event.ok && typeof event.request.inboundSpi === 'number') {
        const s = per.get(sas.byInbound(event.request.inboundSpi)?.name ?? '');
        if (s !== undefined && s.initialAt === null && buUnder.has(s)) s.initialAt = event.at;
      }
      if (event.op === 'send' && typeof event.request.to === 'string') sentTo.add(event.request.to);
      // Rule 17: an accepted `addSA` makes its peer active, with an activity-related lifetime of defaultLifetimeSeconds.
      if (event.op === 'addSA' && event.ok) {
        const sa = sas.byInbound(typeof event.request.inboundSpi === 'number' ? event.request.inboundSpi : undefined);
        const s = sa === undefined ? undefined : per.get(sa.name);
        // Not when a `send` made the entry first: its lifetime then counts from that activity.
        if (
          s !== undefined &&
          sa !== undefined &&
          holdings.holder(sa.peerAddress) !== 'alice' &&
          !claimedBy.has(sa.peerAddress) &&
          !sentTo.has(sa.peerAddress)
        ) {
          s.proofs.set(sa.peerAddress, {
            namedAt: event.at,
            lifetimeMs: params.defaultLifetimeSeconds * MS_PER_SECOND,
            used: true,
          });
        }
      }
    }
  }
  return { ok: true, judged };

  function provenRoute(s: PerSa, event: AliceEvent): Address | undefined {
    for (const [address, proof] of s.proofs) {
      if (proof.used && event.at < proof.namedAt + proof.lifetimeMs && holdings.holder(address) !== 'alice')
        return address;
    }
    return undefined;
  }

  /** Whether the peer may have left `unknown` for `standard`, `standard-mobile` or `legacy` by this call (rule 15). */
  function maybeNotUnknown(s: PerSa, event: AliceEvent): boolean {
    return s.mobile || s.mayBeLegacy || s.initialAt === null || event.at >= s.initialAt + probeMs;
  }

  /** (4) Proven `standard` or `standard-mobile` at this call, and not possibly `legacy` (see the header). */
  function provenStandard(s: PerSa, event: AliceEvent): boolean {
    if (s.maybeHomeless || s.mayBeLegacy) return false;
    return s.mobile || (s.initialAt !== null && event.at >= s.initialAt + probeMs);
  }

  /** (4) The binding judged: the SA's only live one, whose care-of address Alice holds and home address not. */
  function judgedBinding(s: PerSa): [Address, Binding] | null {
    const live = [...s.bindings].filter(([, b]) => b.live && holdings.holder(b.careOf) === 'alice');
    if (live.length !== 1) return null;
    const [home] = live[0];
    return holdings.holder(home) === 'alice' ? null : live[0];
  }

  /** (4a)-(4c) for one SA in a `tick` or in the `receive` of an AH-valid BR (`answering`: under this SA). */
  function judgeRefresh(
    s: PerSa,
    event: AliceEvent,
    answering: boolean,
    sent: readonly { id: number; bu: BuInfo }[],
  ): string | null {
    if (event.op !== 'tick' && !answering) return null;
    // Most ticks: no binding to keep an anchor for, nothing sent to judge.
    if (s.bindings.size === 0 && sent.length === 0) return null;
    const standard = provenStandard(s, event);
    const route = standard && holdings.addressesOf('alice').length > 0 ? provenRoute(s, event) : undefined;
    // (4c) A tick in which the refresh cannot be proven possible: the host may count its period again from here.
    if (event.op === 'tick' && route === undefined) for (const b of s.bindings.values()) b.anchor = event.at;
    if (!standard) return null;
    const peer = `${s.sa.peerAddress} (SA ${s.sa.name}, a peer proven not homeless: ${s.mobile ? 'an authenticated BU without Homeless Support made it standard-mobile' : 'it fell back to standard compatProbeTimeoutMs after her Initial BU'})`;
    const what = event.op === 'tick' ? `the ${callText(event)}` : `her answer to its BR (${callText(event)})`;
    // (4a) No A bit in a BR's answer (a tick may also retransmit an emulation BU still unacknowledged, §2.2.2).
    if (answering && sent.length > 0) {
      judged += 1;
      const asking = sent.find((b) => b.bu.ack);
      if (asking !== undefined)
        return `Alice sent ${peer} a BU with the A bit (BU #${asking.bu.sequence}, packet #${asking.id}) in ${what}: rule 16 refreshes her emulated bindings in draft-13 form instead of the periodic BU, which has no A bit`;
    }
    const binding = judgedBinding(s);
    if (binding === null || route === undefined) return null;
    const [home, b] = binding;
    if (event.op === 'tick' && event.at < b.anchor + periodMs) return null;
    judged += 1;
    const refreshed = sent.some((x) => {
      const info = packet(trace, x.id).info;
      return x.bu.lifetimeSeconds > 0 && info.source === b.careOf && info.hao === home;
    });
    if (refreshed) return null;
    const why =
      event.op === 'tick'
        ? `bindingRefreshSeconds = ${params.bindingRefreshSeconds} s or more have passed since her last BU for it (or the last tick its refresh could not be proven possible), at ${clockText(b.anchor)}`
        : 'a BR is answered at once with that BU';
    return `Alice did not refresh her emulated binding ${home} → ${b.careOf} with ${peer} in ${what} (no BU from ${b.careOf} with an HAO naming ${home}), though she still holds ${b.careOf}, its entry still holds ${route} active and ${why} (docs/rules.md rule 16: toward a standard peer she refreshes her emulated bindings in draft-13 form)`;
  }

  /** (4) The bindings Alice's BUs of this call under `s` make, refresh or end. */
  function noteBindings(s: PerSa, sent: readonly { id: number; bu: BuInfo }[], at: number): void {
    for (const { id, bu } of sent) {
      const info = packet(trace, id).info;
      if (info.hao === undefined || info.source === undefined || info.hao === info.source) continue;
      if (bu.lifetimeSeconds === 0) s.bindings.delete(info.hao);
      else s.bindings.set(info.hao, { careOf: info.source, live: true, anchor: at });
    }
  }

  /**
   * (4) What a received packet proves before Alice answers it: Homeless Support (rule 15, this
   * call included) and a Parameter Problem that may make its peer legacy. Returns the SA of an
   * AH-valid BR in a packet every correct host processes (no HAO, no routing header).
   */
  function observeKind(
    trace: Trace,
    truth: ReceiveTruth,
    p: PacketRecord,
    perSa: Map<string, PerSa>,
    index: SaIndex,
  ): PerSa | undefined {
    const info = p.info;
    if (info.upper === 'param-problem') {
      const quoted = info.quoted;
      const original =
        quoted === undefined || quoted.length === 0
          ? undefined
          : trace.packets.find((q) => q.from === 'alice' && q.hex.startsWith(quoted));
      if (original === undefined) for (const s of perSa.values()) s.mayBeLegacy = true;
      else if (original.info.spi !== undefined) {
        const owner = perSa.get(index.byOutbound(original.info.spi)?.name ?? '');
        if (owner !== undefined) owner.mayBeLegacy = true;
      }
    }
    if (truth.ah !== 'valid' || truth.sa === null) return undefined;
    const s = perSa.get(truth.sa);
    if (s === undefined) return undefined;
    if (carriesHomelessSupport(p)) s.maybeHomeless = true;
    return info.br && info.hao === undefined && info.routing === undefined ? s : undefined;
  }

  /** (4) After the call: an AH-valid BU without Homeless Support, no HAO, no routing header, proves `standard-mobile`. */
  function observeMobile(truth: ReceiveTruth, p: PacketRecord, perSa: Map<string, PerSa>): void {
    if (truth.ah !== 'valid' || truth.sa === null) return;
    const s = perSa.get(truth.sa);
    if (s === undefined || carriesHomelessSupport(p)) return;
    if (p.info.bus.length > 0 && p.info.hao === undefined && p.info.routing === undefined) s.mobile = true;
  }

  function observeReceived(trace: Trace, event: AliceEventOf<'receive'>, perSa: Map<string, PerSa>): void {
    if (event.invalid === true) return;
    const truth = event.truth;
    if (truth.ah !== 'valid' || truth.sa === null) return;
    const s = perSa.get(truth.sa);
    const info = packet(trace, event.input).info;
    if (s !== undefined && info.br) s.disturbed = true;
    const verified = new Set(truth.responses.filter((r) => r.answers !== null).map((r) => r.address));
    // Rule 13: when both sides of a conflict answer, both entries are flushed (every address
    // removed, not only the one in conflict). A correct Response for an address another SA
    // claimed, or holds as the first address of its `addSA` (rule 17), ends every proof of
    // both SAs: this one may be the second to answer.
    for (const address of verified) {
      const rivals = [...perSa.values()].filter(
        (o) =>
          o.sa.name !== truth.sa && (claimedBy.get(address)?.has(o.sa.name) === true || o.sa.peerAddress === address),
      );
      if (rivals.length === 0) continue;
      s?.proofs.clear();
      for (const o of rivals) o.proofs.clear();
    }
    for (const bu of info.bus) {
      if (s !== undefined && bu.homelessSupport) s.homeless = true;
      for (const address of bu.named) {
        // Rule 13: a claim under another SA may flush or re-check the holder's copy.
        for (const other of perSa.values()) if (other !== s) other.proofs.delete(address);
        const claimants = claimedBy.get(address) ?? new Set<string>();
        claimants.add(truth.sa);
        claimedBy.set(address, claimants);
        if (s === undefined) continue;
        const live = s.proofs.get(address);
        s.proofs.delete(address);
        if (bu.lifetimeSeconds === 0 || holdings.holder(address) === 'alice' || claimants.size > 1) continue;
        const lifetimeMs = Math.min(bu.lifetimeSeconds * MS_PER_SECOND, capMs);
        if (bu.security === undefined) {
          // Rule 6: a BU for an active address gives it an absolute lifetime from now.
          const active = live !== undefined && live.used && event.at < live.namedAt + live.lifetimeMs;
          s.proofs.set(address, { namedAt: event.at, lifetimeMs, used: active });
        } else if (verified.has(bu.careOf) && bu.careOf === address) {
          // Rule 12: a correct Response, with no rival claimant (rule 13), makes it active from now.
          s.proofs.set(address, { namedAt: event.at, lifetimeMs, used: true });
        }
      }
    }
  }
}
