// The ground truth's own reading of a packet (DESIGN.md "Independent ground truth"): an IPv6
// header-chain walker written from RFC 2460 and WIRE.md's layout, sharing no code with
// impl/wire, so that a bug in the codec every node uses cannot hide in the world's verdicts.
//
// It reads only what the truth needs: where each header sits, the AH's SPI, sequence number
// and Authentication Data, every destination option (type, where its data is), the routing
// header's addresses, and the upper layer (UDP ports and payload, ICMPv6 type, code and data).
// It never throws: bytes it cannot walk give null. It checks lengths, not meanings: whether a
// known option has the right length is the codec's question (WIRE.md "undecodable"), which the
// world still asks impl/wire.

import type { Address } from '../../impl/wire/types.js';

/** Next Header values (RFC 2460 §4, IANA): the chain WIRE.md allows, and the upper layers. */
export const NEXT_HEADER = { routing: 43, destOptions: 60, ah: 51, udp: 17, icmpv6: 58, none: 59 } as const;

/** Destination option types the project knows (WIRE.md "Mobile IPv6 draft-13 destination options"). */
export const OPTION = { pad1: 0, padN: 1, ba: 7, br: 8, bu: 0xc6, hao: 0xc9 } as const;
const KNOWN_OPTIONS: ReadonlySet<number> = new Set(Object.values(OPTION));

/** ICMPv6 types (RFC 4443) that rule 23 delivers. */
export const ICMP_ECHO_REQUEST = 128;
export const ICMP_ECHO_REPLY = 129;

const IPV6_HEADER_BYTES = 40;
const IPV6_PAYLOAD_LENGTH_AT = 4;
const IPV6_NEXT_HEADER_AT = 6;
export const IPV6_HOP_LIMIT_AT = 7;
export const IPV6_SOURCE_AT = 8;
export const IPV6_DESTINATION_AT = 24;
export const ADDRESS_BYTES = 16;
/** An extension header is at least 8 bytes; Hdr Ext Len counts 8-byte units beyond the first (RFC 2460 §4.3). */
const EXTENSION_UNIT_BYTES = 8;
/** Type 0 routing header (RFC 2460 §4.4): Routing Type at 2, Segments Left at 3, addresses from 8. */
export const ROUTING_SEGMENTS_LEFT_AT = 3;
export const ROUTING_ADDRESSES_AT = 8;
const ROUTING_TYPE_AT = 2;
/** AH (RFC 2402 §2): Payload Len counts 32-bit words minus 2; SPI at 4, Sequence Number at 8, Authentication Data from 12. */
const AH_WORD_BYTES = 4;
const AH_SPI_AT = 4;
const AH_SEQUENCE_AT = 8;
const AH_AUTH_DATA_AT = 12;
/** The C bit of an option type: its data may change en route (RFC 2460 §4.2). */
export const OPTION_MUTABLE_BIT = 0x20;
/** The two high bits of an option type: what to do with an unknown one (RFC 2460 §4.2). */
const OPTION_ACTION_SHIFT = 6;
/** UDP header (RFC 768): ports, length, checksum. */
export const UDP_HEADER_BYTES = 8;
/** ICMPv6 (RFC 4443): type, code, checksum; an echo adds identifier and sequence. */
const ICMP_HEADER_BYTES = 4;
const ICMP_ECHO_HEADER_BYTES = 8;

export interface WalkedOption {
  type: number;
  /** Offset of the option's type byte. */
  at: number;
  /** Offset and size of its data (none for Pad1). */
  dataAt: number;
  dataBytes: number;
}

export interface Walk {
  /** 40 + Payload Length: the bytes the packet is made of (and the ICV covers). */
  length: number;
  routing?: { at: number; segmentsLeft: number; addressCount: number };
  destOptions?: { at: number; end: number; options: WalkedOption[] };
  ah?: { at: number; end: number; spi: number; sequence: number; authDataAt: number };
  /** The header after the last extension header, and where it starts. */
  upper: { nextHeader: number; at: number };
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

/** The options of a Destination Options header's body [start, end), or null if one overruns it. */
function walkOptions(b: Uint8Array, start: number, end: number): WalkedOption[] | null {
  const out: WalkedOption[] = [];
  let at = start;
  while (at < end) {
    const type = b[at];
    if (type === OPTION.pad1) {
      out.push({ type, at, dataAt: at + 1, dataBytes: 0 });
      at += 1;
      continue;
    }
    if (at + 2 > end) return null;
    const dataBytes = b[at + 1];
    if (at + 2 + dataBytes > end) return null;
    out.push({ type, at, dataAt: at + 2, dataBytes });
    at += 2 + dataBytes;
  }
  return out;
}

/**
 * Walks IPv6 → [routing] → [destination options] → [AH] → upper layer (WIRE.md "Packet layout").
 * Null when the bytes are not an IPv6 packet whose Payload Length matches them, or a header
 * overruns the packet, or a header repeats or comes out of WIRE.md's order.
 */
export function walkPacket(b: Uint8Array): Walk | null {
  if (b.length < IPV6_HEADER_BYTES || b[0] >> 4 !== 6) return null;
  const length = IPV6_HEADER_BYTES + u16(b, IPV6_PAYLOAD_LENGTH_AT);
  if (length !== b.length) return null;
  const walk: Walk = { length, upper: { nextHeader: NEXT_HEADER.none, at: length } };
  let next = b[IPV6_NEXT_HEADER_AT];
  let at = IPV6_HEADER_BYTES;
  /** WIRE.md's order: routing, then destination options, then AH, each at most once. */
  const order: number[] = [NEXT_HEADER.routing, NEXT_HEADER.destOptions, NEXT_HEADER.ah];
  let stage = -1;
  for (;;) {
    const position = order.indexOf(next);
    if (position < 0) break;
    if (position <= stage) return null;
    stage = position;
    if (at + EXTENSION_UNIT_BYTES > length) return null;
    if (next === NEXT_HEADER.ah) {
      const end = at + AH_WORD_BYTES * (b[at + 1] + 2);
      if (end > length || end < at + AH_AUTH_DATA_AT) return null;
      walk.ah = {
        at,
        end,
        spi: u32(b, at + AH_SPI_AT),
        sequence: u32(b, at + AH_SEQUENCE_AT),
        authDataAt: at + AH_AUTH_DATA_AT,
      };
      next = b[at];
      at = end;
      continue;
    }
    const end = at + EXTENSION_UNIT_BYTES * (b[at + 1] + 1);
    if (end > length) return null;
    if (next === NEXT_HEADER.routing) {
      // Type 0 only (WIRE.md); 16-byte addresses fill the header after its first 8 bytes.
      if (b[at + ROUTING_TYPE_AT] !== 0) return null;
      const addressBytes = end - at - ROUTING_ADDRESSES_AT;
      if (addressBytes % ADDRESS_BYTES !== 0) return null;
      const addressCount = addressBytes / ADDRESS_BYTES;
      const segmentsLeft = b[at + ROUTING_SEGMENTS_LEFT_AT];
      if (segmentsLeft > addressCount) return null;
      walk.routing = { at, segmentsLeft, addressCount };
    } else {
      const options = walkOptions(b, at + 2, end);
      if (options === null) return null;
      walk.destOptions = { at, end, options };
    }
    next = b[at];
    at = end;
  }
  walk.upper = { nextHeader: next, at };
  return walk;
}

// ---------------------------------------------------------------------------------------
// Addresses.

/** RFC 5952 text of the 16 bytes at `at` (the form the trace and the adapter protocol use). */
export function addressAt(b: Uint8Array, at: number): Address {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(u16(b, at + 2 * i));
  // RFC 5952 §5: IPv4-mapped addresses end in a dotted quad.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${b[at + 12]}.${b[at + 13]}.${b[at + 14]}.${b[at + 15]}`;
  }
  // §4.2: the longest run of two or more zero groups becomes "::", the first on a tie.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = (list: number[]): string => list.map((g) => g.toString(16)).join(':');
  if (best.length < 2) return hex(groups);
  return `${hex(groups.slice(0, best.start))}::${hex(groups.slice(best.start + best.length))}`;
}

export function sourceOf(b: Uint8Array): Address {
  return addressAt(b, IPV6_SOURCE_AT);
}

export function destinationOf(b: Uint8Array): Address {
  return addressAt(b, IPV6_DESTINATION_AT);
}

/** The routing header's addresses as they stand in the bytes. */
export function routingAddresses(b: Uint8Array, walk: Walk): Address[] {
  const r = walk.routing;
  if (r === undefined) return [];
  return Array.from({ length: r.addressCount }, (_, i) =>
    addressAt(b, r.at + ROUTING_ADDRESSES_AT + ADDRESS_BYTES * i),
  );
}

/**
 * Offset of the final destination (RFC 2460 §8.1): the last routing address while Segments
 * Left > 0, else the IPv6 Destination (a routing header already in its arrival form).
 */
export function finalDestinationAt(walk: Walk): number {
  const r = walk.routing;
  if (r !== undefined && r.segmentsLeft > 0) return r.at + ROUTING_ADDRESSES_AT + ADDRESS_BYTES * (r.addressCount - 1);
  return IPV6_DESTINATION_AT;
}

// ---------------------------------------------------------------------------------------
// Options.

/** The HAO's home address, if the packet carries a well-formed HAO (16 bytes of data). */
export function homeAddressOf(b: Uint8Array, walk: Walk): Address | null {
  const hao = walk.destOptions?.options.find((o) => o.type === OPTION.hao);
  if (hao === undefined || hao.dataBytes !== ADDRESS_BYTES) return null;
  return addressAt(b, hao.dataAt);
}

/** Whether the packet carries an option of type `type`. */
export function hasOption(walk: Walk, type: number): boolean {
  return walk.destOptions?.options.some((o) => o.type === type) ?? false;
}

/**
 * An unknown option whose action bits are not 00 (RFC 2460 §4.2): the receiver discards the
 * packet (WIRE.md "a host then applies their action bits").
 */
export function hasDiscardingUnknownOption(walk: Walk): boolean {
  return (
    walk.destOptions?.options.some((o) => !KNOWN_OPTIONS.has(o.type) && o.type >> OPTION_ACTION_SHIFT !== 0) ?? false
  );
}

// ---------------------------------------------------------------------------------------
// The upper layer.

export type UpperTruth =
  | { kind: 'udp'; sourcePort: number; destinationPort: number; payload: Uint8Array }
  /** ICMPv6; `data` is what follows identifier and sequence for an echo (rule 23), else the body after the checksum. */
  | { kind: 'icmp'; type: number; code: number; data: Uint8Array }
  | { kind: 'none' }
  /** Another protocol, or a UDP or ICMPv6 header too short to read. */
  | { kind: 'other' };

export function upperOf(b: Uint8Array, walk: Walk): UpperTruth {
  const { nextHeader, at } = walk.upper;
  const end = walk.length;
  if (nextHeader === NEXT_HEADER.none) return { kind: 'none' };
  if (nextHeader === NEXT_HEADER.udp) {
    if (end - at < UDP_HEADER_BYTES) return { kind: 'other' };
    return {
      kind: 'udp',
      sourcePort: u16(b, at),
      destinationPort: u16(b, at + 2),
      payload: b.slice(at + UDP_HEADER_BYTES, end),
    };
  }
  if (nextHeader === NEXT_HEADER.icmpv6) {
    if (end - at < ICMP_HEADER_BYTES) return { kind: 'other' };
    const type = b[at];
    const echo = type === ICMP_ECHO_REQUEST || type === ICMP_ECHO_REPLY;
    if (echo && end - at < ICMP_ECHO_HEADER_BYTES) return { kind: 'other' };
    return {
      kind: 'icmp',
      type,
      code: b[at + 1],
      data: b.slice(at + (echo ? ICMP_ECHO_HEADER_BYTES : ICMP_HEADER_BYTES), end),
    };
  }
  return { kind: 'other' };
}
