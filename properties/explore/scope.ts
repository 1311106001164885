// The scopes of `hmip6 explore` (DESIGN.md "Proof that the properties bite"): one world and a
// finite alphabet of moves. A move is a short episode of actions from the same `Action`
// vocabulary as the random schedules (properties/arbitraries/schedule.ts), shaped like their
// episodes: something happens, then the network settles (an attack episode there is also an
// action followed by an advance). States between moves are quiet, so the search does not
// spend itself on the orders in which packets sit in flight, and a minimal trace found here
// compares with a shrunk random one action for action.
//
// `small` is the scope of the figures: two homeless peers (Bob and Carol, generic SAs), one
// attacker (Mallory, a generic SA), and three addresses in play for Mallory's claims (Bob's
// current one, the one he lost last, a third party's), with nine moves covering every family
// of the random schedules: honest life, a fault, attacks, a clock jump. `full` adds Sam (a
// draft-13 mobile node), Lee (a legacy host), Mallory's anonymous SA, the `tight` bounds and
// the rest of Mallory's repertoire: the mutants are searched there.

import { PARAMS_PROFILES, paramsFor } from '../arbitraries/schedule.js';
import { A, printable } from '../world/describe.js';
import type { Action, WorldConfig } from '../world/types.js';

export interface Move {
  /** Short kebab-case name, for reports (`claim-bob`). */
  name: string;
  /** The actions, in order. */
  actions: readonly Action[];
}

export interface ExploreScope {
  /** Names the scope in reports (`small`, `full`). */
  name: string;
  /** One sentence for reports and `--help`. */
  summary: string;
  config: WorldConfig;
  /** The moves tried from every state, in this order (the order breaks ties between equally short traces). */
  moves: readonly Move[];
}

/** The world of the small scope: `short` lifetimes, so that expiry chains fit in a few moves. */
export const SMALL_WORLD: Readonly<WorldConfig> = Object.freeze({
  seed: 1,
  params: paramsFor('short'),
  aliceAddressCount: 1,
  alg: 'hmac-sha1-96',
  carol: 'generic',
  sam: false,
  lee: false,
  mallory: 'generic',
});

/**
 * The settling time after a move: a claim, its Challenge, the answer and one retransmission
 * (`short` profile: 700 ms) play out within it.
 */
export const SETTLE_MS = 1000;

/** After a move: the BU has reached Alice (LATENCY_MS is 10) and her Challenge is on its way. */
const CHALLENGE_IN_FLIGHT_MS = 15;
/**
 * The Challenge then reaches Bob at the tick on which Alice retransmits it (`short` profile:
 * retransmission after 700 ms, ticks every 250 ms): his first answer and the retransmission cross.
 */
const CHALLENGE_DELAY_MS = 730;

const BOB = { kind: 'peer', peer: 'bob', pick: 0 } as const;
const LAST_LOST = { kind: 'lost', fromEnd: 0 } as const;
const THIRD_PARTY = { kind: 'victim', n: 0 } as const;

function move(name: string, ...actions: Action[]): Move {
  return { name, actions: actions.map(printable) };
}

/** A move, then the settling time. */
function settled(name: string, action: Action): Move {
  return move(name, action, A.advance({ ms: SETTLE_MS }));
}

const SMALL_MOVES: readonly Move[] = [
  // Honest life.
  move('wait', A.advance({ ms: SETTLE_MS })),
  settled('bob-moves', A.peerMove({ peer: 'bob' })),
  settled('alice-sends-bob', A.aliceSend({ peer: 'bob', pick: 0, proto: 'udp' })),
  // A fault: Bob moves and his deleting BU is lost (§5.3: the old address stays bound).
  move(
    'bob-moves-bu-lost',
    A.peerMove({ peer: 'bob' }),
    A.lose({ select: 'bu', fromEnd: 0 }),
    A.advance({ ms: SETTLE_MS }),
  ),
  // Mallory: Appendix C's claim, §5.3's takeover of a lost address, a replay, a BU without AH.
  settled('claim-bob', A.claim({ sa: 'generic', target: BOB, form: 'alt-coa' })),
  settled('takeover', A.takeover({ sa: 'generic', fromEnd: 0 })),
  settled('replay', A.replay({ fromEnd: 0, retarget: false })),
  settled('spoof-bu', A.spoof({ what: 'bu-no-ah', as: BOB })),
  // The clock jumps past every lifetime.
  move('jump-lifetime', A.jump({ past: 'lifetime' })),
];

/** The world of the full scope. */
export const FULL_WORLD: Readonly<WorldConfig> = Object.freeze({
  ...SMALL_WORLD,
  // Tight bounds (INV-BOUNDED, INV-AMPLIFICATION), but room for two entries beyond the six the
  // setup makes: a host that creates entries for strangers must be able to.
  params: { ...paramsFor('short'), ...PARAMS_PROFILES.tight, foreignEntriesCountMax: 8 },
  sam: true,
  lee: true,
  mallory: 'both',
});

const FULL_MOVES: readonly Move[] = [
  ...SMALL_MOVES,
  move('jump-expired', A.jump({ past: 'expired' })),
  move(
    'bob-moves-bu-duplicated',
    A.peerMove({ peer: 'bob' }),
    A.duplicate({ select: 'bu', fromEnd: 0 }),
    A.advance({ ms: SETTLE_MS }),
  ),
  // Bob's move, its Challenge held up until Alice retransmits it: Bob answers both copies.
  move(
    'bob-moves-challenge-delayed',
    A.peerMove({ peer: 'bob' }),
    A.advance({ ms: CHALLENGE_IN_FLIGHT_MS }),
    A.delay({ select: 'challenge', fromEnd: 0, ms: CHALLENGE_DELAY_MS }),
    A.advance({ ms: SETTLE_MS }),
  ),
  // LIVE-HONEST-MOVE's premise: the move right before a fault-free stretch of ≥ 3 × challengeLifetimeMs.
  move('bob-moves-fair', A.peerMove({ peer: 'bob' }), A.fair({ ms: 3 * FULL_WORLD.params.challengeLifetimeMs + 500 })),
  settled('bob-sends', A.peerSend({ peer: 'bob' })),
  settled('alice-gains', A.aliceGain()),
  settled('alice-loses', A.aliceLose({ pick: 0 })),
  settled('alice-sends-sam', A.aliceSend({ peer: 'sam', pick: 0, proto: 'udp' })),
  settled('alice-sends-lee', A.aliceSend({ peer: 'lee', pick: 0, proto: 'udp' })),
  // Alice talks to a stranger, then establishes an SA with it (HOST.md rule 17).
  settled('alice-sends-stranger', A.aliceSendNew({ n: 0 })),
  settled('alice-adds-sa-stranger', A.aliceAddSa({ n: 0 })),
  settled('claim-bob-home', A.claim({ sa: 'generic', target: BOB, form: 'home-address' })),
  settled('claim-lost', A.claim({ sa: 'generic', target: LAST_LOST, form: 'alt-coa' })),
  settled('bad-icv', A.badAh({ what: 'bad-icv', target: THIRD_PARTY })),
  settled('forge-response', A.forgeResponse({ target: THIRD_PARTY, under: 'generic' })),
  settled('clock-guess', A.clockGuess({ sa: 'generic', target: THIRD_PARTY })),
  settled('anon-data', A.anonData()),
  settled('spoof-data', A.spoof({ what: 'data', as: THIRD_PARTY })),
  settled('flood', A.flood({ sa: 'generic', count: 3, first: 100 })),
];

export const SCOPES: Readonly<Record<string, ExploreScope>> = {
  small: {
    name: 'small',
    summary:
      "Bob and Carol, Mallory with a generic SA; claims on Bob's current address and on the one he lost last; 9 moves",
    config: SMALL_WORLD,
    moves: SMALL_MOVES,
  },
  full: {
    name: 'full',
    summary:
      "the small world with Sam (draft-13 mobile node), Lee (legacy host), Mallory's anonymous SA and tight bounds; 28 moves",
    config: FULL_WORLD,
    moves: FULL_MOVES,
  },
};

export const DEFAULT_SCOPE: ExploreScope = SCOPES.small;

/** The actions of a sequence of moves, in order. */
export function movesToActions(moves: readonly Move[]): Action[] {
  return moves.flatMap((m) => [...m.actions]);
}
