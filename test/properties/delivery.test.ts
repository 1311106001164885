// INV-DELIVERY (docs/properties.md): the reference host delivers nothing from the packets
// WIRE.md and HOST.md rules 2 and 22 drop, which Mallory now sends; and a host that delivers
// whatever decodes, or reads, is convicted for each of them, naming the reason.

import { describe, expect, it } from 'vitest';
import type { Delivered, Host } from '../../impl/host/types.js';
import { DEFAULT_PARAMS } from '../../impl/host/types.js';
import { delivery } from '../../properties/invariants/delivery.js';
import { aliceCalls } from '../../properties/invariants/trace-view.js';
import { arrivalFacts } from '../../properties/truth/index.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import type { AliceFactory, Schedule, SpoofKind, Target } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';

const CONFIG: Schedule['config'] = {
  seed: 11,
  params: { ...DEFAULT_PARAMS },
  aliceAddressCount: 1,
  alg: 'hmac-sha1-96',
  carol: 'absent',
  sam: false,
  lee: false,
  mallory: 'generic',
};
const BOB: Target = { kind: 'peer', peer: 'bob', pick: 0 };
const THIRD_PARTY: Target = { kind: 'victim', n: 3 };

function spoofing(what: SpoofKind, as: Target): Schedule {
  return {
    config: CONFIG,
    actions: [
      { kind: 'advance', ms: 1000 },
      { kind: 'spoof', what, as },
      { kind: 'advance', ms: 100 },
    ],
  };
}

/**
 * The reference host, except that a packet it delivers nothing from is delivered anyway when
 * it carries UDP: a host that skips every check between reading the packet and handing it up.
 */
const deliversWhateverItReads: AliceFactory = {
  name: 'delivers-whatever-it-reads',
  features: referenceAlice.features,
  create(localAddresses, params, seed): Host {
    const host = referenceAlice.create(localAddresses, params, seed);
    const receive = host.receive.bind(host);
    host.receive = (bytes, nowMs) => {
      const answer = receive(bytes, nowMs);
      const u = arrivalFacts(bytes)?.upper;
      if (!answer.ok || answer.delivered.length > 0 || u?.kind !== 'udp') return answer;
      const item: Delivered = {
        entry: null,
        proto: 'udp',
        payload: u.payload,
        authenticated: false,
        sport: u.sourcePort,
        dport: u.destinationPort,
      };
      return { ...answer, delivered: [item] };
    };
    return host;
  },
};

const CASES: { what: SpoofKind; as: Target; says: RegExp }[] = [
  { what: 'hao-data', as: THIRD_PARTY, says: /HAO .*(without AH|no valid AH)/ },
  { what: 'bad-checksum', as: BOB, says: /does not decode|checksum is wrong/ },
  { what: 'unknown-option', as: BOB, says: /unknown option whose action bits are not 00/ },
  { what: 'routed-away', as: THIRD_PARTY, says: /routing header names 2001:db8:9:3::1, which is not Alice's/ },
];

describe('INV-DELIVERY', () => {
  it.each(CASES.map((c) => [c.what, c] as const))(
    'the_reference_delivers_nothing_from_mallorys_%s_and_holds',
    (what, c) => {
      for (const alice of [referenceAlice, blackBox(referenceAlice)]) {
        const trace = runSchedule(spoofing(what, c.as), alice).trace;
        const received = aliceCalls(trace).filter(
          (x) =>
            x.event.op === 'receive' &&
            x.event.input !== undefined &&
            trace.packets[x.event.input].tag === `mallory-spoof:${what}`,
        );
        expect(received.length).toBe(1);
        expect(received[0].event.delivered).toEqual([]);
        const verdict = delivery.check(trace);
        expect(verdict.ok).toBe(true);
        if (verdict.ok) expect(verdict.judged).toBeGreaterThan(0);
      }
    },
  );

  it.each(CASES.map((c) => [c.what, c] as const))(
    'a_host_delivering_whatever_it_reads_fails_on_mallorys_%s',
    (_what, c) => {
      for (const alice of [deliversWhateverItReads, blackBox(deliversWhateverItReads)]) {
        const verdict = delivery.check(runSchedule(spoofing(c.what, c.as), alice).trace);
        expect(verdict.ok, alice.name).toBe(false);
        if (!verdict.ok) expect(verdict.reason).toMatch(c.says);
      }
    },
  );

  it('a_routing_header_naming_only_alices_addresses_is_processed_and_its_data_delivered', () => {
    // Rule 22: a type 0 routing header is processed when every address in it is Alice's.
    const config = { ...CONFIG, aliceAddressCount: 2 };
    const trace = runSchedule(
      {
        config,
        actions: [
          { kind: 'advance', ms: 1000 },
          { kind: 'spoof', what: 'routed-away', as: { kind: 'alice', pick: 1 } },
          { kind: 'advance', ms: 100 },
        ],
      },
      referenceAlice,
    ).trace;
    const received = aliceCalls(trace).find(
      (x) =>
        x.event.op === 'receive' &&
        x.event.input !== undefined &&
        trace.packets[x.event.input].tag === 'mallory-spoof:routed-away',
    );
    expect(received?.event.delivered).toMatchObject([{ proto: 'udp', authenticated: false }]);
    expect(delivery.check(trace).ok).toBe(true);
  });
});
