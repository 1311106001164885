// Single packets from hmip6's wire layer to this machine's Linux kernel (docs/findings.md,
// "The Linux kernel as a peer"). The answers asserted here are those of a kernel without
// CONFIG_IPV6_MIP6 and CONFIG_INET6_AH (today's usual build, and this project's CI); on a
// kernel with either, the tests that depend on it skip and say so.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { decodePacket } from '../../impl/wire/index.js';
import { OPTION_TYPE } from '../../impl/wire/constants.js';
import { PARAMETER_PROBLEM_CODE, type KernelAnswer } from '../../properties/kernel/answers.js';
import { readKernelConfig } from '../../properties/kernel/kernelConfig.js';
import {
  ALICE_INITIAL_ADDRESS,
  ALICE_SECOND_ADDRESS,
  openKernelLab,
  PEER_ADDRESS,
  type KernelLab,
} from '../../properties/kernel/netns.js';
import {
  LARGE_PACKET_BYTES,
  runScenario,
  SCENARIOS,
  type ScenarioId,
  type ScenarioResult,
} from '../../properties/kernel/scenarios.js';
import { skipKernel, suffix } from './support.js';

const config = readKernelConfig();
const withoutMip6 = config.mip6 === 'n';
const withoutAh = config.ah === 'n' || config.ah === 'm (not loaded)';
const mip6Note = `expected answers are for a kernel without CONFIG_IPV6_MIP6; this one has ${config.mip6}`;
const ahNote = `expected answers are for a kernel without AH; this one has CONFIG_INET6_AH ${config.ah}`;

/** Offset of the first option of `type` in an encoded packet's Destination Options header. */
function optionOffset(bytes: Uint8Array, type: number): number {
  const d = decodePacket(bytes);
  if (!d.ok || d.layout.destOptionsOffset === undefined) throw new Error('no destination options');
  const option = d.layout.options.find((o) => o.type === type);
  if (option === undefined) throw new Error(`no option ${type}`);
  return option.offset;
}

function sourceOf(bytes: Uint8Array): string {
  const d = decodePacket(bytes);
  if (!d.ok) throw new Error('undecodable packet');
  return d.packet.ipv6.source;
}

function onlyParameterProblem(r: ScenarioResult): Extract<KernelAnswer, { kind: 'parameter-problem' }> {
  expect(r.answers.map((a) => a.kind)).toEqual(['parameter-problem']);
  const pp = r.answers[0];
  if (pp.kind !== 'parameter-problem') throw new Error('unreachable');
  // Sent by the peer to the packet's source, quoting the whole packet byte for byte (rule 15).
  expect(pp.from).toBe(PEER_ADDRESS);
  expect(pp.to).toBe(sourceOf(r.sent[0]));
  expect(pp.quotes).toBe(0);
  expect(pp.quoteComplete).toBe(true);
  return pp;
}

describe.skipIf(skipKernel)(`the Linux kernel as a peer: single packets${suffix}`, () => {
  let lab: KernelLab;

  beforeAll(async () => {
    lab = await openKernelLab({ aliceAddresses: [ALICE_INITIAL_ADDRESS, ALICE_SECOND_ADDRESS] });
  });
  afterAll(async () => {
    await lab?.close();
  });

  async function run(id: ScenarioId): Promise<ScenarioResult> {
    const s = SCENARIOS.find((x) => x.id === id);
    if (s === undefined) throw new Error(`no scenario ${id}`);
    return runScenario(lab, s);
  }

  it('plain_udp_is_delivered_and_echoed', async () => {
    const r = await run('udp');
    expect(r.delivered).toBe(true);
    expect(r.echoed).toBe(true);
    expect(r.answers.every((a) => a.kind === 'udp')).toBe(true);
  });

  it('udp_with_a_skippable_unknown_option_is_delivered', async () => {
    // Control: the kernel honours the action bits; 00 means skip (RFC 8200 §4.2).
    const r = await run('udp-skip-option');
    expect(r.delivered).toBe(true);
    expect(r.echoed).toBe(true);
  });

  it('udp_with_a_home_address_option_is_dropped_with_parameter_problem_code_2_at_the_option', async (ctx) => {
    ctx.skip(!withoutMip6, mip6Note);
    const r = await run('udp-hao');
    expect(r.delivered).toBe(false);
    expect(r.echoed).toBe(false);
    const pp = onlyParameterProblem(r);
    expect(pp.code).toBe(PARAMETER_PROBLEM_CODE.unrecognizedOption);
    expect(pp.pointer).toBe(optionOffset(r.sent[0], OPTION_TYPE.hao));
    // The answer goes to the packet's source, the new address, not to the home address.
    expect(pp.to).toBe(ALICE_SECOND_ADDRESS);
  });

  it('a_long_packet_is_quoted_up_to_1232_bytes_so_a_host_can_demand_exactly_that_much', async (ctx) => {
    ctx.skip(!withoutMip6, mip6Note);
    // RFC 4443 §2.4(c): the error must fit in 1280 bytes, so 1280 - 40 - 8 bytes of the packet.
    const r = await run('udp-hao-large');
    expect(r.sent[0].length).toBe(LARGE_PACKET_BYTES);
    expect(r.answers).toHaveLength(1);
    const pp = r.answers[0];
    if (pp.kind !== 'parameter-problem') throw new Error(`expected a Parameter Problem, got ${pp.kind}`);
    expect(pp.bytes.length).toBe(1280);
    expect(pp.quotes).toBe(0);
    expect(pp.quotedBytes).toBe(1232);
    expect(pp.quoteComplete).toBe(false);
    expect(pp.pointer).toBe(optionOffset(r.sent[0], OPTION_TYPE.hao));
  });

  it('udp_with_a_binding_update_option_is_dropped_with_parameter_problem_code_2_at_the_option', async (ctx) => {
    ctx.skip(!withoutMip6, mip6Note);
    const r = await run('udp-bu');
    expect(r.delivered).toBe(false);
    const pp = onlyParameterProblem(r);
    expect(pp.code).toBe(PARAMETER_PROBLEM_CODE.unrecognizedOption);
    expect(pp.pointer).toBe(optionOffset(r.sent[0], OPTION_TYPE.bu));
  });

  it('initial_binding_update_is_not_a_no_op_but_a_parameter_problem_at_its_hao', async (ctx) => {
    ctx.skip(!withoutMip6, mip6Note);
    // §3.2.1 expects a standard host to treat it as a no-op ("seems safe").
    const r = await run('initial-bu');
    const pp = onlyParameterProblem(r);
    expect(pp.code).toBe(PARAMETER_PROBLEM_CODE.unrecognizedOption);
    // The first option the kernel does not know stops it: the HAO, before the BU.
    expect(pp.pointer).toBe(optionOffset(r.sent[0], OPTION_TYPE.hao));
    expect(pp.pointsAt).toMatch(/Home Address/);
  });

  it('ah_without_kernel_ah_is_a_parameter_problem_code_1_at_the_next_header', async (ctx) => {
    ctx.skip(!withoutAh, ahNote);
    const r = await run('ah-udp');
    expect(r.delivered).toBe(false);
    const pp = onlyParameterProblem(r);
    expect(pp.code).toBe(PARAMETER_PROBLEM_CODE.unrecognizedNextHeader);
    expect(pp.pointer).toBe(6); // the IPv6 header's Next Header field, which says 51
  });

  it('type_0_routing_header_with_segments_left_is_a_parameter_problem_code_0_at_its_type', async () => {
    // RFC 5095 §3: a node must treat RH0 like an unrecognized routing type.
    const r = await run('rh0-segments-left-1');
    expect(r.delivered).toBe(false);
    const pp = onlyParameterProblem(r);
    expect(pp.code).toBe(PARAMETER_PROBLEM_CODE.erroneousHeaderField);
    const d = decodePacket(r.sent[0]);
    if (!d.ok || d.layout.routingOffset === undefined) throw new Error('no routing header');
    expect(pp.pointer).toBe(d.layout.routingOffset + 2);
  });

  it('type_0_routing_header_with_no_segments_left_is_ignored_and_the_udp_delivered', async () => {
    // RFC 5095 §3 / RFC 8200 §4.4: with Segments Left 0 an unrecognized routing type is skipped.
    const r = await run('rh0-segments-left-0');
    expect(r.delivered).toBe(true);
    expect(r.echoed).toBe(true);
  });
});
