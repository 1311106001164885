// Situations of honest life (peers and Alice move, gain and lose addresses, the clock jumps,
// fair stretches), of Alice's data sends in the states that matter (§2.4.1: only active
// addresses select a peer), and of the network's faults. Judged from what the world did and
// from what reached Alice, never from Alice's state.

import { isData } from '../invariants/trace-view.js';
import type { Address } from '../../impl/wire/types.js';
import type { NodeName } from '../world/types.js';
import { situation, type Situation } from './types.js';
import { HOMELESS_NODES, HONEST_NODES, type TruthView } from './view.js';

/** An authentic BU from `peer`'s SA naming `address` with a lifetime (or with lifetime 0) reached Alice at or after `at`. */
function namedToAlice(v: TruthView, peer: NodeName, address: Address, at: number, deletes: boolean): boolean {
  return v.arrivals.some(
    (a) =>
      a.valid &&
      a.at >= at &&
      a.sa?.peer === peer &&
      a.packet.from === peer &&
      a.packet.info.bus.some(
        (b) => b.security === undefined && (b.lifetimeSeconds === 0) === deletes && b.named.includes(address),
      ),
  );
}

function isMallorySa(v: TruthView, saName: string): boolean {
  return v.sasByName.get(saName)?.peer === 'mallory';
}

/** Mallory's SAs whose entry `address` is (its first address, or one that verified under it) at `at`. */
function mallorySasAt(v: TruthView, address: Address, at: number): string[] {
  return v.trace.sas
    .filter((s) => s.peer === 'mallory' && (s.peerAddress === address || v.heldAt(s.name, address, at)))
    .map((s) => s.name);
}

function faulted(what: 'lose' | 'duplicate' | 'reorder' | 'delay' | 'lossy'): (v: TruthView) => boolean {
  return (v) => v.faults.some((f) => f.what === what && (what === 'lossy' || f.packet !== undefined));
}

export const DATA_SITUATIONS: readonly Situation[] = [
  situation(
    'data-to-claimant-during-claim',
    'data',
    0.02,
    "Alice's application sends to Mallory while a claim of Mallory's is still tentative in Mallory's own entry (§2.4.1: only the entry's active addresses may carry it)",
    (v) =>
      v.sends.some((s) =>
        mallorySasAt(v, s.to, s.at).some((sa) => v.pendingAddresses(sa, s.at).some((a) => a !== s.to)),
      ),
  ),
  situation(
    'data-to-victim-during-claim',
    'data',
    0.043,
    "Alice's application sends to an honest peer while Mallory's claim on one of the peer's addresses is still tentative (the victim's entry is under re-check, rule 13)",
    (v) =>
      v.sends.some((s) => {
        if (s.intent === undefined || s.intent === null || !HONEST_NODES.has(s.intent)) return false;
        const peer = s.intent;
        return v.trace.sas.some(
          (sa) => isMallorySa(v, sa.name) && v.pendingAddresses(sa.name, s.at).some((a) => v.ownerAt(a, s.at) === peer),
        );
      }),
  ),
  situation(
    'data-to-peer-with-tentative-address',
    'data',
    0.031,
    "Alice's application sends to an honest peer while the peer's own new address is still tentative in its entry (§2.4.1)",
    (v) =>
      v.sends.some(
        (s) =>
          s.intent !== undefined &&
          s.intent !== null &&
          HOMELESS_NODES.has(s.intent) &&
          v.trace.sas.some((sa) => sa.peer === s.intent && v.pendingAddresses(sa.name, s.at).length > 0),
      ),
  ),
  situation(
    'data-to-deprecated-address',
    'data',
    0.021,
    "Alice's application sends to an address whose binding has run out of lifetime and is not yet removed (deprecated, §2.1.4; rule 21)",
    (v) =>
      v.sends.some(
        (s) => v.trace.sas.some((sa) => v.deprecatedAt(sa.name, s.to, s.at)) && v.holdersAt(s.to, s.at).length === 0,
      ),
  ),
  situation(
    'data-to-mallory',
    'data',
    0.045,
    "Alice's application talks to Mallory as an ordinary correspondent: her data for an address Mallory owns reaches Mallory",
    (v) =>
      v.sends.some(
        (s) =>
          v.ownerAt(s.to, s.at) === 'mallory' &&
          s.event.sent.some((id) => isData(v.trace.packets[id]) && v.deliveredToMallory.has(id)),
      ),
  ),
  situation(
    'mallory-authenticated-data',
    'data',
    0.01,
    "Mallory's data under its generic SA, with a valid ICV, reaches Alice (authenticated data from a correspondent that is no friend)",
    (v) => v.arrivals.some((a) => a.valid && a.sa?.peer === 'mallory' && a.sa.kind === 'generic' && isData(a.packet)),
  ),
  situation('peer-data-to-alice', 'data', 0.065, "an honest peer's authentic data reaches Alice", (v) =>
    v.arrivals.some((a) => a.valid && HONEST_NODES.has(a.packet.from) && isData(a.packet)),
  ),
  situation(
    'send-to-stranger',
    'data',
    0.111,
    "Alice's application sends to an address nobody has seen (an entry-creating send, §2.1.1, rule 17)",
    (v) => v.sends.some((s) => s.intent === null && v.ownerAt(s.to, s.at) === null),
  ),
  situation(
    'sa-after-send',
    'data',
    0.064,
    'Alice establishes an SA with a host her application already sent to (rule 17: the SA joins that entry)',
    (v) =>
      v.calls.some((e) => e.op === 'addSA' && e.ok && v.sends.some((s) => s.to === e.request?.peer && s.at <= e.at)),
  ),
];

export const LIFE_SITUATIONS: readonly Situation[] = [
  situation(
    'peer-move',
    'life',
    0.208,
    'an honest homeless peer moves (make before break) and its BU naming the new address reaches Alice (§2.1.2)',
    (v) =>
      v.moves.some(
        (m) => m.lost !== null && HOMELESS_NODES.has(m.peer) && namedToAlice(v, m.peer, m.address, m.at, false),
      ),
  ),
  situation(
    'peer-move-verified',
    'life',
    0.207,
    "a moved peer's Response for its new address correctly answers Alice's Challenge (§3.4.2)",
    (v) =>
      v.moves.some(
        (m) =>
          m.lost !== null &&
          HOMELESS_NODES.has(m.peer) &&
          v.responses.some((r) => r.answers !== null && r.arrival.packet.from === m.peer && r.bu.careOf === m.address),
      ),
  ),
  situation('peer-gain', 'life', 0.183, 'an honest peer gains an address and its BU naming it reaches Alice', (v) =>
    v.moves.some(
      (m) => m.lost === null && HOMELESS_NODES.has(m.peer) && namedToAlice(v, m.peer, m.address, m.at, false),
    ),
  ),
  situation(
    'peer-lose',
    'life',
    0.027,
    'an honest peer gives up one of its addresses (not in a move) and its deleting BU reaches Alice (lifetime 0, §2.1.2)',
    (v) =>
      v.ownChanges.some(
        (o) =>
          o.from !== null &&
          o.to === null &&
          HOMELESS_NODES.has(o.from) &&
          !v.moves.some((m) => m.lost === o.address) &&
          namedToAlice(v, o.from, o.address, o.at, true),
      ),
  ),
  situation(
    'standard-mobile-move',
    'life',
    0.021,
    'Sam, a draft-13 mobile node, moves and its BU with an HAO reaches Alice (§2.2.2, rule 15a)',
    (v) =>
      v.moves.some(
        (m) =>
          m.peer === 'sam' &&
          v.arrivals.some(
            (a) =>
              a.valid &&
              a.at >= m.at &&
              a.packet.from === 'sam' &&
              a.packet.info.hao !== undefined &&
              a.packet.info.bus.length > 0,
          ),
      ),
  ),
  situation('alice-gain', 'life', 0.127, 'Alice gains an address (§2.1.2: her peers must hear of it)', (v) =>
    v.calls.some((e) => e.op === 'addLocalAddress' && e.ok),
  ),
  situation('alice-lose', 'life', 0.079, 'Alice loses an address (§2.1.2: a deleting BU from a remaining one)', (v) =>
    v.calls.some((e) => e.op === 'removeLocalAddress' && e.ok),
  ),
  situation(
    'clock-jump-past-lifetimes',
    'life',
    0.213,
    'the clock jumps past every binding lifetime (as after a suspend): active addresses must deprecate (§2.1.4)',
    (v) => v.trace.steps.some((s) => s.action?.kind === 'jump' && s.action.past !== 'expired'),
  ),
  situation(
    'clock-jump-past-expiry',
    'life',
    0.168,
    'the clock jumps past maximumExpiredLifetimeSeconds: deprecated addresses must go (§3.3, INV-DEPRECATED-BOUND)',
    (v) => v.trace.steps.some((s) => s.action?.kind === 'jump' && s.action.past !== 'lifetime'),
  ),
  situation(
    'fair-move-judged',
    'life',
    0.168,
    "a fair stretch after a move meets LIVE-HONEST-MOVE's premise and the move is judged",
    (v) => v.probes.some((p) => p.result.judged),
  ),
  situation(
    'periodic-bu',
    'life',
    0.021,
    'Alice sends a periodic BU (no A bit) in a tick, bindingRefreshSeconds after the last (rule 16)',
    (v) =>
      v.calls.some(
        (e) =>
          e.op === 'tick' &&
          e.sent.some((id) =>
            v.trace.packets[id].info.bus.some((b) => !b.ack && b.lifetimeSeconds > 0 && b.security === undefined),
          ),
      ),
  ),
  situation(
    'binding-refresh-request',
    'life',
    0.019,
    'an authentic BR reaches Alice (rule 16: answered with a BU at once)',
    (v) => v.arrivals.some((a) => a.valid && a.packet.info.br),
  ),
  situation(
    'icmp-error-about-alice-packet',
    'life',
    0.24,
    "an honest node's ICMPv6 error quoting a packet Alice sent reaches her (rules 15 and 23)",
    (v) => v.arrivals.some((a) => HONEST_NODES.has(a.packet.from) && quotesAlice(v, a.packet.info.quoted)),
  ),
  situation(
    'icmp-error-forged',
    'life',
    0.012,
    "Mallory's ICMPv6 error, quoting a packet Alice sent it, reaches her (the one unauthenticated signal that moves a peer, rule 15)",
    (v) => v.arrivals.some((a) => a.packet.from === 'mallory' && quotesAlice(v, a.packet.info.quoted)),
  ),
];

export const NETWORK_SITUATIONS: readonly Situation[] = [
  situation('packet-lost', 'network', 0.047, 'the network loses a packet in flight', faulted('lose')),
  situation('packet-duplicated', 'network', 0.02, 'the network duplicates a packet in flight', faulted('duplicate')),
  situation(
    'packet-reordered',
    'network',
    0.013,
    'the network swaps a packet in flight with the one due after it',
    faulted('reorder'),
  ),
  situation('packet-delayed', 'network', 0.056, 'the network holds a packet in flight back', faulted('delay')),
  situation('random-loss', 'network', 0.083, 'a stretch of random loss', faulted('lossy')),
  situation(
    'challenge-lost',
    'network',
    0.006,
    'the network loses a Challenge Alice sent before its life ends, so that only a retransmission can verify the address (rule 9; REFINES-SIGNALLING)',
    challengeLost,
  ),
];

/** A packet of Alice's carrying a Challenge was lost in flight (a `lose` fault or random loss) while that Challenge lived. */
function challengeLost(v: TruthView): boolean {
  const lived = new Map<number, number>();
  for (const list of v.challenges.values())
    for (const c of list) for (const id of c.packets) lived.set(id, c.firstAt + v.params.challengeLifetimeMs);
  if (lived.size === 0) return false;
  for (const step of v.trace.steps) {
    for (const e of step.events) {
      if (e.kind !== 'drop' || (e.cause !== 'fault' && e.cause !== 'loss')) continue;
      const end = lived.get(e.packet);
      if (end !== undefined && e.at < end) return true;
    }
  }
  return false;
}

/** Whether an ICMPv6 error's quote is the start of a packet Alice sent (RFC 4443 §2.4(c)). */
function quotesAlice(v: TruthView, quoted: string | undefined): boolean {
  if (quoted === undefined || quoted.length === 0) return false;
  return v.alicePackets.some((p) => p.hex.startsWith(quoted));
}
