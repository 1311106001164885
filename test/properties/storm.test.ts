// Storms (DESIGN.md "Evidence and verdicts"): nothing Alice does makes a run unbounded. The world
// plays at most STEP_DELIVERIES_MAX deliveries in one step and holds at most
// IN_FLIGHT_PACKETS_MAX packets in flight; past either bound the step ends there, the run
// stops, and INV-AMPLIFICATION fails at that step, with or without Alice's state. A packet Alice
// sends to herself reaches her at once (loopback), so a host that answers its own packets
// storms within one instant. The check stops at the first storm, and does not shrink it.

import { describe, expect, it } from 'vitest';
import type { Delivered, Host } from '../../impl/host/types.js';
import { amplification } from '../../properties/invariants/amplification.js';
import { runCheck } from '../../properties/runner.js';
import { nodeAddress } from '../../properties/world/addresses.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import { IN_FLIGHT_PACKETS_MAX, STEP_DELIVERIES_MAX } from '../../properties/world/constants.js';
import { A } from '../../properties/world/describe.js';
import type { Action, AliceFactory, Feature } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { addressToBytes } from '../../impl/wire/index.js';
import { worldConfig } from '../helpers/world.js';

const CONFIG = worldConfig();
/** Bob's Initial BU reaches Alice in the first step; the rest must never be played. */
const ACTIONS: Action[] = [
  A.advance({ ms: 100 }),
  A.advance({ ms: 100 }),
  A.peerSend({ peer: 'bob' }),
  A.advance({ ms: 100 }),
];

/** An Alice whose `receive` answers with `answer(packet)`, and who does nothing else. */
function alice(
  name: string,
  answer: (packet: Uint8Array) => { sent: Uint8Array[]; delivered: Delivered[] },
  features: readonly Feature[] = [],
): AliceFactory {
  const quiet = () => ({ ok: true as const, sent: [] });
  return {
    name,
    features,
    create: (): Host => ({
      addSA: quiet,
      receive: (packet: Uint8Array) => ({ ok: true, ...answer(packet) }),
      tick: quiet,
      send: quiet,
      addLocalAddress: quiet,
      removeLocalAddress: quiet,
      snapshot: () => ({ entries: [], local: [] }),
    }),
  };
}

const echo = alice('echo', (packet) => ({ sent: [packet], delivered: [] }));

/** A minimal IPv6 header with no payload, to `to`: the world drops it, as nobody owns it. */
function headerTo(to: string): Uint8Array {
  const bytes = new Uint8Array(40);
  bytes[0] = 0x60;
  bytes[6] = 59;
  bytes[7] = 64;
  bytes.set(addressToBytes(to), 24);
  return bytes;
}

describe('the storm bounds', () => {
  it('a_host_that_echoes_every_packet_to_itself_storms_at_the_first_delivery_and_the_run_stops_there', () => {
    const { trace } = runSchedule({ config: CONFIG, actions: ACTIONS }, echo);
    expect(trace.steps).toHaveLength(2);
    const storm = trace.steps[1].storm;
    expect(storm?.bound).toBe('deliveries');
    expect(storm?.deliveries).toBe(STEP_DELIVERIES_MAX);
    expect(storm?.limit).toBe(STEP_DELIVERIES_MAX);
    // Loopback: the whole loop runs within the instant Bob's BU arrived.
    expect(storm?.at).toBe(trace.steps[1].startMs + 10);
    const delivered = trace.steps[1].events.filter((e) => e.kind === 'deliver').length;
    expect(delivered).toBe(STEP_DELIVERIES_MAX);
    expect(trace.steps[1].events.some((e) => e.kind === 'note' && e.text.startsWith('storm:'))).toBe(true);
  });

  it('the_storm_fails_inv_amplification_at_its_step_in_black_box_mode_too', () => {
    expect(amplification.needs).toBe('black-box');
    for (const features of [[], ['state']] as Feature[][]) {
      const { trace } = runSchedule(
        { config: CONFIG, actions: ACTIONS },
        alice('echo', (packet) => ({ sent: [packet], delivered: [] }), features),
      );
      const verdict = amplification.check(trace);
      expect(verdict.ok, features.join()).toBe(false);
      if (verdict.ok) continue;
      expect(verdict.step).toBe(1);
      expect(verdict.reason).toMatch(
        /^a packet storm in step 1 \(advance\(\{"ms":100\}\)\): the world stopped at \d+ past 10000 deliveries in one step/,
      );
      expect(verdict.reason).toMatch(/10000 of them to 2001:db8:a::1, Alice's own address/);
    }
  });

  it('one_answer_with_more_packets_than_may_be_in_flight_is_a_storm', () => {
    const nobody = headerTo(nodeAddress('bob', 7));
    const { trace } = runSchedule(
      { config: CONFIG, actions: ACTIONS },
      alice('spray', () => ({ sent: Array.from({ length: IN_FLIGHT_PACKETS_MAX + 1 }, () => nobody), delivered: [] })),
    );
    const storm = trace.steps.at(-1)?.storm;
    expect(storm?.bound).toBe('in-flight');
    expect(storm?.inFlight).toBe(IN_FLIGHT_PACKETS_MAX + 1);
    expect(storm?.aliceSent).toBe(IN_FLIGHT_PACKETS_MAX + 1);
    const verdict = amplification.check(trace);
    expect(!verdict.ok && verdict.reason).toMatch(/past 10000 packets in flight at once/);
  });

  it('items_alice_delivers_count_as_deliveries', () => {
    const item: Delivered = { entry: null, proto: 'udp', payload: new Uint8Array(1), authenticated: false };
    const { trace } = runSchedule(
      { config: CONFIG, actions: ACTIONS },
      alice('deliver-all', () => ({
        sent: [],
        delivered: Array.from({ length: STEP_DELIVERIES_MAX + 1 }, () => item),
      })),
    );
    expect(trace.steps.at(-1)?.storm?.bound).toBe('deliveries');
    expect(trace.steps).toHaveLength(2);
  });

  it('the_reference_host_never_comes_near_either_bound', async () => {
    const report = await runCheck({
      seed: 4,
      numRuns: 20,
      alice: blackBox(referenceAlice),
      properties: ['INV-AMPLIFICATION'],
    });
    expect(report.stormRun).toBeUndefined();
    expect(report.properties[0].verdict, report.properties[0].reason).toBe('pass');
  });

  it('the_check_stops_at_the_first_storm_and_its_counterexample_is_the_run_up_to_it', async () => {
    const report = await runCheck({
      seed: 3,
      numRuns: 50,
      alice: echo,
      schedule: { features: [] },
      properties: ['INV-AMPLIFICATION'],
    });
    expect(report.verdict).toBe('fail');
    expect(report.stormRun).toBe(0);
    expect(report.runs).toBe(1);
    expect(report.interrupted).toBe(true);
    const p = report.properties[0];
    expect(p.failingRun).toBe(0);
    const cx = p.counterexample;
    expect(cx?.failingStep).toBe((cx?.steps.length ?? 0) - 1);
    expect(cx?.actions).toHaveLength(cx?.failingStep ?? -1);
  });
});
