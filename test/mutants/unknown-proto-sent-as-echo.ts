/**
 * A `send` whose `proto` is anything but "udp" is taken for ICMP: the request check tells only
 * UDP apart, and the send path's `udp ? ... : echo` does the rest. A request with `proto:
 * "tcp"` is accepted and goes out as an echo request, instead of being refused.
 *
 * Breaks: HOST.md rule 24 ("Answered `ok: false`, with no effect at all: ... a request whose
 * fields are malformed or out of range: ... an unknown `proto`").
 * Override: `refuseSendRequest` (index.ts) checks the request as if its proto were "icmp".
 * Expected catcher: INV-SEND-FAITHFUL (a malformed request answered `ok: true`).
 */

import { ReferenceHost, type SendRequest } from '../../impl/host/index.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

export class UnknownProtoSentAsEcho extends ReferenceHost {
  protected override refuseSendRequest(request: SendRequest): string | null {
    if (request === null || typeof request !== 'object') return super.refuseSendRequest(request);
    return super.refuseSendRequest({ ...request, proto: request.proto === 'udp' ? 'udp' : 'icmp' });
  }
}

export const unknownProtoSentAsEcho: Mutant = {
  name: 'unknown-proto-sent-as-echo',
  breaks: 'accepts a send with an unknown proto and sends it as an ICMPv6 echo request',
  section: 'rule 24 (docs/rules.md)',
  requirements: [],
  method: 'refuseSendRequest',
  expected: 'INV-SEND-FAITHFUL',
  factory: hostFactory('unknown-proto-sent-as-echo', (o) => new UnknownProtoSentAsEcho(o)),
};
