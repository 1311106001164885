/**
 * Alice's UDP data always goes between ports 5000 and 5000, whatever ports the application
 * asked for: a host that wires the adapter's defaults into its send path and drops the
 * request's `sport` and `dport` on the way.
 *
 * Breaks: ADAPTER-PROTOCOL.md `send` ("`sport?`, `dport?` (UDP ports, default 5000 and
 * 5000)"); HOST.md rule 21 (the data the application hands over is what is sent).
 * Override: `sendData` (send-path.ts) sends the request without its ports.
 * Expected catcher: INV-SEND-FAITHFUL (the data packet carries other ports than asked).
 */

import { ReferenceHost, type SendRequest } from '../../impl/host/index.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

export class SendIgnoresPorts extends ReferenceHost {
  protected override sendData(request: SendRequest, nowMs: number): boolean {
    return super.sendData({ to: request.to, proto: request.proto, payload: request.payload }, nowMs);
  }
}

export const sendIgnoresPorts: Mutant = {
  name: 'send-ignores-ports',
  breaks: "sends UDP data between the default ports 5000 and 5000 whatever ports the application asked for",
  section: 'docs/adapter-protocol.md send, rule 21 (docs/rules.md)',
  requirements: [],
  method: 'sendData',
  expected: 'INV-SEND-FAITHFUL',
  factory: hostFactory('send-ignores-ports', (o) => new SendIgnoresPorts(o)),
};
