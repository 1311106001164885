// ICMPv6 (HOST.md rules 15, 23): echo requests and replies, and the Parameter Problem that
// may reveal a legacy peer.

import { match } from 'ts-pattern';
import { bytesToAddress, IPV6 } from '../../wire/index.js';
import type { IcmpMessage } from '../../wire/types.js';
import type { SentPacketMemory } from '../cache.js';
import type { HostContext } from '../context.js';
import { echoReply } from '../packets.js';
import type { Address } from '../types.js';
import { deliver, type Attribution } from './data.js';
import type { ReceivedPacket } from './packet.js';

/** ICMPv6 Parameter Problem code 2: unrecognized IPv6 option encountered (RFC 4443 §3.4). */
export const PARAMETER_PROBLEM_UNRECOGNIZED_OPTION = 2;

/**
 * The most of a packet an ICMPv6 error can quote: 1280 (the minimum MTU, RFC 4443 §2.4(c))
 * less its own IPv6 (40) and ICMPv6 (8) headers. Linux quotes exactly this much of a longer
 * packet (docs/findings.md, "The Linux kernel as a peer").
 */
export const ICMP_ERROR_QUOTE_BYTES_MAX = 1280 - 40 - 8;

export type ParameterProblem = Extract<IcmpMessage, { type: 'parameter-problem' }>;

/**
 * Rule 23: echo requests and replies are delivered (payload = the data after identifier and
 * sequence); an echo request is answered from the address it was sent to, to its IPv6
 * Source, without the host cache and without AH (§1.4); a Parameter Problem may reveal a
 * legacy peer (rule 15). Other messages change nothing.
 */
export function onIcmp(
  ctx: HostContext,
  received: ReceivedPacket,
  message: IcmpMessage,
  attribution: Attribution,
): void {
  match(message)
    .with({ type: 'echo-request' }, (m) => {
      deliver(ctx, {
        entry: attribution.entry,
        proto: 'icmp',
        payload: m.data,
        authenticated: attribution.authenticated,
      });
      const reply = echoReply({
        source: received.localAddress,
        destination: received.packet.ipv6.source,
        identifier: m.identifier,
        sequence: m.sequence,
        data: m.data,
      });
      ctx.decisions.transmit(ctx, reply, null, null);
    })
    .with({ type: 'echo-reply' }, (m) => {
      deliver(ctx, {
        entry: attribution.entry,
        proto: 'icmp',
        payload: m.data,
        authenticated: attribution.authenticated,
      });
    })
    .with({ type: 'parameter-problem' }, (m) => ctx.decisions.onParameterProblem(ctx, received, m))
    .with({ type: 'destination-unreachable' }, { type: 'other' }, () => undefined)
    .exhaustive();
}

/**
 * Rule 15: a Parameter Problem, code 2 (unrecognized IPv6 option), about a Mobile IPv6
 * option in a packet Alice sent to an unknown or standard peer, quoting it byte for byte,
 * makes that peer legacy. Unauthenticated by nature; the quote is the evidence (see
 * `quoteMatches`). Anything else is ignored.
 */
export function onParameterProblem(ctx: HostContext, received: ReceivedPacket, message: ParameterProblem): void {
  if (message.code !== PARAMETER_PROBLEM_UNRECOGNIZED_OPTION) return;
  const { source, destination } = received.packet.ipv6;
  for (const entry of ctx.state.cache.entries) {
    if (entry.peerKind !== 'unknown' && entry.peerKind !== 'standard') continue;
    if (entry.sentPackets.some((sent) => quoteMatches(sent, message.invoking, message.pointer, source, destination))) {
      ctx.decisions.applyCompatEvent(ctx, entry, 'parameter-problem');
      return;
    }
  }
}

/**
 * Whether a Parameter Problem from `from` to `to`, quoting `invoking` with `pointer`, is about
 * `sent`: it quotes all of it, or its first ICMP_ERROR_QUOTE_BYTES_MAX bytes when longer,
 * byte for byte; it comes from the packet's destination and goes to its source; and its
 * pointer is the type byte of one of the packet's Mobile IPv6 options. What a real node
 * answers always meets this (docs/findings.md); a forger needs the whole packet, AH
 * sequence number and ICV included, not just the few guessable bytes before the option.
 */
export function quoteMatches(
  sent: SentPacketMemory,
  invoking: Uint8Array,
  pointer: number,
  from: Address,
  to: Address,
): boolean {
  const b = sent.bytes;
  if (invoking.length !== Math.min(b.length, ICMP_ERROR_QUOTE_BYTES_MAX)) return false;
  for (let i = 0; i < invoking.length; i++) if (invoking[i] !== b[i]) return false;
  if (from !== bytesToAddress(b, IPV6.offsetDestination) || to !== bytesToAddress(b, IPV6.offsetSource)) return false;
  return pointer < invoking.length && sent.mobileOptionSpans.some(([start]) => pointer === start);
}
