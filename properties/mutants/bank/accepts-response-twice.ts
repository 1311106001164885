/**
 * Verified (Challenge, Response) pairs are kept in a table that is never cleared, as a fast
 * path: a Response that matches one already accepted for the same entry and address is
 * accepted again, after its Challenge was answered and settled. A second copy of a Response
 * (an honest peer answering a retransmitted Challenge, Mallory answering a copy it replayed to
 * itself) moves the address's lifetime again.
 *
 * Breaks: WIRE.md "A Response is accepted once, only for the latest Challenge sent to that
 * address for that entry, only while that Challenge is younger than challengeLifetimeMs";
 * HOST.md rule 12.
 * Decision: `acceptResponse` (verification.ts), with its own memory of accepted pairs.
 * Expected catcher: REFINES-MODEL (the model ignores a Response for a Challenge that is not live).
 */

import { REFERENCE_DECISIONS, type Decisions } from '../../../impl/host/index.js';
import { constantTimeEqual } from '../../../impl/crypto/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

/** Per host, its own memory: "entry|address" → the Response value accepted for it. */
function acceptsTwice(): Partial<Decisions> {
  const accepted = new Map<string, Uint8Array>();
  return {
    acceptResponse(ctx, record, response, nowMs) {
      if (record === undefined) return false;
      const key = `${record.entry.id}|${record.address}`;
      if (REFERENCE_DECISIONS.acceptResponse(ctx, record, response, nowMs)) {
        accepted.set(key, response.slice());
        return true;
      }
      const known = accepted.get(key);
      return known !== undefined && constantTimeEqual(known, response);
    },
  };
}

export const acceptsResponseTwice: Mutant = {
  name: 'accepts-response-twice',
  breaks: 'accepts a Response again after its Challenge was answered (verified pairs are never forgotten)',
  section: '§3.4.2, docs/wire-format.md "Reachability verification", docs/rules.md rule 12',
  requirements: [],
  method: 'acceptResponse',
  expected: 'REFINES-MODEL',
  factory: brokenHost('accepts-response-twice', acceptsTwice),
};
