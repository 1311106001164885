// A peer's compatibility state: the draft's Appendix D ("State machine for backward
// compatibility", left TBD), which this project writes. Grounded in §2.2 and §2.3 and fixed by
// HOST.md rule 15; docs/compatibility.md has the same table in prose.
//
// Only authenticated signals reach this machine (the cache drops everything else first),
// with one exception: an ICMPv6 Parameter Problem quoting Alice's own packet (rule 15).

import { assign, setup } from 'xstate';
import type { Address, ModelParams } from './events.js';
import type { ContextUpdate } from './table.js';

/** The state keys are the adapter's `peerKind` values (ADAPTER-PROTOCOL.md). */
export type CompatValue = 'unknown' | 'homeless' | 'standard-mobile' | 'standard' | 'legacy';

export interface CompatContext {
  readonly params: Pick<ModelParams, 'compatProbeTimeoutMs'>;
  /** When an `unknown` peer falls back to `standard`: Initial BU + `compatProbeTimeoutMs` (rule 15); null before. */
  readonly probeDeadlineMs: number | null;
  /** Standard mobile peers only (rule 15, §2.2.2): the HAO's address and the BU's care-of address. */
  readonly homeAddress: Address | null;
  readonly careOfAddress: Address | null;
}

export type CompatEvent =
  /** Alice sent her Initial BU to the peer (rule 14, Appendix A). */
  | { type: 'initialBuSent'; now: number }
  /** An authenticated BU or BR carrying Homeless Support (§3.1.1). */
  | { type: 'homelessSupport' }
  /**
   * An authenticated HAO or BU in a packet without Homeless Support (§2.3.2, §2.3.3): the
   * HAO's address, and the packet's last BU (its care-of address and lifetime), if any.
   */
  | { type: 'mobileSignal'; hao: Address | null; lastBu: { careOf: Address; lifetimeSeconds: number } | null }
  /** The clock (rule 16: expiries apply at the start of every accepted request). */
  | { type: 'clock'; now: number }
  /** An ICMPv6 Parameter Problem about Alice's packet to this peer (rule 15). */
  | { type: 'parameterProblem'; code: number; aboutMobilityOption: boolean; quotesAlice: boolean };

/** ICMPv6 Parameter Problem code 2: unrecognized IPv6 option encountered (RFC 4443 §3.4). */
export const PARAMETER_PROBLEM_UNRECOGNIZED_OPTION_CODE = 2;

/** Context updates, shared by the machine and the fast table (model/table.ts). */
export const compatUpdates: Readonly<Record<string, ContextUpdate<CompatContext, CompatEvent>>> = {
  armProbe: (c, e) => (e.type === 'initialBuSent' ? { probeDeadlineMs: e.now + c.params.compatProbeTimeoutMs } : {}),
  // Rule 15: the HAO is the home address; the BU's care-of address is the care-of address,
  // unless the BU deletes the binding (draft-13 §8.3: lifetime 0, or care-of = home).
  recordMobileAddresses: (c, e) => {
    if (e.type !== 'mobileSignal') return {};
    const homeAddress = e.hao ?? c.homeAddress;
    if (e.lastBu === null) return { homeAddress };
    const deletes = e.lastBu.lifetimeSeconds === 0 || e.lastBu.careOf === homeAddress;
    return { homeAddress, careOfAddress: deletes ? null : e.lastBu.careOf };
  },
  forgetMobileAddresses: () => ({ homeAddress: null, careOfAddress: null, probeDeadlineMs: null }),
  disarmProbe: () => ({ probeDeadlineMs: null }),
};

export const compatMachine = setup({
  types: {
    context: {} as CompatContext,
    events: {} as CompatEvent,
    input: {} as { params: Pick<ModelParams, 'compatProbeTimeoutMs'> },
  },
  guards: {
    /** Rule 16: the fallback applies at the exact instant due (`now >= t`). */
    probeExpired: ({ context, event }) =>
      event.type === 'clock' && context.probeDeadlineMs !== null && event.now >= context.probeDeadlineMs,
    /** Rule 15: code 2, pointing at a Mobile IPv6 option, quoting Alice's packet byte for byte. */
    rejectsMobileOptions: ({ event }) =>
      event.type === 'parameterProblem' &&
      event.code === PARAMETER_PROBLEM_UNRECOGNIZED_OPTION_CODE &&
      event.aboutMobilityOption &&
      event.quotesAlice,
  },
  actions: {
    armProbe: assign(({ context, event }) => compatUpdates.armProbe(context, event)),
    recordMobileAddresses: assign(({ context, event }) => compatUpdates.recordMobileAddresses(context, event)),
    forgetMobileAddresses: assign(({ context, event }) => compatUpdates.forgetMobileAddresses(context, event)),
    disarmProbe: assign(({ context, event }) => compatUpdates.disarmProbe(context, event)),
  },
}).createMachine({
  id: 'compat',
  initial: 'unknown',
  context: ({ input }) => ({ params: input.params, probeDeadlineMs: null, homeAddress: null, careOfAddress: null }),
  states: {
    unknown: {
      on: {
        // Rule 14, §2.2.4: the Initial BU probes the peer; rule 15 times the answer.
        initialBuSent: { actions: 'armProbe' },
        // §2.3, rule 15: the peer "has indicated its support for Homeless Mobile IPv6".
        homelessSupport: { target: 'homeless', actions: 'forgetMobileAddresses' },
        // §2.3.2, rule 15: an HAO or a BU without Homeless Support is a standard mobile node.
        mobileSignal: { target: 'standard-mobile', actions: ['disarmProbe', 'recordMobileAddresses'] },
        // Rule 15: no Homeless Support within compatProbeTimeoutMs of the Initial BU (§2.2.3).
        clock: { guard: 'probeExpired', target: 'standard', actions: 'disarmProbe' },
        // Rule 15: the peer rejects Mobile IPv6 options (ICMPv6 Parameter Problem code 2).
        parameterProblem: { guard: 'rejectsMobileOptions', target: 'legacy', actions: 'disarmProbe' },
      },
    },
    standard: {
      on: {
        // Rule 15: Homeless Support makes a peer homeless from any kind.
        homelessSupport: { target: 'homeless', actions: 'forgetMobileAddresses' },
        // §2.3.3: "the status of the foreign host SHOULD be changed into a Standard Mobile Host".
        mobileSignal: { target: 'standard-mobile', actions: 'recordMobileAddresses' },
        // Rule 15: a standard peer, too, may turn out to reject Mobile IPv6 options.
        parameterProblem: { guard: 'rejectsMobileOptions', target: 'legacy' },
      },
    },
    'standard-mobile': {
      on: {
        // Rule 15: Homeless Support makes a peer homeless from any kind.
        homelessSupport: { target: 'homeless', actions: 'forgetMobileAddresses' },
        // Rule 15: each authenticated HAO / BU records its home and care-of address (§2.3.2).
        mobileSignal: { actions: 'recordMobileAddresses' },
        // A Parameter Problem cannot move it: its authenticated signalling shows it parses
        // Mobile IPv6 options (rule 15 lists unknown and standard only).
      },
    },
    legacy: {
      on: {
        // Rule 15: Homeless Support makes a peer homeless from any kind. An HAO or BU without
        // it does not move a legacy peer (rule 15 names unknown and standard only).
        homelessSupport: { target: 'homeless', actions: 'forgetMobileAddresses' },
      },
    },
    // Rule 15: a homeless peer never moves down; rule 19: no home/care-of address shown.
    homeless: {},
  },
});
