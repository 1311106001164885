// Peer compatibility tracking: this project's Appendix D ("State machine for backward
// compatibility", TBD in the draft), grounded in §2.2 and §2.3 and fixed by HOST.md rule 15.
// docs/compatibility.md is the same table in prose, each cell with its citation; the model
// (model/) follows it. Keep the three in step.

import { match } from 'ts-pattern';
import type { PeerKind } from './types.js';

/**
 * What can move a peer. Every event but `parameter-problem` comes from a packet whose AH
 * verified under the peer entry's SA (rule 15: nothing unauthenticated moves a peer).
 */
export type CompatEvent =
  /** An authenticated BU or BR carrying Homeless Support (§3.1.1, §2.3). */
  | 'homeless-support'
  /** An authenticated HAO or BU, in a packet with no Homeless Support (§2.3.2, §2.3.3). */
  | 'mobile-ipv6-signal'
  /** `compatProbeTimeoutMs` after Alice's Initial BU with no Homeless Support from the peer (§2.2.4, rule 15). */
  | 'probe-timeout'
  /**
   * An ICMPv6 Parameter Problem, code 2, about a Mobile IPv6 option, quoting byte for byte a
   * packet Alice sent to this peer (rule 15): the peer rejects Mobile IPv6 options.
   */
  | 'parameter-problem';

export const COMPAT_EVENTS: readonly CompatEvent[] = [
  'homeless-support',
  'mobile-ipv6-signal',
  'probe-timeout',
  'parameter-problem',
];
export const PEER_KINDS: readonly PeerKind[] = ['unknown', 'homeless', 'standard-mobile', 'standard', 'legacy'];

/** The next kind of a peer of kind `from` after `event` (the table in docs/compatibility.md). */
export function nextPeerKind(from: PeerKind, event: CompatEvent): PeerKind {
  return (
    match(event)
      // Rule 15: Homeless Support makes a peer homeless from any kind; §2.3: the peer has
      // "indicated its support for Homeless Mobile IPv6".
      .with('homeless-support', () => 'homeless' as const)
      // §2.3.3: a peer thought standard that sends an HAO or a BU becomes a standard mobile
      // host; §2.3 puts an unknown peer that does so in the same class. A homeless peer never
      // moves down (rule 15); a legacy peer cannot parse these options, so the signal changes
      // nothing we would send it (the Parameter Problem proved that).
      .with('mobile-ipv6-signal', () =>
        from === 'unknown' || from === 'standard' ? ('standard-mobile' as const) : from,
      )
      // §2.2.4 / rule 15: an Initial BU left unanswered by Homeless Support means a standard host.
      .with('probe-timeout', () => (from === 'unknown' ? ('standard' as const) : from))
      // Rule 15: only an unknown or standard peer can turn out to reject Mobile IPv6 options; a
      // peer that sent authenticated Mobile IPv6 signalling evidently parses them.
      .with('parameter-problem', () => (from === 'unknown' || from === 'standard' ? ('legacy' as const) : from))
      .exhaustive()
  );
}

/** How Alice formats what she sends to a peer of each kind (docs/compatibility.md, "What Alice sends"). */
export interface SendingRules {
  /**
   * `homeless`: BUs without HAO (§3.2.2), Alternate Prefixes allowed; `initial`: every BU in
   * the Initial BU's form, HAO = the packet's source (§3.2.1: safe for a draft-13 node);
   * `mipv6`: only the emulation's BUs, strictly draft-13 (HAO, no homeless sub-options,
   * §3.2.3); `none`: no Mobile IPv6 option at all (rule 15, legacy).
   */
  readonly buFormat: 'homeless' | 'initial' | 'mipv6' | 'none';
  /** §2.2.2/§2.2.3: each connection keeps an emulated home address (its initial source); an HAO names it when the source differs. */
  readonly emulateHomeAddress: boolean;
  /** Rule 15: a legacy peer's connections stay on their initial source (no HAO can be sent). */
  readonly keepInitialSource: boolean;
}

/** Per kind, one frozen value (a table rather than a match: it is read for every packet sent). */
const SENDING_RULES: Readonly<Record<PeerKind, SendingRules>> = Object.freeze({
  homeless: Object.freeze({ buFormat: 'homeless', emulateHomeAddress: false, keepInitialSource: false }),
  unknown: Object.freeze({ buFormat: 'initial', emulateHomeAddress: true, keepInitialSource: false }),
  standard: Object.freeze({ buFormat: 'mipv6', emulateHomeAddress: true, keepInitialSource: false }),
  'standard-mobile': Object.freeze({ buFormat: 'mipv6', emulateHomeAddress: true, keepInitialSource: false }),
  legacy: Object.freeze({ buFormat: 'none', emulateHomeAddress: false, keepInitialSource: true }),
});

export function sendingRules(kind: PeerKind): SendingRules {
  return SENDING_RULES[kind];
}

/** Whether Alice may put any Mobile IPv6 option (HAO, BU, BA, BR) in a packet to a peer of this kind. */
export function mayUseMobileOptions(kind: PeerKind): boolean {
  return kind !== 'legacy';
}
