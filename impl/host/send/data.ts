// `send` (HOST.md rule 21, §2.2): application data to a peer, with the standard-host
// emulation's Home Address option and BUs (§2.2.2, §2.2.3) when a connection's source moved.

import type { Packet, UpperLayer } from '../../wire/types.js';
import type { EntryRecord } from '../cache.js';
import { mayUseMobileOptions } from '../compat.js';
import type { HostContext } from '../context.js';
import { createEntryForPeer } from '../lifecycle.js';
import { setNewest } from '../lru.js';
import { dataPacket, type EmulationOptions } from '../packets.js';
import { CONNECTIONS_PER_ENTRY_MAX } from '../params.js';
import type { Address, SendRequest } from '../types.js';
import { recheckFirstAddress } from '../verification.js';
import { homelessSupportFor, takeBuSequence } from './bu.js';

/** ADAPTER-PROTOCOL.md: UDP ports default to 5000 and 5000. */
export const UDP_PORT_DEFAULT = 5000;
/** ADAPTER-PROTOCOL.md: Alice's echo requests carry identifier 0. */
export const ECHO_IDENTIFIER = 0;
/** The echo sequence number is 16 bits (RFC 4443 §4.1). */
const ECHO_SEQUENCE_MODULUS = 0x10000;

/** What the packet of one locally initiated "connection" shares (§2.2.2: per connection). */
export function connectionKey(request: SendRequest): string {
  return request.proto === 'udp'
    ? `udp ${request.sport ?? UDP_PORT_DEFAULT} ${request.dport ?? UDP_PORT_DEFAULT}`
    : `icmp ${ECHO_IDENTIFIER}`;
}

/**
 * `send` (rule 21): returns false when nothing could be sent (the adapter's `unreachable`):
 * no entry could be created (`foreignEntriesCountMax`, rule 8), the entry has no active
 * address (§2.2), or Alice has no address of its scope.
 */
export function sendData(ctx: HostContext, request: SendRequest, nowMs: number): boolean {
  const d = ctx.decisions;
  let entry = d.entryForSend(ctx, request.to);
  if (entry === null) {
    if (!d.enforceBounds(ctx, { kind: 'entry' })) return false;
    entry = createEntryForPeer(ctx, request.to, nowMs);
    const first = ctx.state.cache.recordIn(entry, request.to);
    if (first !== undefined) recheckFirstAddress(ctx, first, nowMs);
  }
  const route = d.selectDestination(ctx, entry);
  if (route === null) return false;
  const plan = d.selectSource(ctx, entry, route.finalDestination, connectionKey(request));
  if (plan === null) return false;
  const upper: UpperLayer =
    request.proto === 'udp'
      ? {
          kind: 'udp',
          sourcePort: request.sport ?? UDP_PORT_DEFAULT,
          destinationPort: request.dport ?? UDP_PORT_DEFAULT,
          payload: request.payload,
        }
      : {
          kind: 'icmpv6',
          message: {
            type: 'echo-request',
            identifier: ECHO_IDENTIFIER,
            sequence: takeEchoSequence(ctx),
            data: request.payload,
          },
        };
  const dataSa = entry.sa !== null && d.mayProtectData(ctx, entry.sa) ? entry.sa : null;
  let emulation: EmulationOptions | undefined;
  if (plan.home !== null && mayUseMobileOptions(entry.peerKind)) {
    const bu = emulationBu(ctx, entry, plan.home, plan.source);
    if (bu !== null && dataSa === null && entry.sa !== null) {
      // An anonymous SA protects BUs only (§3.4.1): the BU goes alone, before the data.
      const buOnly = dataPacket({
        ...route,
        source: plan.source,
        emulation: { home: plan.home, bu },
        upper: { kind: 'none' },
      });
      d.transmit(ctx, buOnly, entry.sa, entry);
      emulation = { home: plan.home, bu: null };
    } else {
      emulation = { home: plan.home, bu };
    }
  }
  const packet: Packet = dataPacket({ ...route, source: plan.source, emulation, upper });
  d.transmit(ctx, packet, dataSa, entry);
  return true;
}

function takeEchoSequence(ctx: HostContext): number {
  ctx.state.echoSequence = (ctx.state.echoSequence + 1) % ECHO_SEQUENCE_MODULUS;
  return ctx.state.echoSequence;
}

/**
 * §2.2.2/§2.2.3: while the source differs from the emulated home address, Alice "MUST keep
 * sending Binding Updates until a Binding Acknowledgement is received" for that care-of
 * address. Null when the binding is acknowledged or there is no SA to protect a BU.
 */
function emulationBu(ctx: HostContext, entry: EntryRecord, home: Address, careOf: Address): EmulationOptions['bu'] {
  if (entry.sa === null) return null;
  const binding = entry.emulatedBindings.get(home);
  if (binding !== undefined && binding.careOf === careOf && binding.acknowledged) return null;
  const sequence = takeBuSequence(entry);
  setNewest(entry.emulatedBindings, home, { careOf, sequence, acknowledged: false }, CONNECTIONS_PER_ENTRY_MAX);
  return {
    sequence,
    lifetimeSeconds: ctx.params.defaultLifetimeSeconds,
    ack: true,
    // §3.2.3: toward a peer known not to be homeless, no homeless sub-option.
    homelessSupport: entry.peerKind === 'unknown' && homelessSupportFor(entry),
  };
}
