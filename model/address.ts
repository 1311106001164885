// An address's lifecycle in one Foreign Host Cache Entry (§1.3, §2.1.4, §3.4.2; HOST.md rules
// 4, 6, 9, 12, 13, 16, 17, 19). One machine per (entry, address); model/entry.ts and
// model/cache.ts route events to it and apply the cross-entry rules (conflicts, bounds).

import { assign, setup } from 'xstate';
import { MS_PER_SECOND } from '../impl/units.js';
import type { LifetimeKind } from '../impl/host/types.js';
import type { ModelParams, ResponseAnswers } from './events.js';
import type { ContextUpdate } from './table.js';

export type AddressValue =
  | 'absent'
  | 'tentative.challenged'
  | 'tentative.answered'
  | 'active.held'
  | 'active.rechecking'
  | 'active.recheckAnswered'
  | 'deprecated'
  | 'removed';

export type AddressParams = Pick<
  ModelParams,
  'defaultLifetimeSeconds' | 'maximumExpiredLifetimeSeconds' | 'bindingLifetimeSecondsMax' | 'challengeLifetimeMs'
>;

export interface AddressContext {
  readonly params: AddressParams;
  /** Rule 19: tentative shows `absolute`; deprecated keeps the kind it had. */
  readonly lifetimeKind: LifetimeKind;
  /** Rule 19: active, when it expires; tentative, first Challenge + challengeLifetimeMs; deprecated, when it expired. */
  readonly expiresAt: number;
  /** The latest Challenge issued for this address in this entry, counted per entry from 1 (0: none). */
  readonly challengeEpoch: number;
  /** When that Challenge ends: its first transmission + challengeLifetimeMs (rule 9). */
  readonly challengeEndsAt: number;
  /** Rule 13: the absolute expiry a Response granted a claimant that now waits on a rival. */
  readonly grantedExpiresAt: number;
}

export type AddressEvent =
  /** An accepted BU with lifetime L > 0 names it (rule 6), or Appendix B adds it (rule 20a). */
  | { type: 'named'; now: number; lifetimeSeconds: number; epoch: number }
  /** An accepted BU with lifetime 0 names it (rule 6, §2.1.4). */
  | { type: 'unnamed' }
  /** It is the entry's first address: `addSA`'s peer or a `send`'s `to` (rule 17, §2.1.1). */
  | { type: 'established'; now: number }
  /** A well-formed Response with L > 0 names it (rule 12); `contested`: a rival entry's check is live or answered (rule 13). */
  | { type: 'response'; now: number; answers: ResponseAnswers; lifetimeSeconds: number; contested: boolean }
  /** The clock, at the start of every accepted request (rule 16). */
  | { type: 'clock'; now: number }
  /** An authenticated packet from it (rule 4). */
  | { type: 'activity'; now: number }
  /** Another entry claims it: re-check this holder (rule 13). */
  | { type: 'recheck'; now: number; epoch: number }
  /** Rule 13: it answered and every rival's check has ended without an answer. */
  | { type: 'won' }
  /** Rule 13: a rival proved it while this entry could not (or did not) answer. */
  | { type: 'displaced' }
  /** Rule 13: both claimants answered; every address of both entries goes (§3.4.2). */
  | { type: 'flushed' };

function grantedMs(c: AddressContext, now: number, lifetimeSeconds: number): number {
  return now + Math.min(lifetimeSeconds, c.params.bindingLifetimeSecondsMax) * MS_PER_SECOND;
}

/** Context updates, shared by the machine and the fast table (model/table.ts). */
export const addressUpdates: Readonly<Record<string, ContextUpdate<AddressContext, AddressEvent>>> = {
  // Rules 9 and 19: a new Challenge, sent at once; the tentative lifetime is its end.
  startChallenge: (c, e) => {
    if (e.type !== 'named') return {};
    const ends = e.now + c.params.challengeLifetimeMs;
    return { lifetimeKind: 'absolute', expiresAt: ends, challengeEpoch: e.epoch, challengeEndsAt: ends };
  },
  // Rule 13: the holder's re-check; its active lifetime is untouched.
  startRecheck: (c, e) =>
    e.type === 'recheck' ? { challengeEpoch: e.epoch, challengeEndsAt: e.now + c.params.challengeLifetimeMs } : {},
  // Rule 17, §2.1.1: activity-related, defaultLifetimeSeconds.
  activityLifetime: (c, e) =>
    e.type === 'established'
      ? { lifetimeKind: 'activity', expiresAt: e.now + c.params.defaultLifetimeSeconds * MS_PER_SECOND }
      : {},
  // Rule 4: only activity-related lifetimes are refreshed by use.
  refreshActivity: (c, e) =>
    e.type === 'activity' ? { expiresAt: e.now + c.params.defaultLifetimeSeconds * MS_PER_SECOND } : {},
  // Rule 6, §2.1.4: a BU makes the lifetime absolute min(L, bindingLifetimeSecondsMax) from now.
  refreshAbsolute: (c, e) =>
    e.type === 'named' ? { lifetimeKind: 'absolute', expiresAt: grantedMs(c, e.now, e.lifetimeSeconds) } : {},
  // Rule 12: absolute min(L, bindingLifetimeSecondsMax) from the Response's arrival.
  grantLifetime: (c, e) =>
    e.type === 'response' ? { lifetimeKind: 'absolute', expiresAt: grantedMs(c, e.now, e.lifetimeSeconds) } : {},
  // Rule 13: a claimant that answered keeps showing its tentative lifetime; the grant waits.
  recordGrant: (c, e) => (e.type === 'response' ? { grantedExpiresAt: grantedMs(c, e.now, e.lifetimeSeconds) } : {}),
  applyGrant: (c) => ({ lifetimeKind: 'absolute', expiresAt: c.grantedExpiresAt }),
};

export const addressMachine = setup({
  types: {
    context: {} as AddressContext,
    events: {} as AddressEvent,
    input: {} as { params: AddressParams },
  },
  guards: {
    /** Rule 12 / WIRE.md: the Response answers the latest Challenge sent for this address in this entry. */
    answersLatestChallenge: ({ context, event }) =>
      event.type === 'response' && event.answers === context.challengeEpoch,
    /** … and no rival entry has a live or answered check on it (rule 13). */
    answersUncontested: ({ context, event }) =>
      event.type === 'response' && event.answers === context.challengeEpoch && !event.contested,
    /** Rules 9 and 16: the Challenge ended unanswered (`now >= end`). */
    challengeExpired: ({ context, event }) => event.type === 'clock' && event.now >= context.challengeEndsAt,
    /** Rules 13, 16: the re-check ended unanswered, not after the lifetime (a tie removes, not deprecates). */
    recheckExpiredFirst: ({ context, event }) =>
      event.type === 'clock' && event.now >= context.challengeEndsAt && context.challengeEndsAt <= context.expiresAt,
    /** §2.1.4, rule 16: the lifetime ran out (`now >= expiresAt`). */
    lifetimeOver: ({ context, event }) => event.type === 'clock' && event.now >= context.expiresAt,
    /** §2.1.4, rule 16: deprecated for maximumExpiredLifetimeSeconds, counted from the expiry instant. */
    deprecationOver: ({ context, event }) =>
      event.type === 'clock' &&
      event.now >= context.expiresAt + context.params.maximumExpiredLifetimeSeconds * MS_PER_SECOND,
    /** Rule 4: activity refreshes activity-related lifetimes only. */
    hasActivityLifetime: ({ context }) => context.lifetimeKind === 'activity',
  },
  actions: {
    startChallenge: assign(({ context, event }) => addressUpdates.startChallenge(context, event)),
    startRecheck: assign(({ context, event }) => addressUpdates.startRecheck(context, event)),
    activityLifetime: assign(({ context, event }) => addressUpdates.activityLifetime(context, event)),
    refreshActivity: assign(({ context, event }) => addressUpdates.refreshActivity(context, event)),
    refreshAbsolute: assign(({ context, event }) => addressUpdates.refreshAbsolute(context, event)),
    grantLifetime: assign(({ context, event }) => addressUpdates.grantLifetime(context, event)),
    recordGrant: assign(({ context, event }) => addressUpdates.recordGrant(context, event)),
    applyGrant: assign(({ context, event }) => addressUpdates.applyGrant(context, event)),
    /** Effect: a BA carrying the Challenge goes to the address itself (rule 9, INV-CHALLENGE-TARGET). */
    sendChallenge: () => {},
    /** Effect: the re-check BA goes to the holder's address under the holder's SA (rule 13). */
    sendRecheck: () => {},
  },
}).createMachine({
  id: 'address',
  initial: 'absent',
  context: ({ input }) => ({
    params: input.params,
    lifetimeKind: 'absolute',
    expiresAt: 0,
    challengeEpoch: 0,
    challengeEndsAt: 0,
    grantedExpiresAt: 0,
  }),
  states: {
    absent: {
      on: {
        // §2.3.1, §3.4.2, rule 6: a new address is tentative and challenged at once.
        named: { target: 'tentative', actions: ['startChallenge', 'sendChallenge'] },
        // §2.1.1, rule 17: the address the entry was made for is active, activity-related.
        established: { target: 'active', actions: 'activityLifetime' },
      },
    },
    tentative: {
      initial: 'challenged',
      on: {
        // Rule 6 names no change for a tentative address named again; L = 0 removes it.
        unnamed: { target: 'removed' },
        flushed: { target: 'removed' },
      },
      states: {
        challenged: {
          on: {
            // §3.4.2 step 3, rule 12: a matching Response makes it active.
            response: [
              { guard: 'answersUncontested', target: '#address.active', actions: 'grantLifetime' },
              // Rule 13: a claimant that answers stays tentative until its rival's check ends.
              { guard: 'answersLatestChallenge', target: 'answered', actions: 'recordGrant' },
            ],
            // Rule 9: the Challenge lives challengeLifetimeMs; then the address goes.
            clock: { guard: 'challengeExpired', target: '#address.removed' },
          },
        },
        answered: {
          on: {
            // Rule 13: "Holder silent: … the claimant gets it active."
            won: { target: '#address.active', actions: 'applyGrant' },
          },
        },
      },
    },
    active: {
      initial: 'held',
      on: {
        // Rule 6, §2.1.4: a BU renewing an active address makes its lifetime absolute.
        named: { actions: 'refreshAbsolute' },
        // Rule 17: `addSA` reusing an entry that `send` made starts an activity lifetime afresh.
        established: { guard: 'hasActivityLifetime', actions: 'activityLifetime' },
        // Rule 4: an authenticated packet from it refreshes an activity-related lifetime.
        activity: { guard: 'hasActivityLifetime', actions: 'refreshActivity' },
        // §2.1.4: "Deprecated Address: an IP address … which has expired" (rule 16).
        clock: { guard: 'lifetimeOver', target: 'deprecated' },
        unnamed: { target: 'removed' },
        // Rule 13: a rival proved the address and this holder did not.
        displaced: { target: 'removed' },
        flushed: { target: 'removed' },
      },
      states: {
        held: {
          on: {
            // Rule 13: another entry claims it; the holder keeps it active meanwhile.
            recheck: { target: 'rechecking', actions: ['startRecheck', 'sendRecheck'] },
          },
        },
        rechecking: {
          on: {
            // Rule 12: a match keeps it active, lifetime from the Response's arrival.
            response: [
              { guard: 'answersUncontested', target: 'held', actions: 'grantLifetime' },
              // Rule 13: the holder answered; if the claimant answers too, both are flushed.
              { guard: 'answersLatestChallenge', target: 'recheckAnswered', actions: 'grantLifetime' },
            ],
            // Rule 13: "Holder silent: the holder loses the address."
            clock: { guard: 'recheckExpiredFirst', target: '#address.removed' },
          },
        },
        recheckAnswered: {
          on: {
            // Rule 13: the claimant's check ended unanswered; the holder keeps it.
            won: { target: 'held' },
          },
        },
      },
    },
    deprecated: {
      on: {
        // Rule 6, §5.3: a deprecated address named again may belong to someone else now.
        named: { target: 'tentative', actions: ['startChallenge', 'sendChallenge'] },
        // Rule 17: `addSA` for the peer of an entry that `send` made.
        established: { target: 'active', actions: 'activityLifetime' },
        // §2.1.4: kept no longer than MAXIMUM-EXPIRED-LIFETIME (INV-DEPRECATED-BOUND).
        clock: { guard: 'deprecationOver', target: 'removed' },
        unnamed: { target: 'removed' },
        flushed: { target: 'removed' },
      },
    },
    removed: { type: 'final' },
  },
});
