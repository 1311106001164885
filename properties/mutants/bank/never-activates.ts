/**
 * The expected Response is computed with its inputs swapped, HMAC(K, ADDR || Challenge)
 * instead of HMAC(K, Challenge || ADDR) (an interoperability bug): no Response ever matches,
 * no claimed address ever becomes active. Every safety invariant holds (a host that activates
 * nothing never activates anything wrongly); only liveness sees that peers can no longer move.
 *
 * Breaks: §3.4.2 "When the verifying node receives and positively verifies the Response, it
 * SHOULD raise the status of the address to an Active Address" (R3.4.2-8, R3.4.2-6), WIRE.md
 * "Response = first 16 bytes of HMAC(K, Challenge || ADDR)".
 * Decision: `acceptResponse` (verification.ts).
 * Expected catcher: LIVE-HONEST-MOVE (DESIGN.md: "safety alone is easy to fake").
 */

import { isLive, type AddressRecord, type HostContext } from '../../../impl/host/index.js';
import { constantTimeEqual, makeResponse } from '../../../impl/crypto/index.js';
import { addressToBytes } from '../../../impl/wire/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function acceptResponse(
  ctx: HostContext,
  record: AddressRecord | undefined,
  response: Uint8Array,
  nowMs: number,
): boolean {
  if (record === undefined || !isLive(record)) return false;
  const c = record.challenge;
  if (c === null || nowMs - c.firstSentMs >= ctx.params.challengeLifetimeMs) return false;
  const expected = makeResponse(c.sa.config.alg, c.sa.config.key, addressToBytes(record.address), c.value);
  return constantTimeEqual(expected, response);
}

export const neverActivates: Mutant = {
  name: 'never-activates',
  breaks:
    'computes the expected Response with its inputs swapped (ADDR before the Challenge), so no Response matches and nothing claimed becomes active',
  section: '§3.4.2 step 3, docs/wire-format.md "Reachability verification"',
  requirements: ['R3.4.2-6', 'R3.4.2-8'],
  method: 'acceptResponse',
  expected: 'LIVE-HONEST-MOVE',
  factory: brokenHost('never-activates', { acceptResponse }),
};
