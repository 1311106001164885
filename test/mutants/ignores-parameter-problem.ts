/**
 * ICMPv6 Parameter Problems are ignored, so Alice never learns that a peer rejects Mobile
 * IPv6 options: she keeps sending a legacy host BUs and Home Address options, and every such
 * packet is dropped by it (measured on today's Linux, docs/findings.md).
 *
 * Breaks: §2.1.2 "The Initial Binding Update MUST be sent in a way that is compatible with
 * standard Mobile IPv6" read for today's hosts, §3.1 (R2.1.2-5, R3.1-3); HOST.md rule 15
 * (a legacy peer gets no Mobile IPv6 option and keeps its initial source).
 * Override: `onParameterProblem` (receive-path.ts) does nothing.
 * Expected catcher: LIVE-COMPAT (toward Lee after its Parameter Problem).
 */

import type { IcmpMessage } from '../../impl/wire/types.js';
import { ReferenceHost, type ReceivedPacket } from '../../impl/host/index.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

export class IgnoresParameterProblem extends ReferenceHost {
  protected override onParameterProblem(received: ReceivedPacket, message: Extract<IcmpMessage, { type: 'parameter-problem' }>): void {
    // ICMP errors are advisory; nothing to do.
  }
}

export const ignoresParameterProblem: Mutant = {
  name: 'ignores-parameter-problem',
  breaks: 'ignores Parameter Problems and keeps sending Mobile IPv6 options (HAO, BU) to a legacy peer',
  section: '§2.1.2, §3.1, docs/rules.md rule 15',
  requirements: ['R2.1.2-5', 'R3.1-3'],
  method: 'onParameterProblem',
  expected: 'LIVE-COMPAT',
  factory: hostFactory('ignores-parameter-problem', (o) => new IgnoresParameterProblem(o)),
};
