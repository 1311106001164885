/**
 * An address whose lifetime runs out is removed at once instead of being deprecated: the
 * lifecycle skips a state (active → removed). Packets that still come from the address are no
 * longer attributed to the peer, and data to it is refused rather than sent while the peer
 * may still use it.
 *
 * Breaks: §2.1.4 "it is RECOMMENDED that the address is kept (as an deprecated address) for
 * some time" (R2.1.4-6); DESIGN.md "Address lifecycle" (active → deprecated → removed),
 * HOST.md rule 16.
 * Decision: `deprecateAddress` (lifecycle.ts).
 * Expected catcher: REFINES-MODEL (no safety invariant forbids forgetting early).
 */

import type { AddressRecord, HostContext } from '../../../impl/host/index.js';
import { removeAddress } from '../../../impl/host/lifecycle.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function deprecateAddress(ctx: HostContext, record: AddressRecord): void {
  removeAddress(ctx, record, 'expired');
}

export const skipsDeprecation: Mutant = {
  name: 'skips-deprecation',
  breaks: 'removes an expired address at once instead of deprecating it (active → removed)',
  section: '§2.1.4, docs/rules.md rule 16',
  requirements: ['R2.1.4-6'],
  method: 'deprecateAddress',
  expected: 'REFINES-MODEL',
  factory: brokenHost('skips-deprecation', { deprecateAddress }),
};
