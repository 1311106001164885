// INV-SEND-FAITHFUL and INV-SOURCE-OWNED (docs/properties.md), and the world's malformed
// requests (HOST.md rule 24, DESIGN.md "Probes"): what the world draws is refused by the
// reference in process and over the adapter protocol, reaches an external implementation as
// the protocol's JSON, and each property fails on the bug it is there for.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdapterSession, type AdapterAnswer } from '../../impl/host/adapter.js';
import { seededRandom } from '../../impl/host/index.js';
import { AdapterAlice } from '../../properties/adapter/alice.js';
import { EDGE_REQUESTS, invalidRequestArbitrary } from '../../properties/arbitraries/invalid.js';
import { sendFaithful } from '../../properties/invariants/send-faithful.js';
import { sourceOwned } from '../../properties/invariants/source-owned.js';
import { aliceCalls } from '../../properties/invariants/trace-view.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import { START_MS } from '../../properties/world/constants.js';
import { A } from '../../properties/world/describe.js';
import type { Action, InvalidRequest, Trace } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { sendIgnoresPorts } from '../../properties/mutants/bank/send-ignores-ports.js';
import { sendsFromLostAddress } from '../../properties/mutants/bank/sends-from-lost-address.js';
import { unknownProtoSentAsEcho } from '../../properties/mutants/bank/unknown-proto-sent-as-echo.js';
import { PROJECT_ROOT } from '../oracle/support.js';
import { worldConfig } from '../helpers/world.js';

const SEED = Number(process.env.HMIP6_SEED ?? 20_261_127);
const CONFIG = worldConfig({ seed: 7 });
const BOB = '2001:db8:b::1';

function run(actions: Action[], factory = referenceAlice): Trace {
  return runSchedule({ config: CONFIG, actions }, factory).trace;
}

/** Alice's calls the world made malformed. */
function invalidCalls(trace: Trace) {
  return aliceCalls(trace).filter((c) => c.event.invalid === true);
}

describe('malformed requests (HOST.md rule 24)', () => {
  it('every_malformed_request_the_world_draws_is_refused_by_the_reference_in_process_and_over_the_adapter', () => {
    const requests = fc.sample(invalidRequestArbitrary, { numRuns: 200, seed: SEED });
    const types = new Set(requests.map((r) => r.type));
    expect([...types].sort()).toEqual(['addLocalAddress', 'addSA', 'receive', 'removeLocalAddress', 'send']);
    // And the requests at the edges of the ranges, which the world's `edges` asks all at once.
    for (const request of [...requests, ...EDGE_REQUESTS]) {
      const trace = run([A.invalid({ request }), A.advance({ ms: 100 })]);
      const [call] = invalidCalls(trace);
      expect(call?.event.ok, JSON.stringify(request)).toBe(false);
      expect(call.event.sent).toEqual([]);
      // The state after a refusal is the state before it.
      expect(call.after).toEqual(call.before);
      expect(sendFaithful.check(trace)).toEqual({ ok: true, judged: 1 });
      // The reference's own adapter reads the same JSON and refuses it too.
      const session = new AdapterSession({ randomFactory: (seed) => seededRandom(seed ?? 0) });
      const ask = (line: object): AdapterAnswer =>
        JSON.parse(session.handleLine(JSON.stringify(line))) as AdapterAnswer;
      expect(
        ask({ id: 1, type: 'reset', now: START_MS, config: { localAddresses: ['2001:db8:a::1'], seed: 1 } }).ok,
      ).toBe(true);
      expect(ask({ id: 2, now: START_MS, ...request }), JSON.stringify(request)).toMatchObject({ id: 2, ok: false });
    }
  });

  it('a_malformed_request_reaches_an_external_implementation_as_the_protocols_json', () => {
    const requests: InvalidRequest[] = [
      { type: 'send', to: BOB, proto: 'udp', payload: 'zz', sport: 70000 },
      {
        type: 'addSA',
        sa: {
          peer: '2001:db8:7::1',
          inboundSpi: 12,
          outboundSpi: 0x200001,
          alg: 'hmac-md5-96',
          key: 'zz',
          kind: 'static',
        },
      },
      { type: 'addLocalAddress', address: 'not-an-address' },
    ];
    const alice = AdapterAlice.start({
      command: 'node cli/bin.mjs serve-reference --trace',
      cwd: PROJECT_ROOT,
      stderrLinesMax: 5000,
      startupTimeoutMs: 60_000,
    });
    let tail: string[] = [];
    try {
      const trace = runSchedule(
        { config: CONFIG, actions: requests.map((request) => A.invalid({ request })) },
        alice,
      ).trace;
      expect(invalidCalls(trace).map((c) => c.event.ok)).toEqual([false, false, false]);
      expect(sendFaithful.check(trace).ok).toBe(true);
    } finally {
      tail = alice.close();
    }
    // serve-reference --trace copies each request line it read to stderr ("> {...}"); the
    // tail keeps short lines whole (a long `receive` may be cut, and is not ours).
    const read: unknown[] = [];
    for (const line of tail) {
      if (!line.startsWith('> ')) continue;
      try {
        const { id: _id, now: _now, ...fields } = JSON.parse(line.slice(2)) as Record<string, unknown>;
        read.push(fields);
      } catch {
        // A line cut short.
      }
    }
    for (const request of requests) expect(read, request.type).toContainEqual(request);
  });

  it('a_host_that_accepts_an_unknown_proto_fails_inv_send_faithful', () => {
    const actions = [
      A.invalid({ request: { type: 'send', to: BOB, proto: 'tcp', payload: '6869' } }),
      A.advance({ ms: 100 }),
    ];
    expect(sendFaithful.check(run(actions)).ok).toBe(true);
    const verdict = sendFaithful.check(run(actions, unknownProtoSentAsEcho.factory));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/accepted a malformed send .*"proto":"tcp"/);
  });
});

describe('INV-SEND-FAITHFUL', () => {
  it('a_udp_send_carries_the_ports_it_asked_for_and_the_trace_records_them', () => {
    const actions = [
      A.aliceSend({ peer: 'bob', pick: 0, proto: 'udp', sport: 53, dport: 65535 }),
      A.advance({ ms: 100 }),
    ];
    const trace = run(actions);
    const send = aliceCalls(trace).find((c) => c.event.op === 'send');
    expect(send?.event.request).toMatchObject({ to: BOB, proto: 'udp', sport: 53, dport: 65535 });
    const data = (send?.event.sent ?? []).map((id) => trace.packets[id]).filter((p) => p.info.upper === 'udp');
    expect(data.map((p) => p.info.ports)).toEqual([[53, 65535]]);
    expect(sendFaithful.check(trace).ok).toBe(true);
    const broken = sendFaithful.check(run(actions, sendIgnoresPorts.factory));
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.reason).toMatch(/asked for ports 53 → 65535, and the packet carries 5000 → 5000/);
  });

  it('echo_requests_carry_identifier_0_and_count_their_sequence_from_1', () => {
    const trace = run([
      A.aliceSend({ peer: 'bob', pick: 0, proto: 'icmp' }),
      A.advance({ ms: 50 }),
      A.aliceSend({ peer: 'bob', pick: 0, proto: 'icmp' }),
      A.advance({ ms: 50 }),
    ]);
    const echoes = aliceCalls(trace)
      .filter((c) => c.event.op === 'send')
      .flatMap((c) => c.event.sent.map((id) => trace.packets[id].info.echo));
    expect(echoes).toEqual([
      { identifier: 0, sequence: 1 },
      { identifier: 0, sequence: 2 },
    ]);
    expect(sendFaithful.check(trace)).toEqual({ ok: true, judged: 2 });
  });

  it('judges_the_same_in_black_box_mode', () => {
    const actions = [
      A.aliceSendNew({ n: 3 }),
      A.aliceSend({ peer: 'bob', pick: 0, proto: 'udp', sport: 7 }),
      A.advance({ ms: 100 }),
    ];
    expect(sendFaithful.check(runSchedule({ config: CONFIG, actions }, blackBox(referenceAlice)).trace)).toEqual({
      ok: true,
      judged: 2,
    });
  });
});

describe('INV-SOURCE-OWNED', () => {
  it('a_packet_from_an_address_alice_lost_fails_and_the_reference_sends_none', () => {
    // Alice talks to Bob, moves (gains an address, loses her first), and talks to him again.
    const actions = [
      A.aliceSend({ peer: 'bob', pick: 0, proto: 'udp' }),
      A.aliceGain(),
      A.advance({ ms: 100 }),
      A.aliceLose({ pick: 0 }),
      A.aliceSend({ peer: 'bob', pick: 0, proto: 'udp' }),
      A.advance({ ms: 100 }),
    ];
    const reference = run(actions);
    const verdict = sourceOwned.check(reference);
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.judged).toBe(reference.packets.filter((p) => p.from === 'alice').length);
    const broken = sourceOwned.check(run(actions, sendsFromLostAddress.factory));
    expect(broken.ok).toBe(false);
    if (!broken.ok)
      expect(broken.reason).toMatch(
        /from 2001:db8:a::1, which she does not hold \(nobody holds it; she lost it earlier\)/,
      );
  });
});
