// fast-check arbitraries for adversarial schedules (DESIGN.md "The world and the attacker").
//
// A schedule is a world (WorldConfig) and a list of actions. Actions come in short episodes
// that aim at deep states on purpose (an address verified, then lost, then claimed by
// Mallory; a conflict where both claimants answer; expiry chains; fair stretches after a
// move), drawn with weights a user can tune. Episodes are flattened; fast-check shrinks the
// episode list (dropping whole episodes) and every field inside.

import fc from 'fast-check';
import { REPLAY_WINDOW_PACKETS_MAX } from '../../impl/crypto/index.js';
import { DEFAULT_PARAMS, type HostParams } from '../../impl/host/types.js';
import { encodePacket, toHex } from '../../impl/wire/index.js';
import type {
  Action,
  BadAhKind,
  ClaimForm,
  Feature,
  HomelessPeer,
  MobilePeer,
  ParamProblemForm,
  PeerName,
  Schedule,
  Selector,
  SpoofKind,
  Target,
  WorldConfig,
} from '../world/types.js';
import { ALICE_ADDRESSES_MANY_MAX, ALICE_ADDRESSES_MANY_MIN, BURST_COUNT_MAX, LATENCY_MS } from '../world/constants.js';
import { ODD_REQUESTS } from '../world/types.js';
import { printable, printableSchedule } from '../world/describe.js';
import { invalidRequestArbitrary, udpPortsArbitrary } from './invalid.js';
import { packetArbitrary } from './packet.js';
import {
  honestSituationEpisodes,
  jumpSituationEpisodes,
  lostParameterProblemOpenings,
  situationAttackEpisodes,
  standardMobileExceptionOpenings,
} from './situations.js';

/** Relative weights of the four families of episodes, plus fair stretches (for LIVE-*). */
export interface ScheduleWeights {
  /** Peers move, gain and lose addresses and send data; Alice sends, gains and loses addresses; small clock steps. */
  honest: number;
  /** Loss, duplication, reordering, delay, random loss. */
  faults: number;
  /** Everything Mallory does. */
  attacks: number;
  /** Clock jumps past every lifetime, and expiry chains. */
  jumps: number;
  /** A move followed by a stretch of ≥ 3 × challengeLifetimeMs with no fault, then a probe. */
  fair: number;
}

/** Parameter profiles a run is drawn from (WIRE.md names; `default` is WIRE.md's table). */
export type ParamsProfile = 'default' | 'tight' | 'short' | 'optimized' | 'narrow' | 'wide';

export const PARAMS_PROFILES: Readonly<Record<ParamsProfile, Readonly<Partial<HostParams>>>> = {
  default: {},
  /** Small bounds, so that floods reach them (INV-BOUNDED, INV-AMPLIFICATION). */
  tight: {
    foreignEntriesCountMax: 6,
    addressesPerEntryCountMax: 6,
    tentativePerEntryCountMax: 2,
    challengeAttemptsMax: 2,
  },
  /** Short lifetimes, so that expiry chains happen between a few steps. */
  short: {
    defaultLifetimeSeconds: 60,
    maximumExpiredLifetimeSeconds: 120,
    bindingLifetimeSecondsMax: 90,
    bindingRefreshSeconds: 30,
    challengeLifetimeMs: 3000,
    challengeRetransmitMs: 700,
    compatProbeTimeoutMs: 2000,
  },
  /** Appendix B on (HOST.md rule 20a). */
  optimized: { buOptimization: true },
  /** The smallest anti-replay window: every packet below the SA's highest is a replay (RFC 2402 §3.4.3). */
  narrow: { antiReplayWindowPackets: 1 },
  /** The largest anti-replay window the reference takes (params.ts). */
  wide: { antiReplayWindowPackets: REPLAY_WINDOW_PACKETS_MAX },
};

/**
 * How often each profile is drawn: `tight`, `short` and `optimized` in a quarter of the runs
 * each, and the last quarter has the defaults, half of it with WIRE.md's window and a quarter
 * with each of the other two (a window changes only what happens to late and copied packets).
 */
const PROFILE_WEIGHTS: Readonly<Record<ParamsProfile, number>> = {
  default: 2,
  tight: 4,
  short: 4,
  optimized: 4,
  narrow: 1,
  wide: 1,
};

/**
 * Profiles that set the anti-replay window to a size WIRE.md does not name: its table gives
 * only the default, and RFC 2402 §3.4.3 lets a receiver choose its own size (32 at least), so
 * an implementation may refuse 1 or 4096 as out of range (HOST.md rule 24). They are played
 * only where `ScheduleOptions.features` is absent (the reference and the hosts built on it,
 * which take params.ts's 1..4096); for an Alice with features (the oracle's IUT) those runs
 * keep the default window, every other draw the same as the reference's.
 */
const WINDOW_PROFILES: ReadonlySet<ParamsProfile> = new Set(['narrow', 'wide']);

export interface ScheduleOptions {
  weights?: Partial<ScheduleWeights>;
  /** Largest number of actions in a schedule. */
  stepsMax?: number;
  /** Profiles to draw the parameters from (all by default). */
  profiles?: readonly ParamsProfile[];
  /**
   * The features of the Alice under test (ADAPTER-PROTOCOL.md): the worlds stay within them.
   * Without `standard-compat`, no draft-13 peer (Sam) and no legacy peer (Lee); without
   * `anonymous-sa`, no anonymous SA (Carol generic or absent, Mallory generic); without
   * `bu-optimization`, no Appendix B profile. Every feature when absent (the reference).
   */
  features?: readonly Feature[];
}

export const DEFAULT_WEIGHTS: Readonly<ScheduleWeights> = { honest: 6, faults: 3, attacks: 8, jumps: 2, fair: 3 };
export const DEFAULT_STEPS_MAX = 48;
/** An episode is at most this many actions. */
const EPISODE_ACTIONS_MAX = 8;

export interface ResolvedScheduleOptions {
  weights: ScheduleWeights;
  stepsMax: number;
  profiles: readonly ParamsProfile[];
  /** Null: every feature. */
  features: readonly Feature[] | null;
}

export function resolveScheduleOptions(options: ScheduleOptions = {}): ResolvedScheduleOptions {
  const features = options.features ?? null;
  const requested =
    options.profiles !== undefined && options.profiles.length > 0
      ? options.profiles
      : (Object.keys(PARAMS_PROFILES) as ParamsProfile[]);
  // Appendix B only for an Alice that implements it (HOST.md rule 20a).
  const withinFeatures = requested.filter(
    (p) => features === null || features.includes('bu-optimization') || PARAMS_PROFILES[p].buOptimization !== true,
  );
  return {
    weights: { ...DEFAULT_WEIGHTS, ...(options.weights ?? {}) },
    stepsMax: Math.max(1, options.stepsMax ?? DEFAULT_STEPS_MAX),
    profiles: withinFeatures.length > 0 ? withinFeatures : ['default'],
    features,
  };
}

// ---------------------------------------------------------------------------------------
// The world.

export function paramsFor(profile: ParamsProfile): HostParams {
  return { ...DEFAULT_PARAMS, ...PARAMS_PROFILES[profile] };
}

export function configArbitrary(options: ResolvedScheduleOptions): fc.Arbitrary<WorldConfig> {
  const has = (f: Feature): boolean => options.features === null || options.features.includes(f);
  const anonymous = has('anonymous-sa');
  const standard = has('standard-compat');
  return fc.record({
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
    params: fc
      .oneof(...options.profiles.map((p) => ({ weight: PROFILE_WEIGHTS[p], arbitrary: fc.constant(p) })))
      .map((p) => paramsFor(options.features !== null && WINDOW_PROFILES.has(p) ? 'default' : p)),
    aliceAddressCount: fc.oneof(
      { weight: 29, arbitrary: fc.integer({ min: 1, max: 2 }) },
      { weight: 1, arbitrary: fc.integer({ min: ALICE_ADDRESSES_MANY_MIN, max: ALICE_ADDRESSES_MANY_MAX }) },
    ),
    alg: fc.constantFrom('hmac-sha1-96' as const, 'hmac-sha256-128' as const),
    carol: anonymous
      ? fc.constantFrom('generic' as const, 'anonymous' as const, 'absent' as const)
      : fc.constantFrom('generic' as const, 'absent' as const),
    sam: standard ? fc.boolean() : fc.constant(false),
    lee: standard ? fc.boolean() : fc.constant(false),
    mallory: anonymous
      ? fc.constantFrom('generic' as const, 'anonymous' as const, 'both' as const)
      : fc.constant('generic' as const),
  });
}

// ---------------------------------------------------------------------------------------
// Pieces.

const homeless = fc.constantFrom<HomelessPeer>('bob', 'carol');
const mobile = fc.constantFrom<MobilePeer>('bob', 'carol', 'sam');
const anyPeer = fc.constantFrom<PeerName>('bob', 'carol', 'sam', 'lee');
const pick = fc.integer({ min: 0, max: 3 });
const saKind = fc.constantFrom<'generic' | 'anonymous'>('generic', 'anonymous');
const smallMs = fc.integer({ min: 1, max: 400 });
const mediumMs = fc.integer({ min: 200, max: 3000 });
/** A burst long enough to slide a 64-packet anti-replay window past its first datagrams. */
const BURST_COUNT_MIN = 72;
/** Who bursts: mostly Bob, who is always there (Carol, Sam and Lee may be absent). */
const burstPeer = fc.constantFrom<PeerName>('bob', 'bob', 'bob', 'carol', 'sam', 'lee');
/** Which stranger Alice's application talks to (`strangerAddress(n)`): one of STRANGERS. */
const STRANGERS = 17;
const strangerIndex = fc.integer({ min: 0, max: STRANGERS - 1 });

/**
 * Requests whose flaw the world resolves when they run (OddRequest): at least three of them,
 * in any order, in one action (each is one call that changes nothing, so a run can afford many
 * without spending its actions).
 */
const oddAction: fc.Arbitrary<Action> = fc.record({
  kind: fc.constant('aliceOdd' as const),
  what: fc.shuffledSubarray([...ODD_REQUESTS], { minLength: 3 }),
  pick,
});

const advance = (ms: fc.Arbitrary<number>): fc.Arbitrary<Action> => ms.map((v): Action => ({ kind: 'advance', ms: v }));

/**
 * The held-back datagram of a long `burstWithCopies`, this many from the burst's end: the one
 * a window of 64 below it is in the burst.
 */
const HELD_FROM_END_MIN = 3;
const HELD_FROM_END_MAX = BURST_COUNT_MIN - 1 - DEFAULT_PARAMS.antiReplayWindowPackets;
/** A short burst with copies: a few datagrams, one of them held back 2 or 3 from the end. */
const SHORT_BURST_COUNT_MIN = 4;
const SHORT_BURST_COUNT_MAX = 8;

/**
 * A burst whose datagrams the network delivers again, each copy a replay Alice must drop (RFC
 * 2402 §3.4.3) and would deliver otherwise (INV-DELIVERY judges it at once), in the shapes that
 * tell anti-replay windows apart. With N the burst's last datagram and H one held back, in
 * order of arrival: the burst but H; (`long` only) a copy of H − 64, left of a 64-packet
 * window while H, the number a window above it, is still unseen; a copy of N − 1, the highest
 * until N arrived; a copy of N, the highest; H, fresh and late inside the window; then another
 * copy of N, after that late packet. Every copy is 1 ms behind its original but the last,
 * which the network holds back past H. A long burst (72 to 160 datagrams, H 3 to 7 from the
 * end) also slides the window past its first datagrams; a short one (4 to 8, H 2 or 3 from
 * the end) costs little.
 *
 * The network's `duplicate` puts a copy of a flight in flight; `fromEnd` counts the data in
 * flight newest first, a copy before its original (network.ts), so the copies are made from
 * the oldest to the newest.
 */
function burstWithCopies(long: boolean): fc.Arbitrary<Action[]> {
  return fc
    .tuple(
      burstPeer,
      long
        ? fc.integer({ min: BURST_COUNT_MIN, max: BURST_COUNT_MAX })
        : fc.integer({ min: SHORT_BURST_COUNT_MIN, max: SHORT_BURST_COUNT_MAX }),
      long
        ? fc.integer({ min: HELD_FROM_END_MIN, max: HELD_FROM_END_MAX })
        : fc.integer({ min: 2, max: SHORT_BURST_COUNT_MIN - 1 }),
      fc.integer({ min: 2, max: 300 }),
      fc.integer({ min: 1, max: 300 }),
      smallMs,
    )
    .map(([peer, count, held, heldMs, afterMs, wait]): Action[] => [
      { kind: 'peerBurst', peer, count },
      { kind: 'delay', select: 'data', fromEnd: held, ms: heldMs },
      ...(long
        ? [{ kind: 'duplicate', select: 'data', fromEnd: held + DEFAULT_PARAMS.antiReplayWindowPackets } as Action]
        : []),
      { kind: 'duplicate', select: 'data', fromEnd: 1 },
      { kind: 'duplicate', select: 'data', fromEnd: 0 },
      // The copy of N, copied again (it is the newest data in flight) and held back past H.
      { kind: 'duplicate', select: 'data', fromEnd: 0 },
      { kind: 'delay', select: 'data', fromEnd: 0, ms: heldMs + afterMs },
      { kind: 'advance', ms: 2 * LATENCY_MS + heldMs + afterMs + wait },
    ]);
}

export const targetArbitrary: fc.Arbitrary<Target> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('peer' as const), peer: anyPeer, pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('lost' as const), fromEnd: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('victim' as const), n: fc.integer({ min: 0, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('alice' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('own' as const), pick }) },
);

/**
 * What a claim names: any target, and now and then a link-local, site-local or loopback
 * address (rule 5: never named). Only claims draw those: as the source of a spoofed packet
 * they would set rule 23 (echo answered to its source) against R1.4-14 (same scope), which
 * docs/findings.md ("An echo request from another scope") discusses.
 */
const claimTargetArbitrary: fc.Arbitrary<Target> = fc.oneof(
  { weight: 11, arbitrary: targetArbitrary },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('scoped' as const), pick }) },
);

const selector = fc.constantFrom<Selector>('any', 'from-alice', 'to-alice', 'challenge', 'response', 'bu', 'data');
const claimForm = fc.constantFrom<ClaimForm>('alt-coa', 'alt-coa', 'spoofed-source', 'home-address');

/** Garbage: random bytes, or a whole random packet (packet.ts) as encoded bytes. */
const garbageHex: fc.Arbitrary<string> = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 96 }).map(toHex),
  packetArbitrary({ payloadBytesMax: 32 }).map((p) => toHex(encodePacket(p))),
);

// ---------------------------------------------------------------------------------------
// Episodes.

function honestEpisode(config: WorldConfig): fc.Arbitrary<Action[]> {
  return fc.oneof(
    ...honestSituationEpisodes(config),
    fc.tuple(
      mobile.map((peer): Action => ({ kind: 'peerMove', peer })),
      advance(smallMs),
    ),
    fc.tuple(
      homeless.map((peer): Action => ({ kind: 'peerGain', peer })),
      advance(smallMs),
    ),
    fc.tuple(fc.record({ kind: fc.constant('peerLose' as const), peer: homeless, pick }), advance(smallMs)),
    fc.tuple(
      anyPeer.map((peer): Action => ({ kind: 'peerSend', peer })),
      advance(smallMs),
    ),
    // A burst of data from a peer, one or two datagrams of which the network holds back so that
    // later ones overtake them: the SA's AH sequence numbers slide (and wrap) Alice's anti-replay window,
    // and a fresh packet arrives late inside it (RFC 2402 §3.4.3; INV-REPLAY's second half).
    // Two times in three with copies of its datagrams too (burstWithCopies).
    fc.oneof(
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            burstPeer,
            fc.integer({ min: BURST_COUNT_MIN, max: BURST_COUNT_MAX }),
            fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 300 })), {
              minLength: 1,
              maxLength: 2,
            }),
            smallMs,
          )
          .map(([peer, count, delays, wait]): Action[] => [
            { kind: 'peerBurst', peer, count },
            ...delays.map(([fromEnd, ms]): Action => ({ kind: 'delay', select: 'data', fromEnd, ms })),
            { kind: 'advance', ms: wait },
          ]),
      },
      { weight: 2, arbitrary: burstWithCopies(true) },
    ),
    // UDP sends sometimes name their ports (INV-SEND-FAITHFUL: the packet carries the ones asked for).
    fc.tuple(
      fc
        .tuple(anyPeer, pick, fc.constantFrom<'udp' | 'icmp'>('udp', 'udp', 'icmp'), udpPortsArbitrary)
        .map(([peer, p, proto, ports]): Action => ({
          kind: 'aliceSend',
          peer,
          pick: p,
          proto,
          ...(proto === 'udp' ? ports : {}),
        })),
      advance(smallMs),
    ),
    fc.tuple(fc.constant<Action>({ kind: 'aliceGain' }), advance(smallMs)),
    fc.tuple(fc.record({ kind: fc.constant('aliceLose' as const), pick }), advance(smallMs)),
    // Alice moves (make before break): her peers hear of the new address, then of the old one's loss.
    fc.tuple(
      fc.constant<Action>({ kind: 'aliceGain' }),
      advance(smallMs),
      fc.record({ kind: fc.constant('aliceLose' as const), pick: fc.constant(0) }),
      advance(smallMs),
    ),
    fc.tuple(fc.record({ kind: fc.constant('aliceSendNew' as const), n: strangerIndex }), advance(smallMs)),
    // Alice talks to a stranger, then establishes an SA with it: the SA joins the entry her
    // send made (HOST.md rule 17), its address still active or, after a jump, deprecated.
    fc
      .tuple(strangerIndex, fc.boolean(), smallMs)
      .map(([n, deprecated, ms]): Action[] => [
        { kind: 'aliceSendNew', n },
        { kind: 'advance', ms },
        ...(deprecated ? [{ kind: 'jump', past: 'expired' } as Action] : []),
        { kind: 'aliceAddSa', n },
        { kind: 'advance', ms },
      ]),
    fc.tuple(advance(mediumMs)),
    // Alice talks to a peer, moves (gains an address, then loses her first) and talks to it
    // again: the data after the move leaves from an address she still holds (INV-SOURCE-OWNED).
    fc
      .tuple(anyPeer, udpPortsArbitrary, smallMs)
      .map(([peer, ports, ms]): Action[] => [
        { kind: 'aliceSend', peer, pick: 0, proto: 'udp', ...ports },
        { kind: 'aliceGain' },
        { kind: 'advance', ms },
        { kind: 'aliceLose', pick: 0 },
        { kind: 'aliceSend', peer, pick: 0, proto: 'udp', ...ports },
        { kind: 'advance', ms },
      ]),
    // Malformed requests, which Alice must refuse with no effect (HOST.md rule 24).
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.array(invalidRequestArbitrary, { minLength: 1, maxLength: 3 }), advance(smallMs))
        .map(([requests, wait]): Action[] => [
          ...requests.map((request): Action => ({ kind: 'invalid', request })),
          wait,
        ]),
    },
    // Requests whose flaw depends on Alice's state (OddRequest, HOST.md rule 24): a stale or
    // fractional `now`, her own address as a peer or destination, an inbound SPI in use, all
    // refused with no effect; adding an address she has or removing one she lacks, no-ops.
    {
      weight: 2,
      arbitrary: fc.tuple(oddAction, advance(smallMs)),
    },
    // Alice establishes an SA with a stranger (sometimes with the SPIs at the ends of their
    // range), then another with the same address (HOST.md rule 17): refused while it is active
    // in the first SA's entry; after a clock jump, judged on the state after the expiries due
    // at its own `now` (rules 16, 24), an entry of its own.
    {
      weight: 1,
      arbitrary: fc
        .tuple(strangerIndex, fc.boolean(), fc.boolean(), smallMs)
        .map(([n, edge, jump, ms]): Action[] => [
          edge ? { kind: 'aliceAddSa', n, edge: true } : { kind: 'aliceAddSa', n },
          { kind: 'advance', ms },
          { kind: 'aliceAddSaAgain', n, jump },
          { kind: 'advance', ms },
        ]),
    },
    // Alice talks to strangers until her entries may reach `foreignEntriesCountMax` (6 in the
    // `tight` profile), then establishes an SA with another: refused at the bound (HOST.md
    // rule 8), unless its address already has an entry without an SA (rule 17).
    {
      weight: 1,
      arbitrary: fc
        .tuple(strangerIndex, smallMs)
        .map(([n, ms]): Action[] => [
          ...[0, 1, 2, 3, 4].map((i): Action => ({ kind: 'aliceSendNew', n: (n + i) % STRANGERS })),
          { kind: 'aliceAddSa', n: (n + 5) % STRANGERS },
          { kind: 'advance', ms },
        ]),
    },
  );
}

function faultEpisode(): fc.Arbitrary<Action[]> {
  const trigger: fc.Arbitrary<Action> = fc.oneof(
    mobile.map((peer): Action => ({ kind: 'peerMove', peer })),
    fc
      .tuple(anyPeer, pick, udpPortsArbitrary)
      .map(([peer, p, ports]): Action => ({ kind: 'aliceSend', peer, pick: p, proto: 'udp', ...ports })),
    anyPeer.map((peer): Action => ({ kind: 'peerSend', peer })),
    fc.record({
      kind: fc.constant('claim' as const),
      sa: saKind,
      target: claimTargetArbitrary,
      form: fc.constant<ClaimForm>('alt-coa'),
    }),
  );
  const fault: fc.Arbitrary<Action> = fc.oneof(
    fc.record({ kind: fc.constant('lose' as const), select: selector, fromEnd: pick }),
    fc.record({ kind: fc.constant('duplicate' as const), select: selector, fromEnd: pick }),
    fc.record({ kind: fc.constant('reorder' as const), select: selector, fromEnd: pick }),
    fc.record({
      kind: fc.constant('delay' as const),
      select: selector,
      fromEnd: pick,
      ms: fc.integer({ min: 1, max: 8000 }),
    }),
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(trigger, advance(fc.integer({ min: 0, max: 15 })), fault, advance(mediumMs)) },
    // A few datagrams from a peer, copied and held back by the network (burstWithCopies).
    { weight: 1, arbitrary: burstWithCopies(false) },
    {
      weight: 2,
      arbitrary: fc.tuple(
        fc.record({
          kind: fc.constant('lossy' as const),
          permille: fc.integer({ min: 50, max: 600 }),
          ms: fc.integer({ min: 500, max: 8000 }),
        }),
      ),
    },
  );
}

function attackEpisode(config: WorldConfig): fc.Arbitrary<Action[]> {
  const cl = config.params.challengeLifetimeMs;
  const afterChallenge = fc.integer({ min: 50, max: cl + 2000 });
  // Verified, then lost, then claimed by Mallory (§5.3): the peer moves twice, so that the
  // address of the first move is verified and then given up; Mallory takes it over. The
  // deleting BU is sometimes lost, so that Alice still holds the address when Mallory claims it.
  const verifiedLostClaimed = fc
    .tuple(homeless, saKind, fc.boolean(), fc.integer({ min: 0, max: 40 }))
    .map(([peer, sa, loseDelete, gap]): Action[] => [
      { kind: 'peerMove', peer },
      { kind: 'advance', ms: 300 },
      { kind: 'peerMove', peer },
      ...(loseDelete ? [{ kind: 'lose', select: 'bu', fromEnd: 0 } as Action] : []),
      { kind: 'advance', ms: gap },
      { kind: 'takeover', sa, fromEnd: 0 },
      { kind: 'advance', ms: cl + 1000 },
    ]);
  // A conflicting claim on a peer's address where both claimants answer (§3.4.2): the
  // Challenge to Mallory is held up until the peer has let go of the address and Mallory has
  // taken it, while the peer answers its own re-check in time.
  const bothAnswer = fc
    .tuple(homeless, saKind, fc.integer({ min: 200, max: Math.max(300, cl - 500) }))
    .map(([peer, sa, hold]): Action[] => [
      { kind: 'peerGain', peer },
      { kind: 'advance', ms: 300 },
      { kind: 'claim', sa, target: { kind: 'peer', peer, pick: 0 }, form: 'alt-coa' },
      { kind: 'delay', select: 'mallory-challenge', fromEnd: 0, ms: hold },
      { kind: 'advance', ms: 60 },
      { kind: 'peerMove', peer },
      { kind: 'takeover', sa, fromEnd: 0 },
      { kind: 'advance', ms: cl + 1000 },
    ]);
  // The clock attack pays off on addresses nobody answers for: a third party's, a lost one.
  const clockTarget: fc.Arbitrary<Target> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('victim' as const), n: fc.integer({ min: 0, max: 64 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('lost' as const), fromEnd: fc.integer({ min: 0, max: 3 }) }),
    },
    { weight: 1, arbitrary: targetArbitrary },
  );
  const single: fc.Arbitrary<Action> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('claim' as const),
        sa: saKind,
        target: claimTargetArbitrary,
        form: claimForm,
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('takeover' as const), sa: saKind, fromEnd: pick }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('spoof' as const),
        what: fc.constantFrom<SpoofKind>(
          'data',
          'bu-no-ah',
          'echo',
          'ba-no-ah',
          'hao-data',
          'bad-checksum',
          'unknown-option',
          'routed-away',
        ),
        as: targetArbitrary,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('badAh' as const),
        what: fc.constantFrom<BadAhKind>('no-ah', 'bad-icv', 'unknown-spi', 'peer-spi', 'seq-zero', 'truncated-icv'),
        target: targetArbitrary,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('replay' as const),
        fromEnd: fc.integer({ min: 0, max: 8 }),
        retarget: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('forgeResponse' as const),
        target: targetArbitrary,
        under: fc.constantFrom<'generic' | 'anonymous' | 'peer'>('generic', 'anonymous', 'peer'),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('clockGuess' as const), sa: saKind, target: clockTarget }) },
    { weight: 2, arbitrary: fc.constant<Action>({ kind: 'anonData' }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), hex: garbageHex }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('bitflip' as const),
        fromEnd: fc.integer({ min: 0, max: 8 }),
        bit: fc.nat({ max: 4000 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('flood' as const),
        sa: saKind,
        count: fc.integer({ min: 2, max: 12 }),
        first: fc.integer({ min: 100, max: 1000 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('paramProblem' as const),
        fromEnd: pick,
        // Only the forms that must change nothing: the real one would make Mallory's own entry
        // legacy for the rest of the run (no Challenges for its claims, rule 15).
        form: fc.constantFrom<ParamProblemForm>('truncated', 'altered', 'code', 'elsewhere'),
      }),
    },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(single, advance(afterChallenge)) },
    { weight: 2, arbitrary: verifiedLostClaimed },
    { weight: 2, arbitrary: bothAnswer },
    // A claim on a peer's address, then Alice's application sends to that address while the
    // claim is still tentative (§2.4.1: only Active Addresses select the peer), and the
    // claim's Challenge runs out.
    {
      weight: 1,
      arbitrary: fc
        .tuple(homeless, saKind, fc.integer({ min: 1, max: Math.max(1, Math.floor(cl / 2)) }))
        .map(([peer, sa, ms]): Action[] => [
          { kind: 'claim', sa, target: { kind: 'peer', peer, pick: 0 }, form: 'alt-coa' },
          { kind: 'advance', ms },
          { kind: 'aliceSend', peer, pick: 0, proto: 'udp' },
          { kind: 'advance', ms: cl + 1000 },
        ]),
    },
    // A claim, then a guessed Response for the same address.
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          saKind,
          targetArbitrary,
          fc.constantFrom<'generic' | 'anonymous' | 'peer'>('generic', 'anonymous', 'peer'),
        )
        .map(([sa, target, under]): Action[] => [
          { kind: 'claim', sa, target, form: 'alt-coa' },
          { kind: 'advance', ms: 20 },
          { kind: 'forgeResponse', target, under },
          { kind: 'advance', ms: 500 },
        ]),
    },
    // A claim the network delivers twice, the copy 1 to 40 ms after it: a replay that, were it
    // processed, would refresh the activity-related lifetime of Mallory's first address, the
    // claim's source (rules 4, 17), by those milliseconds (INV-REPLAY, REFINES-MODEL).
    {
      weight: 1,
      arbitrary: fc
        .tuple(saKind, targetArbitrary, fc.integer({ min: 1, max: 40 }), afterChallenge)
        .map(([sa, target, late, wait]): Action[] => [
          { kind: 'claim', sa, target, form: 'alt-coa' },
          { kind: 'duplicate', select: 'bu', fromEnd: 0 },
          { kind: 'delay', select: 'bu', fromEnd: 0, ms: late },
          { kind: 'advance', ms: wait },
        ]),
    },
    // Values Mallory has seen, reused; claims made before the rightful owner's; Alice and
    // Mallory as correspondents (situations.ts: aimed at the situation catalogue).
    ...situationAttackEpisodes(config),
  );
}

function jumpEpisode(): fc.Arbitrary<Action[]> {
  return fc.oneof(
    ...jumpSituationEpisodes(),
    fc.tuple(
      fc.constantFrom<Action>(
        { kind: 'jump', past: 'lifetime' },
        { kind: 'jump', past: 'expired' },
        { kind: 'jump', past: 'all' },
      ),
      advance(mediumMs),
    ),
    // An expiry chain: active → deprecated (re-registered by the next BU, or not) → removed.
    fc.tuple(
      fc.constant<Action>({ kind: 'jump', past: 'lifetime' }),
      advance(smallMs),
      fc.constant<Action>({ kind: 'jump', past: 'expired' }),
      advance(mediumMs),
    ),
  );
}

/** A quiet spell, a move, then a stretch of at least 3 × challengeLifetimeMs with no fault. */
function fairEpisode(config: WorldConfig): fc.Arbitrary<Action[]> {
  const cl = config.params.challengeLifetimeMs;
  return fc
    .tuple(
      fc.constantFrom<'peerMove' | 'peerGain'>('peerMove', 'peerGain'),
      homeless,
      fc.integer({ min: 0, max: 2000 }),
    )
    .map(([kind, peer, extra]): Action[] => [
      { kind: 'advance', ms: cl + 500 },
      kind === 'peerMove' ? { kind, peer } : { kind, peer },
      { kind: 'fair', ms: 3 * cl + 500 + extra },
    ]);
}

/**
 * What may open a schedule, played before the setup's Initial BUs have arrived (they are 10 ms
 * in flight): nothing mostly; or a homeless peer moves at once, still `unknown` to itself
 * about Alice, so that its deleting BU takes the Initial BU's form (§3.2.1, docs/findings.md "A
 * deleting BU in the Initial BU's form"), and a fair stretch judges the move (LIVE-HONEST-MOVE);
 * or Mallory sends a BR while Alice's entry for it is still `unknown` (her answer is in the
 * Initial BU's form, rule 16 with §3.2.1's HAO); or, with Sam, he moves and Mallory spoofs data
 * with an HAO naming his home address, before a clock jump could let that address expire
 * (rule 2's exception, situations.ts `standardMobileExceptionOpenings`); or, with Lee, his first
 * Parameter Problem is lost, so that his entry falls back to `standard` before a later one
 * arrives (rule 15, `lostParameterProblemOpenings`). Drawn only with the fair and attack
 * families (Lee's: the faults family); or Alice gains an address and loses it again at once,
 * before her peers' Homeless Support reached her and before they could verify it, so that
 * her deleting BU takes the Initial BU's form toward peers that hold the new address only as
 * tentative (its HAO must name one they hold, rule 1; REFINES-SIGNALLING (i)): the honest family.
 */
function openingArbitrary(config: WorldConfig, weights: ScheduleWeights): fc.Arbitrary<Action[]> {
  const cl = config.params.challengeLifetimeMs;
  const openings: { weight: number; arbitrary: fc.Arbitrary<Action[]> }[] = [
    { weight: OPENING_NONE_WEIGHT, arbitrary: fc.constant([]) },
  ];
  if (weights.fair > 0)
    openings.push({
      weight: 1,
      arbitrary: fc.tuple(homeless, fc.integer({ min: 0, max: 2000 })).map(([peer, extra]): Action[] => [
        { kind: 'peerMove', peer },
        { kind: 'fair', ms: 3 * cl + 500 + extra },
      ]),
    });
  if (weights.attacks > 0)
    openings.push(
      {
        weight: 1,
        arbitrary: smallMs.map((ms): Action[] => [
          { kind: 'correspond', what: 'mallory-br' },
          { kind: 'advance', ms },
        ]),
      },
      ...standardMobileExceptionOpenings(config),
    );
  if (weights.faults > 0) openings.push(...lostParameterProblemOpenings(config));
  // Alice's addresses at the start are aliceAddressCount; the one she gains is the last of them.
  if (weights.honest > 0)
    openings.push({
      weight: 1,
      arbitrary: smallMs.map((ms): Action[] => [
        { kind: 'aliceGain' },
        { kind: 'aliceLose', pick: config.aliceAddressCount },
        { kind: 'advance', ms },
      ]),
    });
  return fc.oneof(...openings);
}
/** Weight of "no opening" against 1 for each opening. */
const OPENING_NONE_WEIGHT = 12;

/**
 * What may close a schedule, after its episodes (drawn only with the attack family): nothing
 * mostly; or Mallory claims an address with the last AH sequence number of its SA, 2^32 − 1
 * (`ahEnd`), then, its counter cycled, claims another: that claim falls left of Alice's
 * anti-replay window (RFC 2402 §3.4.3) and must change nothing. At the end, because Mallory's
 * SA is of no use after it: every packet it sends under it then is a replay.
 */
function closingArbitrary(weights: ScheduleWeights): fc.Arbitrary<Action[]> {
  const none = fc.constant<Action[]>([]);
  if (weights.attacks <= 0) return none;
  return fc.oneof(
    { weight: CLOSING_NONE_WEIGHT, arbitrary: none },
    {
      weight: 1,
      arbitrary: fc.tuple(saKind, targetArbitrary, targetArbitrary).map(([sa, target, next]): Action[] => [
        { kind: 'ahEnd', sa, target },
        { kind: 'advance', ms: CLOSING_GAP_MS },
        { kind: 'claim', sa, target: next, form: 'alt-coa' },
        { kind: 'advance', ms: CLOSING_GAP_MS },
      ]),
    },
  );
}
/** Weight of "no closing" against 1 for the closing. */
const CLOSING_NONE_WEIGHT = 24;
/** The closing's wait after each claim: long enough for Alice's answers to arrive. */
const CLOSING_GAP_MS = 300;

export function episodeArbitrary(config: WorldConfig, weights: ScheduleWeights): fc.Arbitrary<Action[]> {
  const families: { weight: number; arbitrary: fc.Arbitrary<Action[]> }[] = [];
  if (weights.honest > 0) families.push({ weight: weights.honest, arbitrary: honestEpisode(config) });
  if (weights.faults > 0) families.push({ weight: weights.faults, arbitrary: faultEpisode() });
  if (weights.attacks > 0) families.push({ weight: weights.attacks, arbitrary: attackEpisode(config) });
  if (weights.jumps > 0) families.push({ weight: weights.jumps, arbitrary: jumpEpisode() });
  if (weights.fair > 0) families.push({ weight: weights.fair, arbitrary: fairEpisode(config) });
  if (families.length === 0) return fc.constant([{ kind: 'advance', ms: 1000 }]);
  return fc.oneof(...families).map((episode) => episode.slice(0, EPISODE_ACTIONS_MAX));
}

/** Adversarial schedules: a world, then up to `stepsMax` actions made of episodes. */
export function scheduleArbitrary(options: ScheduleOptions = {}): fc.Arbitrary<Schedule> {
  const resolved = resolveScheduleOptions(options);
  const episodesMax = Math.max(1, Math.ceil(resolved.stepsMax / 3));
  return configArbitrary(resolved).chain((config) =>
    fc
      .tuple(
        openingArbitrary(config, resolved.weights),
        fc.array(episodeArbitrary(config, resolved.weights), { minLength: 1, maxLength: episodesMax, size: 'max' }),
        closingArbitrary(resolved.weights),
      )
      .map(([opening, episodes, closing]): Schedule => {
        // The closing keeps its place at the end: the episodes make room for it.
        const room = Math.max(0, resolved.stepsMax - closing.length);
        const actions = [...[...opening, ...episodes.flat()].slice(0, room), ...closing];
        return printableSchedule({ config, actions: actions.slice(0, resolved.stepsMax).map(printable) });
      }),
  );
}
