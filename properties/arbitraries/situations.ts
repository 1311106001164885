// Episodes aimed at situations of the catalogue (properties/situations/) that the other
// episodes reach too rarely or never: each is a short run of actions that sets up one
// situation on purpose (a Challenge withheld and answered after its lifetime, a Response
// carrying the value for another address, a claim made before the rightful owner's, data sent
// while a claim is tentative...). schedule.ts mixes them into its families with small weights.

import fc from 'fast-check';
import { MS_PER_SECOND } from '../../impl/units.js';
import type {
  Action,
  BadAhKind,
  HomelessPeer,
  ParamProblemForm,
  ResponseForm,
  ReuseKind,
  SpoofKind,
  Target,
  Via,
  WorldConfig,
} from '../world/types.js';

const homeless = fc.constantFrom<HomelessPeer>('bob', 'carol');
const saKind = fc.constantFrom<'generic' | 'anonymous'>('generic', 'anonymous');
const pick = fc.integer({ min: 0, max: 3 });
/** Time for a packet to reach its node and the answer to come back (the world's latency is 10 ms). */
const ROUND_TRIP_MS = 30;

/** A target nobody will answer for: a third party's address, a lost one, a peer's. */
const claimTarget: fc.Arbitrary<Target> = fc.oneof(
  fc.record({ kind: fc.constant('victim' as const), n: fc.integer({ min: 0, max: 64 }) }),
  fc.record({ kind: fc.constant('lost' as const), fromEnd: fc.integer({ min: 0, max: 3 }) }),
  fc.record({
    kind: fc.constant('peer' as const),
    peer: fc.constantFrom<'bob' | 'carol' | 'sam' | 'lee'>('bob', 'carol', 'sam', 'lee'),
    pick,
  }),
);

type Weighted = { weight: number; arbitrary: fc.Arbitrary<Action[]> };

/** Mallory's episodes: values it has seen, reused where a host might accept them (§3.4.2). */
export function reuseEpisodes(config: WorldConfig): Weighted[] {
  const cl = config.params.challengeLifetimeMs;
  const afterLifetime = fc.integer({ min: cl + 300, max: cl + 2000 });
  const withinLifetime = fc.integer({ min: ROUND_TRIP_MS, max: Math.max(ROUND_TRIP_MS, Math.floor(cl / 2)) });
  return [
    // A withheld Challenge answered after its lifetime, maybe after a new claim of the same
    // address drew a fresh Challenge (the old Response must not verify: TIME is fresh).
    {
      weight: 2,
      arbitrary: fc.tuple(saKind, pick, afterLifetime, fc.boolean()).map(([sa, p, wait, reclaim]): Action[] => [
        { kind: 'withhold', sa, pick: p },
        { kind: 'advance', ms: wait },
        ...(reclaim
          ? ([
              { kind: 'withhold', sa, pick: p },
              { kind: 'advance', ms: ROUND_TRIP_MS },
            ] as Action[])
          : []),
        { kind: 'reuse', what: 'late', fromEnd: reclaim ? 1 : 0, target: { kind: 'own', pick: 0 } },
        { kind: 'advance', ms: 300 },
      ]),
    },
    // A withheld Challenge answered in time but to another of Alice's addresses (HOST.md rule
    // 11: receivers accept it), then the same Response value again under a fresh AH (INV-REPLAY).
    {
      weight: 2,
      arbitrary: fc
        .tuple(saKind, pick, withinLifetime)
        .map(([sa, p, wait]): Action[] => [
          { kind: 'aliceGain' },
          { kind: 'advance', ms: 100 },
          { kind: 'withhold', sa, pick: p },
          { kind: 'advance', ms: wait },
          { kind: 'reuse', what: 'elsewhere', fromEnd: 0, target: { kind: 'own', pick: 0 } },
          { kind: 'advance', ms: 100 },
          { kind: 'reuse', what: 'again', fromEnd: 0, target: { kind: 'own', pick: 0 } },
          { kind: 'advance', ms: 300 },
        ]),
    },
    // A claim, then a Response for it built from the Challenge for Mallory's own address.
    {
      weight: 2,
      arbitrary: fc
        .tuple(saKind, pick, claimTarget, fc.constantFrom<ReuseKind>('cross', 'rebind'))
        .map(([sa, p, target, what]): Action[] => [
          { kind: 'withhold', sa, pick: p },
          { kind: 'advance', ms: ROUND_TRIP_MS },
          { kind: 'claim', sa, target, form: 'alt-coa' },
          { kind: 'advance', ms: ROUND_TRIP_MS },
          { kind: 'reuse', what, fromEnd: 0, target },
          { kind: 'advance', ms: 300 },
        ]),
    },
    // Old BU sequence numbers, numbers across the wrap, a reflected Challenge.
    {
      weight: 1,
      arbitrary: fc.tuple(pick).map(([k]): Action[] => [
        { kind: 'reuse', what: 'stale-sequence', fromEnd: k, target: { kind: 'own', pick: 0 } },
        { kind: 'advance', ms: 300 },
      ]),
    },
    {
      weight: 1,
      arbitrary: saKind.map((sa): Action[] => [
        { kind: 'seqWrap', sa },
        { kind: 'advance', ms: 300 },
      ]),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(saKind, pick).map(([sa, p]): Action[] => [
        { kind: 'withhold', sa, pick: p },
        { kind: 'advance', ms: ROUND_TRIP_MS },
        { kind: 'reuse', what: 'reflect', fromEnd: 0, target: { kind: 'own', pick: 0 } },
        { kind: 'advance', ms: 300 },
      ]),
    },
    // Two claims under one SA reordered in flight, then the older replayed: its AH sequence
    // number is inside the window, below the highest (RFC 2402 §3.4.3).
    {
      weight: 1,
      arbitrary: fc.tuple(saKind, claimTarget, claimTarget).map(([sa, t1, t2]): Action[] => [
        { kind: 'claim', sa, target: t1, form: 'alt-coa' },
        { kind: 'claim', sa, target: t2, form: 'alt-coa' },
        { kind: 'reorder', select: 'bu', fromEnd: 1 },
        { kind: 'replay', fromEnd: 1, retarget: false },
        { kind: 'advance', ms: 300 },
      ]),
    },
  ];
}

/**
 * Mallory answers a Challenge it holds correctly in each form rules 11 and 12 name: a
 * withheld claim of one of its own addresses, then one or two Responses whose value is right
 * but whose form rule 12 ignores (two Security sub-options, two Alternate CoAs, another
 * sub-option, lifetime 0), then, the Challenge still alive and unanswered, the Response in
 * rule 11's second form (from another of its addresses, an Alternate CoA naming the address),
 * which every receiver accepts.
 */
export function responseFormEpisodes(): Weighted[] {
  const ignored = fc.constantFrom<ResponseForm>('two-security', 'two-alt-coa', 'other-sub-option', 'lifetime-zero');
  return [
    {
      weight: 1,
      arbitrary: fc
        .tuple(saKind, pick, fc.array(ignored, { minLength: 1, maxLength: 2 }))
        .map(([sa, p, forms]): Action[] => [
          { kind: 'withhold', sa, pick: p },
          { kind: 'advance', ms: ROUND_TRIP_MS },
          ...forms.map((form): Action => ({ kind: 'answer', form, fromEnd: 0 })),
          { kind: 'answer', form: 'alt-coa', fromEnd: 0 },
          { kind: 'advance', ms: 300 },
        ]),
    },
  ];
}

/**
 * A volley of packets that must change nothing: spoofed sources without AH, bad or missing AH
 * of each kind, a verbatim replay of what Mallory just sent. Each on its own is a single
 * attack of the attack family; together they reach each kind often at little cost.
 */
export function volleyEpisodes(): Weighted[] {
  const as: fc.Arbitrary<Target> = fc.oneof(claimTarget, fc.record({ kind: fc.constant('alice' as const), pick }));
  const one: fc.Arbitrary<Action> = fc.oneof(
    fc.record({
      kind: fc.constant('spoof' as const),
      what: fc.constantFrom<SpoofKind>('data', 'bu-no-ah', 'echo', 'ba-no-ah', 'hao-data'),
      as,
    }),
    fc.record({
      kind: fc.constant('badAh' as const),
      what: fc.constantFrom<BadAhKind>('no-ah', 'bad-icv', 'unknown-spi', 'peer-spi', 'seq-zero', 'truncated-icv'),
      target: as,
    }),
  );
  return [
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.array(one, { minLength: 2, maxLength: 4 }), fc.boolean())
        .map(([volley, replay]): Action[] => [
          ...volley,
          // The last packet again, byte for byte (no AH, or an AH sequence number already seen).
          ...(replay ? ([{ kind: 'replay', fromEnd: 0, retarget: false }] as Action[]) : []),
          { kind: 'advance', ms: 300 },
        ]),
    },
  ];
}

/** Conflicting claims where Mallory is first (HOST.md rule 13), and Alice talking to Mallory. */
export function claimFirstEpisodes(config: WorldConfig): Weighted[] {
  const cl = config.params.challengeLifetimeMs;
  const soon = fc.integer({ min: 20, max: Math.max(20, Math.floor(cl / 2)) });
  return [
    // Mallory claims the address a peer will get next (addresses are predictable), then the
    // peer moves there or gains it, and its BU names it while Mallory's claim is tentative.
    {
      weight: 2,
      arbitrary: fc
        .tuple(saKind, homeless, soon, fc.constantFrom<'peerMove' | 'peerGain'>('peerMove', 'peerGain'))
        .map(([sa, peer, wait, kind]): Action[] => [
          { kind: 'claim', sa, target: { kind: 'next', peer }, form: 'alt-coa' },
          { kind: 'advance', ms: wait },
          { kind, peer },
          { kind: 'advance', ms: cl + 1000 },
        ]),
    },
    // Mallory claims a stranger's address, then Alice's application sends there (rule 17 makes
    // it a new entry's first address while it is tentative in Mallory's).
    {
      weight: 1,
      arbitrary: fc
        .tuple(saKind, fc.integer({ min: 0, max: 16 }), soon, fc.boolean())
        .map(([sa, n, wait, addSa]): Action[] => [
          { kind: 'claim', sa, target: { kind: 'stranger', n }, form: 'alt-coa' },
          { kind: 'advance', ms: wait },
          addSa ? { kind: 'aliceAddSa', n } : { kind: 'aliceSendNew', n },
          { kind: 'advance', ms: cl + 1000 },
        ]),
    },
    // Alice and Mallory as ordinary correspondents, sometimes while a claim of Mallory's is
    // tentative in its own entry (§2.4.1: the claimed address must not carry Alice's data).
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.boolean(),
          saKind,
          claimTarget,
          fc.constantFrom<'mallory-sends' | 'mallory-br'>('mallory-sends', 'mallory-br'),
          soon,
        )
        .map(([claimFirst, sa, target, reply, wait]): Action[] => [
          ...(claimFirst
            ? ([
                { kind: 'claim', sa, target, form: 'alt-coa' },
                { kind: 'advance', ms: wait },
              ] as Action[])
            : []),
          { kind: 'correspond', what: 'alice-sends' },
          { kind: 'advance', ms: ROUND_TRIP_MS },
          { kind: 'correspond', what: reply },
          { kind: 'advance', ms: 300 },
        ]),
    },
  ];
}

/** Honest episodes for situations that need a little timing: tentative peers, deprecated addresses, lost addresses. */
export function honestSituationEpisodes(config: WorldConfig): Weighted[] {
  const cl = config.params.challengeLifetimeMs;
  return [
    // A peer moves or gains an address, its Challenge is held up, and Alice's application sends
    // to the peer meanwhile (§2.4.1: never to the tentative address).
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          homeless,
          fc.constantFrom<'peerMove' | 'peerGain'>('peerMove', 'peerGain'),
          fc.integer({ min: 300, max: cl }),
          pick,
        )
        .map(([peer, kind, hold, p]): Action[] => [
          { kind, peer },
          { kind: 'advance', ms: 11 },
          { kind: 'delay', select: 'challenge', fromEnd: 0, ms: hold },
          { kind: 'advance', ms: ROUND_TRIP_MS },
          { kind: 'aliceSend', peer, pick: p, proto: 'udp' },
          { kind: 'advance', ms: cl + 500 },
        ]),
    },
    // Alice's UDP connection to a homeless peer outlives her move, then the peer moves and a
    // fair stretch probes it on the same connection: toward a homeless peer no HAO is needed
    // (§2.2.1), and one naming her lost address would be dropped (rules 2, 20).
    {
      weight: 1,
      arbitrary: homeless.map((peer): Action[] => [
        { kind: 'aliceSend', peer, pick: 0, proto: 'udp' },
        { kind: 'aliceGain' },
        { kind: 'advance', ms: ROUND_TRIP_MS },
        { kind: 'aliceLose', pick: 0 },
        { kind: 'advance', ms: cl + 500 },
        { kind: 'peerMove', peer },
        { kind: 'fair', ms: 3 * cl + 500 },
      ]),
    },
    // A peer gains an address, then gives one up (its deleting BU names it, §2.1.2).
    {
      weight: 1,
      arbitrary: fc.tuple(homeless, fc.integer({ min: 1, max: 3 })).map(([peer, p]): Action[] => [
        { kind: 'peerGain', peer },
        { kind: 'advance', ms: 300 },
        { kind: 'peerLose', peer, pick: p },
        { kind: 'advance', ms: 300 },
      ]),
    },
    ...standardMobileEpisodes(config),
    ...legacyEpisodes(config),
    // Alice loses every address, and her application sends meanwhile (rules 21, 24: nothing can
    // be sent, the send is unreachable), then she gains one.
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom<'bob' | 'carol' | 'sam' | 'lee'>('bob', 'carol', 'sam', 'lee'), pick)
        .map(([peer, p]): Action[] => [
          { kind: 'aliceLose', pick: 0, last: true },
          { kind: 'aliceLose', pick: 0, last: true },
          { kind: 'aliceSend', peer, pick: p, proto: 'udp' },
          { kind: 'aliceGain' },
          { kind: 'advance', ms: 300 },
        ]),
    },
  ];
}

/**
 * Alice's `addSA` reusing an entry without an SA that Lee's Parameter Problem made legacy
 * (rules 15, 17): Lee's address leaves the SA's entry (a jump past every lifetime), Alice's
 * application talks to it (a new entry), she moves and talks again (her data names the lost
 * initial source in an HAO, which Lee rejects), then she establishes a second SA with Lee's
 * address. Rule 15 sends that entry no Mobile IPv6 option: no Initial BU.
 */
function legacyEpisodes(config: WorldConfig): Weighted[] {
  if (!config.lee) return [];
  return [
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 100, max: 1000 })
        .map((ms): Action[] => [
          { kind: 'jump', past: 'all' },
          { kind: 'aliceSend', peer: 'lee', pick: 0, proto: 'udp' },
          { kind: 'aliceGain' },
          { kind: 'aliceLose', pick: 0 },
          { kind: 'aliceSend', peer: 'lee', pick: 0, proto: 'udp' },
          { kind: 'advance', ms: ROUND_TRIP_MS },
          { kind: 'aliceAddSaLee' },
          { kind: 'advance', ms },
        ]),
    },
  ];
}

/**
 * Alice and Sam, a draft-13 mobile node, while he is away from home (rule 15a, §2.2.2): she
 * sends to his home address after his BU from a care-of address reached her (his care-of
 * address is never verified: he answers no Challenge), sometimes again after a clock jump has
 * left his home address deprecated (§2.2: unreachable). In a world whose periodic BU comes
 * soon (`bindingRefreshSeconds` at most 60), she also talks to him, moves (her connection's
 * initial source lost) and talks again, so that she holds an emulated binding with him, and the
 * stretch runs past a refresh (rule 16: its draft-13 refresh, §3.2.3).
 */
function standardMobileEpisodes(config: WorldConfig): Weighted[] {
  if (!config.sam) return [];
  const params = config.params;
  // A jump past every lifetime leaves Sam's home address deprecated (not removed) only where
  // the longest lifetime exceeds his address's by less than maximumExpiredLifetimeSeconds (the
  // `short` profile): there the episode always jumps, and is drawn more often.
  const jumpLeavesDeprecated =
    Math.max(params.defaultLifetimeSeconds, params.bindingLifetimeSecondsMax) - params.defaultLifetimeSeconds <
    params.maximumExpiredLifetimeSeconds;
  const out: Weighted[] = [
    {
      weight: jumpLeavesDeprecated ? 3 : 1,
      arbitrary: fc
        .tuple(
          fc.integer({ min: 0, max: 1000 }),
          fc.integer({ min: ROUND_TRIP_MS, max: 1000 }),
          jumpLeavesDeprecated ? fc.constant(true) : fc.boolean(),
        )
        .map(([before, after, expire]): Action[] => [
          { kind: 'advance', ms: before },
          { kind: 'peerMove', peer: 'sam' },
          { kind: 'advance', ms: after },
          { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
          ...(expire
            ? ([
                { kind: 'jump', past: 'lifetime' },
                { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
              ] as Action[])
            : []),
          { kind: 'advance', ms: 300 },
        ]),
    },
  ];
  // Sam moved (his BU makes him a standard mobile peer, rule 15), then Alice's connection to him
  // outlives her own move: its packets after the move carry an HAO naming the connection's
  // initial source (§2.2.2), which LIVE-COMPAT (a) judges.
  out.push({
    weight: 1,
    arbitrary: fc
      .integer({ min: ROUND_TRIP_MS, max: 1000 })
      .map((after): Action[] => [
        { kind: 'peerMove', peer: 'sam' },
        { kind: 'advance', ms: after },
        { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
        { kind: 'aliceGain' },
        { kind: 'advance', ms: ROUND_TRIP_MS },
        { kind: 'aliceLose', pick: 0 },
        { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
        { kind: 'advance', ms: 300 },
      ]),
  });
  // Two emulated packets at one instant, before Sam's BA for the first's BU can come back: each
  // must carry a BU (§2.2.2), once Sam is known to be a standard host (the probe has ended).
  out.push({
    weight: 1,
    arbitrary: fc
      .integer({ min: 0, max: 1000 })
      .map((extra): Action[] => [
        { kind: 'advance', ms: params.compatProbeTimeoutMs + extra },
        { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
        { kind: 'aliceGain' },
        { kind: 'aliceLose', pick: 0 },
        { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
        { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
        { kind: 'advance', ms: 300 },
      ]),
  });
  // One connection on the wire (UDP 5000 → 5000) asked for twice, once naming the ports and
  // once leaving them to their defaults, with Alice's move between: the second packet keeps the
  // first's emulated home address (§2.2.2; ADAPTER-PROTOCOL.md: omitted ports are 5000).
  out.push({
    weight: 1,
    arbitrary: fc.boolean().map((namedFirst): Action[] => {
      const named: Action = { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp', sport: 5000, dport: 5000 };
      const omitted: Action = { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' };
      return [
        namedFirst ? named : omitted,
        { kind: 'aliceGain' },
        { kind: 'advance', ms: ROUND_TRIP_MS },
        { kind: 'aliceLose', pick: 0 },
        namedFirst ? omitted : named,
        { kind: 'advance', ms: 300 },
      ];
    }),
  });
  const refreshMs = params.bindingRefreshSeconds * MS_PER_SECOND;
  if (refreshMs <= REFRESH_EPISODE_MS_MAX)
    out.push({
      weight: 1,
      arbitrary: fc
        .tuple(fc.boolean(), fc.integer({ min: 500, max: 2000 }))
        .map(([move, extra]): Action[] => [
          ...(move ? ([{ kind: 'peerMove', peer: 'sam' }] as Action[]) : []),
          { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
          { kind: 'aliceGain' },
          { kind: 'advance', ms: ROUND_TRIP_MS },
          { kind: 'aliceLose', pick: 0 },
          { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
          { kind: 'advance', ms: refreshMs + extra },
        ]),
    });
  return out;
}
/** The longest stretch the emulated-binding refresh episode waits for a periodic BU (virtual time costs ticks). */
const REFRESH_EPISODE_MS_MAX = 60_000;

/** After a clock jump, Alice's application sends at once: to addresses now deprecated (§2.1.4). */
export function jumpSituationEpisodes(): Weighted[] {
  return [
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom<'bob' | 'carol' | 'sam' | 'lee'>('bob', 'carol', 'sam', 'lee'), pick)
        .map(([peer, p]): Action[] => [
          { kind: 'jump', past: 'lifetime' },
          { kind: 'aliceSend', peer, pick: p, proto: 'udp' },
          { kind: 'advance', ms: 300 },
        ]),
    },
  ];
}

/** Most actions an episode may hold (schedule.ts cuts longer ones). */
const EPISODE_ACTIONS_MAX = 8;

/**
 * Claims that meet rule 8's bounds and rule 6's other cases: an entry filled to
 * addressesPerEntryCountMax, then a new address and a deprecated one named at that bound; a
 * holder at its challenge bound when its address is claimed (rule 13); a re-check started
 * while Alice holds no address (rules 13, 17, 9). (A BU naming an address already active in
 * its own entry, rule 6, needs no episode: the peers' Initial BUs and refreshes do it.)
 */
export function boundEpisodes(config: WorldConfig): Weighted[] {
  const cl = config.params.challengeLifetimeMs;
  const tentativeMax = config.params.tentativePerEntryCountMax;
  const addressesMax = config.params.addressesPerEntryCountMax;
  const out: Weighted[] = [];
  // Rounds of claims on fresh addresses of Mallory's own, tentativePerEntryCountMax at a time
  // (each round verified before the next): the last round passes the address bound with room
  // under the Challenge bound. Where the rounds leave room, the entry is emptied first (a jump
  // past every lifetime removes its first address, which has the shortest), filled with
  // exactly addressesPerEntryCountMax addresses, and after a second jump, which leaves them
  // deprecated, Mallory names one of them again at the bound.
  const rounds = tentativeMax > 0 ? Math.ceil(addressesMax / tentativeMax) : 0;
  if (rounds > 0 && rounds * tentativeMax === addressesMax && 2 * rounds + 2 <= EPISODE_ACTIONS_MAX) {
    out.push({
      weight: 2,
      arbitrary: saKind.map((sa): Action[] => {
        const actions: Action[] = [{ kind: 'jump', past: 'lifetime' }];
        for (let r = 0; r < rounds; r++)
          actions.push(
            { kind: 'fill', sa, count: tentativeMax },
            ...(r < rounds - 1 ? [{ kind: 'advance', ms: 100 } as Action] : []),
          );
        // Mallory's addresses are its two registered ones, then the filled ones in order.
        actions.push(
          { kind: 'jump', past: 'lifetime' },
          { kind: 'claim', sa, target: { kind: 'own', pick: 2 }, form: 'alt-coa' },
        );
        return actions;
      }),
    });
  } else if (rounds > 0 && 2 * rounds <= EPISODE_ACTIONS_MAX) {
    out.push({
      weight: 2,
      arbitrary: saKind.map((sa): Action[] =>
        Array.from({ length: rounds }, (): Action[] => [
          { kind: 'fill', sa, count: tentativeMax },
          { kind: 'advance', ms: 100 },
        ]).flat(),
      ),
    });
  }
  // A holder at its challenge bound when another entry claims its address: the claim must be
  // refused (rules 8, 13). With both of Mallory's SAs, its generic entry floods itself to the
  // bound with claims nobody answers, then its anonymous SA claims the generic entry's first
  // address.
  if (config.mallory === 'both' && tentativeMax > 0) {
    out.push({
      weight: 3,
      arbitrary: fc.integer({ min: 100, max: 1000 }).map((first): Action[] => [
        { kind: 'flood', sa: 'generic', count: tentativeMax, first },
        { kind: 'claim', sa: 'anonymous', target: { kind: 'own', pick: 0 }, form: 'alt-coa' },
        { kind: 'advance', ms: cl + 1000 },
      ]),
    });
    // A holder whose re-check counts toward its bound (rule 8 counts conflict re-checks): the
    // anonymous SA claims the generic entry's first address, which starts a re-check there;
    // before Mallory's answer can arrive, the generic SA names tentativePerEntryCountMax fresh
    // addresses, so that the last one finds the entry at its bound only with the re-check counted.
    out.push({
      weight: 3,
      arbitrary: fc.integer({ min: 100, max: 1000 }).map((first): Action[] => [
        { kind: 'claim', sa: 'anonymous', target: { kind: 'own', pick: 0 }, form: 'alt-coa' },
        { kind: 'flood', sa: 'generic', count: tentativeMax, first },
        { kind: 'advance', ms: cl + 1000 },
      ]),
    });
  }
  // Otherwise, with tentativePerEntryCountMax 2: a peer gains two addresses and, at the same
  // instant, Mallory claims the peer's oldest one, while the peer's entry has its two new
  // addresses under check.
  else if (tentativeMax <= 2) {
    out.push({
      weight: 3,
      arbitrary: fc.tuple(homeless, saKind).map(([peer, sa]): Action[] => [
        { kind: 'peerGain', peer },
        { kind: 'peerGain', peer },
        { kind: 'claim', sa, target: { kind: 'peer', peer, pick: 0 }, form: 'alt-coa' },
        { kind: 'advance', ms: cl + 1000 },
      ]),
    });
  }
  // Mallory claims a stranger's address; Alice loses every address, then establishes an SA
  // with the stranger: its entry's first address is tentative in Mallory's, so she re-checks
  // it (rules 13, 17), with no address to send the BA from until she gains one (rule 9).
  out.push({
    weight: 1,
    arbitrary: fc
      .tuple(saKind, fc.integer({ min: 0, max: 16 }))
      .map(([sa, n]): Action[] => [
        { kind: 'claim', sa, target: { kind: 'stranger', n }, form: 'alt-coa' },
        { kind: 'advance', ms: ROUND_TRIP_MS },
        { kind: 'aliceLose', pick: 0, last: true },
        { kind: 'aliceLose', pick: 0, last: true },
        { kind: 'aliceAddSa', n },
        { kind: 'advance', ms: 100 },
        { kind: 'aliceGain' },
        { kind: 'advance', ms: cl + 1000 },
      ]),
  });
  return out;
}

/**
 * Alice and Mallory as correspondents beyond a single exchange: she talks to it, moves (gains an
 * address, loses her connection's initial source) and talks again, so that her data carries an
 * HAO naming her emulated home address and a BU for the binding (§2.2.2), through its
 * anonymous SA when that is the one it has (the BU goes alone, §3.4.1); Mallory then
 * acknowledges her BU and she talks once more (no BU owed: INV-ANON-SCOPE), or sends a BR
 * (rule 16: her answer refreshes the emulated binding in draft-13 form), also after she gained
 * and lost another address (only the care-of address's loss ends a binding, §2.2.2). And Mallory as a
 * standard mobile host whose care-of address verified (rule 15a: Alice's data goes through a
 * routing header to its home address): a claim from a spoofed source with an HAO naming its
 * registered address, the Challenge left to end, then an address of its own claimed and
 * verified (`fill`), then Alice's data.
 */
export function correspondentEpisodes(config: WorldConfig): Weighted[] {
  const cl = config.params.challengeLifetimeMs;
  return [
    {
      weight: 2,
      arbitrary: fc
        .constantFrom<'mallory-acks' | 'mallory-br' | 'lose-then-br'>(
          'mallory-acks',
          'mallory-acks',
          'mallory-br',
          'lose-then-br',
        )
        .map((reply): Action[] =>
          reply === 'lose-then-br'
            ? // The binding, then Alice gains an address and loses it again (not the binding's
              // care-of address, her oldest), then Mallory's BR: her answer still refreshes the
              // binding (rule 16; §2.2.2: only the care-of address's loss ends it).
              [
                { kind: 'correspond', what: 'alice-sends' },
                { kind: 'aliceGain' },
                { kind: 'aliceLose', pick: 0 },
                { kind: 'correspond', what: 'alice-sends' },
                { kind: 'aliceGain' },
                { kind: 'aliceLose', pick: 1 },
                { kind: 'correspond', what: 'mallory-br' },
                { kind: 'advance', ms: ROUND_TRIP_MS },
              ]
            : [
                { kind: 'correspond', what: 'alice-sends' },
                { kind: 'aliceGain' },
                { kind: 'aliceLose', pick: 0 },
                { kind: 'correspond', what: 'alice-sends' },
                { kind: 'advance', ms: ROUND_TRIP_MS },
                { kind: 'correspond', what: reply },
                { kind: 'advance', ms: ROUND_TRIP_MS },
                { kind: 'correspond', what: 'alice-sends' },
              ],
        ),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 0, max: 64 }).map((n): Action[] => [
        { kind: 'claim', sa: 'generic', target: { kind: 'victim', n }, form: 'spoofed-source' },
        { kind: 'advance', ms: cl + 1000 },
        { kind: 'fill', sa: 'generic', count: 1 },
        { kind: 'advance', ms: 300 },
        { kind: 'correspond', what: 'alice-sends' },
        { kind: 'advance', ms: 300 },
      ]),
    },
  ];
}

/** Weight of `responseFormEpisodes` among the attack family's situation episodes. */
const RESPONSE_FORM_WEIGHT = 2;
/** The forms of Mallory's Parameter Problem that must change nothing (rule 15). */
const FORGED_PARAM_PROBLEMS: readonly ParamProblemForm[] = ['truncated', 'altered', 'code', 'elsewhere'];
/** Time for the setup's Initial BUs to reach the peers (the world's latency is 10 ms), and a little: Lee's answer is in flight. */
const INITIAL_BU_ARRIVED_MS = 15;

/** Some of the forged forms, in some order, each quoting the newest packet of Alice's with a Mobile IPv6 option. */
function forgedParamProblems(minLength: number, maxLength: number): fc.Arbitrary<Action[]> {
  return fc
    .shuffledSubarray([...FORGED_PARAM_PROBLEMS], { minLength, maxLength })
    .map((forms) => forms.map((form): Action => ({ kind: 'paramProblem', fromEnd: 0, form })));
}

/**
 * Mallory's Parameter Problems about Alice's data to an address of Mallory's that no SA names
 * (`correspond` with `aside`: her entry for it has no SA, so it stays `unknown` and can turn
 * `legacy` whenever it is asked, rule 15). Alice talks to it, moves and talks again (§2.2.2: an
 * HAO naming the connection's lost initial source), sometimes with a datagram longer than an
 * ICMPv6 error can quote (RFC 4443 §2.4(c): its first 1232 bytes); then Mallory answers in
 * two or three forms that must change nothing (a quote cut short, one with a byte changed, a
 * code other than 2, one from another address pointing at no option), after two of them
 * followed by the real one, which makes the entry legacy.
 */
export function asideParameterProblemEpisodes(): Weighted[] {
  const twoInThree = fc.integer({ min: 0, max: 2 }).map((k) => k > 0);
  // Two forged forms then, two times in three, the real one; or three forged forms (the
  // episode stays within EPISODE_ACTIONS_MAX).
  const answers = fc.oneof(
    { weight: 2, arbitrary: fc.tuple(forgedParamProblems(2, 2), fc.constant(true)) },
    { weight: 1, arbitrary: fc.tuple(forgedParamProblems(3, 3), fc.constant(false)) },
  );
  return [
    {
      weight: 1,
      arbitrary: fc
        .tuple(twoInThree, answers)
        .map(([large, [forged, real]]): Action[] => [
          { kind: 'correspond', what: 'alice-sends', aside: true },
          { kind: 'aliceGain' },
          { kind: 'aliceLose', pick: 0 },
          large
            ? { kind: 'correspond', what: 'alice-sends', aside: true, large: true }
            : { kind: 'correspond', what: 'alice-sends', aside: true },
          { kind: 'advance', ms: ROUND_TRIP_MS },
          ...forged,
          ...(real ? ([{ kind: 'paramProblem', fromEnd: 0 }] as Action[]) : []),
        ]),
    },
  ];
}

/**
 * An opening with Lee (schedule.ts): his Parameter Problem about Alice's Initial BU is lost, so
 * that his entry falls back to `standard` after compatProbeTimeoutMs; then Alice talks to him,
 * moves and talks again (§2.2.2: an HAO, which Lee rejects), so that his next Parameter Problem
 * reaches her about a packet she sent a `standard` peer (rule 15: legacy), and talks once more
 * (no Mobile IPv6 option then: LIVE-COMPAT).
 */
export function lostParameterProblemOpenings(config: WorldConfig): Weighted[] {
  if (!config.lee) return [];
  const probe = config.params.compatProbeTimeoutMs;
  const toLee: Action = { kind: 'aliceSend', peer: 'lee', pick: 0, proto: 'udp' };
  return [
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 100, max: 1000 })
        .map((ms): Action[] => [
          { kind: 'advance', ms: INITIAL_BU_ARRIVED_MS },
          { kind: 'lose', select: 'param-problem', fromEnd: 0 },
          { kind: 'advance', ms: probe + ms },
          toLee,
          { kind: 'aliceGain' },
          { kind: 'aliceLose', pick: 0 },
          toLee,
          { kind: 'advance', ms: ROUND_TRIP_MS },
          toLee,
          { kind: 'advance', ms: ROUND_TRIP_MS },
        ]),
    },
  ];
}

/**
 * Packets routed through Alice's own addresses (rule 22: processed, the final destination being
 * the last address while Segments Left > 0, else the IPv6 Destination): a claim of Mallory's,
 * whose Challenge comes from the final destination (rule 9), and an echo request, answered
 * from it (rule 23). Alice sometimes gains an address first, so that the route names two.
 */
export function routedEpisodes(): Weighted[] {
  const via: fc.Arbitrary<Via> = fc
    .integer({ min: 1, max: 2 })
    .chain((addresses) => fc.integer({ min: 0, max: addresses }).map((segmentsLeft) => ({ addresses, segmentsLeft })));
  return [
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.boolean(), saKind, claimTarget, via, via, fc.integer({ min: 0, max: 64 }))
        .map(([gain, sa, target, claimVia, echoVia, n]): Action[] => [
          ...(gain ? ([{ kind: 'aliceGain' }, { kind: 'advance', ms: ROUND_TRIP_MS }] as Action[]) : []),
          { kind: 'claim', sa, target, form: 'alt-coa', via: claimVia },
          { kind: 'advance', ms: ROUND_TRIP_MS },
          { kind: 'spoof', what: 'echo', as: { kind: 'victim', n }, via: echoVia },
          { kind: 'advance', ms: 300 },
        ]),
    },
  ];
}

/**
 * Rule 2's exception: once Sam, a draft-13 mobile node, moved (his authenticated BU's HAO made
 * his entry `standard-mobile` with his home address, rule 15), Mallory's data without AH whose
 * HAO names that home address is delivered, unauthenticated (draft-13 nodes send data so).
 */
export function standardMobileExceptionEpisodes(config: WorldConfig): Weighted[] {
  if (!config.sam) return [];
  return [
    {
      weight: 1,
      arbitrary: fc.boolean().map((move): Action[] => [
        ...(move
          ? ([
              { kind: 'peerMove', peer: 'sam' },
              { kind: 'advance', ms: ROUND_TRIP_MS },
            ] as Action[])
          : []),
        { kind: 'spoof', what: 'hao-data', as: { kind: 'peer', peer: 'sam', pick: 0 } },
        { kind: 'advance', ms: ROUND_TRIP_MS },
      ]),
    },
  ];
}

/**
 * The same as an opening (schedule.ts), before any clock jump could have let Sam's home address
 * expire in his entry (rule 17: its activity lifetime), which would make his HAO fail rule 2.
 */
export function standardMobileExceptionOpenings(config: WorldConfig): Weighted[] {
  if (!config.sam) return [];
  return [
    {
      weight: 1,
      arbitrary: fc.constant<Action[]>([
        { kind: 'peerMove', peer: 'sam' },
        { kind: 'advance', ms: ROUND_TRIP_MS },
        { kind: 'spoof', what: 'hao-data', as: { kind: 'peer', peer: 'sam', pick: 0 } },
        { kind: 'advance', ms: ROUND_TRIP_MS },
      ]),
    },
  ];
}

/**
 * The attack family's share of these episodes: a few weights in all, so that the family's
 * other episodes (claims, takeovers, conflicts, clock guesses) keep most of its draws.
 */
export function situationAttackEpisodes(config: WorldConfig): Weighted[] {
  return [
    { weight: 3, arbitrary: fc.oneof(...reuseEpisodes(config)) },
    { weight: RESPONSE_FORM_WEIGHT, arbitrary: fc.oneof(...responseFormEpisodes()) },
    { weight: 2, arbitrary: fc.oneof(...claimFirstEpisodes(config)) },
    { weight: 1, arbitrary: fc.oneof(...volleyEpisodes()) },
    { weight: 4, arbitrary: fc.oneof(...boundEpisodes(config)) },
    { weight: 2, arbitrary: fc.oneof(...correspondentEpisodes(config)) },
    { weight: 1, arbitrary: fc.oneof(...routedEpisodes()) },
    { weight: 1, arbitrary: fc.oneof(...asideParameterProblemEpisodes()) },
    ...(config.sam ? [{ weight: 1, arbitrary: fc.oneof(...standardMobileExceptionEpisodes(config)) }] : []),
  ];
}
