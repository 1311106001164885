// HOST.md rule 13 with three parties, found by `hmip6 check --seed 63` (run 184, shrunk to 8
// actions). Alice's application sends to Bob's address X (2001:db8:b:1::1): an entry without SA
// holds X active (rule 17). Mallory claims X under its anonymous SA, Bob leaves X, Mallory takes
// X over and claims it again under its generic SA. Both claims are challenged; the SA-less
// holder cannot be re-checked. Mallory answers both Challenges: "both answer: both entries are
// flushed". Nobody checked OK alone, so nobody wins X, and the holder keeps it: it loses X only
// to a single claimant that answered (rule 13, docs/model.md "conflicting claims"). The model
// used to flush the two claimants one after the other and settle X in between, so that the
// second claimant briefly "won" X, displacing the holder, and was then flushed itself.

import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../impl/host/types.js';
import type { HostState } from '../../impl/host/types.js';
import { lockstep } from '../../properties/lockstep.js';
import { referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { Schedule } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { A1, B1, B2, Driver, ENGINES, M1, SPI_B, SPI_M } from './helpers.js';

const CONTESTED = '2001:db8:b:1::1';

const SCHEDULE: Schedule = {
  config: {
    seed: 26,
    params: DEFAULT_PARAMS,
    aliceAddressCount: 1,
    alg: 'hmac-sha1-96',
    carol: 'absent',
    sam: true,
    lee: false,
    mallory: 'both',
  },
  actions: [
    A.peerGain({ peer: 'bob' }),
    A.jump({ past: 'lifetime' }),
    A.aliceSend({ peer: 'bob', pick: 3, proto: 'udp' }),
    A.claim({ sa: 'anonymous', target: { kind: 'peer', peer: 'bob', pick: 1 }, form: 'alt-coa' }),
    A.peerMove({ peer: 'bob' }),
    A.peerMove({ peer: 'bob' }),
    A.takeover({ sa: 'generic', fromEnd: 0 }),
    A.advance({ ms: 6000 }),
  ],
};

/** Per entry holding `address`: whether it has an SA, and the address's status there. */
function holders(state: HostState | null | undefined, address: string): { sa: boolean; status: string }[] {
  const out: { sa: boolean; status: string }[] = [];
  for (const e of state?.entries ?? []) {
    for (const a of e.addresses) if (a.address === address) out.push({ sa: e.sa !== null, status: a.status });
  }
  return out;
}

describe('two claimants that both answer are flushed; an SA-less holder keeps the address (HOST.md rule 13, §3.4.2)', () => {
  it('model_and_host_agree_when_two_claimants_answer_against_a_holder_without_sa', () => {
    const run = runSchedule(SCHEDULE, referenceAlice);
    expect(run.crash).toBeUndefined();
    const result = lockstep(run.trace);
    expect(result.verdict.ok, JSON.stringify(result.verdict)).toBe(true);
    // Both claimants' entries are flushed; the SA-less entry still holds X active, in Alice and the model.
    const finalHost = run.trace.steps.at(-1)?.state;
    expect(holders(finalHost, CONTESTED)).toEqual([{ sa: false, status: 'active' }]);
    expect(holders(result.modelStates.at(-1), CONTESTED)).toEqual([{ sa: false, status: 'active' }]);
    // The flushed claimants keep their entries and SAs, without addresses (rule 13's departure).
    expect(finalHost?.entries.filter((e) => e.sa !== null).every((e) => e.addresses.length === 0)).toBe(true);
  });

  for (const engine of ENGINES) {
    it(`flushing_two_answered_claimants_does_not_displace_an_unchecked_holder (${engine.name})`, () => {
      // The same conflict on the model alone: Alice's send made an SA-less entry for B2; Bob
      // (SA at B1) and Mallory (SA at M1) both claim B2 and both answer their Challenges.
      const d = new Driver(engine, [A1]);
      d.addSa(0, B1, SPI_B);
      d.addSa(0, M1, SPI_M);
      expect(d.apply({ type: 'send', now: 0, to: B2 }).unreachable).toBe(false);
      d.bu(10, SPI_B, [B2], 600, true, B1);
      d.bu(10, SPI_M, [B2], 600, true, M1);
      /** Per entry holding B2, in creation order: its SA's inbound SPI (or none) and B2's state there. */
      const statuses = (): string[] =>
        d.model.entries.flatMap((e) => {
          const s = e.addresses.get(B2);
          return s === undefined ? [] : [`${e.sa === null ? 'none' : e.sa.inboundSpi}:${s.value}`];
        });
      expect(statuses()).toEqual([
        `${SPI_B}:tentative.challenged`,
        `${SPI_M}:tentative.challenged`,
        'none:active.held',
      ]);
      d.respond(20, SPI_B, B2, 1);
      // Mallory's check is still live: Bob waits, the holder keeps B2.
      expect(statuses()).toEqual([`${SPI_B}:tentative.answered`, `${SPI_M}:tentative.challenged`, 'none:active.held']);
      d.respond(30, SPI_M, B2, 1);
      // Both checked OK: both claimants' entries are flushed (their SAs stay), nobody wins B2,
      // and the holder that could not be re-checked keeps it.
      expect(statuses()).toEqual(['none:active.held']);
      expect(d.model.entries.filter((e) => e.sa !== null).map((e) => e.addresses.size)).toEqual([0, 0]);
    });
  }
});
