// INV-OWN-MOVE (§2.1.2, §2.2.1; HOST.md rule 20; ADAPTER-PROTOCOL.md: `addLocalAddress` answers
// with "BUs announcing it", `removeLocalAddress` with "deleting BUs"): Alice tells her peers of
// her own address changes in the call that makes them. The draft's MUST (R2.1.2-8, R2.2.1-6):
// "Whenever a host learns that it has lost a local IP address ... it MUST send a deleting
// Binding Update to its peers"; its SHOULD (R2.1.2-6, R2.2.1-1): a Binding Update adding a new
// one. Rule 20 fixes to whom and how, and the adapter protocol puts the BUs in the call's
// `sent`, so the check is on that call's packets alone: exact, whatever happens afterwards.
//
// A call is judged when Alice accepted it and it changed her addresses (rule 24: adding one
// she has, or removing one she lacks, does nothing). For each SA of hers whose entry must be
// told (rule 20: an entry with an SA and an active address; its peer of a kind that takes her
// homeless BUs, `homeless` or `unknown`: standard peers learn of her addresses through the
// emulation when she uses them, §2.2.2, and legacy ones take no Mobile IPv6 option, rule 15),
// that call's `sent` must hold, under that SA's AH (rule 1: how the peer attributes it):
// - gaining N: a BU (not a Response) with a lifetime > 0 naming N (rule 5), either form of
//   rule 20 (the oracle treats the form as open). Not judged with Appendix B on
//   (`buOptimization`): §2.2.1 lets a host use it instead of the BU;
// - losing X, when Alice keeps an address of X's scope to send from: a BU (not a Response)
//   with lifetime 0 naming X, sent from one of her remaining addresses (rule 20: "nothing when
//   no address remains").
// The entries to tell are those the world can prove need telling (`ProvenEntries`, below):
// never one a correct host may rightly leave out. With `state`, the entries Alice's own state
// after the call says need telling are added (expiries due at the call's instant have run,
// rule 16; the change of her own addresses changes no entry), and for those the BU must go to
// an address active in the entry (rule 21's destinations). The report adds obligations; it
// never removes one the world proved (DESIGN.md "Evidence and verdicts").

import { MS_PER_SECOND } from '../../impl/units.js';
import type { EntryState, HostState, PeerKind } from '../../impl/host/types.js';
import { worldScope as scopeOf, type WorldScope as Scope } from '../world/scope.js';
import type { Address } from '../../impl/wire/types.js';
import type { AliceEvent, AliceEventOf, PacketRecord, SaRecord, Trace } from '../world/types.js';
import { aliceCalls, callText, entryForSa, packet, SaIndex } from './trace-view.js';
import { fail, type Property, type Verdict } from './types.js';

const ID = 'INV-OWN-MOVE';

/** Peer kinds that take Alice's homeless BUs (rule 20, rule 15, §2.2.2). */
const TOLD_KINDS: ReadonlySet<PeerKind> = new Set<PeerKind>(['homeless', 'unknown']);

/** Rule 20 with `state`: the entry has an SA, an active address, and a peer that takes homeless BUs. */
function mustTellWithState(entry: EntryState | undefined, scope: Scope): boolean {
  return (
    entry !== undefined &&
    entry.sa !== null &&
    TOLD_KINDS.has(entry.peerKind) &&
    entry.addresses.some((a) => a.status === 'active' && scopeOf(a.address) === scope)
  );
}

/**
 * Black-box premise: the entries the world can prove, from its own ground truth, to need
 * telling at an instant. Conservative by construction (a proof may be lost, never invented):
 * - the peer is `homeless`: an AH-valid BU with Homeless Support under the SA reached Alice
 *   (rule 15: from any kind, and a homeless peer never moves down), in a packet that passes
 *   rule 2's HAO check for certain (no HAO, or one naming the witness below while it lives);
 * - an address is active for certain: the SA's `peer`, active from Alice's `addSA` (rule 17)
 *   with an activity lifetime of `defaultLifetimeSeconds` (counted from the first time Alice
 *   was asked about that address: an entry a `send` made may be older than its SA). It is
 *   shortened by every AH-valid BU under the SA naming it (an absolute lifetime from the BU,
 *   rule 6; a rejected BU would leave it longer), and lost for good on a BU with lifetime 0
 *   naming it, and on anything that may start a conflict (rule 13) over any address the
 *   entry may hold: an AH-valid packet under another SA whose source, HAO or named addresses
 *   meet the addresses seen under this SA (a conflict may end in both entries being flushed).
 * Activity never extends the witness, so it dies at the latest `defaultLifetimeSeconds` after
 * the SA was added: the premise judges the first minutes of an SA, before the peer moves.
 */
class ProvenEntries {
  private readonly homeless = new Set<string>();
  /** Per SA name: the address active for certain, and until when. */
  private readonly witness = new Map<string, { address: Address; expiresAt: number }>();
  /** Per SA name: every address seen under it (its peer, sources, HAOs, named addresses). */
  private readonly related = new Map<string, Set<Address>>();
  /** When Alice was first asked about each address (`send`'s `to`, `addSA`'s `peer`). */
  private readonly firstAsked = new Map<Address, number>();
  private readonly byName = new Map<string, SaRecord>();
  private readonly byInboundSpi = new Map<number, SaRecord>();

  constructor(
    private readonly trace: Trace,
    private readonly lifetimeMs: number,
    private readonly bindingMaxMs: number,
  ) {
    for (const sa of trace.sas) {
      this.byName.set(sa.name, sa);
      this.byInboundSpi.set(sa.aliceInboundSpi, sa);
      this.related.set(sa.name, new Set([sa.peerAddress]));
    }
  }

  /** Takes in one of Alice's calls, before the next is judged. */
  observe(event: AliceEvent): void {
    if (!event.ok) return;
    if (event.op === 'send' && typeof event.request.to === 'string') this.asked(event.request.to, event.at);
    if (event.op === 'addSA') this.onAddSa(event);
    if (event.op === 'receive' && event.input !== undefined && event.truth?.ah === 'valid' && event.truth.sa !== null) {
      const sa = this.byName.get(event.truth.sa);
      if (sa !== undefined) this.onAuthenticated(sa, packet(this.trace, event.input), event.at);
    }
  }

  mustTell(sa: SaRecord, at: number, scope: Scope): boolean {
    const w = this.witness.get(sa.name);
    return this.homeless.has(sa.name) && w !== undefined && at < w.expiresAt && scopeOf(w.address) === scope;
  }

  private asked(address: Address, at: number): void {
    if (!this.firstAsked.has(address)) this.firstAsked.set(address, at);
  }

  private onAddSa(event: AliceEventOf<'addSA'>): void {
    const spi = event.request.inboundSpi;
    const sa = typeof spi === 'number' ? this.byInboundSpi.get(spi) : undefined;
    if (sa === undefined) return;
    this.asked(sa.peerAddress, event.at);
    // Rule 13 also applies when an address becomes active through rule 17 while tentative elsewhere.
    const contested = this.contest(sa.name, [sa.peerAddress]);
    if (!contested)
      this.witness.set(sa.name, {
        address: sa.peerAddress,
        expiresAt: (this.firstAsked.get(sa.peerAddress) ?? event.at) + this.lifetimeMs,
      });
  }

  private onAuthenticated(sa: SaRecord, p: PacketRecord, at: number): void {
    const before = this.witness.get(sa.name);
    const alive = before !== undefined && at < before.expiresAt;
    const haoPasses = p.info.hao === undefined || (alive && p.info.hao === before.address);
    if (haoPasses && p.info.bus.some((b) => b.homelessSupport)) this.homeless.add(sa.name);
    const touched = [p.info.source, p.info.hao, ...p.info.bus.flatMap((b) => b.named)].filter(
      (a): a is Address => a !== undefined,
    );
    this.contest(sa.name, touched);
    const mine = this.related.get(sa.name);
    for (const a of touched) mine?.add(a);
    for (const bu of p.info.bus) {
      const w = this.witness.get(sa.name);
      if (w === undefined || !bu.named.includes(w.address)) continue;
      if (bu.lifetimeSeconds === 0) this.witness.delete(sa.name);
      else w.expiresAt = Math.min(w.expiresAt, at + Math.min(bu.lifetimeSeconds * MS_PER_SECOND, this.bindingMaxMs));
    }
  }

  /** Addresses that meet another SA's may be contested (rule 13): both witnesses are lost. Returns whether any met. */
  private contest(name: string, addresses: readonly Address[]): boolean {
    let met = false;
    for (const [other, seen] of this.related) {
      if (other === name || !addresses.some((a) => seen.has(a))) continue;
      met = true;
      this.witness.delete(other);
      this.witness.delete(name);
    }
    return met;
  }
}

/** Whether `p`, which Alice sent under `sa`, tells its peer of the change (and, with `entry`, goes to an active address of it). */
function tells(
  p: PacketRecord,
  sa: SaRecord,
  sas: SaIndex,
  change: { gained: boolean; address: Address; remaining: ReadonlySet<Address> },
  entry: EntryState | undefined,
): boolean {
  if (sas.byOutbound(p.info.spi) !== sa) return false;
  if (entry !== undefined) {
    const to = p.info.finalDestination ?? p.info.destination;
    if (!entry.addresses.some((a) => a.address === to && a.status === 'active')) return false;
  }
  return p.info.bus.some((bu) => {
    if (bu.security !== undefined || !bu.named.includes(change.address)) return false;
    if (change.gained) return bu.lifetimeSeconds > 0;
    return bu.lifetimeSeconds === 0 && p.info.source !== undefined && change.remaining.has(p.info.source);
  });
}

function check(trace: Trace): Verdict {
  const params = trace.config.params;
  const sas = new SaIndex(trace);
  const proven = new ProvenEntries(
    trace,
    params.defaultLifetimeSeconds * MS_PER_SECOND,
    params.bindingLifetimeSecondsMax * MS_PER_SECOND,
  );
  // Alice's addresses, from the world's record (owners at the start) and her accepted calls.
  const local = new Set<Address>(Object.entries(trace.owners).flatMap(([a, node]) => (node === 'alice' ? [a] : [])));
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event } = call;
    proven.observe(event);
    if ((event.op !== 'addLocalAddress' && event.op !== 'removeLocalAddress') || !event.ok) continue;
    const address = event.request.address;
    if (typeof address !== 'string') continue;
    const gained = event.op === 'addLocalAddress';
    if (gained === local.has(address)) continue;
    if (gained) local.add(address);
    else local.delete(address);
    if (gained && params.buOptimization) continue;
    const scope = scopeOf(address);
    const remaining = new Set([...local].filter((a) => scopeOf(a) === scope));
    if (remaining.size === 0) continue;
    const state: HostState | undefined = event.state;
    for (const sa of trace.sas) {
      // The black-box obligation always stands; the state may add one, never take one away.
      const reported = state === undefined ? undefined : entryForSa(state, sa);
      const stateMust = mustTellWithState(reported, scope);
      if (!proven.mustTell(sa, event.at, scope) && !stateMust) continue;
      const entry = stateMust ? reported : undefined;
      judged += 1;
      const change = { gained, address, remaining };
      if (event.sent.some((id) => tells(packet(trace, id), sa, sas, change, entry))) continue;
      const what = gained
        ? `BU with a lifetime > 0 naming ${address}`
        : `deleting BU (lifetime 0) naming ${address} from one of her remaining addresses (${[...remaining].join(', ')})`;
      const where = entry === undefined ? '' : ` to an active address of entry ${entry.id} (${entry.peerKind})`;
      return fail(
        ID,
        call.step,
        `Alice ${gained ? 'gained' : 'lost'} ${address} (${callText(event)}) but sent ${sa.peer} no ${what} under SA ${sa.name}${where}: sent ${event.sent.length === 0 ? 'nothing' : event.sent.map((id) => `#${id} ${packet(trace, id).summary}`).join('; ')}`,
      );
    }
  }
  return { ok: true, judged };
}

export const ownMove: Property = {
  id: ID,
  needs: 'black-box',
  summary:
    'each address Alice gains or loses is announced (a BU naming it, or a deleting BU) to every peer entry that must be told, in the same call',
  situation: 'change Alice must announce',
  judgedPerRun: 0.1,
  check,
};
