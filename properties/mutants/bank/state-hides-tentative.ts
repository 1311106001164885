/**
 * The `state` answer leaves out every tentative address: a host (or an adapter) that reports
 * its binding list, addresses a peer can be reached at, rather than its whole host cache. The
 * host itself behaves exactly as the reference; only its report lies. Every property that
 * reads the state would judge a fiction: a claim under check looks like no claim at all, and
 * the tentative bound looks never reached.
 *
 * Breaks: HOST.md rule 19 and ADAPTER-PROTOCOL.md "Observable state" (every address of every
 * entry, tentative ones with their Challenge's end); DESIGN.md "Evidence and verdicts": the
 * IUT's word is never evidence in its own favour, and its report is itself judged.
 * Decision: `snapshot` (snapshot.ts).
 * Expected catcher: INV-STATE-TRUTHFUL (a Challenge Alice just sent goes to an address her
 * state does not show).
 */

import { REFERENCE_DECISIONS, type HostContext, type HostState } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function snapshot(ctx: HostContext): HostState {
  const state = REFERENCE_DECISIONS.snapshot(ctx);
  return {
    ...state,
    entries: state.entries.map((e) => ({ ...e, addresses: e.addresses.filter((a) => a.status !== 'tentative') })),
  };
}

export const stateHidesTentative: Mutant = {
  name: 'state-hides-tentative',
  breaks:
    'reports no tentative address in its state (only the addresses a peer can be reached at), while it challenges them as the reference does',
  section: 'docs/rules.md rule 19, docs/adapter-protocol.md "Observable state"',
  requirements: [],
  method: 'snapshot',
  expected: 'INV-STATE-TRUTHFUL',
  factory: brokenHost('state-hides-tentative', { snapshot }),
};
