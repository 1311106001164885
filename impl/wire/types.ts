// The typed representation of every packet this project sends or receives (WIRE.md).
//
// Conventions:
// - Addresses are RFC 5952 text (`2001:db8::1`), the form the adapter protocol uses; the
//   codec converts to and from 16 bytes at the edge.
// - Byte strings are `Uint8Array`.
// - Padding (Pad1/PadN options and sub-options) is not represented: the encoder lays out
//   every option and sub-option at its alignment with minimal padding (WIRE.md, "Canonical
//   encoding"), and the decoder accepts any padding. Everything else, unknown options and
//   sub-options included, is kept in the order it was decoded, so `decode(encode(p))`
//   equals `p` and `encode(decode(b))` equals `b` for canonical `b`.
// - Derived fields (lengths, Next Header values, checksums) are not represented: the encoder
//   computes them and the decoder checks them.

/** IPv6 address in RFC 5952 text form. */
export type Address = string;

export const NEXT_HEADER = {
  hopByHop: 0,
  tcp: 6,
  udp: 17,
  routing: 43,
  fragment: 44,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  noNextHeader: 59,
  destinationOptions: 60,
} as const;

export interface Ipv6Header {
  /** 8 bits; mutable en route, zeroed for the ICV. Hosts send 0. */
  trafficClass: number;
  /** 20 bits; zeroed for the ICV. Hosts send 0. */
  flowLabel: number;
  /** Hosts send 64; zeroed for the ICV. */
  hopLimit: number;
  source: Address;
  destination: Address;
}

/** Type 0 routing header (RFC 2460 §4.4); other routing types do not decode. */
export interface RoutingHeader {
  segmentsLeft: number;
  addresses: Address[];
}

export interface BuFlags {
  /** A (0x80): acknowledgement requested. */
  ack: boolean;
  /** H (0x40): home registration. */
  home: boolean;
  /** R (0x20): router. */
  router: boolean;
  /** D (0x10): duplicate address detection. */
  dad: boolean;
}

export type SubOption =
  /** Unique Identifier, type 2, 2 bytes, alignment 2n (draft-13). */
  | { kind: 'unique-id'; id: number }
  /** Alternate Care-of Address, type 4, alignment 8n+6 (draft-13). */
  | { kind: 'alternate-coa'; address: Address }
  /** Homeless Support, type 128, length 0 (§3.1.1). */
  | { kind: 'homeless-support' }
  /**
   * Alternate Prefixes, type 129, alignment 4n+1 (§3.1.2 with WIRE.md's erratum): each
   * prefix is 4 × (pl + 1) bytes; at most 63 prefixes (6-bit count) and 255 bytes.
   */
  | { kind: 'alternate-prefixes'; pl: 0 | 1 | 2 | 3; prefixes: Uint8Array[] }
  /** Security Challenge/Response, type 130, 16 bytes, alignment 4n+2 (§3.1.3). */
  | { kind: 'security'; value: Uint8Array }
  /** Any other sub-option type, kept losslessly (draft-13 §5.5: skipped by receivers). */
  | { kind: 'unknown'; type: number; data: Uint8Array };

export interface BindingUpdate {
  kind: 'bu';
  flags: BuFlags;
  prefixLength: number;
  /** 16 bits, compared modulo 2^16. */
  sequence: number;
  /** 32 bits, seconds; 0 deletes the named binding(s). */
  lifetimeSeconds: number;
  subOptions: SubOption[];
}

export interface BindingAck {
  kind: 'ba';
  /** 0 accepted; 128 unspecified; 130 prohibited; 131 insufficient resources; 141 sequence too small. */
  status: number;
  sequence: number;
  lifetimeSeconds: number;
  refreshSeconds: number;
  subOptions: SubOption[];
}

export interface BindingRequest {
  kind: 'br';
  subOptions: SubOption[];
}

export interface HomeAddressOption {
  kind: 'hao';
  homeAddress: Address;
}

export interface UnknownOption {
  kind: 'unknown';
  /** The full option type byte: action bits (2), C bit (1), rest (5). */
  type: number;
  data: Uint8Array;
}

export type DestOption = HomeAddressOption | BindingUpdate | BindingAck | BindingRequest | UnknownOption;

/** AH (RFC 2402). Payload Len is derived from `authData.length`. */
export interface AuthHeader {
  spi: number;
  sequence: number;
  /**
   * Everything after the sequence number: the ICV and any padding (12 bytes for
   * `hmac-sha1-96`; 16 + 4 zero bytes for `hmac-sha256-128`). 12 + length is a multiple of 8.
   */
  authData: Uint8Array;
}

export type IcmpMessage =
  | { type: 'echo-request'; identifier: number; sequence: number; data: Uint8Array }
  | { type: 'echo-reply'; identifier: number; sequence: number; data: Uint8Array }
  /** ICMPv6 Parameter Problem (type 4); `invoking` is the quoted packet, as bytes. */
  | { type: 'parameter-problem'; code: number; pointer: number; invoking: Uint8Array }
  /** ICMPv6 Destination Unreachable (type 1); 4 unused bytes, then the quoted packet. */
  | { type: 'destination-unreachable'; code: number; invoking: Uint8Array }
  /** Any other ICMPv6 message, kept losslessly. */
  | { type: 'other'; icmpType: number; code: number; body: Uint8Array };

export type UpperLayer =
  | { kind: 'udp'; sourcePort: number; destinationPort: number; payload: Uint8Array }
  | { kind: 'icmpv6'; message: IcmpMessage }
  /** No Next Header (59): nothing follows; trailing bytes are ignored (RFC 2460 §4.7). */
  | { kind: 'none' }
  /** Any other upper-layer protocol (TCP, ...), kept as bytes. */
  | { kind: 'raw'; protocol: number; data: Uint8Array };

/**
 * A whole IPv6 packet in WIRE.md's header order:
 * IPv6 → [routing 43] → [destination options 60] → [AH 51] → upper layer.
 * `destOptions` undefined means no Destination Options header (an empty one is never sent).
 */
export interface Packet {
  ipv6: Ipv6Header;
  routing?: RoutingHeader;
  destOptions?: DestOption[];
  ah?: AuthHeader;
  upper: UpperLayer;
}

export type DecodeErrorCode =
  /** Fewer bytes than a header or field needs. */
  | 'truncated'
  /** IPv6 version is not 6. */
  | 'bad-version'
  /** A length field disagrees with the bytes or with the option's fixed size. */
  | 'bad-length'
  /** A structurally invalid value (two HAOs, a bad Alternate Prefixes count...). */
  | 'malformed'
  /** Hop-by-hop, fragment, ESP, or a routing header of a type other than 0. */
  | 'unsupported-header'
  /** An extension header repeated or out of WIRE.md's order. */
  | 'header-order'
  /** A UDP or ICMPv6 checksum that is zero (UDP) or wrong. */
  | 'bad-checksum';

export interface DecodeError {
  code: DecodeErrorCode;
  /** Offset in the packet of the byte where decoding stopped. */
  offset: number;
  message: string;
}

/** Where one destination option sits in an encoded packet. */
export interface OptionSpan {
  /** Its Type byte: 0 for Pad1, 1 for PadN, else the full option type (action bits, C bit, rest). */
  type: number;
  /** Offset of its Type byte in the packet; BU_FIELD, BA_FIELD... count from here. */
  offset: number;
  /** Bytes it takes: 1 for Pad1, else 2 + its Opt Data Len. */
  length: number;
}

/**
 * Where things are in an encoded packet, as the encoder wrote them or the decoder found them:
 * for AH processing (impl/crypto: the ICV is computed over the bytes with the mutable fields
 * zeroed, WIRE.md "AH") and for code that points into the bytes (an ICMPv6 pointer, an option's
 * field), so that no one else walks the headers again.
 */
export interface PacketLayout {
  /** Offset of the routing header, if any. */
  routingOffset?: number;
  /** Length of the routing header in bytes, if any. */
  routingLength?: number;
  /** Offset of the Destination Options header, if any. */
  destOptionsOffset?: number;
  /** Length of the Destination Options header in bytes, if any. */
  destOptionsLength?: number;
  /** Every option of the Destination Options header in wire order, Pad1 and PadN included; empty without one. */
  options: OptionSpan[];
  /** [start, end) of the data of every option whose C bit (0x20) is set. */
  mutableOptionData: Array<[number, number]>;
  /** Offset of the AH, if any. */
  ahOffset?: number;
  /** Length of the AH in bytes (its 12 fixed bytes and Authentication Data), if any. */
  ahLength?: number;
  /** [start, end) of the AH's Authentication Data (ICV and padding), if any. */
  ahAuthData?: [number, number];
  /** Offset of the upper-layer header. */
  upperOffset: number;
  /** Total length of the packet (40 + Payload Length). */
  length: number;
}

export type DecodeResult = { ok: true; packet: Packet; layout: PacketLayout } | { ok: false; error: DecodeError };

/** Thrown by the encoder for a packet that cannot be encoded: a programmer error. */
export class EncodeError extends Error {
  constructor(
    public readonly code: 'too-long' | 'bad-value',
    message: string,
  ) {
    super(message);
    this.name = 'EncodeError';
  }
}
