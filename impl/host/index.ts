// The reference Homeless Mobile IPv6 host: sans I/O (time, randomness and packets come in as
// arguments; what it sends and delivers is returned), following the draft and HOST.md.
//
// Its state is one record (state.ts); its behaviour lives in modules by request and message
// (requests.ts, receive/, send/, verification.ts, timers.ts), functions over a context
// (context.ts); every choice a broken host varies is a field of `Decisions` (decisions.ts).
// `ReferenceHost` holds one context and forwards the public entry points to requests.ts.

import type { HostContext } from './context.js';
import { REFERENCE_DECISIONS, type Decisions } from './decisions.js';
import { resolveParams } from './params.js';
import { isForkableRandom } from './random.js';
import * as requests from './requests.js';
import { isUsableUnicast } from './scope.js';
import { cloneHostState, newHostRecord, type HostRecord } from './state.js';
import type {
  Address,
  Host,
  HostOptions,
  HostState,
  ReceiveAnswer,
  SaConfig,
  SendAnswer,
  SendRequest,
  SentAnswer,
} from './types.js';

export * from './types.js';
export {
  resolveParams,
  PARAM_NAMES,
  SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX,
  CONNECTIONS_PER_ENTRY_MAX,
  MS_PER_SECOND,
} from './params.js';
export { seededRandom, isForkableRandom, type ForkableRandom } from './random.js';
export { nextPeerKind, sendingRules, COMPAT_EVENTS, PEER_KINDS, type CompatEvent } from './compat.js';
export { isNewerSequence } from './sequence.js';
export {
  quoteMatches,
  ICMP_ERROR_QUOTE_BYTES_MAX,
  PARAMETER_PROBLEM_UNRECOGNIZED_OPTION,
  type ParameterProblem,
} from './receive/icmp.js';
export { SPI_MIN, SPI_MAX, PORT_MAX } from './requests.js';
export { REFERENCE_DECISIONS, DECISION_NAMES, type Decisions } from './decisions.js';
export { cloneHostState, type HostRecord } from './state.js';
export type { HostContext } from './context.js';
export type { AddressRecord, EntryRecord, ChallengeState } from './cache.js';
export type { SaRecord } from './sa.js';
export type { ClaimContext, Admission } from './verification.js';
export type { Route, SourcePlan } from './send/route.js';
export type { ReceivedPacket } from './receive/packet.js';
export type { Attribution } from './receive/data.js';
export type { DueEvent } from './timers.js';
export type { BoundCheck, StatusReason } from './lifecycle.js';
export { isLive, hasAnswered } from './lifecycle.js';

export class ReferenceHost implements Host {
  /** The one context every request works on: the state record, the parameters, the decisions. */
  private ctx!: HostContext;

  /**
   * A host over `options` (throws on invalid options: a programmer error). `decisions`
   * replaces the reference's choices: a broken host for the mutant bank or a test.
   */
  constructor(options: HostOptions, decisions: Decisions = REFERENCE_DECISIONS) {
    if (options === FORK) return;
    const resolved = resolveParams(options.params ?? {});
    if (!resolved.ok) throw new RangeError(`createHost: ${resolved.error}`);
    for (const a of options.localAddresses) {
      if (!requests.isCanonicalAddress(a) || !isUsableUnicast(a))
        throw new RangeError(`createHost: ${JSON.stringify(a)} is not a unicast address in RFC 5952 form`);
    }
    this.ctx = {
      state: newHostRecord(options),
      params: Object.freeze({ ...resolved.params }),
      random: options.random,
      decisions,
      out: [],
      delivered: [],
    };
  }

  // ---- Public entry points (DESIGN.md "Entry points", ADAPTER-PROTOCOL.md) -----------------

  /** `addSA` (Appendix A.1/A.2, rules 14, 17): the entry, the SA, the Initial BU. */
  addSA(sa: SaConfig, nowMs: number): SentAnswer {
    return requests.addSA(this.ctx, sa, nowMs);
  }

  receive(bytes: Uint8Array, nowMs: number): ReceiveAnswer {
    return requests.receive(this.ctx, bytes, nowMs);
  }

  tick(nowMs: number): SentAnswer {
    return requests.tick(this.ctx, nowMs);
  }

  send(request: SendRequest, nowMs: number): SendAnswer {
    return requests.send(this.ctx, request, nowMs);
  }

  /** §2.1.3 MUST add it; rule 20 announces it. An address Alice already has changes nothing (rule 24). */
  addLocalAddress(address: Address, nowMs: number): SentAnswer {
    return requests.addLocalAddress(this.ctx, address, nowMs);
  }

  /** §2.1.2 MUST send deleting BUs (rule 20). An address Alice lacks changes nothing (rule 24). */
  removeLocalAddress(address: Address, nowMs: number): SentAnswer {
    return requests.removeLocalAddress(this.ctx, address, nowMs);
  }

  snapshot(): HostState {
    return this.ctx.decisions.snapshot(this.ctx);
  }

  /** A deep copy of the host's state record (state.ts): what a fork of this host would start from. */
  cloneState(): HostRecord {
    return cloneHostState(this.ctx.state);
  }

  /**
   * An independent copy of this host: the same decisions and parameters, a copy of the state
   * record and of the random source's position, so that from here on both answer every request
   * alike and neither sees the other's. Null when the random source cannot be copied (a
   * `HostOptions.random` without `fork`), or when the decisions keep memory of their own
   * outside the record (a broken host's: only the caller that built them knows).
   */
  fork(): ReferenceHost | null {
    const random = this.ctx.random;
    if (!isForkableRandom(random)) return null;
    const copy = new ReferenceHost(FORK);
    copy.ctx = { ...this.ctx, state: cloneHostState(this.ctx.state), random: random.fork(), out: [], delivered: [] };
    return copy;
  }
}

/** The constructor's argument for a fork: the fields are set by `fork` itself. */
const FORK: HostOptions = Object.freeze({ localAddresses: [], random: (n: number) => new Uint8Array(n) });

/** DESIGN.md's entry point: a reference host over `options` (throws on invalid options: a programmer error). */
export function createHost(options: HostOptions, decisions: Decisions = REFERENCE_DECISIONS): ReferenceHost {
  return new ReferenceHost(options, decisions);
}
