// Reading the kernel's answers: which ICMPv6 error, about which byte of which packet, and
// whether it quotes a packet Alice sent byte for byte (the test HOST.md rule 15 puts on a
// Parameter Problem before it may make a peer `legacy`).

import { match } from 'ts-pattern';

import { decodePacket, IPV6, OPTION_TYPE, ROUTING } from '../../impl/wire/index.js';
import { NEXT_HEADER, type Address, type PacketLayout } from '../../impl/wire/types.js';

/** ICMPv6 Parameter Problem codes (RFC 4443 §3.4). */
export const PARAMETER_PROBLEM_CODE = {
  erroneousHeaderField: 0,
  unrecognizedNextHeader: 1,
  unrecognizedOption: 2,
} as const;

const PARAMETER_PROBLEM_MEANING: Record<number, string> = {
  0: 'erroneous header field',
  1: 'unrecognized Next Header',
  2: 'unrecognized IPv6 option',
};

const DESTINATION_UNREACHABLE_MEANING: Record<number, string> = {
  0: 'no route',
  1: 'administratively prohibited',
  3: 'address unreachable',
  4: 'port unreachable',
};

/** RFC 4727 §3: experimental option types, one per action; 0x1e skips (action bits 00). */
export const EXPERIMENTAL_SKIP_OPTION_TYPE = 0x1e;

const OPTION_NAME: Record<number, string> = {
  [OPTION_TYPE.hao]: 'Home Address option',
  [OPTION_TYPE.bu]: 'Binding Update option',
  [OPTION_TYPE.ba]: 'Binding Acknowledgement option',
  [OPTION_TYPE.br]: 'Binding Request option',
  [EXPERIMENTAL_SKIP_OPTION_TYPE]: 'experimental option (RFC 4727)',
};

const PROTOCOL_NAME: Record<number, string> = {
  [NEXT_HEADER.routing]: 'routing header',
  [NEXT_HEADER.destinationOptions]: 'destination options',
  [NEXT_HEADER.ah]: 'AH',
  [NEXT_HEADER.udp]: 'UDP',
  [NEXT_HEADER.icmpv6]: 'ICMPv6',
  [NEXT_HEADER.noNextHeader]: 'no next header',
};

function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/**
 * Names the byte at `offset` of an encoded packet: what an ICMPv6 pointer points at. `layout`
 * is what decodePacket found in `bytes`.
 */
export function describeOffset(bytes: Uint8Array, layout: PacketLayout, offset: number): string {
  if (offset < 0 || offset >= bytes.length) return `byte ${offset}, beyond the packet`;
  if (offset === IPV6.offsetNextHeader) {
    const nh = bytes[offset];
    return `the IPv6 Next Header field (${nh}, ${PROTOCOL_NAME[nh] ?? 'unknown'})`;
  }
  if (offset < IPV6.headerBytes) return `byte ${offset} of the IPv6 header`;
  const { routingOffset, routingLength, destOptionsOffset, destOptionsLength, ahOffset } = layout;
  if (routingOffset !== undefined && routingLength !== undefined && within(offset, routingOffset, routingLength)) {
    const at = offset - routingOffset;
    if (at === ROUTING.offsetType) return `the routing header's Routing Type (${bytes[offset]})`;
    if (at === ROUTING.offsetSegmentsLeft) return `the routing header's Segments Left (${bytes[offset]})`;
    return `byte ${at} of the routing header`;
  }
  if (
    destOptionsOffset !== undefined &&
    destOptionsLength !== undefined &&
    within(offset, destOptionsOffset, destOptionsLength)
  ) {
    const option = layout.options.find((o) => within(offset, o.offset, o.length));
    if (option?.offset === offset)
      return `the Type byte of the ${OPTION_NAME[option.type] ?? 'option'} (${hex2(option.type)})`;
    if (option !== undefined) return `inside the option of type ${hex2(option.type)}`;
    return `byte ${offset - destOptionsOffset} of the destination options header`;
  }
  if (ahOffset !== undefined && offset >= ahOffset && offset < layout.upperOffset) {
    return offset === ahOffset ? "the AH's Next Header" : `byte ${offset - ahOffset} of the AH`;
  }
  return `byte ${offset - layout.upperOffset} of the upper layer`;
}

/** Whether `offset` is in the `length` bytes from `start`. */
function within(offset: number, start: number, length: number): boolean {
  return offset >= start && offset < start + length;
}

/** `quote` is the first bytes of `packet` (at least its IPv6 header), byte for byte. */
function isPrefix(quote: Uint8Array, packet: Uint8Array): boolean {
  if (quote.length < IPV6.headerBytes || quote.length > packet.length) return false;
  for (let i = 0; i < quote.length; i++) if (quote[i] !== packet[i]) return false;
  return true;
}

/** An ICMPv6 error the kernel sent, read against the packets Alice sent. */
export interface IcmpError {
  from: Address;
  to: Address;
  code: number;
  /** Parameter Problem only. */
  pointer: number | null;
  /**
   * Index of the sent packet it quotes byte for byte (all of it, or its first `quotedBytes`
   * when the error could not hold more), or null.
   */
  quotes: number | null;
  /** Bytes of the invoking packet the error carries. */
  quotedBytes: number;
  /** The quote is the whole sent packet. */
  quoteComplete: boolean;
  /** What the pointer points at in the quoted packet. */
  pointsAt: string | null;
  bytes: Uint8Array;
}

/** One packet the kernel sent back, read. */
export type KernelAnswer =
  | ({ kind: 'parameter-problem' } & IcmpError)
  | ({ kind: 'destination-unreachable' } & IcmpError)
  | {
      kind: 'udp';
      from: Address;
      to: Address;
      sourcePort: number;
      destinationPort: number;
      payload: Uint8Array;
      bytes: Uint8Array;
    }
  | { kind: 'other'; from: Address | null; summary: string; bytes: Uint8Array };

/** Reads one answer against the packets that were sent (to find the one it quotes). */
export function readAnswer(bytes: Uint8Array, sent: readonly Uint8Array[]): KernelAnswer {
  const d = decodePacket(bytes);
  if (!d.ok) return { kind: 'other', from: null, summary: `undecodable (${d.error.code} at ${d.error.offset})`, bytes };
  const p = d.packet;
  const { source: from, destination: to } = p.ipv6;
  return match(p.upper)
    .with({ kind: 'udp' }, (u): KernelAnswer => ({
      kind: 'udp',
      from,
      to,
      sourcePort: u.sourcePort,
      destinationPort: u.destinationPort,
      payload: u.payload,
      bytes,
    }))
    .with({ kind: 'icmpv6' }, ({ message }): KernelAnswer =>
      match(message)
        .with({ type: 'parameter-problem' }, { type: 'destination-unreachable' }, (m): KernelAnswer => {
          const quotes = sent.findIndex((s) => isPrefix(m.invoking, s));
          const pointer = m.type === 'parameter-problem' ? m.pointer : null;
          let pointsAt: string | null = null;
          if (quotes >= 0 && pointer !== null) {
            const q = decodePacket(sent[quotes]);
            if (q.ok) pointsAt = describeOffset(sent[quotes], q.layout, pointer);
          }
          const error: IcmpError = {
            from,
            to,
            code: m.code,
            pointer,
            quotes: quotes >= 0 ? quotes : null,
            quotedBytes: m.invoking.length,
            quoteComplete: quotes >= 0 && m.invoking.length === sent[quotes].length,
            pointsAt,
            bytes,
          };
          return m.type === 'parameter-problem'
            ? { kind: 'parameter-problem', ...error }
            : { kind: 'destination-unreachable', ...error };
        })
        .with({ type: 'echo-request' }, { type: 'echo-reply' }, (m): KernelAnswer => ({
          kind: 'other',
          from,
          summary: `ICMPv6 ${m.type}`,
          bytes,
        }))
        .with({ type: 'other' }, (m): KernelAnswer => ({
          kind: 'other',
          from,
          summary: `ICMPv6 type ${m.icmpType} code ${m.code}`,
          bytes,
        }))
        .exhaustive(),
    )
    .with({ kind: 'none' }, { kind: 'raw' }, (u): KernelAnswer => ({
      kind: 'other',
      from,
      summary: `upper layer ${u.kind}`,
      bytes,
    }))
    .exhaustive();
}

/** One line for a table: what the answer was, in words. */
export function describeAnswer(a: KernelAnswer): string {
  return match(a)
    .with({ kind: 'parameter-problem' }, (x) => {
      const meaning = PARAMETER_PROBLEM_MEANING[x.code] ?? 'unknown code';
      const quote =
        x.quotes === null
          ? 'does not quote a packet we sent'
          : x.quoteComplete
            ? 'quotes the whole packet byte for byte'
            : `quotes the packet's first ${x.quotedBytes} bytes byte for byte`;
      return `ICMPv6 Parameter Problem, code ${x.code} (${meaning}), pointer ${x.pointer}${x.pointsAt !== null ? `: ${x.pointsAt}` : ''}; ${quote}`;
    })
    .with({ kind: 'destination-unreachable' }, (x) => {
      const meaning = DESTINATION_UNREACHABLE_MEANING[x.code] ?? 'unknown code';
      return `ICMPv6 Destination Unreachable, code ${x.code} (${meaning})`;
    })
    .with({ kind: 'udp' }, (x) => `UDP reply from [${x.from}]:${x.sourcePort}`)
    .with({ kind: 'other' }, (x) => x.summary)
    .exhaustive();
}
