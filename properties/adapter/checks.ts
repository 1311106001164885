// The oracle's own checks on what the implementation under test (IUT) sends, beside the
// properties: they watch every request and answer of the adapter (so they work in black-box
// mode too) and judge two things no property covers:
//
//   SIGNALLING-AH   every BU and BA Alice sends carries AH under one of her SAs, and its ICV
//                   verifies (R2.4-3 MUST, R2.4.2-1 REQUIRED). A failure.
//   SENT-WELL-FORMED every packet Alice sends is well formed where the draft says MUST: it
//                   decodes as docs/wire-format.md lays it out (Alternate Prefixes length and
//                   count: R3.1.2-3, R3.1.2-4); several BUs in one packet have increasing
//                   sequence numbers (R3.2.2-3); a Response BU holds only its Security
//                   sub-option and at most one Alternate CoA (R3.4.2-9); the source is of the
//                   destination's scope (R1.4-14). A failure. And, a warning (docs/wire-format.md
//                   and rule 11, no draft MUST): BUs with Prefix Length 0 and H, R, D clear, a
//                   Response with the A bit clear too.
//   FRESH-VALUES    the values Alice must not reuse are fresh: under each SA her AH sequence
//                   numbers increase from packet to packet (RFC 2402 §3.3.2, as MIPv6 §4.4
//                   asks: R1.4-7), so her peer's anti-replay window never drops her; and a
//                   Challenge value is never sent again for a later tentative period (after
//                   challengeLifetimeMs), where an old Response would verify a new claim
//                   (R3.4.2-1; docs/wire-format.md: TIME is drawn fresh). A failure.
//   INITIAL-BU      `addSA` makes Alice send an Initial BU to the peer (HOST.md rule 14):
//                   its first sub-option is Homeless Support (R3.2.1-4 MUST: a failure);
//                   the rest are departures from rule 14 and warnings: none sent at all
//                   (R2.2.4-1 MAY), no A bit (R2.1.2-4 SHOULD), an HAO that is not the
//                   source (rule 14), a lifetime other than defaultLifetimeSeconds (rule 14),
//                   some of Alice's global addresses not named (R2.1.2-3 SHOULD).
//
// A finding records the run and seed it was seen in: the same seed and run count replay it.

import { verifyAh } from '../../impl/crypto/index.js';
import { isNewerSequence } from '../../impl/host/index.js';
import { worldScope as scopeOf } from '../world/scope.js';
import type { AhAlgorithm } from '../../impl/host/types.js';
import {
  careOfAddress,
  decodePacket,
  expandAlternatePrefixes,
  fromHex,
  isGlobalAddress,
  toHex,
} from '../../impl/wire/index.js';
import type { Address, BindingUpdate, Packet } from '../../impl/wire/types.js';

export type FindingLevel = 'MUST' | 'SHOULD';

export interface Finding {
  check: 'SIGNALLING-AH' | 'SENT-WELL-FORMED' | 'FRESH-VALUES' | 'INITIAL-BU';
  level: FindingLevel;
  /** requirements.tsv ids, or the HOST.md rule the departure is from. */
  basis: string[];
  message: string;
  /** The packet it is about, when one: its index in the `sent` of the call it was seen in. */
  packet?: number;
  /** Index of the run (counted over every reset, shrinking included) and its world seed. */
  run: number;
  seed: number;
  at: number;
}

/** What the adapter shows the checks: each request that was answered `ok`, with its checked answer. */
export interface CallObserver {
  beginRun(
    run: number,
    seed: number,
    localAddresses: readonly Address[],
    params: { defaultLifetimeSeconds: number; challengeLifetimeMs: number },
  ): void;
  call(op: string, request: Record<string, unknown>, sent: readonly Uint8Array[]): void;
}

/** Findings kept per (check, message kind): enough to report, bounded whatever the IUT does. */
const FINDINGS_PER_KEY_MAX = 3;

interface RunSa {
  alg: AhAlgorithm;
  key: Uint8Array;
}

function bus(p: Packet): BindingUpdate[] {
  return (p.destOptions ?? []).filter((o): o is BindingUpdate => o.kind === 'bu');
}

export class OracleChecks implements CallObserver {
  readonly findings: Finding[] = [];
  /** Initial BUs judged (INITIAL-BU found one for an `addSA`), over every run. */
  initialBus = 0;

  /**
   * `signallingAh: false` leaves SIGNALLING-AH out (REFINES-SIGNALLING's replay of a trace,
   * whose part (e) judges the same AH by the ground truth's own ICV).
   */
  constructor(private readonly options: { signallingAh?: boolean } = {}) {}
  /** Findings seen, kept or not, per key. */
  private readonly counts = new Map<string, number>();
  private run = -1;
  private seed = 0;
  private local: Address[] = [];
  /**
   * Sources of every ICMPv6 Parameter Problem handed to Alice this run: such a peer may have
   * become `legacy` (rule 15), toward which rule 14 sends no Initial BU.
   */
  private mayBeLegacy = new Set<Address>();
  private defaultLifetimeSeconds = 0;
  private sas = new Map<number, RunSa>();
  private challengeLifetimeMs = 0;
  /** Per outbound SPI: the last AH sequence number Alice used. */
  private lastAhSequence = new Map<number, number>();
  /** Per outbound SPI and Challenge value (hex): where it first went, and when. */
  private challenges = new Map<string, { address: Address; at: number }>();

  beginRun(
    run: number,
    seed: number,
    localAddresses: readonly Address[],
    params: { defaultLifetimeSeconds: number; challengeLifetimeMs: number },
  ): void {
    this.run = run;
    this.seed = seed;
    this.local = [...localAddresses];
    this.mayBeLegacy = new Set();
    this.defaultLifetimeSeconds = params.defaultLifetimeSeconds;
    this.challengeLifetimeMs = params.challengeLifetimeMs;
    this.sas = new Map();
    this.lastAhSequence = new Map();
    this.challenges = new Map();
  }

  /** The index in the current call's `sent` of the packet being checked, if any. */
  private current: number | undefined;

  private note(key: string, finding: Omit<Finding, 'run' | 'seed'>): void {
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n > FINDINGS_PER_KEY_MAX) return;
    this.findings.push({
      ...finding,
      ...(this.current !== undefined ? { packet: this.current } : {}),
      run: this.run,
      seed: this.seed,
    });
  }

  call(op: string, request: Record<string, unknown>, sent: readonly Uint8Array[]): void {
    const at = typeof request.now === 'number' ? request.now : 0;
    if (op === 'addLocalAddress' && typeof request.address === 'string' && !this.local.includes(request.address))
      this.local.push(request.address);
    if (op === 'removeLocalAddress') this.local = this.local.filter((a) => a !== request.address);
    if (op === 'receive' && typeof request.packet === 'string') {
      const bytes = fromHex(request.packet);
      const input = bytes === null ? null : decodePacket(bytes);
      if (
        input?.ok === true &&
        input.packet.upper.kind === 'icmpv6' &&
        input.packet.upper.message.type === 'parameter-problem'
      )
        this.mayBeLegacy.add(input.packet.ipv6.source);
    }
    const decoded = sent.map((bytes) => ({ bytes, result: decodePacket(bytes) }));
    if (op === 'addSA') this.addSa(request, decoded, at);
    for (const [index, { bytes, result }] of decoded.entries()) {
      this.current = index;
      if (!result.ok) {
        this.note('wf-decode', {
          check: 'SENT-WELL-FORMED',
          level: 'MUST',
          basis: ['docs/wire-format.md', 'R3.1.2-3 MUST', 'R3.1.2-4 MUST'],
          at,
          message: `Alice sent a packet that does not decode: ${result.error.code} at byte ${result.error.offset}, ${result.error.message} (${op} at ${at})`,
        });
        continue;
      }
      const p = result.packet;
      this.wellFormed(p, op, at);
      this.fresh(p, op, at);
      if (this.options.signallingAh === false) continue;
      const signalling = (p.destOptions ?? []).filter((o) => o.kind === 'bu' || o.kind === 'ba');
      if (signalling.length === 0) continue;
      const what = signalling.map((o) => o.kind.toUpperCase()).join('+');
      const to = p.ipv6.destination;
      const basis = ['R2.4-3 MUST', 'R2.4.2-1 REQUIRED'];
      if (p.ah === undefined) {
        this.note('ah-missing', {
          check: 'SIGNALLING-AH',
          level: 'MUST',
          basis,
          at,
          message: `Alice sent a ${what} to ${to} without AH (${op} at ${at})`,
        });
        continue;
      }
      const sa = this.sas.get(p.ah.spi);
      if (sa === undefined) {
        this.note('ah-spi', {
          check: 'SIGNALLING-AH',
          level: 'MUST',
          basis,
          at,
          message: `Alice sent a ${what} to ${to} under SPI ${p.ah.spi}, which is none of her outbound SPIs (${op} at ${at})`,
        });
      } else if (!verifyAh(bytes, result.layout, p.ah, sa)) {
        this.note('ah-icv', {
          check: 'SIGNALLING-AH',
          level: 'MUST',
          basis,
          at,
          message: `Alice sent a ${what} to ${to} whose AH ICV does not verify under SPI ${p.ah.spi} (${op} at ${at})`,
        });
      }
    }
    this.current = undefined;
  }

  /** FRESH-VALUES on a packet that decodes. */
  private fresh(p: Packet, op: string, at: number): void {
    if (p.ah === undefined) return;
    const spi = p.ah.spi;
    const last = this.lastAhSequence.get(spi);
    if (last !== undefined && p.ah.sequence <= last) {
      this.note('fresh-ah', {
        check: 'FRESH-VALUES',
        level: 'MUST',
        basis: ['R1.4-7 MUST', 'RFC 2402 §3.3.2'],
        at,
        message: `Alice sent a packet to ${p.ipv6.destination} under SPI ${spi} with AH sequence number ${p.ah.sequence}, not above her last one (${last}): her peer's anti-replay window drops it (${op} at ${at})`,
      });
    }
    this.lastAhSequence.set(spi, Math.max(last ?? 0, p.ah.sequence));
    for (const o of p.destOptions ?? []) {
      if (o.kind !== 'ba') continue;
      for (const s of o.subOptions) {
        if (s.kind !== 'security') continue;
        const key = `${spi}|${toHex(s.value)}`;
        const first = this.challenges.get(key);
        if (first === undefined) {
          this.challenges.set(key, { address: p.ipv6.destination, at });
        } else if (first.address === p.ipv6.destination && at > first.at + this.challengeLifetimeMs) {
          this.note('fresh-challenge', {
            check: 'FRESH-VALUES',
            level: 'MUST',
            basis: ['R3.4.2-1 MUST', 'docs/wire-format.md'],
            at,
            message: `Alice sent ${p.ipv6.destination} the Challenge she first sent it at ${first.at}, past that Challenge's lifetime: a Response recorded then would verify a new claim (${op} at ${at})`,
          });
        }
      }
    }
  }

  /** SENT-WELL-FORMED on a packet that decodes. */
  private wellFormed(p: Packet, op: string, at: number): void {
    const sent = bus(p);
    for (let i = 1; i < sent.length; i++) {
      if (isNewerSequence(sent[i].sequence, sent[i - 1].sequence)) continue;
      this.note('wf-bu-order', {
        check: 'SENT-WELL-FORMED',
        level: 'MUST',
        basis: ['R3.2.2-3 MUST'],
        at,
        message: `Alice sent a packet to ${p.ipv6.destination} whose BUs' sequence numbers do not increase (${sent.map((b) => b.sequence).join(', ')}) (${op} at ${at})`,
      });
      break;
    }
    for (const bu of sent) {
      if (!bu.subOptions.some((s) => s.kind === 'security')) continue;
      const alternateCoas = bu.subOptions.filter((s) => s.kind === 'alternate-coa').length;
      const others = bu.subOptions
        .filter((s) => s.kind !== 'security' && s.kind !== 'alternate-coa')
        .map((s) => s.kind);
      const securities = bu.subOptions.length - alternateCoas - others.length;
      if (securities === 1 && alternateCoas <= 1 && others.length === 0) continue;
      this.note('wf-response', {
        check: 'SENT-WELL-FORMED',
        level: 'MUST',
        basis: ['R3.4.2-9 MUST NOT'],
        at,
        message: `Alice sent a Response BU to ${p.ipv6.destination} with other sub-options (${bu.subOptions.map((s) => s.kind).join(', ')}) (${op} at ${at})`,
      });
    }
    // docs/wire-format.md: between homeless hosts every BU has Prefix Length 0 and H, R, D clear
    // (Alice has no home agent to register with, and is no router); rule 11 sends a Response
    // with every flag clear. No draft MUST says so: a warning for an IUT (rule departures).
    for (const bu of sent) {
      const response = bu.subOptions.some((s) => s.kind === 'security');
      const flags = [
        ...(response && bu.flags.ack ? ['A'] : []),
        ...(bu.flags.home ? ['H'] : []),
        ...(bu.flags.router ? ['R'] : []),
        ...(bu.flags.dad ? ['D'] : []),
      ];
      const wrong = [
        ...(flags.length > 0 ? [`flag${flags.length > 1 ? 's' : ''} ${flags.join(', ')} set`] : []),
        ...(bu.prefixLength !== 0 ? [`Prefix Length ${bu.prefixLength}`] : []),
      ];
      if (wrong.length === 0) continue;
      this.note('wf-bu-flags', {
        check: 'SENT-WELL-FORMED',
        level: 'SHOULD',
        basis: [
          'docs/wire-format.md: Prefix Length 0, H, R and D clear',
          ...(response ? ['docs/rules.md rule 11: every flag clear in a Response'] : []),
        ],
        at,
        message: `Alice sent ${p.ipv6.destination} a ${response ? 'Response ' : ''}BU (#${bu.sequence}) with ${wrong.join(' and ')}: a homeless host's BUs have Prefix Length 0 and H, R, D clear${response ? ', and a Response every flag clear (rule 11)' : ''} (${op} at ${at})`,
      });
    }
    const final =
      p.routing !== undefined && p.routing.segmentsLeft > 0
        ? p.routing.addresses[p.routing.addresses.length - 1]
        : p.ipv6.destination;
    if (scopeOf(p.ipv6.source) !== scopeOf(final)) {
      this.note('wf-scope', {
        check: 'SENT-WELL-FORMED',
        level: 'MUST',
        basis: ['R1.4-14 MUST'],
        at,
        message: `Alice sent a packet from ${p.ipv6.source} (${scopeOf(p.ipv6.source)}) to ${final} (${scopeOf(final)}): the source must be of the destination's scope (${op} at ${at})`,
      });
    }
  }

  private addSa(
    request: Record<string, unknown>,
    decoded: { bytes: Uint8Array; result: ReturnType<typeof decodePacket> }[],
    at: number,
  ): void {
    // A malformed `addSA` of the world's (rule 24) may carry an `sa` that is no object: an IUT
    // that accepts it fails INV-SEND-FAITHFUL; there is no Initial BU to judge.
    if (typeof request.sa !== 'object' || request.sa === null || Array.isArray(request.sa)) return;
    const sa = request.sa as Record<string, unknown>;
    const key = typeof sa.key === 'string' ? fromHex(sa.key) : null;
    const outbound = sa.outboundSpi;
    if (key === null || typeof outbound !== 'number' || (sa.alg !== 'hmac-sha1-96' && sa.alg !== 'hmac-sha256-128'))
      return;
    this.sas.set(outbound, { alg: sa.alg, key });
    const peer = String(sa.peer);
    const index = decoded.findIndex(
      ({ result }) => result.ok && result.packet.ipv6.destination === peer && bus(result.packet).length > 0,
    );
    const initial = index === -1 ? undefined : decoded[index];
    if (initial === undefined || !initial.result.ok) {
      // Rule 14 sends it from Alice's address of the peer's scope, and none toward a `legacy`
      // peer (rule 16): with no such address, or after a Parameter Problem from the peer, none is owed.
      if (!this.local.some((a) => scopeOf(a) === scopeOf(peer)) || this.mayBeLegacy.has(peer)) return;
      this.note('initial-none', {
        check: 'INITIAL-BU',
        level: 'SHOULD',
        basis: ['docs/rules.md rule 14', 'R2.2.4-1 MAY', 'R2.1.2-1 RECOMMENDED'],
        at,
        message: `addSA with ${peer} at ${at}: Alice sent no Initial BU to the peer`,
      });
      return;
    }
    this.current = index;
    this.initialBus += 1;
    const p = initial.result.packet;
    const bu = bus(p)[0];
    if (bu.subOptions[0]?.kind !== 'homeless-support') {
      this.note('initial-hs', {
        check: 'INITIAL-BU',
        level: 'MUST',
        basis: ['R3.2.1-4 MUST', 'R3.1-1 SHOULD'],
        at,
        message: `addSA with ${peer} at ${at}: the Initial BU's first sub-option is not Homeless Support`,
      });
    }
    if (!bu.flags.ack)
      this.note('initial-ack', {
        check: 'INITIAL-BU',
        level: 'SHOULD',
        basis: ['R2.1.2-4 SHOULD', 'docs/rules.md rule 14'],
        at,
        message: `addSA with ${peer} at ${at}: the Initial BU does not request a Binding Acknowledgement (A bit)`,
      });
    const hao = (p.destOptions ?? []).find((o) => o.kind === 'hao');
    if (hao === undefined || hao.kind !== 'hao' || hao.homeAddress !== p.ipv6.source) {
      this.note('initial-hao', {
        check: 'INITIAL-BU',
        level: 'SHOULD',
        basis: ['docs/rules.md rule 14', '§3.2.1'],
        at,
        message: `addSA with ${peer} at ${at}: the Initial BU's Home Address option is not its source address`,
      });
    }
    if (bu.lifetimeSeconds !== this.defaultLifetimeSeconds) {
      this.note('initial-lifetime', {
        check: 'INITIAL-BU',
        level: 'SHOULD',
        basis: ['docs/rules.md rule 14'],
        at,
        message: `addSA with ${peer} at ${at}: the Initial BU's lifetime is ${bu.lifetimeSeconds} s, not defaultLifetimeSeconds (${this.defaultLifetimeSeconds} s)`,
      });
    }
    // Every BU of the call to the peer counts: addresses that do not fit one BU option's 255
    // bytes spread over several BUs (§5.2: "A packet MAY include several Binding Updates"),
    // in one packet or more.
    const named = new Set<Address>();
    for (const { result } of decoded) {
      if (!result.ok || result.packet.ipv6.destination !== peer) continue;
      const q = result.packet;
      for (const b of bus(q)) {
        named.add(careOfAddress(b, q.ipv6.source));
        for (const a of expandAlternatePrefixes(b, q.ipv6.source)) named.add(a);
      }
    }
    const missing = this.local.filter((a) => isGlobalAddress(a) && !named.has(a));
    if (missing.length > 0) {
      this.note('initial-addresses', {
        check: 'INITIAL-BU',
        level: 'SHOULD',
        basis: ['R2.1.2-3 SHOULD', 'docs/rules.md rule 14'],
        at,
        message: `addSA with ${peer} at ${at}: the Initial BU does not name ${missing.join(', ')}`,
      });
    }
    this.current = undefined;
  }
}
