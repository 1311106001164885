// The adapter client checks every answer against ADAPTER-PROTOCOL.md before the world sees it.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../impl/host/types.js';
import { scheduleArbitrary } from '../../properties/arbitraries/schedule.js';
import {
  parseDelivered,
  parseHello,
  parseSent,
  parseState,
  parseUnreachable,
  ShapeError,
} from '../../properties/adapter/validate.js';
import { KNOWN_FEATURES } from '../../properties/adapter/alice.js';
import { DEMANDS } from '../../properties/adapter/demands.js';
import { PROPERTY_IDS } from '../../properties/invariants/types.js';

const STATE = {
  entries: [
    {
      id: 'x',
      peerKind: 'homeless',
      sa: { inboundSpi: 300, kind: 'generic' },
      addresses: [
        {
          address: '2001:DB8:0:0::B:1',
          status: 'active',
          lifetime: { kind: 'absolute', expiresAt: 5 },
          challengeOutstanding: false,
        },
      ],
      homeAddress: null,
      careOfAddress: null,
    },
  ],
  local: ['2001:db8:a:0::1'],
};

describe('answer validation', () => {
  it('sent_is_an_array_of_hex_strings_of_either_case', () => {
    expect(parseSent({ sent: ['00ff', 'AB'] }).map((b) => [...b])).toEqual([[0, 255], [0xab]]);
    expect(() => parseSent({ sent: ['abc'] })).toThrow(ShapeError);
    expect(() => parseSent({ sent: ['zz'] })).toThrow(/sent\[0\] must be a hex string/);
    expect(() => parseSent({ sent: 'ab' })).toThrow(/sent must be an array/);
    expect(() => parseSent({})).toThrow(/sent must be an array/);
  });

  it('delivered_items_have_the_protocol_types', () => {
    const ok = parseDelivered({
      delivered: [{ entry: null, proto: 'udp', payload: '61', authenticated: false, sport: 1, dport: 2 }],
    });
    expect(ok[0]).toMatchObject({ entry: null, proto: 'udp', authenticated: false, sport: 1, dport: 2 });
    expect(() =>
      parseDelivered({ delivered: [{ entry: 3, proto: 'udp', payload: '', authenticated: false }] }),
    ).toThrow(/delivered\[0\]\.entry/);
    expect(() =>
      parseDelivered({ delivered: [{ entry: null, proto: 'tcp', payload: '', authenticated: false }] }),
    ).toThrow(/delivered\[0\]\.proto/);
    expect(() =>
      parseDelivered({ delivered: [{ entry: null, proto: 'udp', payload: '', authenticated: 'yes' }] }),
    ).toThrow(/authenticated/);
    expect(() =>
      parseDelivered({ delivered: [{ entry: null, proto: 'udp', payload: '', authenticated: true, sport: 70000 }] }),
    ).toThrow(/sport/);
  });

  it('unreachable_appears_only_when_true', () => {
    expect(parseUnreachable({})).toBe(false);
    expect(parseUnreachable({ unreachable: true })).toBe(true);
    expect(() => parseUnreachable({ unreachable: false })).toThrow(/only when true/);
  });

  it('state_addresses_are_normalised_to_rfc_5952_and_every_field_is_checked', () => {
    const s = parseState({ state: STATE });
    expect(s.entries[0].addresses[0].address).toBe('2001:db8::b:1');
    expect(s.local).toEqual(['2001:db8:a::1']);
    const bad = JSON.parse(JSON.stringify(STATE)) as typeof STATE;
    (bad.entries[0].addresses[0] as { status: string }).status = 'verified';
    expect(() => parseState({ state: bad })).toThrow(/state\.entries\[0\]\.addresses\[0\]\.status must be one of/);
    const noSa = JSON.parse(JSON.stringify(STATE)) as { entries: { sa: unknown }[] };
    noSa.entries[0].sa = { inboundSpi: 'x', kind: 'generic' };
    expect(() => parseState({ state: noSa })).toThrow(/inboundSpi/);
    expect(() => parseState({ state: { entries: [], local: ['not an address'] } })).toThrow(/state\.local\[0\]/);
  });

  it('hello_names_the_implementation_and_its_features', () => {
    expect(parseHello({ name: 'x', version: '1', features: ['state', 'future-thing'] }).features).toEqual([
      'state',
      'future-thing',
    ]);
    expect(() => parseHello({ name: 'x', version: 1, features: [] })).toThrow(/version/);
    expect(() => parseHello({ name: 'x', version: '1', features: [1] })).toThrow(/features\[0\]/);
  });
});

describe('the demands table', () => {
  it('covers_every_property_and_gives_requirement_ids_or_a_basis', () => {
    for (const id of PROPERTY_IDS) {
      const d = DEMANDS[id];
      expect(d.id).toBe(id);
      expect(d.requirements.length > 0 || d.basis !== undefined, id).toBe(true);
      for (const r of d.requirements)
        expect(r).toMatch(/^R[0-9B][0-9.]*-\d+ (MUST|MUST NOT|SHOULD|SHOULD NOT|REQUIRED|RECOMMENDED|MAY)\b/);
    }
    expect(DEMANDS['REFINES-MODEL'].level).toBe('host-rules');
    expect(DEMANDS['LIVE-COMPAT'].features).toEqual(['standard-compat']);
  });
});

describe('worlds within the features of the IUT', () => {
  it('without_standard_compat_or_anonymous_sa_or_bu_optimization_no_world_needs_them', () => {
    const configs = fc
      .sample(scheduleArbitrary({ features: ['state'], stepsMax: 3 }), { seed: 1, numRuns: 300 })
      .map((s) => s.config);
    expect(configs.some((c) => c.sam || c.lee)).toBe(false);
    expect(configs.some((c) => c.carol === 'anonymous' || c.mallory !== 'generic')).toBe(false);
    expect(configs.some((c) => c.params.buOptimization)).toBe(false);
    expect(configs.some((c) => c.carol === 'absent')).toBe(true);
  });

  it('with_every_feature_the_worlds_are_the_reference_worlds_but_for_the_window', () => {
    const all = fc.sample(scheduleArbitrary({ features: KNOWN_FEATURES, stepsMax: 3 }), { seed: 2, numRuns: 50 });
    const reference = fc.sample(scheduleArbitrary({ stepsMax: 3 }), { seed: 2, numRuns: 50 });
    // The reference alone plays the anti-replay windows of 1 and 4096 (schedule.ts's `narrow`
    // and `wide`): an IUT's run keeps the default window and is otherwise the same.
    const window = DEFAULT_PARAMS.antiReplayWindowPackets;
    expect(all.every((s) => s.config.params.antiReplayWindowPackets === window)).toBe(true);
    expect(reference.some((s) => s.config.params.antiReplayWindowPackets !== window)).toBe(true);
    const defaultWindow = reference.map((s) => ({
      ...s,
      config: { ...s.config, params: { ...s.config.params, antiReplayWindowPackets: window } },
    }));
    expect(JSON.stringify(all)).toBe(JSON.stringify(defaultWindow));
    expect(
      all.some((s) => s.config.sam) &&
        all.some((s) => s.config.params.buOptimization) &&
        all.some((s) => s.config.mallory === 'both'),
    ).toBe(true);
  });
});
