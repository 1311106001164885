// What the oracle demands of an implementation under test, property by property, and at
// which level (docs/oracle.md has the same table in prose).
//
// HOST.md fixes the bar: "The oracle fails an implementation only for breaking an invariant
// of DESIGN.md or a MUST of the draft; a departure from a rule here that fixes a draft SHOULD
// or MAY is reported as a warning with the rule's number." So:
//   - every invariant of DESIGN.md's table fails the IUT, whatever the level of the draft
//     sentences behind it (some rest on SHOULD or on no keyword at all: the project makes
//     them invariants, and the table says which);
//   - REFINES-MODEL, which compares the IUT's state with the model of HOST.md, and
//     REFINES-SIGNALLING, which judges how the IUT transmits its Challenges (rule 9), report a
//     departure as a warning naming the HOST.md rules involved (`--strict` fails it);
//   - the oracle's own packet checks (checks.ts) fail for a draft MUST and warn otherwise.

import type { PropertyId } from '../invariants/types.js';
import type { Feature } from '../world/types.js';

/** `invariant`: a breach fails the IUT. `host-rules`: a departure from HOST.md warns (fails with --strict). */
export type DemandLevel = 'invariant' | 'host-rules';

export interface PropertyDemand {
  id: PropertyId;
  level: DemandLevel;
  /** Features the IUT must announce for the property to be judged; without them it is skipped. */
  features: readonly Feature[];
  /** Requirement ids of requirements.tsv behind it, with the draft's level of each. */
  requirements: readonly string[];
  /** Where the draft has no keyword for it, or only SHOULD: why the project makes it an invariant. */
  basis?: string;
}

export const DEMANDS: Readonly<Record<PropertyId, PropertyDemand>> = {
  'INV-ACTIVE-VERIFIED': {
    id: 'INV-ACTIVE-VERIFIED',
    level: 'invariant',
    features: [],
    requirements: [
      'R1.4-9 MUST',
      'R2.3.1-3 MUST',
      'R2.3.1-7 MUST',
      'R2.4.1-1 MUST',
      'R3.4.2-1 MUST',
      'R3.4.2-2 MUST NOT',
    ],
  },
  'INV-DATA-TO-ACTIVE': {
    id: 'INV-DATA-TO-ACTIVE',
    level: 'invariant',
    features: [],
    requirements: ['R2.4.1-5 MUST NOT', 'R1.4-10 MAY (any active address is accepted)'],
  },
  'INV-NO-DIVERSION': {
    id: 'INV-NO-DIVERSION',
    level: 'invariant',
    features: [],
    requirements: ['R1.4-9 MUST', 'R2.4.1-1 MUST'],
    basis: '§3.4: "to make sure that connections remain to be connected to the original hosts"',
  },
  'INV-CHALLENGE-TARGET': {
    id: 'INV-CHALLENGE-TARGET',
    level: 'invariant',
    features: [],
    requirements: ['R3.4.2-6 SHOULD'],
    basis: '§3.4.2 step 1, "It is important that the challenge is actually sent to the Tentative Address" (no keyword)',
  },
  'INV-AUTH-REQUIRED': {
    id: 'INV-AUTH-REQUIRED',
    level: 'invariant',
    features: [],
    requirements: ['R1.4-7 MUST', 'R2.3.1-5 MUST', 'R2.4-3 MUST', 'R2.4.2-1 REQUIRED'],
  },
  'INV-ANON-SCOPE': {
    id: 'INV-ANON-SCOPE',
    level: 'invariant',
    features: ['anonymous-sa'],
    requirements: ['R2.4.3-1 MUST NOT', 'R3.4.1-3 MUST', 'R3.4.1-4 MUST', 'R3.4.1-2 SHOULD NOT'],
  },
  'INV-NO-STRANGER-STATE': {
    id: 'INV-NO-STRANGER-STATE',
    level: 'invariant',
    features: [],
    requirements: ['R1.4-19 SHOULD NOT', 'R2.3.4-1 SHOULD NOT'],
    basis: '§4.1: unauthenticated state is a denial-of-service lever (an invariant of docs/properties.md)',
  },
  'INV-BOUNDED': {
    id: 'INV-BOUNDED',
    level: 'invariant',
    features: [],
    requirements: [],
    basis: '§4.1 Denial-of-Service (no keyword); docs/rules.md rule 8 fixes the bounds',
  },
  'INV-AMPLIFICATION': {
    id: 'INV-AMPLIFICATION',
    level: 'invariant',
    features: [],
    requirements: [],
    basis: '§4.1 (no keyword); docs/rules.md rules 9 and 10 bound the packets sent to an unverified address',
  },
  'INV-DEPRECATED-BOUND': {
    id: 'INV-DEPRECATED-BOUND',
    level: 'invariant',
    features: [],
    requirements: ['R2.1.4-7 MUST NOT'],
  },
  'INV-UNIQUE-ACTIVE': {
    id: 'INV-UNIQUE-ACTIVE',
    level: 'invariant',
    features: [],
    requirements: ['R1.3-2 MUST', 'R3.4.2-4 RECOMMENDED'],
  },
  'INV-REPLAY': {
    id: 'INV-REPLAY',
    level: 'invariant',
    features: [],
    requirements: ['R1.4-7 MUST'],
    basis: 'BUs authenticated "as specified in MIPv6, Sec 4.4": AH with its anti-replay window (RFC 2402 §3.4.3)',
  },
  'INV-OWN-MOVE': {
    id: 'INV-OWN-MOVE',
    level: 'invariant',
    features: [],
    requirements: ['R2.1.2-8 MUST', 'R2.2.1-6 MUST', 'R2.1.2-6 SHOULD', 'R2.2.1-1 SHOULD'],
    basis:
      'the deleting BU is a MUST; the announcement a SHOULD that docs/rules.md rule 20 and the adapter protocol ("addLocalAddress: sent, BUs announcing it") fix: a host that never announces its new addresses cannot be reached once it loses its old ones',
  },
  'INV-SEND-FAITHFUL': {
    id: 'INV-SEND-FAITHFUL',
    level: 'invariant',
    features: [],
    requirements: [
      'R1.4-14 MUST',
      'R1.4-10 MAY (any active address is accepted)',
      'R1.4-13 MAY (any of her addresses is accepted)',
      'R2.2-1 RECOMMENDED (unreachable)',
    ],
    basis:
      'docs/adapter-protocol.md fixes what `send` puts on the wire (protocol, ports, payload, the echo identifier and sequence) and rules 21, 23 and 24 (docs/rules.md) where it goes and what is refused: a host that sends other data than asked, or accepts malformed requests, cannot be judged by anything else',
  },
  'INV-SOURCE-OWNED': {
    id: 'INV-SOURCE-OWNED',
    level: 'invariant',
    features: [],
    requirements: ['R1.4-13 MAY (among her addresses)', 'R1.4-14 MUST'],
    basis:
      '§1.4: the source is selected among the addresses of her Local Host Cache Entry; a packet from an address she no longer holds is spoofed, and its answers go to whoever holds the address now (docs/properties.md "Storms")',
  },
  'INV-STATE-TRUTHFUL': {
    id: 'INV-STATE-TRUTHFUL',
    level: 'invariant',
    features: ['state'],
    requirements: [],
    basis:
      'the IUT\'s word is never evidence in its own favour (docs/oracle.md, "The four verdicts"), so its `state` answer is itself judged against what the world can prove (rules 17, 19, 21 and 24, docs/rules.md); a host whose report lies would make every state-based property judge a fiction',
  },
  'INV-DELIVERY': {
    id: 'INV-DELIVERY',
    level: 'invariant',
    features: [],
    requirements: ['R2.3.1-1 MUST', 'R2.3.1-5 MUST', 'R3.4.1-4 MUST', 'R2.3.2-1 SHOULD'],
    basis:
      'rules 2, 22 and 23 (docs/rules.md) fix what the draft leaves open about delivering data (which packets, which entry, `authenticated`); docs/wire-format.md and RFC 2402 drop bad checksums, discarding unknown options and failing AH whole',
  },
  'LIVE-HONEST-MOVE': {
    id: 'LIVE-HONEST-MOVE',
    level: 'invariant',
    features: [],
    requirements: ['R1.4-2 SHOULD', 'R2.3.1-2 SHOULD', 'R3.4.2-6 SHOULD', 'R3.4.2-8 SHOULD'],
    basis:
      'a host that never activates an address keeps every safety invariant and defeats the protocol (safety alone is easy to fake: docs/oracle.md)',
  },
  'LIVE-COMPAT': {
    id: 'LIVE-COMPAT',
    level: 'invariant',
    features: ['standard-compat'],
    requirements: [
      'R2.1.2-5 MUST',
      'R2.2.2-1 MUST',
      'R2.2.2-2 MUST',
      'R2.2.2-3 MUST',
      'R2.2.3-1 MUST',
      'R2.2.3-2 MUST',
    ],
  },
  'REFINES-MODEL': {
    id: 'REFINES-MODEL',
    level: 'host-rules',
    features: ['state'],
    requirements: [],
    basis: 'docs/rules.md, which fixes what the draft leaves to SHOULD, MAY or silence',
  },
  'REFINES-SIGNALLING': {
    id: 'REFINES-SIGNALLING',
    level: 'host-rules',
    features: [],
    requirements: ['R3.4.2-6 SHOULD', 'R1.4-3 SHOULD'],
    basis:
      'docs/rules.md rule 9 (with rules 13, 16 and 17) fixes how a Challenge is sent, which the draft leaves open (§3.4.2 step 1 says only that it is sent to the tentative address): at once, retransmitted every challengeRetransmitMs up to challengeAttemptsMax times, from the address the claim arrived at, identical but for the AH sequence number; rule 10 fixes when a plain BA is owed and where it goes, rule 16 what a periodic BU is (no A bit, naming all her global addresses) and that her emulated bindings are refreshed in draft-13 form toward a standard peer, rules 14-16 with §3.2.3 that BUs to a peer proven not homeless carry no Homeless Support, rules 1, 6 and 20 that her deleting BUs delete at an honest peer',
  },
};

/**
 * The HOST.md rules a REFINES-MODEL disagreement most likely involves, from the words of its
 * reason (model/abstraction.ts `diffAbstract`, properties/lockstep.ts), or those a
 * REFINES-SIGNALLING departure cites. A hint for the report, not a verdict.
 */
export function hostRulesFor(reason: string, id: PropertyId = 'REFINES-MODEL'): number[] {
  const rules = new Set<number>();
  // REFINES-SIGNALLING's reasons cite their rules themselves ("(rule 9)", "rules 9 and 16").
  if (id === 'REFINES-SIGNALLING') {
    for (const m of reason.matchAll(/\brules? (\d+(?:(?:, | and )\d+)*)/g))
      for (const n of m[1].split(/, | and /)) rules.add(Number(n));
    if (rules.size === 0) rules.add(9);
    return [...rules].sort((a, b) => a - b);
  }
  const has = (re: RegExp): boolean => re.test(reason);
  if (has(/peerKind|homeAddress|careOfAddress/)) [15].forEach((r) => rules.add(r));
  if (has(/expiresAt|lifetime kind/)) [4, 6, 12, 16, 17, 19].forEach((r) => rules.add(r));
  if (has(/challengeOutstanding/)) [9, 13, 19].forEach((r) => rules.add(r));
  if (has(/status (tentative|active|deprecated) ≠/)) [6, 9, 12, 13, 16].forEach((r) => rules.add(r));
  if (has(/only in (Alice|model)/)) [5, 6, 8, 13, 16, 17, 18].forEach((r) => rules.add(r));
  if (has(/accepted|refused/)) [8, 17, 24].forEach((r) => rules.add(r));
  if (has(/unreachable/)) [8, 21].forEach((r) => rules.add(r));
  if (has(/^local |: local \[/)) [24].forEach((r) => rules.add(r));
  return [...rules].sort((a, b) => a - b);
}
