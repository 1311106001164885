// The single-packet scenarios of docs/findings.md, "The Linux kernel as a peer": each builds
// one packet with the project's wire layer (and AH with impl/crypto), exactly as hmip6's host
// would put it on the wire, sends it to the kernel peer, and reads what the kernel did: the
// ICMPv6 error it answered, or the datagram its UDP echo service received and sent back.

import { protect } from '../../impl/crypto/index.js';
import { alternatePrefixesFor, decodePacket, encodePacket } from '../../impl/wire/index.js';
import type { Address, DestOption, Packet, UpperLayer } from '../../impl/wire/types.js';
import { EXPERIMENTAL_SKIP_OPTION_TYPE, readAnswer, describeAnswer, type KernelAnswer } from './answers.js';
import { ALICE_INITIAL_ADDRESS, ALICE_SECOND_ADDRESS, ECHO_PORT, PEER_ADDRESS, type KernelLab } from './netns.js';

/** Hop limit hosts send (WIRE.md). */
const HOP_LIMIT = 64;
/** An Initial BU's lifetime: `defaultLifetimeSeconds` (§3.3 DEFAULT-LIFETIME). */
const INITIAL_BU_LIFETIME_SECONDS = 600;
/**
 * How long to wait for the kernel's answers. It answers in well under a millisecond, and every
 * exchange returns as soon as all expected answers are in, so this only bounds a slow machine.
 */
export const ANSWER_WAIT_MS = 1500;
/** A packet longer than an ICMPv6 error may quote (RFC 4443 §2.4: the error fits in 1280 bytes). */
export const LARGE_PACKET_BYTES = 1400;
/** IPv6 header, a Destination Options header holding one HAO, UDP header. */
const HAO_UDP_OVERHEAD_BYTES = 40 + 24 + 8;
/** The peer's home address in the routing-header scenarios (it has no such address). */
const PEER_HOME_ADDRESS: Address = '2001:db8:b::beef';

/** A made-up SA on Alice's side only: the kernel has none (and no AH to use one with). */
export const SCENARIO_SA = {
  alg: 'hmac-sha1-96' as const,
  key: Uint8Array.from({ length: 20 }, (_, i) => i + 1),
  spi: 256,
};

export type ScenarioId =
  | 'udp'
  | 'udp-skip-option'
  | 'udp-hao'
  | 'udp-hao-large'
  | 'udp-bu'
  | 'initial-bu'
  | 'ah-udp'
  | 'rh0-segments-left-1'
  | 'rh0-segments-left-0';

export interface Scenario {
  id: ScenarioId;
  /** What Alice sends, in words. */
  title: string;
  /** Where the draft (or an RFC) asks for or relies on this packet. */
  reference: string;
  build(): Uint8Array;
}

export interface ScenarioResult {
  id: ScenarioId | string;
  title: string;
  reference: string;
  sent: Uint8Array[];
  answers: KernelAnswer[];
  /** The peer's UDP socket received the datagram (its kernel delivered it). */
  delivered: boolean | null;
  /** The echo came back to Alice. */
  echoed: boolean | null;
  /** The kernel's answer, in words. */
  summary: string;
}

function udp(payload: string): UpperLayer {
  return { kind: 'udp', sourcePort: ECHO_PORT, destinationPort: ECHO_PORT, payload: new TextEncoder().encode(payload) };
}

function packet(
  source: Address,
  upper: UpperLayer,
  extra: Partial<Pick<Packet, 'destOptions' | 'routing'>> = {},
): Packet {
  return {
    ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: HOP_LIMIT, source, destination: PEER_ADDRESS },
    ...extra,
    upper,
  };
}

/** The Initial BU of docs/rules.md rule 14 / §3.2.1: HAO = source, A bit, Homeless Support first, Alternate Prefixes. */
export function initialBindingUpdate(source: Address, otherAddresses: readonly Address[], sequence = 1): Packet {
  const options: DestOption[] = [
    { kind: 'hao', homeAddress: source },
    {
      kind: 'bu',
      flags: { ack: true, home: false, router: false, dad: false },
      prefixLength: 0,
      sequence,
      lifetimeSeconds: INITIAL_BU_LIFETIME_SECONDS,
      subOptions: [{ kind: 'homeless-support' }, ...alternatePrefixesFor(otherAddresses, source)],
    },
  ];
  return packet(source, { kind: 'none' }, { destOptions: options });
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'udp',
    title: 'plain UDP',
    reference: 'control',
    build: () => encodePacket(packet(ALICE_INITIAL_ADDRESS, udp('hmip6 udp'))),
  },
  {
    id: 'udp-skip-option',
    title: 'UDP + destination option 0x1e (action 00, "skip")',
    reference: 'control: RFC 8200 §4.2 action bits',
    build: () =>
      encodePacket(
        packet(ALICE_INITIAL_ADDRESS, udp('hmip6 udp-skip-option'), {
          destOptions: [{ kind: 'unknown', type: EXPERIMENTAL_SKIP_OPTION_TYPE, data: new Uint8Array(4) }],
        }),
      ),
  },
  {
    id: 'udp-hao',
    title: 'UDP + Home Address option (0xc9), source = second address, HAO = initial address',
    reference: '§2.2.2, §2.2.3',
    build: () =>
      encodePacket(
        packet(ALICE_SECOND_ADDRESS, udp('hmip6 udp-hao'), {
          destOptions: [{ kind: 'hao', homeAddress: ALICE_INITIAL_ADDRESS }],
        }),
      ),
  },
  {
    id: 'udp-hao-large',
    title: `UDP + Home Address option, ${LARGE_PACKET_BYTES} bytes in all (more than an ICMPv6 error can quote)`,
    reference: 'RFC 4443 §2.4, docs/rules.md rule 15',
    build: () =>
      encodePacket(
        packet(
          ALICE_SECOND_ADDRESS,
          {
            kind: 'udp',
            sourcePort: ECHO_PORT,
            destinationPort: ECHO_PORT,
            payload: new Uint8Array(LARGE_PACKET_BYTES - HAO_UDP_OVERHEAD_BYTES).fill(0x68),
          },
          { destOptions: [{ kind: 'hao', homeAddress: ALICE_INITIAL_ADDRESS }] },
        ),
      ),
  },
  {
    id: 'udp-bu',
    title: 'UDP + draft-13 Binding Update option (0xc6) alone',
    reference: '§2.2.2',
    build: () =>
      encodePacket(
        packet(ALICE_INITIAL_ADDRESS, udp('hmip6 udp-bu'), {
          destOptions: [
            {
              kind: 'bu',
              flags: { ack: false, home: false, router: false, dad: false },
              prefixLength: 0,
              sequence: 1,
              lifetimeSeconds: INITIAL_BU_LIFETIME_SECONDS,
              subOptions: [],
            },
          ],
        }),
      ),
  },
  {
    id: 'initial-bu',
    title: 'Initial BU: HAO = source, BU (A, Homeless Support, Alternate Prefixes), AH hmac-sha1-96',
    reference: '§3.2.1, docs/rules.md rule 14',
    build: () =>
      protect(initialBindingUpdate(ALICE_INITIAL_ADDRESS, [ALICE_SECOND_ADDRESS]), { ...SCENARIO_SA, sequence: 1 }),
  },
  {
    id: 'ah-udp',
    title: 'UDP under AH (hmac-sha1-96), no destination options',
    reference: '§2.4, docs/wire-format.md "AH and what the ICV covers"',
    build: () => protect(packet(ALICE_INITIAL_ADDRESS, udp('hmip6 ah-udp')), { ...SCENARIO_SA, sequence: 2 }),
  },
  {
    id: 'rh0-segments-left-1',
    title: "UDP + type 0 routing header, Segments Left 1 (as sent toward a mobile host's care-of address)",
    reference: '§2.2.2, RFC 5095',
    build: () =>
      encodePacket(
        packet(ALICE_INITIAL_ADDRESS, udp('hmip6 rh0-1'), {
          routing: { segmentsLeft: 1, addresses: [PEER_HOME_ADDRESS] },
        }),
      ),
  },
  {
    id: 'rh0-segments-left-0',
    title: 'UDP + type 0 routing header, Segments Left 0 (route already walked)',
    reference: 'RFC 5095 §3',
    build: () =>
      encodePacket(
        packet(ALICE_INITIAL_ADDRESS, udp('hmip6 rh0-0'), {
          routing: { segmentsLeft: 0, addresses: [PEER_HOME_ADDRESS] },
        }),
      ),
  },
];

/** The UDP payload of a packet Alice sent, if it carries one. */
function payloadOf(bytes: Uint8Array): Uint8Array | null {
  const d = decodePacket(bytes);
  return d.ok && d.packet.upper.kind === 'udp' ? d.packet.upper.payload : null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Sends some packets to the kernel peer and reads everything that comes of them. */
export async function sendAndRead(
  lab: KernelLab,
  id: string,
  title: string,
  reference: string,
  sent: Uint8Array[],
): Promise<ScenarioResult> {
  const echoBefore = lab.echoLog().length;
  const result = await lab.exchange(sent, { waitMs: ANSWER_WAIT_MS, expect: sent.length });
  const answers = result.received.map((b) => readAnswer(b, sent));
  const payloads = sent.map(payloadOf).filter((p): p is Uint8Array => p !== null);
  const echoed =
    payloads.length === 0
      ? null
      : payloads.every((p) =>
          answers.some((a) => a.kind === 'udp' && a.sourcePort === ECHO_PORT && sameBytes(a.payload, p)),
        );
  const delivered =
    payloads.length === 0 ? null : await lab.echoReceived(payloads, echoBefore, echoed === true ? undefined : 0);
  const parts = answers.map(describeAnswer);
  let summary: string;
  if (delivered === true && echoed === true && answers.every((a) => a.kind === 'udp'))
    summary = 'delivered; the echo service answered';
  else if (parts.length === 0) summary = delivered === true ? 'delivered, no answer' : 'no answer (silently dropped)';
  else summary = parts.join('; ');
  if (result.errors.length > 0) summary += ` (send errors: ${result.errors.join(', ')})`;
  return { id, title, reference, sent, answers, delivered, echoed, summary };
}

export async function runScenario(lab: KernelLab, s: Scenario): Promise<ScenarioResult> {
  return sendAndRead(lab, s.id, s.title, s.reference, [s.build()]);
}
