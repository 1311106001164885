// The BAs and Response BUs Alice sends in answer to a peer (HOST.md rules 10, 11).

import { makeResponse } from '../../crypto/index.js';
import { addressToBytes } from '../../wire/index.js';
import { isLocal } from '../addresses.js';
import type { EntryRecord } from '../cache.js';
import { mayUseMobileOptions } from '../compat.js';
import type { HostContext } from '../context.js';
import { plainBa, responseBu } from '../packets.js';
import type { Address } from '../types.js';
import { takeBuSequence } from './bu.js';

/** Where a reply to a received packet may go, and the address of Alice's it arrived at. */
export interface ReplyTarget {
  readonly source: Address;
  readonly homeAddress: Address | null;
  readonly localAddress: Address;
}

/**
 * Rule 10: a plain BA to the packet's source when that address is active or deprecated in
 * the entry, else to the HAO's address, else nowhere (never to an unverified address,
 * INV-AMPLIFICATION). From the address the BU arrived at.
 */
export function sendPlainBa(
  ctx: HostContext,
  entry: EntryRecord,
  received: ReplyTarget,
  status: number,
  sequence: number,
  lifetimeSeconds: number,
): void {
  const sa = entry.sa;
  if (sa === null || !mayUseMobileOptions(entry.peerKind)) return;
  const known = ctx.state.cache.recordIn(entry, received.source);
  const destination =
    known !== undefined && (known.status === 'active' || known.status === 'deprecated')
      ? received.source
      : received.homeAddress;
  if (destination === null) return;
  const source = isLocal(ctx, received.localAddress)
    ? received.localAddress
    : ctx.decisions.oldestLocalOfScope(ctx, destination);
  if (source === null) return;
  ctx.decisions.transmit(ctx, plainBa({ source, destination, status, sequence, lifetimeSeconds }), sa, entry);
}

/**
 * Rule 11 (§3.4.2 step 2): every host answers a Challenge. ADDR is the BA's destination as
 * it arrived; the Response BU goes to the BA's source with the BA's lifetime, Alice's next
 * sequence number, flags clear, no HAO, under the same SA; from ADDR while Alice has it
 * (first form), else from another address with an Alternate CoA (second form).
 */
export function answerChallenge(
  ctx: HostContext,
  entry: EntryRecord,
  challenge: Uint8Array,
  checked: Address,
  baSource: Address,
  lifetimeSeconds: number,
): void {
  const sa = entry.sa;
  if (sa === null || !mayUseMobileOptions(entry.peerKind)) return;
  const source = ctx.decisions.responseSource(ctx, checked, baSource);
  if (source === null) return;
  const response = makeResponse(sa.config.alg, sa.config.key, challenge, addressToBytes(checked));
  const packet = responseBu({
    source,
    destination: baSource,
    sequence: takeBuSequence(entry),
    lifetimeSeconds,
    checked,
    response,
  });
  ctx.decisions.transmit(ctx, packet, sa, entry);
}

/** Rule 11: ADDR itself while Alice has it, else her oldest address of the verifier's scope. */
export function responseSource(ctx: HostContext, checked: Address, verifier: Address): Address | null {
  return isLocal(ctx, checked) ? checked : ctx.decisions.oldestLocalOfScope(ctx, verifier);
}
