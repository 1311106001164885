// From abstract machine paths to world scenarios: a fixed regression scenario per transition.
//
// `scenarioPerTransition` (model/coverage.ts, derived from the machine graphs) gives, for every
// transition of both machines, the shortest sequence of *machine* events that takes it. This
// file turns each such path into a *world* scenario: a Schedule of the world's own actions
// (`A.*`), played by the world around the reference host, so that the model's event for every
// step is derived from what happened on the network, as in the random runs (REFINES-MODEL).
//
// A machine speaks of one subject: one peer entry (compatibility) or one address in one entry
// (address lifecycle). The concretizer replays the path on the machine to know which
// transition each event takes, then picks who plays the subject (the first of SUBJECTS that can
// produce every step) and maps each transition to world actions (the rules below, one per
// transition, plus one per guard outcome of GUARD_PATHS). Where a step needs context (a peer whose Initial BU is held back so that its
// Homeless Support arrives later, an address the peer gave up silently so that its re-check
// goes unanswered, a second SA for Mallory), the rule adds the preparing actions before it.
// docs/properties.md, "The regression stage", has the table in prose.

import { DEFAULT_PARAMS } from '../../impl/host/types.js';
import {
  addressMachine,
  addressUpdates,
  type AddressContext,
  type AddressEvent,
  type AddressValue,
} from '../../model/address.js';
import {
  compatMachine,
  compatUpdates,
  type CompatContext,
  type CompatEvent,
  type CompatValue,
} from '../../model/compat.js';
import { scenarioPerTransition, type TransitionScenario } from '../../model/coverage.js';
import type { MachineName } from '../../model/graph.js';
import { initialState, tableStepper, type StepOutcome } from '../../model/table.js';
import { DELAY_MS_MAX, LATENCY_MS, SETTLE_MS_MAX, TICK_MS } from '../world/constants.js';
import { A, describeAction, printable, printableSchedule } from '../world/describe.js';
import type { Action, Schedule, Target, WorldConfig } from '../world/types.js';

/** The parameters every scenario runs with: WIRE.md's defaults, as the machine paths assume. */
const PARAMS = DEFAULT_PARAMS;
/** The world's seed for every scenario (keys, SPIs, Alice's random source). */
export const REGRESSION_SEED = 4;
/** After setup, the Initial BUs and their answers settle before an address scenario starts. */
const SETUP_SETTLE_MS = 5 * LATENCY_MS;
/** Extra time after a held-back packet is due, so that it arrives after everything before it. */
const HELD_MARGIN_MS = 10 * LATENCY_MS;
/** How long a holder's re-check is held up while the claimant's check is ended (rule 13). */
const RECHECK_HOLD_MS = 500;
/** How long Alice's Response is held up while its destination changes hands (§5.3). */
const RESPONSE_HOLD_MS = 10 * LATENCY_MS;
/** A deleting BU held up past a clock jump: longer than the jump lets packets in flight arrive. */
const DELETION_HOLD_MS = SETTLE_MS_MAX + 1000;
/** Slack after an instant is due: the next tick on the 250 ms grid applies it (rule 16). */
const DUE_SLACK_MS = TICK_MS + 5;

/** Lets `hops` packets in a row cross the network (each reply sent on arrival). */
function hops(n: number): Action {
  return A.advance({ ms: n * LATENCY_MS + 5 });
}

const BOB_FIRST: Target = { kind: 'peer', peer: 'bob', pick: 0 };
/** Mallory's first address (`2001:db8:e::1`, its generic SA's) and second (`2001:db8:e::2`, its anonymous SA's). */
const MALLORY_FIRST: Target = { kind: 'own', pick: 0 };
const MALLORY_SECOND: Target = { kind: 'own', pick: 1 };
/** A third party's address nobody owns: nobody answers its Challenges. */
const VICTIM: Target = { kind: 'victim', n: 0 };

/** One abstract event of the path, what it does on the machine and the world actions that produce it. */
export interface PlannedStep {
  readonly event: { readonly type: string };
  /** The transition's id (model/table.ts), or for an event that takes none `event [guard=false]`. */
  readonly transition: string;
  /** `A.*` calls, as `describeAction` prints them. */
  readonly actions: readonly string[];
}

export interface RegressionScenario {
  readonly machine: MachineName;
  /**
   * What the scenario is for, as the coverage tracker names it: a transition
   * (`address:absent --named--> tentative`), or a guard outcome no transition scenario reaches
   * (`address:answersLatestChallenge=false`, kind `guard`).
   */
  readonly covers: string;
  readonly kind: 'transition' | 'guard';
  /** The abstract machine events (scenarioPerTransition for a transition), whose last does it. */
  readonly events: readonly { readonly type: string }[];
  /** Who plays the machine's subject (docs/properties.md, "The regression stage"). */
  readonly subject: string;
  readonly steps: readonly PlannedStep[];
  /** The world scenario: actions in order, the preparing ones included. */
  readonly schedule: Schedule;
}

/** The scenario's last event takes its transition, or evaluates its guard outcome. */
export function covered(
  scenario: RegressionScenario,
  coverage: { transitions: ReadonlySet<string>; guards: ReadonlySet<string> },
): boolean {
  return scenario.kind === 'transition'
    ? coverage.transitions.has(scenario.covers)
    : coverage.guards.has(scenario.covers);
}

export interface UnreachableTransition {
  readonly machine: MachineName;
  readonly transition: string;
  readonly events: readonly { readonly type: string }[];
  /** Why no schedule of the world's actions takes it. */
  readonly why: string;
}

export type Concretized =
  | { readonly ok: true; readonly scenario: RegressionScenario }
  | { readonly ok: false; readonly unreachable: UnreachableTransition };

/** The actions being built for one subject, with the virtual time they take. */
class Plan {
  readonly actions: Action[] = [];
  /** Virtual time since setup that the advances take (jumps are not counted: no held packet spans one). */
  elapsedMs = 0;
  malloryBoth = false;
  lee = false;
  /** A packet held back with `delay` until its step: its action's index and when it was first due. */
  held: { index: number; dueMs: number } | null = null;
  /** Bob's deleting BU is held up past a clock jump (the lifetime rule prepared it). */
  deletionHeld = false;

  add(...actions: Action[]): true {
    for (const a of actions) {
      this.actions.push(a);
      if (a.kind === 'advance') this.elapsedMs += a.ms;
    }
    return true;
  }

  /** Holds back the newest packet in flight to Alice (first due `dueMs` after setup); its step sets the delay. */
  hold(dueMs: number): void {
    this.held = { index: this.actions.length, dueMs };
    this.add(A.delay({ select: 'to-alice', fromEnd: 0, ms: 0 }));
  }

  /** The held packet's step: it arrives after everything so far. */
  release(): boolean {
    const held = this.held;
    if (held === null) return false;
    const ms = this.elapsedMs + HELD_MARGIN_MS - held.dueMs;
    if (ms > DELAY_MS_MAX)
      throw new Error(`regression: a held packet would need ${ms} ms of delay (the world allows ${DELAY_MS_MAX})`);
    this.actions[held.index] = A.delay({ select: 'to-alice', fromEnd: 0, ms });
    this.held = null;
    this.add(A.advance({ ms: held.dueMs + ms - this.elapsedMs + 5 }));
    return true;
  }

  config(): WorldConfig {
    return {
      seed: REGRESSION_SEED,
      params: { ...PARAMS },
      aliceAddressCount: 1,
      alg: 'hmac-sha1-96',
      carol: 'absent',
      sam: false,
      lee: this.lee,
      mallory: this.malloryBoth ? 'both' : 'generic',
    };
  }
}

/** One event of the path: what it does on the machine (the rules' key) and its type. */
interface PathStep {
  /** The transition's id, or for an event that takes none `event [guard=false]`. */
  readonly key: string;
  readonly event: string;
}

/** What a rule sees: the whole path (rules look ahead to prepare), the step, and the plan so far. */
interface Step<S extends string> {
  readonly subject: S;
  readonly path: readonly PathStep[];
  readonly index: number;
  readonly plan: Plan;
}

/** Adds the actions that make the step's transition happen for the subject; false when this subject cannot. */
type Rule<S extends string> = (step: Step<S>) => boolean;

function next<S extends string>(s: Step<S>): string | undefined {
  return s.path[s.index + 1]?.key;
}

// ---- The address lifecycle -----------------------------------------------------------------

/**
 * Who plays the address (in order of preference):
 * - `mallory-victim`: a third party's address in Mallory's generic entry (claimed, never answered);
 * - `bob-new`: a fresh address of Bob's in Bob's entry (he gains it and announces it);
 * - `mallory-takeover`: Bob's first address, given up by Bob with its deleting BU lost, taken
 *   over and claimed by Mallory (§5.3), while Bob's entry still holds it;
 * - `sent-to`: the first address of an entry without SA that Alice's `send` made (rule 17);
 * - `mallory-first`: Mallory's first address in its generic entry (setup's `addSA`);
 * - `bob-first`: Bob's first address in Bob's entry (setup's `addSA`).
 */
const ADDRESS_SUBJECTS = [
  'mallory-victim',
  'bob-new',
  'mallory-takeover',
  'sent-to',
  'mallory-first',
  'bob-first',
] as const;
type AddressSubject = (typeof ADDRESS_SUBJECTS)[number];
type AddressRule = Rule<AddressSubject>;

/**
 * Mallory's two SAs claim one address (its anonymous SA names the address its generic entry
 * holds) and Mallory answers both Challenges: both entries are flushed (rule 13).
 */
function flushMalloryEntries(plan: Plan, address: Target): true {
  plan.malloryBoth = true;
  return plan.add(A.claim({ sa: 'anonymous', target: address, form: 'alt-coa' }), hops(3));
}

/** Bob gives up his first address; the deleting BU is lost; Mallory takes it over and claims it (§5.3). */
function takeOverBobFirst(plan: Plan): true {
  return plan.add(
    A.peerMove({ peer: 'bob' }),
    A.lose({ select: 'bu', fromEnd: 0 }),
    A.takeover({ sa: 'generic', fromEnd: 0 }),
    hops(1),
  );
}

const ADDRESS_RULES: Readonly<Record<string, AddressRule>> = {
  'absent --named--> tentative': (s) => {
    const { plan } = s;
    switch (s.subject) {
      case 'mallory-victim':
        return plan.add(A.claim({ sa: 'generic', target: VICTIM, form: 'alt-coa' }), hops(1));
      case 'bob-new':
        plan.add(A.peerGain({ peer: 'bob' }), hops(1));
        // Bob answers at once; withdrawing the address first needs his Challenge lost.
        if (next(s) === 'tentative --unnamed--> removed') plan.add(A.lose({ select: 'challenge', fromEnd: 0 }));
        return true;
      case 'mallory-takeover':
        return takeOverBobFirst(plan);
      default:
        return false;
    }
  },
  'absent --established--> active': (s) => {
    const { plan } = s;
    switch (s.subject) {
      case 'sent-to':
        // Displaced later: Alice sends to Bob's new address while it is tentative in his
        // entry (rule 21 makes an entry for it), and Bob's answer then wins it (rule 13).
        if (s.path.some((t) => t.key === 'active --displaced--> removed')) {
          return plan.add(A.peerGain({ peer: 'bob' }), hops(1), A.aliceSend({ peer: 'bob', pick: 1, proto: 'udp' }));
        }
        return plan.add(A.aliceSendNew({ n: 0 }), hops(1));
      case 'mallory-first':
      case 'bob-first':
        return true; // setup's addSA (rule 17)
      default:
        return false;
    }
  },
  'tentative --unnamed--> removed': (s) =>
    s.subject === 'bob-new' && s.plan.add(A.peerLose({ peer: 'bob', pick: 1 }), hops(1)),
  'tentative --flushed--> removed': (s) => s.subject === 'mallory-victim' && flushMalloryEntries(s.plan, MALLORY_FIRST),
  'tentative.challenged --response [answersUncontested]--> active': (s) =>
    s.subject === 'bob-new' && s.plan.add(hops(2)),
  'tentative.challenged --response [answersLatestChallenge]--> tentative.answered': (s) =>
    s.subject === 'mallory-takeover' && s.plan.add(hops(2)),
  'tentative.challenged --clock [challengeExpired]--> removed': (s) =>
    s.subject === 'mallory-victim' && s.plan.add(A.advance({ ms: PARAMS.challengeLifetimeMs + DUE_SLACK_MS })),
  // A forged Response (Mallory's random value): it answers no Challenge (GUARD_PATHS).
  'response [answersLatestChallenge=false]': (s) =>
    s.subject === 'mallory-victim' && s.plan.add(A.forgeResponse({ target: VICTIM, under: 'generic' }), hops(1)),
  'tentative.answered --won--> active': (s) =>
    s.subject === 'mallory-takeover' && s.plan.add(A.advance({ ms: PARAMS.challengeLifetimeMs + DUE_SLACK_MS })),
  'active --named--> active': (s) =>
    s.subject === 'mallory-first' &&
    s.plan.add(A.claim({ sa: 'generic', target: MALLORY_FIRST, form: 'alt-coa' }), hops(1)),
  'active --activity [hasActivityLifetime]--> active': (s) =>
    // A claim on a third party's address comes from Mallory's first address: activity (rule 4).
    s.subject === 'mallory-first' && s.plan.add(A.claim({ sa: 'generic', target: VICTIM, form: 'alt-coa' }), hops(1)),
  'active --clock [lifetimeOver]--> deprecated': (s) => {
    const { plan } = s;
    if (s.subject === 'bob-first' && next(s) === 'deprecated --unnamed--> removed') {
      // After a jump neither side has an active address of the other to send to; so Bob gains a
      // second address, verifies it, and gives up his first with a deleting BU held up past the jump.
      plan.add(
        A.peerGain({ peer: 'bob' }),
        hops(3),
        A.peerLose({ peer: 'bob', pick: 0 }),
        A.delay({ select: 'bu', fromEnd: 0, ms: DELETION_HOLD_MS }),
      );
      plan.deletionHeld = true;
    }
    // The world's `expired` jump (maximumExpiredLifetimeSeconds, 1800 s) passes every lifetime
    // here (600 s: defaultLifetimeSeconds, and every BU's) but not the 600 + 1800 s after which
    // an expired address is removed; its `lifetime` jump (3600 s) would pass both.
    return plan.add(A.jump({ past: 'expired' }));
  },
  'active --unnamed--> removed': (s) => s.subject === 'bob-first' && s.plan.add(A.peerMove({ peer: 'bob' }), hops(1)),
  'active --displaced--> removed': (s) => s.subject === 'sent-to' && s.plan.add(hops(2)),
  'active --flushed--> removed': (s) => s.subject === 'mallory-first' && flushMalloryEntries(s.plan, MALLORY_FIRST),
  'active.held --recheck--> active.rechecking': (s) => {
    const { plan } = s;
    if (s.subject !== 'bob-first') return false;
    switch (next(s)) {
      case 'active.rechecking --response [answersUncontested]--> active.held':
        // The holder's answer must come after the claimant's check ended: Mallory claims
        // under its anonymous SA, and the Challenges (Bob's re-check among them) are held up.
        plan.malloryBoth = true;
        return plan.add(
          A.claim({ sa: 'anonymous', target: BOB_FIRST, form: 'alt-coa' }),
          hops(1),
          A.delay({ select: 'challenge', fromEnd: 0, ms: RECHECK_HOLD_MS }),
          A.delay({ select: 'challenge', fromEnd: 1, ms: RECHECK_HOLD_MS }),
        );
      case 'active.rechecking --clock [recheckExpiredFirst]--> removed':
        // The holder stays silent: Bob has given the address up (§5.3).
        return takeOverBobFirst(plan);
      default:
        return plan.add(A.claim({ sa: 'generic', target: BOB_FIRST, form: 'alt-coa' }), hops(1));
    }
  },
  'active.rechecking --response [answersUncontested]--> active.held': (s) =>
    // Mallory's entries flush each other (both answer for Mallory's first address), which ends
    // the anonymous SA's claim on Bob's address; then Bob's held-up re-check reaches him.
    s.subject === 'bob-first' &&
    flushMalloryEntries(s.plan, MALLORY_FIRST) &&
    s.plan.add(A.advance({ ms: RECHECK_HOLD_MS }), hops(2)),
  'active.rechecking --response [answersLatestChallenge]--> active.recheckAnswered': (s) =>
    s.subject === 'bob-first' && s.plan.add(hops(2)),
  'active.rechecking --clock [recheckExpiredFirst]--> removed': (s) =>
    s.subject === 'bob-first' && s.plan.add(A.advance({ ms: PARAMS.challengeLifetimeMs + DUE_SLACK_MS })),
  'active.recheckAnswered --won--> active.held': (s) =>
    s.subject === 'bob-first' && s.plan.add(A.advance({ ms: PARAMS.challengeLifetimeMs + DUE_SLACK_MS })),
  // Alice establishes an SA with the stranger her send made an entry for (rule 17): the SA
  // joins that entry, and the address, active or deprecated, is active with a fresh
  // activity-related lifetime.
  'active --established [hasActivityLifetime]--> active': (s) =>
    s.subject === 'sent-to' && s.plan.add(A.aliceAddSa({ n: 0 }), hops(1)),
  'deprecated --established--> active': (s) => s.subject === 'sent-to' && s.plan.add(A.aliceAddSa({ n: 0 }), hops(1)),
  'deprecated --named--> tentative': (s) =>
    s.subject === 'mallory-first' &&
    s.plan.add(A.claim({ sa: 'generic', target: MALLORY_FIRST, form: 'alt-coa' }), hops(1)),
  'deprecated --clock [deprecationOver]--> removed': (s) => s.plan.add(A.jump({ past: 'expired' })),
  'deprecated --unnamed--> removed': (s) => s.subject === 'bob-first' && s.plan.deletionHeld && s.plan.add(hops(1)),
  'deprecated --flushed--> removed': (s) => {
    if (s.subject !== 'mallory-first') return false;
    // Mallory's generic SA claims its second address (deprecated in the anonymous entry, which
    // is no conflict) and verifies it; then the anonymous SA claims it back: both answer.
    s.plan.malloryBoth = true;
    return (
      s.plan.add(A.claim({ sa: 'generic', target: MALLORY_SECOND, form: 'alt-coa' }), hops(3)) &&
      flushMalloryEntries(s.plan, MALLORY_SECOND)
    );
  },
};

// ---- Compatibility ---------------------------------------------------------------------------

/**
 * Who plays the peer (in order of preference):
 * - `mallory`: Mallory's generic entry (its claims are BUs without Homeless Support);
 * - `lee`: Lee, the legacy host, whose Parameter Problem answers Alice's Initial BU;
 * - `bob`: Bob, whose Initial BU carries Homeless Support (held back when something must happen first).
 */
const COMPAT_SUBJECTS = ['mallory', 'lee', 'bob'] as const;
type CompatSubject = (typeof COMPAT_SUBJECTS)[number];
type CompatRule = Rule<CompatSubject>;

/** Bob's Initial BU is in flight from setup and first due one latency later. */
const BOB_INITIAL_BU_DUE_MS = LATENCY_MS;
/** Lee's Parameter Problem is sent when Alice's Initial BU reaches it, and due one latency later. */
const LEE_PARAMETER_PROBLEM_DUE_MS = 2 * LATENCY_MS;

/** The subject's own signal, held back from the start when anything but setup comes before it. */
function holdSignal(plan: Plan, subject: CompatSubject, path: readonly PathStep[]): void {
  const signal = subject === 'bob' ? 'homelessSupport' : subject === 'lee' ? 'parameterProblem' : null;
  const at = path.findIndex((t) => t.event === signal);
  if (signal === null || at < 0 || path.slice(0, at).every((t) => t.event === 'initialBuSent')) return;
  if (subject === 'lee') {
    plan.add(hops(1)); // Alice's Initial BU reaches Lee, whose Parameter Problem is now in flight
    plan.hold(LEE_PARAMETER_PROBLEM_DUE_MS);
  } else {
    plan.hold(BOB_INITIAL_BU_DUE_MS);
  }
}

/** The subject's signal arrives: released if held, else it just crosses the network. */
function signal(plan: Plan): boolean {
  return plan.held !== null ? plan.release() : plan.add(hops(2));
}

/**
 * Bob's entry gets an ICMPv6 Parameter Problem quoting a packet Alice sent under his SA.
 * Mallory can only quote what reached an address it owns, and its Parameter Problem points at
 * the first option after the IPv6 header: a BU there is a Mobile IPv6 option (a BA sits one
 * byte later, after Pad1). Alice's Response BUs have no HAO (rule 11), so: Alice gains an
 * address and announces it (rule 20), Bob challenges it from his first address, Alice's Response
 * is held up while Bob gives that address up (his BUs of the move lost, so that Alice hears no
 * Homeless Support) and Mallory takes it over (its claim lost: no re-check). The Response then
 * reaches Mallory, which quotes it.
 */
function bobParameterProblem(plan: Plan): true {
  return plan.add(
    hops(2), // the Initial BUs are exchanged (Bob's own held back)
    A.aliceGain(),
    hops(2),
    A.delay({ select: 'response', fromEnd: 0, ms: RESPONSE_HOLD_MS }),
    A.peerMove({ peer: 'bob' }),
    A.lose({ select: 'bu', fromEnd: 0 }),
    A.lose({ select: 'bu', fromEnd: 0 }),
    A.takeover({ sa: 'generic', fromEnd: 0 }),
    A.lose({ select: 'bu', fromEnd: 0 }),
    A.advance({ ms: RESPONSE_HOLD_MS }),
    hops(1),
    A.paramProblem({ fromEnd: 0 }),
    hops(1),
  );
}

const COMPAT_RULES: Readonly<Record<string, CompatRule>> = {
  'unknown --initialBuSent--> unknown': () => true, // setup's addSA (rule 14)
  'unknown --homelessSupport--> homeless': (s) => s.subject === 'bob' && signal(s.plan),
  'standard --homelessSupport--> homeless': (s) => s.subject === 'bob' && signal(s.plan),
  'standard-mobile --homelessSupport--> homeless': (s) => s.subject === 'bob' && signal(s.plan),
  'legacy --homelessSupport--> homeless': (s) => s.subject === 'bob' && signal(s.plan),
  'unknown --mobileSignal--> standard-mobile': (s) => mobileSignal(s),
  'standard --mobileSignal--> standard-mobile': (s) => mobileSignal(s),
  'standard-mobile --mobileSignal--> standard-mobile': (s) => mobileSignal(s),
  'unknown --clock [probeExpired]--> standard': (s) =>
    // Silence for compatProbeTimeoutMs after the Initial BU (rule 15): Lee and Bob only with their signal held.
    (s.subject === 'mallory' || s.plan.held !== null) &&
    s.plan.add(A.advance({ ms: PARAMS.compatProbeTimeoutMs + DUE_SLACK_MS })),
  'unknown --parameterProblem [rejectsMobileOptions]--> legacy': (s) => parameterProblem(s),
  // Mallory quotes Alice's Initial BU byte for byte, pointing at its HAO, but with a code other
  // than 2 (rule 15 reads only code 2 as "the option is not recognized"; GUARD_PATHS).
  'parameterProblem [rejectsMobileOptions=false]': (s) =>
    s.subject === 'mallory' && s.plan.add(hops(1), A.paramProblem({ fromEnd: 0, form: 'code' }), hops(1)),
  'standard --parameterProblem [rejectsMobileOptions]--> legacy': (s) => parameterProblem(s),
};

function mobileSignal(s: Step<CompatSubject>): boolean {
  // Mallory: a claim, a BU without Homeless Support. Bob: his Response to a re-check (rule 12
  // forbids other sub-options), provoked by Mallory's claim on his first address.
  if (s.subject === 'mallory') return s.plan.add(A.claim({ sa: 'generic', target: VICTIM, form: 'alt-coa' }), hops(1));
  if (s.subject === 'bob') return s.plan.add(A.claim({ sa: 'generic', target: BOB_FIRST, form: 'alt-coa' }), hops(3));
  return false;
}

function parameterProblem(s: Step<CompatSubject>): boolean {
  if (s.subject === 'lee') return signal(s.plan);
  if (s.subject === 'bob') return bobParameterProblem(s.plan);
  return false;
}

// ---- Both machines ---------------------------------------------------------------------------

/** What each event of the path does, replayed on the machine from its initial state. */
function replay(machine: MachineName, events: readonly { type: string }[]): StepOutcome<string, unknown>[] {
  const out: StepOutcome<string, unknown>[] = [];
  if (machine === 'address') {
    const stepper = tableStepper<AddressValue, AddressContext, AddressEvent>(addressMachine, addressUpdates);
    let state = initialState<AddressValue, AddressContext>(addressMachine, { params: PARAMS });
    for (const e of events as readonly AddressEvent[]) {
      const r = stepper.step(state, e);
      out.push(r);
      state = r.state;
    }
  } else {
    const stepper = tableStepper<CompatValue, CompatContext, CompatEvent>(compatMachine, compatUpdates);
    let state = initialState<CompatValue, CompatContext>(compatMachine, { params: PARAMS });
    for (const e of events as readonly CompatEvent[]) {
      const r = stepper.step(state, e);
      out.push(r);
      state = r.state;
    }
  }
  return out;
}

/** The plan for one subject, or null when a step has no rule for it. */
function tryPlan<S extends string>(
  subject: S,
  path: readonly PathStep[],
  events: readonly { type: string }[],
  rules: Readonly<Record<string, Rule<S>>>,
  prologue: (plan: Plan) => void,
): { plan: Plan; steps: PlannedStep[] } | null {
  const plan = new Plan();
  prologue(plan);
  const starts: number[] = [];
  for (let index = 0; index < path.length; index++) {
    const rule = rules[path[index].key];
    starts.push(index === 0 ? 0 : plan.actions.length);
    if (rule === undefined || !rule({ subject, path, index, plan })) return null;
  }
  if (plan.held !== null) return null;
  // Labelled only now: releasing a held packet rewrites its earlier delay.
  const steps = path.map((t, i) => ({
    event: events[i],
    transition: t.key,
    actions: plan.actions.slice(starts[i], starts[i + 1] ?? plan.actions.length).map((a) => `A.${describeAction(a)}`),
  }));
  return { plan, steps };
}

/** The world scenario for an abstract path; null when no subject has a rule for every step. */
function planScenario(
  machine: MachineName,
  kind: RegressionScenario['kind'],
  covers: string,
  events: readonly { type: string }[],
  path: readonly PathStep[],
): RegressionScenario | null {
  const subjects: readonly string[] = machine === 'address' ? ADDRESS_SUBJECTS : COMPAT_SUBJECTS;
  for (const subject of subjects) {
    const planned =
      machine === 'address'
        ? tryPlan(subject as AddressSubject, path, events, ADDRESS_RULES, (p) =>
            p.add(A.advance({ ms: SETUP_SETTLE_MS })),
          )
        : tryPlan(subject as CompatSubject, path, events, COMPAT_RULES, (p) => {
            if (subject === 'lee') p.lee = true;
            holdSignal(p, subject as CompatSubject, path);
          });
    if (planned === null) continue;
    const schedule = printableSchedule({ config: planned.plan.config(), actions: planned.plan.actions.map(printable) });
    return { machine, kind, covers, events, subject, steps: planned.steps, schedule };
  }
  return null;
}

/** The world scenario for one transition's abstract path, or why there is none. */
export function concretize(machine: MachineName, scenario: TransitionScenario<{ type: string }>): Concretized {
  const transition = `${machine}:${scenario.transition}`;
  const events = scenario.events;
  const path = replay(machine, events).map((r, i): PathStep => {
    if (r.taken === null)
      throw new Error(`regression: event ${JSON.stringify(events[i])} of ${transition} takes no transition`);
    return { key: r.taken.id, event: r.taken.event };
  });
  const scenarioFound = planScenario(machine, 'transition', transition, events, path);
  if (scenarioFound !== null) return { ok: true, scenario: scenarioFound };
  return {
    ok: false,
    unreachable: { machine, transition, events, why: 'no rule of properties/regression/concretize.ts produces it' },
  };
}

/**
 * Guard outcomes the transition scenarios do not reach in the world. A guard that says no takes
 * no transition, so no path of scenarioPerTransition ends in it; most false outcomes happen
 * along the way (a clock step before its deadline), these two do not. Each gets an abstract
 * path whose last event evaluates the guard to false (checked on the machine), concretized
 * like the others; test/model/regression.test.ts checks that the stage reaches every outcome.
 */
const GUARD_PATHS: readonly { machine: MachineName; guard: string; events: readonly (AddressEvent | CompatEvent)[] }[] =
  [
    {
      // A forged Response (§3.4.2): it answers no Challenge Alice sent.
      machine: 'address',
      guard: 'answersLatestChallenge',
      events: [
        { type: 'named', now: 1000, lifetimeSeconds: PARAMS.defaultLifetimeSeconds, epoch: 1 },
        {
          type: 'response',
          now: 2000,
          answers: 'forged',
          lifetimeSeconds: PARAMS.defaultLifetimeSeconds,
          contested: false,
        },
      ],
    },
    {
      // A Parameter Problem that points at no Mobile IPv6 option (rule 15).
      machine: 'compat',
      guard: 'rejectsMobileOptions',
      events: [
        { type: 'initialBuSent', now: 1000 },
        { type: 'parameterProblem', code: 2, aboutMobilityOption: false, quotesAlice: true },
      ],
    },
  ];

/** The world scenario for a guard's false outcome (GUARD_PATHS). */
function concretizeGuard(machine: MachineName, guard: string, events: readonly { type: string }[]): RegressionScenario {
  const covers = `${machine}:${guard}=false`;
  const outcomes = replay(machine, events);
  const last = outcomes[outcomes.length - 1];
  if (last === undefined || last.taken !== null || !last.guards.some((g) => g.guard === guard && !g.value))
    throw new Error(`regression: the path for ${covers} does not end in that outcome`);
  const path = outcomes.map((r, i): PathStep => ({
    key: r.taken?.id ?? `${events[i].type} [${guard}=false]`,
    event: events[i].type,
  }));
  const found = planScenario(machine, 'guard', covers, events, path);
  if (found === null) throw new Error(`regression: no rule produces ${covers}`);
  return found;
}

export interface RegressionPlan {
  /**
   * One scenario per transition the world can take, both machines, in definition order; then
   * one per guard outcome the transition scenarios leave out (GUARD_PATHS).
   */
  readonly scenarios: readonly RegressionScenario[];
  readonly unreachable: readonly UnreachableTransition[];
  /** Transitions of both machines (the coverage universe's count). */
  readonly transitions: number;
}

let cached: RegressionPlan | null = null;

/** Every transition of both machines, and the guard outcomes of GUARD_PATHS, concretized (computed once). */
export function regressionPlan(): RegressionPlan {
  if (cached !== null) return cached;
  const scenarios: RegressionScenario[] = [];
  const unreachable: UnreachableTransition[] = [];
  const all: [MachineName, TransitionScenario<{ type: string }>[]][] = [
    ['address', scenarioPerTransition(addressMachine)],
    ['compat', scenarioPerTransition(compatMachine)],
  ];
  let transitions = 0;
  for (const [machine, list] of all) {
    for (const s of list) {
      transitions += 1;
      const c = concretize(machine, s);
      if (c.ok) scenarios.push(c.scenario);
      else unreachable.push(c.unreachable);
    }
  }
  for (const g of GUARD_PATHS) scenarios.push(concretizeGuard(g.machine, g.guard, g.events));
  cached = { scenarios, unreachable, transitions };
  return cached;
}
