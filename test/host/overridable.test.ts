// The mutant bank (test/mutants/) builds broken hosts by subclassing ReferenceHost and
// overriding one decision each; docs/host.md lists those methods. This keeps the list and the
// class in step, and shows that an override takes effect.

import { describe, expect, it } from 'vitest';
import { ReferenceHost, seededRandom, type Address, type AddressRecord } from '../../impl/host/index.js';
import { A1, B1, B2, HandPeer, challengesIn, claimBu, okSent, saPair } from './helpers.js';

/** docs/host.md, "Overridable methods": every decision a mutant may replace. */
const OVERRIDABLE_METHODS = [
  // host-core.ts
  'setAddressStatus', 'traceStatus', 'activateAddress', 'deprecateAddress', 'removeAddress', 'removeEntryIfEmpty',
  'createEntryForPeer', 'enforceBounds', 'challengeCount', 'transmit', 'rememberSent', 'oldestLocalOfScope', 'localGlobalAddresses', 'isLocal',
  // verification.ts
  'grantedLifetimeSeconds', 'admitNamedAddress', 'shouldChallenge', 'onConflict', 'startRecheck', 'startChallenge', 'drawChallengeTime',
  'challengeDestination', 'challengeSource', 'retransmitChallenge', 'acceptResponse', 'recordResponse', 'endChallengeUnanswered',
  'settleClaims', 'flushEntries', 'recheckFirstAddress',
  // send-path.ts
  'entryForSend', 'selectDestination', 'standardMobileRoute', 'selectSource', 'rememberConnection', 'mayProtectData', 'takeBuSequence',
  'homelessSupportFor', 'sendData', 'takeEchoSequence', 'emulationBu', 'sendInitialBu', 'sendRefreshBu', 'sendAddressList',
  'announceAddress', 'withdrawAddress', 'sendPlainBa', 'answerChallenge', 'responseSource', 'scheduleRefresh',
  // receive-path.ts
  'receivePacket', 'finalDestination', 'verifyPacketAh', 'replayCheck', 'onHomeAddress', 'onAuthenticated', 'applyPacketCompatEvent',
  'applyCompatEvent', 'refreshActivity', 'onBindingUpdate', 'namedAddresses', 'claimContext', 'replyTarget', 'onResponse',
  'onBindingAck', 'onBindingRequest', 'onAppendixB', 'onData', 'attributeData', 'deliver', 'onIcmp', 'onParameterProblem',
  // timers.ts
  'expire', 'nextDue', 'applyDue', 'onTick',
  // index.ts
  'refuseNow', 'refuseSaConfig', 'refuseSaAfterExpiry', 'refuseSendRequest', 'begin', 'entryToReuseForSa', 'establishSa', 'dryRun',
] as const;

describe('the overridable methods of ReferenceHost (docs/host.md)', () => {
  it('every_listed_method_exists_on_the_class', () => {
    const proto = ReferenceHost.prototype as unknown as Record<string, unknown>;
    for (const name of OVERRIDABLE_METHODS) expect(typeof proto[name], name).toBe('function');
  });

  it('an_override_of_one_decision_changes_the_host (challengeDestination)', () => {
    class ChallengesTheOldAddress extends ReferenceHost {
      protected override challengeDestination(record: AddressRecord): Address {
        return record.entry.addresses[0].address;
      }
    }
    const alice = new ChallengesTheOldAddress({ localAddresses: [A1], random: seededRandom(1), nowMs: 0 });
    okSent(alice.addSA(saPair(A1, B1, 300, 400).atA, 0));
    const sent = okSent(alice.receive(claimBu(new HandPeer(300), B1, A1, 1, B2), 10));
    expect(challengesIn(sent).map((c) => c.packet.ipv6.destination)).toEqual([B1]);
  });
});
