// Alice talking UDP with the kernel peer across an address change (docs/findings.md, "The
// Linux kernel as a peer"): §2.2.3 to the letter against the reference host's rule, through
// real packets, with the peer's echo socket being one connection.

import { describe, expect, it } from 'vitest';

import { decodePacket } from '../../impl/wire/index.js';
import { OPTION_TYPE } from '../../impl/wire/constants.js';
import { PARAMETER_PROBLEM_CODE } from '../../properties/kernel/answers.js';
import type { Conversation, Round } from '../../properties/kernel/conversation.js';
import { preferredSource } from '../../properties/kernel/conversation.js';
import { readKernelConfig } from '../../properties/kernel/kernelConfig.js';
import {
  ALICE_INITIAL_ADDRESS,
  ALICE_SECOND_ADDRESS,
  PEER_ADDRESS,
  withKernelLab,
} from '../../properties/kernel/netns.js';
import {
  CONVERSATION_LAB,
  draftLiteralConversation,
  referenceConversation,
  referenceWithSaConversation,
} from '../../properties/kernel/report.js';
import { skipKernel, suffix } from './support.js';

const config = readKernelConfig();
const mip6Note = `expected answers are for a kernel without CONFIG_IPV6_MIP6; this one has ${config.mip6}`;

function phase(c: Conversation, p: Round['phase']): Round[] {
  const rounds = c.rounds.filter((r) => r.phase === p);
  expect(rounds.length).toBeGreaterThan(0);
  return rounds;
}

/** The UDP datagrams of a round, as Alice sent them. */
function datagrams(r: Round): Round['sent'] {
  return r.sent.filter((s) => s.udp);
}

describe('address selection of the draft-literal host', () => {
  it('rfc6724_rule_8_prefers_the_second_address_toward_the_peer', () => {
    // The premise of the comparison: a host following standard source selection would move.
    expect(preferredSource([ALICE_INITIAL_ADDRESS, ALICE_SECOND_ADDRESS], PEER_ADDRESS)).toBe(ALICE_SECOND_ADDRESS);
    expect(preferredSource([ALICE_INITIAL_ADDRESS], PEER_ADDRESS)).toBe(ALICE_INITIAL_ADDRESS);
  });
});

describe.skipIf(skipKernel)(`the Linux kernel as a peer: a UDP connection across an address change${suffix}`, () => {
  it('draft_literal_source_switch_with_an_hao_gets_every_datagram_dropped', async (ctx) => {
    ctx.skip(config.mip6 !== 'n', mip6Note);
    const c = await withKernelLab(CONVERSATION_LAB, draftLiteralConversation);
    // Before the move the connection works: the comparison is fair.
    for (const r of phase(c, 'initial')) expect(r.echoed, r.payload).toBe(true);
    for (const r of phase(c, 'second-address')) {
      expect(datagrams(r)).toHaveLength(1);
      expect(datagrams(r)[0]).toMatchObject({ source: ALICE_SECOND_ADDRESS, hao: true });
      expect(r.reachedPeer, r.payload).toBe(false);
      expect(r.echoed, r.payload).toBe(false);
      expect(r.answers).toHaveLength(1);
      const pp = r.answers[0];
      if (pp.kind !== 'parameter-problem') throw new Error(`expected a Parameter Problem, got ${pp.kind}`);
      expect(pp.code).toBe(PARAMETER_PROBLEM_CODE.unrecognizedOption);
      expect(pp.quoteComplete).toBe(true);
      expect(pp.from).toBe(PEER_ADDRESS);
      expect(pp.to).toBe(ALICE_SECOND_ADDRESS);
      const sent = r.packets[0];
      const d = decodePacket(sent);
      if (!d.ok || d.layout.destOptionsOffset === undefined) throw new Error('sent packet has no destination options');
      expect(sent[pp.pointer ?? -1]).toBe(OPTION_TYPE.hao);
    }
  });

  it('reference_host_keeps_the_connection_on_its_initial_source_and_it_keeps_working', async () => {
    const c = await withKernelLab(CONVERSATION_LAB, referenceConversation);
    for (const r of [...phase(c, 'initial'), ...phase(c, 'second-address')]) {
      expect(r.unreachable).toBe(false);
      expect(datagrams(r)).toHaveLength(1);
      // §2.2.2 (per connection): the initial source while Alice has it, so no HAO is needed.
      expect(datagrams(r)[0].source).toBe(ALICE_INITIAL_ADDRESS);
      expect(r.sent.every((s) => !s.mobileOptions)).toBe(true);
      expect(r.reachedPeer, r.payload).toBe(true);
      expect(r.echoed, r.payload).toBe(true);
    }
  });

  it('losing_the_initial_address_ends_the_connection_and_reveals_a_legacy_peer', async (ctx) => {
    ctx.skip(config.mip6 !== 'n', mip6Note);
    const c = await withKernelLab(CONVERSATION_LAB, referenceConversation);
    const lost = phase(c, 'initial-lost');
    // A documented limit (docs/findings.md): nothing reaches the connection any more.
    for (const r of lost) {
      expect(r.reachedPeer, r.payload).toBe(false);
      expect(r.echoed, r.payload).toBe(false);
    }
    // The first datagram emulates a mobile host (§2.2.3: HAO naming the initial source); the
    // kernel's Parameter Problem quoting it makes the peer legacy (HOST.md rule 15) ...
    const [first, ...rest] = lost;
    expect(datagrams(first)[0]).toMatchObject({ source: ALICE_SECOND_ADDRESS, hao: true });
    expect(first.answers.map((a) => a.kind)).toEqual(['parameter-problem']);
    expect(first.peerKind).toBe('legacy');
    // ... after which Alice sends that peer no Mobile IPv6 option (LIVE-COMPAT), and the
    // peer's connection, bound to the initial address, refuses the new source.
    for (const r of rest) {
      expect(r.sent.every((s) => !s.mobileOptions)).toBe(true);
      expect(r.answers.map((a) => (a.kind === 'destination-unreachable' ? `unreachable ${a.code}` : a.kind))).toEqual([
        'unreachable 4',
      ]);
      expect(r.peerKind).toBe('legacy');
    }
  });

  it('initial_bu_reveals_a_legacy_peer_and_the_connection_then_runs_without_options', async (ctx) => {
    ctx.skip(config.mip6 !== 'n', mip6Note);
    const c = await withKernelLab(CONVERSATION_LAB, (lab) => referenceWithSaConversation(lab, 'anonymous'));
    // §3.2.1's "seems safe" Initial BU: not a no-op but a Parameter Problem at its HAO ...
    expect(c.setup.sent).toHaveLength(1);
    expect(c.setup.sent[0]).toMatchObject({ hao: true, ah: true, source: ALICE_INITIAL_ADDRESS });
    expect(c.setup.answers).toHaveLength(1);
    const pp = c.setup.answers[0];
    if (pp.kind !== 'parameter-problem') throw new Error(`expected a Parameter Problem, got ${pp.kind}`);
    expect(pp.code).toBe(PARAMETER_PROBLEM_CODE.unrecognizedOption);
    expect(pp.quoteComplete).toBe(true);
    // ... which the reference host takes as proof of a legacy peer (HOST.md rule 15).
    expect(c.setup.peerKind).toBe('legacy');
    for (const r of [...phase(c, 'initial'), ...phase(c, 'second-address')]) {
      expect(r.sent.every((s) => !s.mobileOptions)).toBe(true);
      expect(datagrams(r)[0].source).toBe(ALICE_INITIAL_ADDRESS);
      expect(r.echoed, r.payload).toBe(true);
      expect(r.peerKind).toBe('legacy');
    }
  });

  it('datagrams_under_ah_reach_a_kernel_without_ah_only_if_it_has_ah', async () => {
    // With a generic SA the reference host protects data (§2.4, HOST.md rule 21). Whatever
    // the host decides for a legacy peer, the kernel's side is fixed: AH-protected datagrams
    // are dropped with Parameter Problem code 1 unless the kernel has AH (and an SA).
    const withoutAh = config.ah === 'n' || config.ah === 'm (not loaded)';
    const c = await withKernelLab(CONVERSATION_LAB, (lab) => referenceWithSaConversation(lab, 'generic'));
    for (const r of c.rounds) {
      const [d] = datagrams(r);
      expect(d).toBeDefined();
      if (d.ah && withoutAh) {
        expect(r.reachedPeer, r.payload).toBe(false);
        expect(r.answers.map((a) => (a.kind === 'parameter-problem' ? `pp ${a.code} @${a.pointer}` : a.kind))).toEqual([
          'pp 1 @6',
        ]);
      } else if (!d.ah && !d.mobileOptions) {
        expect(r.reachedPeer, r.payload).toBe(true);
      }
    }
  });
});
