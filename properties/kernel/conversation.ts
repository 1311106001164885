// A host talking UDP with the kernel peer (docs/findings.md, "The Linux kernel as a peer"):
// every packet the host sends goes to the kernel through the relay, and every answer the
// kernel sends (UDP echoes, ICMPv6 errors) is fed back to `host.receive`. The host runs on
// a virtual clock that advances a fixed step per exchange; the kernel on its own.
//
// `DraftLiteralHost` wraps a host and sends what §2.2.3 says to the letter: when Alice has an
// address her source selection prefers over a connection's initial source, the packet leaves
// from it with a Home Address option naming the initial source. It is the comparison the
// findings need: the same exchange, the same kernel, only the rule for the source differs.

import { match } from 'ts-pattern';

import type { Delivered, Host, HostState, PeerKind, SendRequest } from '../../impl/host/types.js';
import { addressToBytes, decodePacket, encodePacket } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { readAnswer, type KernelAnswer } from './answers.js';
import { ECHO_PORT, type KernelLab } from './netns.js';
import { ANSWER_WAIT_MS } from './scenarios.js';

/** Virtual time the host sees pass per exchange with the kernel. */
export const STEP_MS = 100;
/** Rounds of host → kernel → host in one step: a host answer to an answer, and so on. */
const PUMP_DEPTH_MAX = 4;

export interface SentSummary {
  source: Address;
  destination: Address;
  /** The packet carries a Destination Options header with any Mobile IPv6 option (HAO, BU, BA, BR). */
  mobileOptions: boolean;
  hao: boolean;
  ah: boolean;
  udp: boolean;
}

export function summarizeSent(bytes: Uint8Array): SentSummary | null {
  const d = decodePacket(bytes);
  if (!d.ok) return null;
  const p = d.packet;
  const options = p.destOptions ?? [];
  return {
    source: p.ipv6.source,
    destination: p.ipv6.destination,
    mobileOptions: options.some((o) => o.kind !== 'unknown'),
    hao: options.some((o) => o.kind === 'hao'),
    ah: p.ah !== undefined,
    udp: p.upper.kind === 'udp',
  };
}

export interface PumpResult {
  sent: Uint8Array[];
  answers: KernelAnswer[];
  delivered: Delivered[];
}

/**
 * Relays `packets` (what the host just sent) to the kernel, feeds the kernel's answers to the
 * host, relays what the host sends in turn, and so on, at most PUMP_DEPTH_MAX times.
 */
export async function pump(
  lab: KernelLab,
  host: Host,
  packets: readonly Uint8Array[],
  nowMs: number,
): Promise<PumpResult> {
  const out: PumpResult = { sent: [], answers: [], delivered: [] };
  let batch = [...packets];
  for (let depth = 0; depth < PUMP_DEPTH_MAX && batch.length > 0; depth++) {
    out.sent.push(...batch);
    const ex = await lab.exchange(batch, { waitMs: ANSWER_WAIT_MS, expect: batch.length });
    const next: Uint8Array[] = [];
    for (const bytes of ex.received) {
      out.answers.push(readAnswer(bytes, out.sent));
      const r = host.receive(bytes, nowMs);
      if (!r.ok) throw new Error(`host.receive refused a packet: ${r.error}`);
      out.delivered.push(...r.delivered);
      next.push(...r.sent);
    }
    batch = next;
  }
  return out;
}

export type Phase = 'initial' | 'second-address' | 'initial-lost';

export interface Round {
  index: number;
  phase: Phase;
  /** The UDP payload Alice's application sent. */
  payload: string;
  unreachable: boolean;
  sent: SentSummary[];
  /** Every packet of the round in order: what Alice sent, then what the kernel answered. */
  packets: Uint8Array[];
  answers: KernelAnswer[];
  /** The peer's echo service received this round's datagram. */
  reachedPeer: boolean;
  /** Alice's host delivered the echo of this round's datagram to her application. */
  echoed: boolean;
  peerKind: PeerKind | null;
}

export interface ConversationPlan {
  /** The kernel peer's address (the entry's first address, §2.1.1). */
  peer: Address;
  roundsPerPhase: number;
  /** The address Alice gains after the first phase. */
  secondAddress: Address;
  /** The address Alice loses before the last phase (her initial one); omit to skip that phase. */
  loseAddress?: Address;
}

export interface Conversation {
  rounds: Round[];
  /** Packets sent and answers read before the first round (the Initial BU after `addSA`). */
  setup: { sent: SentSummary[]; answers: KernelAnswer[]; packets: Uint8Array[]; peerKind: PeerKind | null };
  nowMs: number;
}

function peerKindOf(state: HostState, peer: Address): PeerKind | null {
  const target = addressToBytes(peer).join(',');
  const entry = state.entries.find((e) => e.addresses.some((a) => addressToBytes(a.address).join(',') === target));
  return entry?.peerKind ?? null;
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/**
 * Alice's application sends one datagram per round to the kernel peer's echo service and
 * waits for the echo; between phases Alice gains her second address (in the namespace and in
 * the host), then optionally loses her initial one. `setup` runs first (an `addSA`, say) and
 * returns what the host sent.
 */
export async function converse(
  lab: KernelLab,
  host: Host,
  plan: ConversationPlan,
  setup?: (nowMs: number) => Uint8Array[],
): Promise<Conversation> {
  let nowMs = 0;
  const setupOut: Conversation['setup'] = { sent: [], answers: [], packets: [], peerKind: null };
  if (setup !== undefined) {
    const r = await pump(lab, host, setup(nowMs), nowMs);
    setupOut.sent = r.sent.map(summarizeSent).filter((s): s is SentSummary => s !== null);
    setupOut.answers = r.answers;
    setupOut.packets = [...r.sent, ...r.answers.map((a) => a.bytes)];
    setupOut.peerKind = peerKindOf(host.snapshot(), plan.peer);
    nowMs += STEP_MS;
  }
  const phases: Phase[] =
    plan.loseAddress === undefined ? ['initial', 'second-address'] : ['initial', 'second-address', 'initial-lost'];
  const rounds: Round[] = [];
  for (const phase of phases) {
    const changes = match(phase)
      .with('initial', () => [] as Uint8Array[])
      .with('second-address', () => {
        lab.addAliceAddress(plan.secondAddress);
        const r = host.addLocalAddress(plan.secondAddress, nowMs);
        if (!r.ok) throw new Error(`addLocalAddress: ${r.error}`);
        return r.sent;
      })
      .with('initial-lost', () => {
        const lost = plan.loseAddress as Address;
        lab.removeAliceAddress(lost);
        const r = host.removeLocalAddress(lost, nowMs);
        if (!r.ok) throw new Error(`removeLocalAddress: ${r.error}`);
        return r.sent;
      })
      .exhaustive();
    if (changes.length > 0) await pump(lab, host, changes, nowMs);
    for (let i = 0; i < plan.roundsPerPhase; i++) {
      nowMs += STEP_MS;
      const payload = `hmip6 round ${rounds.length} (${phase})`;
      const request: SendRequest = {
        to: plan.peer,
        proto: 'udp',
        payload: new TextEncoder().encode(payload),
        sport: ECHO_PORT,
        dport: ECHO_PORT,
      };
      const echoBefore = lab.echoLog().length;
      const s = host.send(request, nowMs);
      if (!s.ok) throw new Error(`send: ${s.error}`);
      const r = await pump(lab, host, s.sent, nowMs);
      const echoed = r.delivered.some((d) => d.proto === 'udp' && text(d.payload) === payload);
      const reachedPeer = await lab.echoReceived([request.payload], echoBefore, echoed ? undefined : 0);
      rounds.push({
        index: rounds.length,
        phase,
        payload,
        unreachable: s.unreachable === true,
        sent: r.sent.map(summarizeSent).filter((x): x is SentSummary => x !== null),
        packets: [...r.sent, ...r.answers.map((a) => a.bytes)],
        answers: r.answers,
        reachedPeer,
        echoed,
        peerKind: peerKindOf(host.snapshot(), plan.peer),
      });
    }
  }
  return { rounds, setup: setupOut, nowMs };
}

/**
 * RFC 6724 rule 8 (longest matching prefix) between same-scope global addresses, ties to the
 * newest: the source a host's address selection prefers toward `destination`.
 */
export function preferredSource(addresses: readonly Address[], destination: Address): Address | null {
  const d = addressToBytes(destination);
  let best: Address | null = null;
  let bestLength = -1;
  for (const a of addresses) {
    const b = addressToBytes(a);
    let length = 0;
    while (length < 128 && ((b[length >> 3] ^ d[length >> 3]) & (0x80 >> (length & 7))) === 0) length++;
    if (length >= bestLength) {
      best = a;
      bestLength = length;
    }
  }
  return best;
}

/**
 * §2.2.3 to the letter, around any host: each UDP packet the inner host sends leaves from the
 * source Alice's address selection prefers (`preferredSource`), and when that differs from the
 * packet's own source (the connection's initial one) it carries a Home Address option naming
 * the initial source. The Binding Update the section also asks for needs AH (§2.2.2), so a
 * connection without an SA, as here, can only carry the HAO. Everything else passes through.
 */
export class DraftLiteralHost implements Host {
  private readonly local: Address[];

  constructor(
    private readonly inner: Host,
    localAddresses: readonly Address[],
  ) {
    this.local = [...localAddresses];
  }

  private rewrite(sent: Uint8Array[]): Uint8Array[] {
    return sent.map((bytes) => {
      const d = decodePacket(bytes);
      if (!d.ok || d.packet.upper.kind !== 'udp' || d.packet.ah !== undefined) return bytes;
      const p = d.packet;
      const initial = p.ipv6.source;
      const chosen = preferredSource(this.local, p.ipv6.destination);
      if (chosen === null || chosen === initial) return bytes;
      const others = (p.destOptions ?? []).filter((o) => o.kind !== 'hao');
      return encodePacket({
        ...p,
        ipv6: { ...p.ipv6, source: chosen },
        destOptions: [{ kind: 'hao', homeAddress: initial }, ...others],
      });
    });
  }

  addSA(...args: Parameters<Host['addSA']>): ReturnType<Host['addSA']> {
    return this.inner.addSA(...args);
  }

  receive(bytes: Uint8Array, nowMs: number): ReturnType<Host['receive']> {
    const r = this.inner.receive(bytes, nowMs);
    return r.ok ? { ...r, sent: this.rewrite(r.sent) } : r;
  }

  tick(nowMs: number): ReturnType<Host['tick']> {
    const r = this.inner.tick(nowMs);
    return r.ok ? { ...r, sent: this.rewrite(r.sent) } : r;
  }

  send(request: SendRequest, nowMs: number): ReturnType<Host['send']> {
    const r = this.inner.send(request, nowMs);
    return r.ok ? { ...r, sent: this.rewrite(r.sent) } : r;
  }

  addLocalAddress(address: Address, nowMs: number): ReturnType<Host['addLocalAddress']> {
    if (!this.local.includes(address)) this.local.push(address);
    const r = this.inner.addLocalAddress(address, nowMs);
    return r.ok ? { ...r, sent: this.rewrite(r.sent) } : r;
  }

  removeLocalAddress(address: Address, nowMs: number): ReturnType<Host['removeLocalAddress']> {
    const i = this.local.indexOf(address);
    if (i >= 0) this.local.splice(i, 1);
    const r = this.inner.removeLocalAddress(address, nowMs);
    return r.ok ? { ...r, sent: this.rewrite(r.sent) } : r;
  }

  snapshot(): HostState {
    return this.inner.snapshot();
  }
}
