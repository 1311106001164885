// The host's override surface is the `Decisions` object (impl/host/decisions.ts): the mutant
// bank (properties/mutants/bank/) and the deviant test hosts replace some of its fields.
// docs/host.md documents each with its rule. This keeps the type, the reference object and
// the documentation in step, and shows that a replaced decision takes effect everywhere.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DECISION_NAMES,
  REFERENCE_DECISIONS,
  ReferenceHost,
  seededRandom,
  type Decisions,
} from '../../impl/host/index.js';
import { MUTANTS } from '../../properties/mutants/bank/index.js';
import { A1, B1, B2, HandPeer, challengesIn, claimBu, okSent, saPair } from './helpers.js';

/** The decision names docs/host.md's "Decisions" table lists, in its order. */
function documentedDecisions(): string[] {
  const text = readFileSync(new URL('../../docs/host.md', import.meta.url), 'utf8');
  const section = text.slice(text.indexOf('## Decisions'));
  const table = section.slice(0, section.indexOf('\n## ', 1));
  return [...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
}

describe('the decisions of the reference host (docs/host.md "Decisions")', () => {
  it('every_decision_is_a_function_and_docs_host_md_lists_each_once_in_order', () => {
    for (const name of DECISION_NAMES) expect(typeof REFERENCE_DECISIONS[name], name).toBe('function');
    expect(documentedDecisions()).toEqual([...DECISION_NAMES]);
  });

  it('the_reference_decisions_cannot_be_changed_in_place', () => {
    expect(Object.isFrozen(REFERENCE_DECISIONS)).toBe(true);
  });

  it('every_mutant_names_a_decision', () => {
    for (const m of MUTANTS) expect(DECISION_NAMES, m.name).toContain(m.method);
  });

  it('a_replaced_decision_changes_the_host (challengeDestination)', () => {
    const challengesTheOldAddress: Decisions = {
      ...REFERENCE_DECISIONS,
      challengeDestination: (_ctx, record) => record.entry.addresses[0].address,
    };
    const alice = new ReferenceHost(
      { localAddresses: [A1], random: seededRandom(1), nowMs: 0 },
      challengesTheOldAddress,
    );
    okSent(alice.addSA(saPair(A1, B1, 300, 400).atA, 0));
    const sent = okSent(alice.receive(claimBu(new HandPeer(300), B1, A1, 1, B2), 10));
    expect(challengesIn(sent).map((c) => c.packet.ipv6.destination)).toEqual([B1]);
  });
});
