// The world's requests whose verdict depends on Alice's state (HOST.md rules 8, 17, 24;
// docs/properties.md under INV-SEND-FAITHFUL): a stale, fractional or negative `now`, her own
// address as a peer or destination, an inbound SPI in use (refused with no effect at all);
// adding an address she has, removing one she lacks (no-ops); a second SA for an address
// (refused while it is active in an entry with an SA, an entry of its own once the expiries
// due at its `now` deprecate it); an SA once her entries are at the bound; SPIs at the ends of
// their range; and a refusal's error text.

import { describe, expect, it } from 'vitest';
import type { Host } from '../../impl/host/types.js';
import { refinesModel } from '../../properties/invariants/refines-model.js';
import { sendFaithful } from '../../properties/invariants/send-faithful.js';
import { aliceCalls } from '../../properties/invariants/trace-view.js';
import { hostFactory, referenceAlice } from '../../properties/world/alice.js';
import { strangerAddress } from '../../properties/world/addresses.js';
import { A } from '../../properties/world/describe.js';
import {
  ODD_REQUESTS,
  type Action,
  type AliceFactory,
  type OddRequest,
  type Trace,
  type WorldConfig,
} from '../../properties/world/types.js';
import { callsOf, worldConfig } from '../helpers/world.js';
import { paramsFor } from '../../properties/arbitraries/schedule.js';
import { runSchedule } from '../../properties/world/world.js';
import { createHost } from '../../impl/host/index.js';

const CONFIG = worldConfig({ seed: 7, aliceAddressCount: 2 });

function run(actions: Action[], factory: AliceFactory = referenceAlice, config: WorldConfig = CONFIG): Trace {
  return runSchedule({ config, actions }, factory).trace;
}

/** The odd requests a correct host accepts: rule 24's two no-ops, and sends to non-global peers. */
const ACCEPTED: readonly OddRequest[] = ['add-held', 'remove-lacking', 'non-global-to'];
/** Every other odd request: refused. */
const REFUSED: OddRequest[] = ODD_REQUESTS.filter((r) => !ACCEPTED.includes(r));

/** The reference with one request method replaced (`wrap` gets the original, bound). */
function withMethod<K extends keyof Host>(name: string, key: K, wrap: (original: Host[K]) => Host[K]): AliceFactory {
  return hostFactory(name, (options) => {
    const host = createHost(options);
    const original = (host[key] as (...args: unknown[]) => unknown).bind(host) as Host[K];
    return Object.assign(Object.create(host) as Host, { [key]: wrap(original) });
  });
}

describe('requests whose flaw depends on the state (HOST.md rule 24)', () => {
  for (const what of REFUSED) {
    it(`${what}_is_refused_by_the_reference_with_no_effect_and_passes_inv_send_faithful`, () => {
      const trace = run([A.advance({ ms: 1500 }), A.aliceOdd({ what: [what], pick: 1 }), A.advance({ ms: 100 })]);
      const calls = aliceCalls(trace).filter((c) => c.event.invalid === true);
      expect(calls.length).toBeGreaterThanOrEqual(1);
      for (const call of calls) {
        expect(call.event.ok, JSON.stringify(call.event.request)).toBe(false);
        expect(call.event.error).not.toBe('');
        expect(call.event.sent).toEqual([]);
        expect(call.after).toEqual(call.before);
      }
      expect(sendFaithful.check(trace).ok).toBe(true);
      expect(refinesModel.check(trace).ok).toBe(true);
    });
  }

  for (const what of ['add-held', 'remove-lacking'] as const) {
    it(`${what}_sends_nothing_and_changes_nothing_at_the_reference`, () => {
      const trace = run([A.advance({ ms: 1500 }), A.aliceOdd({ what: [what], pick: 0 }), A.advance({ ms: 100 })]);
      const [call] = aliceCalls(trace).filter((c) => c.event.noop === true);
      expect(call.event.ok).toBe(true);
      expect(call.event.sent).toEqual([]);
      expect(call.after).toEqual(call.before);
      expect(sendFaithful.check(trace).ok).toBe(true);
    });
  }

  it('non-global-to_is_accepted_and_answered_unreachable_by_the_reference_with_nothing_sent', () => {
    const trace = run([
      A.advance({ ms: 1500 }),
      A.aliceOdd({ what: ['non-global-to'], pick: 0 }),
      A.advance({ ms: 100 }),
    ]);
    const sends = callsOf(trace, 'send');
    expect(sends.map((c) => c.event.request.to)).toEqual(['fe80::db8:1', 'fec0::db8:1', '::1']);
    for (const call of sends) {
      expect(call.event.ok).toBe(true);
      expect(call.event.unreachable).toBe(true);
      expect(call.event.sent).toEqual([]);
    }
    expect(sendFaithful.check(trace).ok).toBe(true);
    expect(refinesModel.check(trace).ok).toBe(true);
  });

  it('a_host_that_refuses_a_send_to_a_link_local_site_local_or_loopback_peer_fails_inv_send_faithful', () => {
    // Rule 24 refuses only addresses of no unicast scope; these three have one (rule 5's list).
    for (const to of ['fe80::db8:1', 'fec0::db8:1', '::1']) {
      const refusesScope = withMethod(
        `refuses ${to}`,
        'send',
        (send) => (request, now) =>
          request.to === to ? { ok: false, error: 'not a global address' } : send(request, now),
      );
      const trace = run(
        [A.advance({ ms: 1500 }), A.aliceOdd({ what: ['non-global-to'], pick: 0 }), A.advance({ ms: 100 })],
        refusesScope,
      );
      const verdict = sendFaithful.check(trace);
      expect(verdict.ok, to).toBe(false);
      if (!verdict.ok) expect(verdict.reason).toContain('refused a well-formed send');
    }
  });

  it('a_host_that_announces_an_address_it_already_has_fails_inv_send_faithful', () => {
    // The broken host forgets that it has the address: it removes it, then adds it (and announces it).
    const reannounces = hostFactory('re-announces', (options) => {
      const host = createHost(options);
      const add = host.addLocalAddress.bind(host);
      const remove = host.removeLocalAddress.bind(host);
      return Object.assign(Object.create(host) as Host, {
        addLocalAddress: (address: string, now: number) => {
          remove(address, now);
          return add(address, now);
        },
      });
    });
    const verdict = sendFaithful.check(
      run([A.advance({ ms: 1500 }), A.aliceOdd({ what: ['add-held'], pick: 0 }), A.advance({ ms: 100 })], reannounces),
    );
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/which she has: that does nothing .*yet she sent/);
  });

  it('a_host_that_takes_a_stale_now_fails_inv_send_faithful', () => {
    // A host that ticks at its last accepted `now` when asked an earlier one.
    const clamps = hostFactory('clamps-now', (options) => {
      const host = createHost(options);
      let last = options.nowMs ?? 0;
      const tick = host.tick.bind(host);
      return Object.assign(Object.create(host) as Host, {
        tick: (now: number) => {
          last = Math.max(last, Math.floor(now));
          return tick(last);
        },
      });
    });
    const verdict = sendFaithful.check(
      run([A.advance({ ms: 1500 }), A.aliceOdd({ what: ['stale-tick'], pick: 0 }), A.advance({ ms: 100 })], clamps),
    );
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/accepted a malformed tick/);
  });

  it('a_refusal_without_error_text_fails_inv_send_faithful', () => {
    const silent = withMethod('silent', 'send', (send) => (request, now) => {
      const answer = send(request, now);
      return answer.ok ? answer : { ok: false, error: '' };
    });
    const actions = [A.advance({ ms: 1500 }), A.aliceOdd({ what: ['own-to'], pick: 0 }), A.advance({ ms: 100 })];
    expect(sendFaithful.check(run(actions)).ok).toBe(true);
    const verdict = sendFaithful.check(run(actions, silent));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/with no error text/);
  });
});

describe('addSA verdicts that depend on the state (HOST.md rules 8, 17)', () => {
  it('a_second_sa_for_an_active_address_is_refused_and_after_a_jump_gets_an_entry_of_its_own', () => {
    const peer = strangerAddress(3);
    for (const jump of [false, true]) {
      const trace = run([
        A.aliceAddSa({ n: 3 }),
        A.advance({ ms: 200 }),
        A.aliceAddSaAgain({ n: 3, jump }),
        A.advance({ ms: 200 }),
      ]);
      const adds = callsOf(trace, 'addSA').filter((c) => c.event.request.peer === peer);
      expect(adds.map((c) => c.event.ok)).toEqual([true, jump]);
      if (jump) {
        const after = adds[1].after;
        const holding = after?.entries.filter((e) => e.addresses.some((a) => a.address === peer)) ?? [];
        expect(holding).toHaveLength(2);
        expect(holding.every((e) => e.sa !== null)).toBe(true);
      }
      expect(refinesModel.check(trace).ok).toBe(true);
      expect(sendFaithful.check(trace).ok).toBe(true);
    }
  });

  it('an_sa_at_foreign_entries_count_max_is_refused_unless_its_address_has_an_entry', () => {
    const tight = { ...CONFIG, params: paramsFor('tight') };
    const trace = run(
      [
        ...[0, 1, 2, 3, 4].map((n) => A.aliceSendNew({ n })),
        A.aliceAddSa({ n: 5 }),
        A.aliceAddSa({ n: 0 }),
        A.advance({ ms: 200 }),
      ],
      referenceAlice,
      tight,
    );
    const adds = callsOf(trace, 'addSA').filter((c) => c.step > 0);
    expect(adds.map((c) => [c.event.request.peer, c.event.ok])).toEqual([
      [strangerAddress(5), false],
      [strangerAddress(0), true],
    ]);
    expect(refinesModel.check(trace).ok).toBe(true);
  });

  it('spis_at_the_ends_of_their_range_are_accepted', () => {
    const trace = run([A.aliceAddSa({ n: 2, edge: true }), A.advance({ ms: 200 })]);
    const [add] = aliceCalls(trace).filter((c) => c.event.op === 'addSA' && c.step > 0);
    expect(add.event.request).toMatchObject({ inboundSpi: 256, outboundSpi: 0xffffffff });
    expect(add.event.ok).toBe(true);
    expect(refinesModel.check(trace).ok).toBe(true);
  });
});
