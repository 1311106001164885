// A Binding Acknowledgement under valid AH (HOST.md rules 10, 11, 14; §2.2.2).

import type { BindingAck } from '../../wire/types.js';
import { BA_STATUS } from '../../wire/index.js';
import type { EntryRecord } from '../cache.js';
import type { HostContext } from '../context.js';
import { answerChallenge } from '../send/ba.js';
import type { ReceivedPacket } from './packet.js';

/**
 * A non-zero status is ignored (rule 10). Otherwise it is the peer's acknowledgement
 * (Homeless Support stops, rule 14; an emulated binding with its sequence number is
 * acknowledged, §2.2.2), and a Challenge in it is answered (rule 11).
 */
export function onBindingAck(ctx: HostContext, received: ReceivedPacket, entry: EntryRecord, ba: BindingAck): void {
  if (ba.status !== BA_STATUS.accepted) return;
  entry.acknowledgedByPeer = true;
  for (const binding of entry.emulatedBindings.values())
    if (binding.sequence === ba.sequence) binding.acknowledged = true;
  const challenge = ba.subOptions.find((s) => s.kind === 'security');
  if (challenge === undefined || challenge.kind !== 'security') return;
  answerChallenge(ctx, entry, challenge.value, received.localAddress, received.packet.ipv6.source, ba.lifetimeSeconds);
}
