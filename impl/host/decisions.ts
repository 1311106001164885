// The host's policy: every choice that a deliberately broken host (the mutant bank,
// properties/mutants/bank/) or a deviant test host varies, as one object of functions. The
// reference host runs REFERENCE_DECISIONS; a broken host is `{ ...REFERENCE_DECISIONS, one:
// ... }`. Each function takes the host's context first; the rest of the host calls these
// through `ctx.decisions`, never directly, so that a replaced choice is seen everywhere it
// applies. Every other function of impl/host is private to its module and free to change.

import type { PacketLayout, AuthHeader, HomeAddressOption, Packet } from '../wire/types.js';
import { oldestLocalOfScope } from './addresses.js';
import type { AddressRecord, EntryRecord } from './cache.js';
import type { CompatEvent } from './compat.js';
import type { HostContext } from './context.js';
import { deprecateAddress, enforceBounds, type BoundCheck } from './lifecycle.js';
import { applyCompatEvent } from './peer-kind.js';
import { attributeData, type Attribution } from './receive/data.js';
import { onParameterProblem, type ParameterProblem } from './receive/icmp.js';
import { onHomeAddress, receivePacket, replayCheck, verifyPacketAh, type ReceivedPacket } from './receive/packet.js';
import { refuseSendRequest } from './requests.js';
import type { SaRecord } from './sa.js';
import { responseSource } from './send/ba.js';
import { announceAddress, sendAddressList, withdrawAddress } from './send/bu.js';
import { sendData } from './send/data.js';
import {
  entryForSend,
  mayProtectData,
  selectDestination,
  selectSource,
  type Route,
  type SourcePlan,
} from './send/route.js';
import { snapshot } from './snapshot.js';
import { transmit } from './transmit.js';
import type { Address, HostState, SendRequest } from './types.js';
import {
  acceptResponse,
  admitNamedAddress,
  challengeDestination,
  drawChallengeTime,
  grantedLifetimeSeconds,
  onConflict,
  recordResponse,
  retransmitChallenge,
  shouldChallenge,
  type Admission,
  type ClaimContext,
} from './verification.js';

export interface Decisions {
  // ---- Authentication (§2.4, RFC 2402, HOST.md rules 1-3) ----------------------------------

  /**
   * The whole receive path for one packet's bytes (rules 1-4, 22): decode, final destination,
   * AH, HAO, then the handlers. A decision so that a host that takes an unprotected packet
   * for a protected one (INV-AUTH-REQUIRED) has somewhere to do it.
   */
  receivePacket(ctx: HostContext, bytes: Uint8Array, nowMs: number): void;
  /** RFC 2402 §3.4: SA by inbound SPI, anti-replay check, ICV; the window moves only after the ICV verifies. */
  verifyPacketAh(ctx: HostContext, bytes: Uint8Array, layout: PacketLayout, ah: AuthHeader): SaRecord | null;
  /** RFC 2402 §3.4.3: false for sequence 0, one older than the window, or one already seen (INV-REPLAY). */
  replayCheck(ctx: HostContext, sa: SaRecord, sequence: number): boolean;
  /** Rule 2 (§2.3.1): whether an HAO passes (under AH: an active or deprecated address of the SA's entry). */
  onHomeAddress(ctx: HostContext, received: ReceivedPacket, hao: HomeAddressOption): boolean;
  /** §3.4.1, §2.4.3: whether an SA may protect data (generic yes, anonymous no; INV-ANON-SCOPE). */
  mayProtectData(ctx: HostContext, sa: SaRecord): boolean;

  // ---- Reachability verification (§3.4.2, rules 6, 8, 9, 12, 13) -----------------------------

  /** Rule 6: what a claim does to one named address (challenged, refreshed, unchanged, refused). */
  admitNamedAddress(ctx: HostContext, entry: EntryRecord, address: Address, claim: ClaimContext): Admission;
  /** §2.3.1, §2.4.1, §3.4.2: a newly claimed address is verified before use (always, INV-ACTIVE-VERIFIED). */
  shouldChallenge(ctx: HostContext, entry: EntryRecord, address: Address, claim: ClaimContext): boolean;
  /** Rule 13: re-check every active holder of a claimed address; false (refused) when a holder is at its bound. */
  onConflict(ctx: HostContext, claimant: EntryRecord, address: Address, claim: ClaimContext): boolean;
  /** §3.4.2, WIRE.md: TIME is 8 random bytes, never the clock. */
  drawChallengeTime(ctx: HostContext, nowMs: number): Uint8Array;
  /** §3.4.2 step 1: the Challenge goes to the address being checked (INV-CHALLENGE-TARGET). */
  challengeDestination(ctx: HostContext, record: AddressRecord): Address;
  /** Rule 9: a retransmission is the same BA, counted against `challengeAttemptsMax` (INV-AMPLIFICATION). */
  retransmitChallenge(ctx: HostContext, record: AddressRecord, nowMs: number): void;
  /** WIRE.md: a Response is accepted once, for the live Challenge, in time, if it equals HMAC(K, Challenge || ADDR). */
  acceptResponse(ctx: HostContext, record: AddressRecord | undefined, response: Uint8Array, nowMs: number): boolean;
  /** Rules 12-13: an accepted Response answers the Challenge; the address wins once its rivals settle (INV-UNIQUE-ACTIVE). */
  recordResponse(ctx: HostContext, record: AddressRecord, lifetimeSeconds: number, nowMs: number): void;
  /** Rules 6, 9, 12: the lifetime Alice grants a peer's address, min(L, `bindingLifetimeSecondsMax`). */
  grantedLifetimeSeconds(ctx: HostContext, requestedSeconds: number): number;
  /** Rule 11: a Response BU comes from ADDR while Alice has it (first form), else her oldest of the verifier's scope. */
  responseSource(ctx: HostContext, checked: Address, verifier: Address): Address | null;

  // ---- Lifetimes and limits (§2.1.4, §4.1, rules 8, 16) ------------------------------------------

  /** §2.1.4, rule 16: active → deprecated when its lifetime ends, removed `maximumExpiredLifetimeSeconds` later. */
  deprecateAddress(ctx: HostContext, record: AddressRecord, atMs: number): void;
  /** Rule 8 (INV-BOUNDED): whether one more entry, address or Challenge fits; nothing is evicted. */
  enforceBounds(ctx: HostContext, check: BoundCheck): boolean;

  // ---- Sending (§1.4, §2.2, rules 14-16, 20, 21) ------------------------------------------------

  /** §1.4: Alice's oldest address of the destination's scope (INV-SOURCE-OWNED: one she has). */
  oldestLocalOfScope(ctx: HostContext, destination: Address): Address | null;
  /** Rule 21: the entry holding `to` active, else deprecated (INV-NO-DIVERSION: never a tentative claim). */
  entryForSend(ctx: HostContext, to: Address): EntryRecord | null;
  /** Rule 21: an active address of the entry, never a tentative or deprecated one (INV-DATA-TO-ACTIVE). */
  selectDestination(ctx: HostContext, entry: EntryRecord): Route | null;
  /** §2.2.2, rule 15: a connection keeps its initial source, emulated as home address once lost. */
  selectSource(ctx: HostContext, entry: EntryRecord, finalDestination: Address, connection: string): SourcePlan | null;
  /** Rule 21: `send` as asked (ports, proto, payload; INV-SEND-FAITHFUL); false when unreachable. */
  sendData(ctx: HostContext, request: SendRequest, nowMs: number): boolean;
  /** Rule 14, 16: the BUs naming Alice's addresses from `source` (the Initial BU has the A bit and an HAO). */
  sendAddressList(
    ctx: HostContext,
    entry: EntryRecord,
    route: Route,
    source: Address,
    ack: boolean,
    hao: boolean,
  ): void;
  /** Rule 20 (§2.1.2, §2.2.1): a BU to each homeless-capable peer naming an address Alice gained. */
  announceAddress(ctx: HostContext, address: Address, nowMs: number): void;
  /** Rule 20 (§2.1.2 MUST): a deleting BU to each such peer for an address Alice lost (INV-OWN-MOVE). */
  withdrawAddress(ctx: HostContext, address: Address, nowMs: number): void;
  /** Encodes a packet, under AH when an SA is given (the next outbound sequence number), and queues it. */
  transmit(ctx: HostContext, packet: Packet, sa: SaRecord | null, entry: EntryRecord | null): Uint8Array;

  // ---- Data, compatibility, requests, state (rules 15, 19, 22, 24) ------------------------------

  /** Rule 22: the entry of received data and whether it is authenticated (generic SA only; INV-NO-STRANGER-STATE). */
  attributeData(ctx: HostContext, received: ReceivedPacket): Attribution;
  /** Rule 15: the one place a peer's kind changes (docs/compatibility.md; homeless never moves down). */
  applyCompatEvent(ctx: HostContext, entry: EntryRecord, event: CompatEvent): void;
  /** Rule 15: a Parameter Problem quoting a Mobile IPv6 option Alice sent makes the peer legacy (LIVE-COMPAT). */
  onParameterProblem(ctx: HostContext, received: ReceivedPacket, message: ParameterProblem): void;
  /** Rule 24: why a `send` request is refused, or null (a malformed request has no effect). */
  refuseSendRequest(ctx: HostContext, request: SendRequest): string | null;
  /** Rule 19: the observable state (INV-STATE-TRUTHFUL: every address, tentative ones included). */
  snapshot(ctx: HostContext): HostState;
}

/** The reference host's decisions: the draft and HOST.md as written. */
export const REFERENCE_DECISIONS: Readonly<Decisions> = Object.freeze({
  receivePacket,
  verifyPacketAh,
  replayCheck,
  onHomeAddress,
  mayProtectData,
  admitNamedAddress,
  shouldChallenge,
  onConflict,
  drawChallengeTime,
  challengeDestination,
  retransmitChallenge,
  acceptResponse,
  recordResponse,
  grantedLifetimeSeconds,
  responseSource,
  deprecateAddress,
  enforceBounds,
  oldestLocalOfScope,
  entryForSend,
  selectDestination,
  selectSource,
  sendData,
  sendAddressList,
  announceAddress,
  withdrawAddress,
  transmit,
  attributeData,
  applyCompatEvent,
  onParameterProblem,
  refuseSendRequest,
  snapshot,
});

/** The names of the decisions, in the order above (docs/host.md lists them with their rules). */
export const DECISION_NAMES: readonly (keyof Decisions)[] = Object.keys(REFERENCE_DECISIONS) as (keyof Decisions)[];
