// The adversarial world's vocabulary (DESIGN.md "The world and the attacker"): who lives in
// it, what a schedule can make happen, and what a run leaves behind (the trace that the
// invariants judge and the counterexample file stores).
//
// Everything here is plain JSON data: an action is replayed from its fields alone, and a
// trace serialises byte for byte the same way on every run of the same schedule.

import type { AhAlgorithm, Delivered, EntryState, Host, HostParams, HostState, SaKind } from '../../impl/host/types.js';
import type { Address } from '../../impl/wire/types.js';

/** Every node of the world. Alice is the host under test; Mallory is the attacker. */
export type NodeName = 'alice' | 'bob' | 'carol' | 'sam' | 'lee' | 'mallory';
/** Honest homeless peers: reference hosts. */
export type HomelessPeer = 'bob' | 'carol';
/** Every honest peer: Bob and Carol (homeless), Sam (a draft-13 mobile node), Lee (legacy). */
export type PeerName = HomelessPeer | 'sam' | 'lee';
/** Peers that can move to a new address. */
export type MobilePeer = HomelessPeer | 'sam';

export const PEER_NAMES: readonly PeerName[] = ['bob', 'carol', 'sam', 'lee'];

/** Adapter features (ADAPTER-PROTOCOL.md, "Features an IUT may announce"). */
export type Feature = 'state' | 'standard-compat' | 'alternate-prefixes' | 'bu-optimization' | 'anonymous-sa';

/**
 * Where Alice comes from. The reference host, a deliberately broken subclass (a mutant) or an
 * external implementation over the adapter protocol all plug in here, and the world reaches
 * Alice only through the `Host` interface. `snapshot()` is called only with feature `state`.
 */
export interface AliceFactory {
  name: string;
  features: readonly Feature[];
  /**
   * Set for an implementation under test: the oracle's packet checks (properties/adapter/checks.ts)
   * watch its every exchange and report what they find themselves, so REFINES-SIGNALLING leaves
   * those judgements to them (one report per departure). Absent for an in-process Alice.
   */
  readonly oracleChecks?: true;
  create(localAddresses: Address[], params: HostParams, seed: number): Host;
  /**
   * An independent copy of a host this factory created, in its current state (null: this one
   * cannot be copied). Absent for an Alice that cannot be copied at all (an external IUT, a
   * broken host whose decisions remember things outside the state record): the explorer then
   * rebuilds a state by replaying its moves instead of forking its world.
   */
  fork?(host: Host): Host | null;
}

/** Which SAs Mallory holds with Alice (§2.4.3: generic or anonymous). */
export type MalloryKind = 'generic' | 'anonymous' | 'both';
export type CarolKind = 'generic' | 'anonymous' | 'absent';

/** The world a schedule runs in: drawn once per run, before the actions. */
export interface WorldConfig {
  /** Seeds keys, SPIs, every host's random source, garbage and random loss. */
  seed: number;
  /** Protocol parameters of every host in the world (WIRE.md names). */
  params: HostParams;
  /**
   * Alice's addresses at the start: 1 or 2, and in about one world in 30 from
   * ALICE_ADDRESSES_MANY_MIN to ALICE_ADDRESSES_MANY_MAX (more than one BU option holds).
   */
  aliceAddressCount: number;
  alg: AhAlgorithm;
  carol: CarolKind;
  /** Whether Sam, a draft-13 mobile node, is there (§2.2.2, §2.3.2). */
  sam: boolean;
  /** Whether Lee, a host that rejects Mobile IPv6 options (HOST.md rule 15), is there. */
  lee: boolean;
  mallory: MalloryKind;
}

/** An address named by role, resolved when the action runs (so that shrinking keeps it meaningful). */
export type Target =
  /** One of a peer's current addresses (index modulo their number). */
  | { kind: 'peer'; peer: PeerName; pick: number }
  /** An address someone lost, newest first (index modulo their number). */
  | { kind: 'lost'; fromEnd: number }
  /** 2001:db8:9:n::1: owned by nobody, a third party's address (amplification victim). */
  | { kind: 'victim'; n: number }
  /** One of Alice's current addresses. */
  | { kind: 'alice'; pick: number }
  /** One of Mallory's own addresses. */
  | { kind: 'own'; pick: number }
  /**
   * The address a homeless peer will get at its next move or gain (the world's addresses are
   * predictable, as real ones often are): Mallory can claim it first (HOST.md rule 13).
   */
  | { kind: 'next'; peer: HomelessPeer }
  /** 2001:db8:7:n::1: the stranger Alice's application may send to (`aliceSendNew`). */
  | { kind: 'stranger'; n: number }
  /**
   * A link-local, site-local or loopback address (NON_GLOBAL_ADDRESSES, index modulo 3): a BU
   * never names one (HOST.md rule 5), so a claim on it must draw no Challenge.
   */
  | { kind: 'scoped'; pick: number };

/** Which packet in flight a fault hits: the newest matching one, `fromEnd` back. */
export type Selector =
  | 'any'
  | 'from-alice'
  | 'to-alice'
  | 'challenge'
  | 'mallory-challenge'
  | 'response'
  | 'bu'
  | 'data'
  /** An ICMPv6 Parameter Problem on its way to Alice (Lee's answer, rule 15). */
  | 'param-problem';

/** Forms of a claim BU (Appendix C and §3.4.2). */
export type ClaimForm =
  /** From one of Mallory's addresses, naming the target in an Alternate CoA sub-option. */
  | 'alt-coa'
  /** From the target itself (a spoofed source), with an HAO naming Mallory's registered address. */
  | 'spoofed-source'
  /** Appendix C: "my home address is the target": HAO = target, from Mallory's own address. */
  | 'home-address';

/**
 * Values Mallory has seen, reused where a host might accept them (§3.4.2): `late` answers a
 * withheld Challenge after its lifetime; `elsewhere` answers one correctly but to another of
 * Alice's addresses; `cross` names `target` with the Response for the Challenge's own
 * address; `rebind` names `target` with HMAC(K, that Challenge ‖ target); `again` repeats a
 * Response value under a fresh AH; `stale-sequence` sends a BU with a sequence number it used
 * before; `reflect` sends a Challenge Alice sent it back to her in a BA.
 */
export type ReuseKind = 'late' | 'elsewhere' | 'cross' | 'rebind' | 'again' | 'stale-sequence' | 'reflect';
/**
 * Forms of a Response Mallory gives a Challenge it holds, always with the correct value,
 * HMAC(K, Challenge ‖ ADDR) (HOST.md rules 11 and 12): `alt-coa` is rule 11's second form,
 * from another of its addresses with an Alternate CoA naming ADDR, which every receiver
 * accepts; the others are what rule 12 ignores: `two-security` (from ADDR, the correct value
 * then a random one, in two Security sub-options), `two-alt-coa` (the second form with a
 * first Alternate CoA naming another address), `other-sub-option` (from ADDR, with a Unique
 * Identifier, Alternate Prefixes or unknown sub-option after the value), `lifetime-zero`
 * (from ADDR, well formed, lifetime 0).
 */
export type ResponseForm = 'alt-coa' | 'two-security' | 'two-alt-coa' | 'other-sub-option' | 'lifetime-zero';
export type BadAhKind = 'no-ah' | 'bad-icv' | 'unknown-spi' | 'peer-spi' | 'seq-zero' | 'truncated-icv';
/**
 * Spoofed packets without AH: `bad-checksum` is UDP data whose checksum is zero or wrong;
 * `unknown-option` carries an unknown destination option (sometimes after a BR) whose action bits
 * are 01, 10 or 11 (RFC 2460 §4.2: discard), or 00 (skip: the only one of these whose data Alice
 * delivers); `routed-away` comes through a type 0 routing header whose final destination is a
 * third party's (HOST.md rule 22: Alice forwards nothing). Alice must deliver none of the others.
 */
export type SpoofKind =
  'data' | 'bu-no-ah' | 'echo' | 'ba-no-ah' | 'hao-data' | 'bad-checksum' | 'unknown-option' | 'routed-away';

/**
 * A type 0 routing header through Alice's own addresses (HOST.md rule 22: processed, since
 * every address in it is hers): the packet goes to her first address, and the header lists
 * `addresses` of hers (1 or 2), the last one her second address when she has two, with
 * Segments Left `segmentsLeft` (0 to `addresses`: 0 says the route is already walked, so the
 * final destination is the IPv6 Destination; more, the last address in the header).
 */
export interface Via {
  addresses: number;
  segmentsLeft: number;
}

/**
 * Forms of Mallory's Parameter Problem (HOST.md rule 15; each but `whole` must change nothing):
 * `whole` quotes the packet as a real node does (all of it, or its first 1232 bytes); `truncated`
 * quotes only its bytes up to the option pointed at; `altered` quotes the right number of bytes
 * with the last one changed; `code` has code 0 or 1 instead of 2; `elsewhere` comes from an
 * address other than the quoted packet's destination and points at a byte that is no option's.
 */
export type ParamProblemForm = 'whole' | 'truncated' | 'altered' | 'code' | 'elsewhere';

/** One step of a schedule. `describeAction` prints it as a replayable call. */
export type Action =
  // Honest life.
  | { kind: 'advance'; ms: number }
  /** The clock jumps (no node runs meanwhile, as after a suspend), then every node ticks. */
  | { kind: 'jump'; past: 'lifetime' | 'expired' | 'all' }
  /** A stretch of `ms` with no fault at all, then probes toward the peers that moved. */
  | { kind: 'fair'; ms: number }
  | { kind: 'peerMove'; peer: MobilePeer }
  | { kind: 'peerGain'; peer: HomelessPeer }
  | { kind: 'peerLose'; peer: HomelessPeer; pick: number }
  | { kind: 'peerSend'; peer: PeerName }
  /**
   * The peer's application sends `count` datagrams at once: enough to slide (and wrap) the AH
   * anti-replay window of its SA at Alice (RFC 2402 §3.4.3; INV-REPLAY's fresh-but-late half).
   */
  | { kind: 'peerBurst'; peer: PeerName; count: number }
  /** `sport`/`dport` (UDP only): the request's ports; absent, the protocol's defaults (5000, 5000). */
  | { kind: 'aliceSend'; peer: PeerName; pick: number; proto: 'udp' | 'icmp'; sport?: number; dport?: number }
  /** Alice's application sends to an address nobody has seen (an entry-creating send, §2.1.1). */
  | { kind: 'aliceSendNew'; n: number }
  /**
   * Alice and the host at the same stranger's address establish a generic SA (Appendix A; the
   * key exchange itself is not played, and the stranger stays outside the world): Alice's
   * `addSA` reuses the entry her `send` made, if any (HOST.md rule 17).
   */
  /** `edge`: with the SPIs at the ends of their range, inbound 256 and outbound 2^32 − 1 (both valid). */
  | { kind: 'aliceAddSa'; n: number; edge?: true }
  /**
   * Alice establishes a second generic SA, with the host at Lee's address (Appendix A, played
   * as for a stranger: the key exchange is outside the world and Lee's node keeps only its
   * first SA, so nobody in the world holds this one's key). Her `addSA` reuses the entry her
   * `send` made for that address, if any (HOST.md rule 17): legacy once Lee's Parameter
   * Problem quoted one of its packets (rule 15). Once per run.
   */
  | { kind: 'aliceAddSaLee' }
  | { kind: 'aliceGain' }
  /**
   * Alice loses one of her addresses. Never her last one unless `last` is set: then she may be
   * left with none until she gains one (§2.1.2; rule 20 sends nothing then, and a Challenge she
   * starts meanwhile waits for an address of its scope, rule 9).
   */
  | { kind: 'aliceLose'; pick: number; last?: boolean }
  /** A request a correct host refuses, with no effect at all (HOST.md rule 24). */
  | { kind: 'invalid'; request: InvalidRequest }
  /** Requests whose flaw depends on Alice's state, resolved when they run, in order (OddRequest; `pick` chooses among candidates). */
  | { kind: 'aliceOdd'; what: OddRequest[]; pick: number }
  /**
   * Alice establishes another SA, with fresh SPIs, with the host at `strangerAddress(n)`
   * (HOST.md rule 17): refused while that address is active in an entry with an SA, accepted
   * in an entry of its own once it is deprecated (never reusing an entry with an SA). `jump`:
   * first the clock jumps just past `defaultLifetimeSeconds` (the first SA's address is then
   * due to be deprecated) and the `addSA` comes before any tick, so that
   * the expiries due at its `now` decide its verdict (rules 16, 24: judged on the state after
   * them).
   */
  | { kind: 'aliceAddSaAgain'; n: number; jump: boolean }
  // Network faults.
  | { kind: 'lose'; select: Selector; fromEnd: number }
  | { kind: 'duplicate'; select: Selector; fromEnd: number }
  | { kind: 'reorder'; select: Selector; fromEnd: number }
  | { kind: 'delay'; select: Selector; fromEnd: number; ms: number }
  | { kind: 'lossy'; permille: number; ms: number }
  // Mallory.
  /** `via`: the claim reaches Alice through a routing header of her own addresses. */
  | { kind: 'claim'; sa: 'generic' | 'anonymous'; target: Target; form: ClaimForm; via?: Via }
  | { kind: 'takeover'; sa: 'generic' | 'anonymous'; fromEnd: number }
  /** `via` (not for `routed-away`, which has its own): through a routing header of Alice's own addresses. */
  | { kind: 'spoof'; what: SpoofKind; as: Target; via?: Via }
  | { kind: 'badAh'; what: BadAhKind; target: Target }
  | { kind: 'replay'; fromEnd: number; retarget: boolean }
  | { kind: 'forgeResponse'; target: Target; under: 'generic' | 'anonymous' | 'peer' }
  | { kind: 'clockGuess'; sa: 'generic' | 'anonymous'; target: Target }
  | { kind: 'anonData' }
  | { kind: 'garbage'; hex: string }
  | { kind: 'bitflip'; fromEnd: number; bit: number }
  | { kind: 'flood'; sa: 'generic' | 'anonymous'; count: number; first: number }
  /** Quotes the `fromEnd`-th newest packet of Alice's that Mallory received, one with a Mobile IPv6 option if any; `form` absent: `whole`. */
  | { kind: 'paramProblem'; fromEnd: number; form?: ParamProblemForm }
  /** Mallory claims one of its own addresses (other than the SA's first) and keeps its Challenges unanswered, for `reuse`. */
  | { kind: 'withhold'; sa: 'generic' | 'anonymous'; pick: number }
  /** Mallory reuses a Challenge (the `fromEnd`-th newest it received), a Response or a sequence number (ReuseKind). */
  | { kind: 'reuse'; what: ReuseKind; fromEnd: number; target: Target }
  /** Mallory answers a Challenge it holds (the `fromEnd`-th newest it received) correctly now, in `form` (ResponseForm). */
  | { kind: 'answer'; form: ResponseForm; fromEnd: number }
  /** Mallory's BUs renewing its first address, numbered across 65535 → 0 (WIRE.md: modulo 2^16). */
  | { kind: 'seqWrap'; sa: 'generic' | 'anonymous' }
  /**
   * Mallory's AH counter under its SA jumps to the end of the 32-bit space: a claim on `target`
   * carries AH sequence number 2^32 − 1, the last a sender may use (RFC 2402 §3.3.2). Mallory
   * then cycles to 1, which a sender must not do: every later packet of that SA falls left of
   * Alice's anti-replay window.
   */
  | { kind: 'ahEnd'; sa: 'generic' | 'anonymous'; target: Target }
  /**
   * Mallory takes `count` fresh addresses of its own prefix (2001:db8:e:k::1) and claims each
   * under its SA with lifetime `bindingLifetimeSecondsMax`, answering their Challenges: an
   * attacker with a prefix of its own fills its entry up to the address bound of rule 8.
   */
  | { kind: 'fill'; sa: 'generic' | 'anonymous'; count: number }
  /**
   * Alice and Mallory as ordinary correspondents: her application sends to it, or it sends data
   * or a BR under its generic SA, or it acknowledges the newest BU with the A bit she sent it
   * (`mallory-acks`: a BA with that BU's number, under the SA it came under). For `alice-sends`:
   * `aside`, to an address of Mallory's that no SA of its names (`Mallory.aside`), so that her
   * entry for it has no SA; `large`, a datagram of LARGE_PAYLOAD_BYTES (constants.ts), so that
   * her packet is longer than an ICMPv6 error can quote (RFC 4443 §2.4(c): 1232 bytes).
   */
  | {
      kind: 'correspond';
      what: 'alice-sends' | 'mallory-sends' | 'mallory-br' | 'mallory-acks';
      aside?: true;
      large?: true;
    };

export type ActionKind = Action['kind'];

/**
 * Requests whose flaw the world resolves from what it knows when they run (HOST.md rules 24, 20):
 * - `stale-tick`, `stale-receive`: a `tick` (a `receive` of a few zero bytes) at a `now` 1 ms
 *   before the last accepted one (the world first ticks Alice at the current instant);
 * - `fraction-now`, `negative-now`: a `tick` at the current `now` + 0.5, at −1;
 * - `own-peer`: an `addSA` (fresh SPIs, a valid key) naming one of Alice's own addresses;
 * - `own-to`: a `send` to one of Alice's own addresses;
 * - `spi-in-use`: an `addSA` for a stranger with the inbound SPI of an SA she accepted;
 * all refused with no effect at all; and two she must accept or refuse with no effect (rule
 * 24: "does nothing", after a tick at the same instant so that no expiry is due):
 * - `add-held`: `addLocalAddress` of an address she holds;
 * - `remove-lacking`: `removeLocalAddress` of one she lacks (one she lost, else a stranger's);
 * and `edges`: the malformed requests at the edges of rule 24's ranges, one after another
 * (EDGE_REQUESTS in properties/arbitraries/invalid.ts), each refused with no effect; and
 * `non-global-to`: a `send` to a link-local, a site-local and the loopback address
 * (NON_GLOBAL_ADDRESSES in addresses.ts), well formed (rule 24: unicast of some scope), each accepted and, as
 * Alice holds global addresses only, answered `unreachable` with nothing sent (rule 21,
 * §1.4: no source of the destination's scope).
 */
export const ODD_REQUESTS = [
  'stale-tick',
  'stale-receive',
  'fraction-now',
  'negative-now',
  'own-peer',
  'own-to',
  'spi-in-use',
  'add-held',
  'remove-lacking',
  'edges',
  'non-global-to',
] as const;
export type OddRequest = (typeof ODD_REQUESTS)[number];

/** A JSON value, as the adapter protocol carries it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A request malformed or out of range in one field (HOST.md rule 24; DESIGN.md "Probes"), as
 * the adapter protocol's JSON without `id` and `now` (the world adds the current `now`: never
 * a decreasing one). Only these five request types; never a line that is not JSON, never
 * before `reset`.
 */
export interface InvalidRequest {
  type: 'addSA' | 'send' | 'addLocalAddress' | 'removeLocalAddress' | 'receive';
  [field: string]: JsonValue;
}

/** What fast-check generates and a counterexample file stores: the world, then the actions. */
export interface Schedule {
  config: WorldConfig;
  actions: Action[];
}

// ---------------------------------------------------------------------------------------
// The trace.

/** The decoded essentials of a packet, computed once by the world (never trusted from Alice). */
export interface PacketInfo {
  decodes: boolean;
  error?: string;
  source?: Address;
  destination?: Address;
  /** The final destination: the last routing address while Segments Left > 0, else the destination. */
  finalDestination?: Address;
  routing?: Address[];
  hao?: Address;
  spi?: number;
  ahSequence?: number;
  bus: BuInfo[];
  bas: BaInfo[];
  br: boolean;
  /** Upper-layer kind: data ('udp', 'echo-request', 'echo-reply') or control. */
  upper: 'udp' | 'echo-request' | 'echo-reply' | 'param-problem' | 'dest-unreachable' | 'icmp-other' | 'none' | 'raw';
  /** UDP or echo payload, hex. */
  payload?: string;
  /** UDP source and destination ports. */
  ports?: [number, number];
  /** An echo request's or reply's identifier and sequence number. */
  echo?: { identifier: number; sequence: number };
  /** For an ICMP error: the quoted packet, hex. */
  quoted?: string;
}

export interface BuInfo {
  sequence: number;
  lifetimeSeconds: number;
  ack: boolean;
  homelessSupport: boolean;
  /** Addresses the BU names (HOST.md rule 5, before dropping Alice's own and non-global ones). */
  named: Address[];
  careOf: Address;
  /** The Security Challenge/Response value, hex, when present: the BU is a Response. */
  security?: string;
}

export interface BaInfo {
  status: number;
  sequence: number;
  lifetimeSeconds: number;
  refreshSeconds: number;
  /** The Challenge, hex, when present. */
  security?: string;
}

export interface PacketRecord {
  id: number;
  /** The node that put it on the network (Mallory for every forgery and replay). */
  from: NodeName;
  sentAt: number;
  hex: string;
  /** A one-line decoded summary for people. */
  summary: string;
  /** Why the sender sent it, when it was Mallory (the attack) or a probe. */
  tag?: string;
  info: PacketInfo;
}

/** The world's verdict on a packet handed to Alice, from its own knowledge (never from Alice). */
export interface ReceiveTruth {
  /**
   * 'none': no AH; 'valid': the ICV verifies under a known SA and the sequence number is
   * fresh (RFC 2402 §3.4.3); 'replay': the ICV verifies but the sequence number was seen or
   * fell behind the window; 'bad-sequence': sequence number 0, always rejected (WIRE.md).
   */
  ah: 'none' | 'valid' | 'replay' | 'bad-sequence' | 'bad-icv' | 'unknown-spi' | 'undecodable';
  /** Name of the SA whose inbound SPI the AH carries, if any. */
  sa: string | null;
  saKind: SaKind | null;
  /** The packet carries a BU, BA or BR (a mobility message). */
  mobility: boolean;
  /** For each Response (security sub-option in a BU): which challenge it answers, if any. */
  responses: ResponseTruth[];
  /**
   * A Response value delivered to Alice before under the same SA (informational: an honest
   * peer answers a retransmitted Challenge with the same value).
   */
  responseRepeat: boolean;
}

export interface ResponseTruth {
  /** The address the Response names (its care-of address). */
  address: Address;
  /** Id of the Alice packet carrying the challenge it correctly answers, else null. */
  answers: number | null;
}

export interface JsonDelivered {
  entry: string | null;
  proto: 'udp' | 'icmp';
  payload: string;
  authenticated: boolean;
  sport?: number;
  dport?: number;
}

export type AliceCall = 'addSA' | 'receive' | 'tick' | 'send' | 'addLocalAddress' | 'removeLocalAddress';

/**
 * The fields every call of Alice's records, whatever its op: when it was, what she answered,
 * what she sent and delivered, and her state after it.
 */
export interface AliceEventBase {
  kind: 'alice';
  /** Index of this call among all of Alice's calls in the run. */
  call: number;
  at: number;
  /**
   * Set on a request that must change nothing (HOST.md rule 24: adding an address Alice has,
   * removing one she lacks), made at an instant with no expiry due: accepted or refused, it
   * sends nothing and leaves her state as it was.
   */
  noop?: true;
  ok: boolean;
  error?: string;
  sent: number[];
  delivered: JsonDelivered[];
  unreachable?: boolean;
  /** Alice's observable state after the call (feature `state`). */
  state?: HostState;
}

// The request records are type aliases rather than interfaces so that each is also a
// `Record<string, unknown>`: the readers that take a request as the JSON it is, whatever its op
// (the story, INV-SEND-FAITHFUL's messages), take a well-formed one and a malformed one alike.

/** An `addSA` as the world asked it: the SA's fields, with the key as hex. */
export type AddSaRecord = {
  /** The peer's address (the entry's first address, HOST.md rule 17). */
  peer: Address;
  inboundSpi: number;
  outboundSpi: number;
  alg: AhAlgorithm;
  /** The key, hex. */
  key: string;
  kind: SaKind;
};

/** A `send` as the world asked it (the adapter protocol's fields): ports only when given (default 5000). */
export type SendRecord = {
  to: Address;
  proto: 'udp' | 'icmp';
  /** The payload, hex. */
  payload: string;
  sport?: number;
  dport?: number;
};

/**
 * An `addLocalAddress` or `removeLocalAddress` as the world asked it (not impl/host's
 * AddressRecord, an address in a binding cache entry).
 */
export type LocalAddressRecord = { address: Address };

// A well-formed call: `invalid` is absent, and the request has its op's type. A well-formed
// `tick` or `receive` records no request (a receive names its packet in `input`).

export interface AddSaEvent extends AliceEventBase {
  op: 'addSA';
  invalid?: undefined;
  request: AddSaRecord;
}

export interface ReceiveEvent extends AliceEventBase {
  op: 'receive';
  invalid?: undefined;
  request?: undefined;
  /** The id of the packet handed to Alice. */
  input: number;
  truth: ReceiveTruth;
}

export interface TickEvent extends AliceEventBase {
  op: 'tick';
  invalid?: undefined;
  request?: undefined;
}

export interface SendEvent extends AliceEventBase {
  op: 'send';
  invalid?: undefined;
  request: SendRecord;
  /** The peer the application meant, when the `to` belonged to it (null: a stranger's or a scoped address). */
  intent: NodeName | null;
}

export interface AddLocalAddressEvent extends AliceEventBase {
  op: 'addLocalAddress';
  invalid?: undefined;
  request: LocalAddressRecord;
}

export interface RemoveLocalAddressEvent extends AliceEventBase {
  op: 'removeLocalAddress';
  invalid?: undefined;
  request: LocalAddressRecord;
}

/**
 * A request the world made malformed on purpose (HOST.md rule 24: it must be refused), of any
 * op. Its request is whatever JSON the world made (a `tick` at a bad `now`, a `receive` of
 * bytes that are no packet, an `addSA` whose SPI is out of range or whose `sa` is no object:
 * aliceInvalid and aliceOdd in alice-calls.ts), so none of its fields has a type until it is
 * checked. `input`, `truth` and `intent` are never set; they are declared absent so that code
 * that narrowed on `op` alone still reads them (as undefined).
 */
export interface MalformedEvent extends AliceEventBase {
  op: AliceCall;
  invalid: true;
  request: Record<string, unknown>;
  input?: undefined;
  truth?: undefined;
  intent?: undefined;
}

/**
 * One call the world made to Alice (the JSON of a trace and of a counterexample file). Narrowing
 * on `op` leaves that op's well-formed event or a malformed one (AliceEventOf); narrowing on
 * `invalid` as well (`e.invalid !== true`) leaves the typed request. One malformed variant for
 * every op rather than one per op: it keeps its `op` for readers that switch on it, and its
 * request is untyped either way, so per-op variants would add names and narrow nothing more.
 */
export type AliceEvent =
  AddSaEvent | ReceiveEvent | TickEvent | SendEvent | AddLocalAddressEvent | RemoveLocalAddressEvent | MalformedEvent;

/** What `e.op === op` narrows an AliceEvent to: the op's well-formed event, or a malformed call. */
export type AliceEventOf<Op extends AliceCall> = Extract<AliceEvent, { op: Op }> | MalformedEvent;

export type TraceEvent =
  | AliceEvent
  /** A node other than Alice put a packet on the network. */
  | { kind: 'emit'; at: number; packet: number; by: NodeName }
  | { kind: 'deliver'; at: number; packet: number; to: NodeName; address: Address }
  | { kind: 'drop'; at: number; packet: number; cause: 'no-owner' | 'fault' | 'loss' }
  | {
      kind: 'fault';
      at: number;
      what: 'lose' | 'duplicate' | 'reorder' | 'delay' | 'lossy';
      packet?: number;
      copy?: number;
      ms?: number;
    }
  | { kind: 'own'; at: number; address: Address; from: NodeName | null; to: NodeName | null }
  /** An honest peer handed data to its application. */
  | { kind: 'peer-delivered'; at: number; node: NodeName; packet: number; items: JsonDelivered[] }
  /** An honest peer moved to (or gained) `address`. */
  | { kind: 'move'; at: number; peer: PeerName; address: Address; lost: Address | null }
  | { kind: 'probe'; at: number; peer: PeerName; address: Address; moveAt: number; result: ProbeResult }
  /**
   * A homeless peer took one of Alice's packets carrying a deleting BU (lifetime 0): its entry
   * for her (the entry of its SA) just before and just after (REFINES-SIGNALLING part (i)).
   */
  | {
      kind: 'peer-entry';
      at: number;
      peer: HomelessPeer;
      packet: number;
      before: EntryState | null;
      after: EntryState | null;
    }
  | { kind: 'note'; at: number; text: string };

export interface ProbeResult {
  /** Whether the premise of LIVE-HONEST-MOVE held, and why not. */
  judged: boolean;
  why?: string;
  sendOk: boolean;
  unreachable: boolean;
  packets: number[];
  /** The probe reached the peer, matched to its entry for Alice. */
  reached: boolean;
  authenticated: boolean;
  /** The SA with the peer is generic (so the probe must arrive authenticated). */
  generic: boolean;
}

export interface TraceStep {
  index: number;
  /** `describeAction(action)`; step 0 is the world's setup. */
  label: string;
  action: Action | null;
  startMs: number;
  endMs: number;
  events: TraceEvent[];
  /** Alice's state at the end of the step (feature `state`). */
  state?: HostState;
  /** Set when the world cut the step short: a packet storm (the run ends with this step). */
  storm?: StormRecord;
}

/**
 * A step the world cut short (DESIGN.md "Storms"): it played STEP_DELIVERIES_MAX deliveries,
 * or had IN_FLIGHT_PACKETS_MAX packets in flight, and played nothing more.
 */
export interface StormRecord {
  at: number;
  /** Which bound was passed. */
  bound: 'deliveries' | 'in-flight';
  limit: number;
  /** Deliveries played in the step: packets handed to a node or dropped, items Alice delivered. */
  deliveries: number;
  inFlight: number;
  /** Packets Alice put on the network in the step. */
  aliceSent: number;
}

/**
 * The other end of an SA: a node of the world, or a stranger outside it (an SA made by
 * `aliceAddSa`, whose key nobody in the world but Alice holds).
 */
export type SaPeer = NodeName | 'stranger';

export interface SaRecord {
  name: string;
  peer: SaPeer;
  /** The peer's address given to Alice's addSA. */
  peerAddress: Address;
  kind: SaKind;
  alg: AhAlgorithm;
  keyHex: string;
  /** SPI on packets to Alice. */
  aliceInboundSpi: number;
  /** SPI on packets from Alice. */
  aliceOutboundSpi: number;
  /** The nodes that hold the key. */
  holders: NodeName[];
}

export interface Trace {
  config: WorldConfig;
  /** `oracleChecks`: as AliceFactory's (the oracle's packet checks judge this Alice's packets). */
  alice: { name: string; features: Feature[]; oracleChecks?: true };
  sas: SaRecord[];
  /** Address owners at the start. */
  owners: Record<Address, NodeName>;
  packets: PacketRecord[];
  steps: TraceStep[];
  /** Alice's state right after she was created (before any call). */
  initialState?: HostState;
}

export function deliveredToJson(d: Delivered, hex: (b: Uint8Array) => string): JsonDelivered {
  const out: JsonDelivered = {
    entry: d.entry,
    proto: d.proto,
    payload: hex(d.payload),
    authenticated: d.authenticated,
  };
  if (d.sport !== undefined) out.sport = d.sport;
  if (d.dport !== undefined) out.dport = d.dport;
  return out;
}
