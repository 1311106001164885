/**
 * A `send` whose `proto` is anything but "udp" is taken for ICMP: the request check tells only
 * UDP apart, and the send path's `udp ? ... : echo` does the rest. A request with `proto:
 * "tcp"` is accepted and goes out as an echo request, instead of being refused.
 *
 * Breaks: HOST.md rule 24 ("Answered `ok: false`, with no effect at all: ... a request whose
 * fields are malformed or out of range: ... an unknown `proto`").
 * Decision: `refuseSendRequest` (requests.ts) checks the request as if its proto were "icmp".
 * Expected catcher: INV-SEND-FAITHFUL (a malformed request answered `ok: true`).
 */

import { REFERENCE_DECISIONS, type HostContext, type SendRequest } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function refuseSendRequest(ctx: HostContext, request: SendRequest): string | null {
  if (request === null || typeof request !== 'object') return REFERENCE_DECISIONS.refuseSendRequest(ctx, request);
  return REFERENCE_DECISIONS.refuseSendRequest(ctx, { ...request, proto: request.proto === 'udp' ? 'udp' : 'icmp' });
}

export const unknownProtoSentAsEcho: Mutant = {
  name: 'unknown-proto-sent-as-echo',
  breaks: 'accepts a send with an unknown proto and sends it as an ICMPv6 echo request',
  section: 'rule 24 (docs/rules.md)',
  requirements: [],
  method: 'refuseSendRequest',
  expected: 'INV-SEND-FAITHFUL',
  factory: brokenHost('unknown-proto-sent-as-echo', { refuseSendRequest }),
};
