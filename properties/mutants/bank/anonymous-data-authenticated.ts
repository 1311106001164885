/**
 * The receive path alone gets the SA kind wrong: data that arrives under any SA whose AH
 * verifies is reported as authenticated, an anonymous SA's included (the send path is
 * correct). An application trusting `authenticated` would trust Mallory's anonymous SA.
 *
 * Breaks: §3.4.1 "a Homeless Mobile IPv6 implementation MUST be able to make a distinction
 * between these two types of associations" and "Anonymous SAs are used only for securing BUs
 * and BAs, and not for application security" (R3.4.1-3, R3.4.1-4, R2.4.3-1); HOST.md rule 22.
 * Decision: `attributeData` (receive/data.ts).
 * Expected catcher: INV-ANON-SCOPE (Mallory's `anonData`).
 */

import type { Attribution, HostContext, ReceivedPacket } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function attributeData(ctx: HostContext, received: ReceivedPacket): Attribution {
  const cache = ctx.state.cache;
  const source = received.homeAddress ?? received.packet.ipv6.source;
  const sa = received.sa;
  if (sa !== null) {
    // "The AH verified, so the data is authentic" – whatever kind of SA verified it.
    const record = cache.recordIn(sa.entry, source);
    if (record !== undefined && (record.status === 'active' || record.status === 'deprecated'))
      return { entry: sa.entry.id, authenticated: true };
    return { entry: null, authenticated: false };
  }
  const record = cache.findWithStatus(source, 'active') ?? cache.findWithStatus(source, 'deprecated');
  return { entry: record === undefined ? null : record.entry.id, authenticated: false };
}

export const anonymousDataAuthenticated: Mutant = {
  name: 'anonymous-data-authenticated',
  breaks: 'reports data received under an anonymous SA as authenticated',
  section: '§3.4.1, §2.4.3, docs/rules.md rule 22',
  requirements: ['R3.4.1-3', 'R3.4.1-4', 'R2.4.3-1'],
  method: 'attributeData',
  expected: 'INV-ANON-SCOPE',
  factory: brokenHost('anonymous-data-authenticated', { attributeData }),
};
