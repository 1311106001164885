/**
 * ICMPv6 Parameter Problems are ignored, so Alice never learns that a peer rejects Mobile
 * IPv6 options: she keeps sending a legacy host BUs and Home Address options, and every such
 * packet is dropped by it (measured on today's Linux, docs/findings.md).
 *
 * Breaks: §2.1.2 "The Initial Binding Update MUST be sent in a way that is compatible with
 * standard Mobile IPv6" read for today's hosts, §3.1 (R2.1.2-5, R3.1-3); HOST.md rule 15
 * (a legacy peer gets no Mobile IPv6 option and keeps its initial source).
 * Decision: `onParameterProblem` (receive/icmp.ts) does nothing.
 * Expected catcher: LIVE-COMPAT (toward Lee after its Parameter Problem).
 */

import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

// ICMP errors are advisory; nothing to do.
const onParameterProblem = (): void => undefined;

export const ignoresParameterProblem: Mutant = {
  name: 'ignores-parameter-problem',
  breaks: 'ignores Parameter Problems and keeps sending Mobile IPv6 options (HAO, BU) to a legacy peer',
  section: '§2.1.2, §3.1, docs/rules.md rule 15',
  requirements: ['R2.1.2-5', 'R3.1-3'],
  method: 'onParameterProblem',
  expected: 'LIVE-COMPAT',
  factory: brokenHost('ignores-parameter-problem', { onParameterProblem }),
};
