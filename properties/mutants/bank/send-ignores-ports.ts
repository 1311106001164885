/**
 * Alice's UDP data always goes between ports 5000 and 5000, whatever ports the application
 * asked for: a host that wires the adapter's defaults into its send path and drops the
 * request's `sport` and `dport` on the way.
 *
 * Breaks: ADAPTER-PROTOCOL.md `send` ("`sport?`, `dport?` (UDP ports, default 5000 and
 * 5000)"); HOST.md rule 21 (the data the application hands over is what is sent).
 * Decision: `sendData` (send/data.ts) sends the request without its ports.
 * Expected catcher: INV-SEND-FAITHFUL (the data packet carries other ports than asked).
 */

import { REFERENCE_DECISIONS, type HostContext, type SendRequest } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function sendData(ctx: HostContext, request: SendRequest, nowMs: number): boolean {
  return REFERENCE_DECISIONS.sendData(ctx, { to: request.to, proto: request.proto, payload: request.payload }, nowMs);
}

export const sendIgnoresPorts: Mutant = {
  name: 'send-ignores-ports',
  breaks: 'sends UDP data between the default ports 5000 and 5000 whatever ports the application asked for',
  section: 'docs/adapter-protocol.md send, rule 21 (docs/rules.md)',
  requirements: [],
  method: 'sendData',
  expected: 'INV-SEND-FAITHFUL',
  factory: brokenHost('send-ignores-ports', { sendData }),
};
