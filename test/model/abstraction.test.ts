// The abstraction of the refinement check: one canonical form for the host's `state` and the
// model, and readable differences.

import { describe, expect, it } from 'vitest';
import type { EntryState, HostState } from '../../impl/host/types.js';
import {
  abstractHostState,
  abstractModel,
  canonicalAddress,
  diffAbstract,
  modelToHostState,
} from '../../model/abstraction.js';
import { xstateEngine as xstate } from '../../model/cache.js';
import { A1, B1, B2, Driver, SPI_B } from './helpers.js';

function entry(partial: Partial<EntryState>): EntryState {
  return {
    id: 'e1',
    peerKind: 'homeless',
    sa: { inboundSpi: SPI_B, kind: 'generic' },
    addresses: [],
    homeAddress: null,
    careOfAddress: null,
    ...partial,
  };
}

const active = (address: string, expiresAt = 1000) => ({
  address,
  status: 'active' as const,
  lifetime: { kind: 'absolute' as const, expiresAt },
  challengeOutstanding: false,
});

describe('abstraction', () => {
  it('canonical_address_is_rfc_5952', () => {
    expect(canonicalAddress('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalAddress('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalAddress('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalAddress('0:0:0:0:0:ffff:c000:201')).toBe('::ffff:192.0.2.1');
    expect(canonicalAddress('::')).toBe('::');
    expect(canonicalAddress('not an address')).toBe('not an address');
  });

  it('entries_are_matched_by_spi_or_first_address_and_ids_are_ignored', () => {
    const host: HostState = {
      local: [A1],
      entries: [
        entry({ id: 'x9', sa: null, addresses: [active('2001:DB8:C::1')] }),
        entry({ id: 'e7', addresses: [active(B2), active(B1)] }),
      ],
    };
    const a = abstractHostState(host);
    expect(a.entries.map((e) => e.key)).toEqual(['addr=2001:db8:c::1', 'spi=256']);
    // Sorted as text.
    expect(a.entries[1].addresses.map((x) => x.address)).toEqual([B2, B1]);
    const renamed = abstractHostState({
      ...host,
      entries: [...host.entries].reverse().map((e, i) => ({ ...e, id: `other${i}` })),
    });
    expect(diffAbstract(a, renamed)).toEqual([]);
  });

  it('diff_names_each_difference_readably', () => {
    const host = abstractHostState({
      local: [A1],
      entries: [entry({ addresses: [{ ...active(B2), status: 'tentative', challengeOutstanding: true }] })],
    });
    const model = abstractHostState({
      local: [A1],
      entries: [entry({ peerKind: 'unknown', addresses: [active(B2, 2000), active(B1)] })],
    });
    expect(diffAbstract(host, model)).toEqual([
      'entry spi=256: peerKind homeless ≠ unknown',
      'entry spi=256: 2001:db8:b2::1 status tentative ≠ active',
      'entry spi=256: 2001:db8:b2::1 expiresAt 1000 ≠ 2000',
      'entry spi=256: 2001:db8:b2::1 challengeOutstanding true ≠ false',
      'entry spi=256: 2001:db8:b::1 (active) only in model',
    ]);
    expect(diffAbstract(host, abstractHostState({ local: [], entries: [] }), ['Alice', 'model'])).toEqual([
      `local [${A1}] ≠ []`,
      'entry spi=256 only in Alice (2001:db8:b2::1 tentative)',
    ]);
  });

  it('model_abstracts_like_the_host_state_it_predicts', () => {
    const d = new Driver(xstate);
    d.addSa(0, B1, SPI_B);
    d.bu(10, SPI_B, [B1, B2], 600, true);
    const predicted: HostState = {
      local: [A1],
      entries: [
        entry({
          id: 'whatever',
          addresses: [
            active(B1, 10 + 600_000),
            {
              address: B2,
              status: 'tentative',
              lifetime: { kind: 'absolute', expiresAt: 10 + 5000 },
              challengeOutstanding: true,
            },
          ],
        }),
      ],
    };
    expect(diffAbstract(abstractHostState(predicted), abstractModel(d.model))).toEqual([]);
    expect(modelToHostState(d.model).entries[0]).toMatchObject({
      id: 'm1',
      peerKind: 'homeless',
      sa: { inboundSpi: SPI_B, kind: 'generic' },
    });
  });
});
