// The host's public shapes: parameters, SAs, requests, answers and the observable state.
// They mirror ADAPTER-PROTOCOL.md, with bytes as Uint8Array instead of hex; the adapter
// (`hmip6 serve-reference`) converts at the edge.

import type { AhAlgorithm } from '../crypto/types.js';
import type { Address } from '../wire/types.js';

export type { AhAlgorithm, Address };
export type SaKind = 'generic' | 'anonymous';

/** Protocol parameters (WIRE.md, "Protocol parameters"). Names are fixed by the adapter protocol. */
export interface HostParams {
  defaultLifetimeSeconds: number;
  maximumExpiredLifetimeSeconds: number;
  bindingLifetimeSecondsMax: number;
  challengeRetransmitMs: number;
  challengeAttemptsMax: number;
  challengeLifetimeMs: number;
  compatProbeTimeoutMs: number;
  bindingRefreshSeconds: number;
  buOptimization: boolean;
  foreignEntriesCountMax: number;
  addressesPerEntryCountMax: number;
  tentativePerEntryCountMax: number;
  antiReplayWindowPackets: number;
}

export const DEFAULT_PARAMS: Readonly<HostParams> = Object.freeze({
  defaultLifetimeSeconds: 600, // §3.3 DEFAULT-LIFETIME
  maximumExpiredLifetimeSeconds: 1800, // §3.3 MAXIMUM-EXPIRED-LIFETIME
  bindingLifetimeSecondsMax: 3600,
  challengeRetransmitMs: 1000,
  challengeAttemptsMax: 3,
  challengeLifetimeMs: 5000,
  compatProbeTimeoutMs: 3000,
  bindingRefreshSeconds: 300,
  buOptimization: false,
  foreignEntriesCountMax: 256,
  addressesPerEntryCountMax: 16,
  tentativePerEntryCountMax: 4,
  antiReplayWindowPackets: 64, // RFC 2402
});

export interface SaConfig {
  /** The peer's address at which the SA was established (the entry's first address, HOST.md rule 17). */
  peer: Address;
  inboundSpi: number;
  outboundSpi: number;
  alg: AhAlgorithm;
  key: Uint8Array;
  kind: SaKind;
}

export type PeerKind = 'unknown' | 'homeless' | 'standard-mobile' | 'standard' | 'legacy';
export type AddressStatus = 'tentative' | 'active' | 'deprecated';
export type LifetimeKind = 'activity' | 'absolute';

export interface AddressState {
  address: Address;
  status: AddressStatus;
  lifetime: { kind: LifetimeKind; expiresAt: number };
  challengeOutstanding: boolean;
}

export interface EntryState {
  id: string;
  peerKind: PeerKind;
  sa: { inboundSpi: number; kind: SaKind } | null;
  addresses: AddressState[];
  homeAddress: Address | null;
  careOfAddress: Address | null;
}

/** The adapter protocol's `state` answer (HOST.md rule 19). */
export interface HostState {
  entries: EntryState[];
  local: Address[];
}

export interface Delivered {
  entry: string | null;
  proto: 'udp' | 'icmp';
  payload: Uint8Array;
  authenticated: boolean;
  sport?: number;
  dport?: number;
}

export interface SendRequest {
  to: Address;
  proto: 'udp' | 'icmp';
  payload: Uint8Array;
  sport?: number;
  dport?: number;
}

/** Every host call answers like the adapter: `ok: false` requests have no effect at all (HOST.md rule 24). */
export type Answer<T> = ({ ok: true } & T) | { ok: false; error: string };

export type SentAnswer = Answer<{ sent: Uint8Array[] }>;
export type ReceiveAnswer = Answer<{ sent: Uint8Array[]; delivered: Delivered[] }>;
export type SendAnswer = Answer<{ sent: Uint8Array[]; unreachable?: true }>;

export interface HostOptions {
  localAddresses: Address[];
  params?: Partial<HostParams>;
  /** The host's random source: n fresh bytes. TIME (§3.4.2) is drawn from it, never from the clock. */
  random: (n: number) => Uint8Array;
  /**
   * The instant the host starts (the adapter's `reset.now`): a later request with a smaller
   * `now` is refused (HOST.md rule 24). Without it the first request sets the timeline.
   */
  nowMs?: number;
}

/** The host under test, as the harness and the adapter see it (DESIGN.md, entry points). */
export interface Host {
  addSA(sa: SaConfig, nowMs: number): SentAnswer;
  receive(bytes: Uint8Array, nowMs: number): ReceiveAnswer;
  tick(nowMs: number): SentAnswer;
  send(request: SendRequest, nowMs: number): SendAnswer;
  addLocalAddress(address: Address, nowMs: number): SentAnswer;
  removeLocalAddress(address: Address, nowMs: number): SentAnswer;
  snapshot(): HostState;
}
