// Numbers that decide bytes (WIRE.md). Offsets are from the start of the structure they
// name; lengths are in bytes unless the name says otherwise.

/** Destination option types (WIRE.md, "Mobile IPv6 draft-13 destination options"). */
export const OPTION_TYPE = {
  pad1: 0,
  padN: 1,
  /** Binding Acknowledgement, draft-13's number; today IANA's CALIPSO (RFC 5570). */
  ba: 7,
  /** Binding Request, draft-13's number; today IANA's SMF_DPD (RFC 6621). */
  br: 8,
  bu: 0xc6,
  hao: 0xc9,
} as const;

/** Sub-option types inside BU, BA and BR (WIRE.md, "Sub-options"). */
export const SUBOPTION_TYPE = {
  pad1: 0,
  padN: 1,
  uniqueId: 2,
  alternateCoa: 4,
  /** This project's number for the draft's TBD (§3.1.1). */
  homelessSupport: 128,
  /** This project's number for the draft's TBD (§3.1.2). */
  alternatePrefixes: 129,
  /** This project's number for the draft's TBD (§3.1.3). */
  security: 130,
} as const;

/** BU flag bits (draft-13 §5.1); the low 4 bits are reserved, sent 0 and ignored. */
export const BU_FLAG = {
  ack: 0x80,
  home: 0x40,
  router: 0x20,
  dad: 0x10,
} as const;

/** BA status values this project uses (WIRE.md). */
export const BA_STATUS = {
  accepted: 0,
  unspecified: 128,
  prohibited: 130,
  insufficientResources: 131,
  sequenceTooSmall: 141,
} as const;

/** ICMPv6 message types (RFC 4443) this project names. */
export const ICMP_TYPE = {
  destinationUnreachable: 1,
  parameterProblem: 4,
  echoRequest: 128,
  echoReply: 129,
} as const;

/** Sizes and offsets of the IPv6 header (RFC 2460 §3). */
export const IPV6 = {
  headerBytes: 40,
  version: 6,
  offsetPayloadLength: 4,
  offsetNextHeader: 6,
  offsetHopLimit: 7,
  offsetSource: 8,
  offsetDestination: 24,
  /** Payload Length is 16 bits; jumbograms (RFC 2675) need hop-by-hop and are refused. */
  payloadBytesMax: 0xffff,
} as const;

export const ADDRESS_BYTES = 16;

/** Generic extension header (RFC 2460 §4): Next Header, Hdr Ext Len in 8-octet units beyond the first 8. */
export const EXT = {
  offsetNextHeader: 0,
  offsetHdrExtLen: 1,
  unitBytes: 8,
  minBytes: 8,
  /** Hdr Ext Len is 8 bits: at most 8 × 256 bytes. */
  bytesMax: 8 * 256,
} as const;

/** Type 0 routing header (RFC 2460 §4.4). */
export const ROUTING = {
  offsetType: 2,
  offsetSegmentsLeft: 3,
  /** 4 reserved bytes, then the addresses. */
  offsetAddresses: 8,
  type0: 0,
  /** Hdr Ext Len = 2 × addresses and is 8 bits. */
  addressesCountMax: 127,
} as const;

/** Destination Options header (RFC 2460 §4.6): options start after Next Header and Hdr Ext Len. */
export const DEST_OPTS = {
  offsetOptions: 2,
} as const;

/** Option and sub-option TLV framing: Type (1) · Length (1, excludes these 2) · data. Pad1 is the Type byte alone. */
export const TLV = {
  offsetType: 0,
  offsetLength: 1,
  headerBytes: 2,
  dataBytesMax: 255,
} as const;

/** Fixed data sizes of the known options (WIRE.md table), excluding Type and Length. */
export const OPTION_DATA_BYTES = {
  hao: 16,
  /** Flags (1) · Prefix Length (1) · Sequence (2) · Lifetime (4). */
  buFixed: 8,
  /** Status (1) · Sequence (2) · Lifetime (4) · Refresh (4). */
  baFixed: 11,
} as const;

// Where each field of the known options and sub-options sits (WIRE.md tables), counted from
// the option's or sub-option's Type byte: a span of `PacketLayout.options` plus one of these
// offsets is that field's place in the packet. Each starts with Type (0) and Length (1).

/** Home Address option: Home Address (16). */
export const HAO_FIELD = {
  type: 0,
  length: 1,
  homeAddress: 2,
} as const;

/** Binding Update: Flags (1) · Prefix Length (1) · Sequence (2) · Lifetime s (4) · sub-options. */
export const BU_FIELD = {
  type: 0,
  length: 1,
  flags: 2,
  prefixLength: 3,
  sequence: 4,
  lifetimeSeconds: 6,
  subOptions: 10,
} as const;

/** Binding Acknowledgement: Status (1) · Sequence (2) · Lifetime s (4) · Refresh s (4) · sub-options. */
export const BA_FIELD = {
  type: 0,
  length: 1,
  status: 2,
  sequence: 3,
  lifetimeSeconds: 5,
  refreshSeconds: 9,
  subOptions: 13,
} as const;

/** Binding Request: sub-options only. */
export const BR_FIELD = {
  type: 0,
  length: 1,
  subOptions: 2,
} as const;

/** Unique Identifier sub-option: the identifier (2). */
export const UNIQUE_ID_FIELD = {
  type: 0,
  length: 1,
  id: 2,
} as const;

/** Alternate Care-of Address sub-option: the address (16). */
export const ALTERNATE_COA_FIELD = {
  type: 0,
  length: 1,
  address: 2,
} as const;

/** Alternate Prefixes sub-option: PL (2 bits) · Prefix Count (6 bits), then the prefixes. */
export const ALTERNATE_PREFIXES_FIELD = {
  type: 0,
  length: 1,
  plCount: 2,
  prefixes: 3,
} as const;

/**
 * Security Challenge/Response sub-option (§3.1.3): the value (16), a Challenge in a BA or a
 * Response in a BU (WIRE.md "Reachability verification").
 */
export const SECURITY_FIELD = {
  type: 0,
  length: 1,
  value: 2,
} as const;

/** Fixed data sizes of the known sub-options, excluding Type and Length. */
export const SUBOPTION_DATA_BYTES = {
  uniqueId: 2,
  alternateCoa: 16,
  homelessSupport: 0,
  security: 16,
  /** PL (2 bits) · Prefix Count (6 bits). */
  alternatePrefixesFixed: 1,
} as const;

/** Alternate Prefixes (§3.1.2 with WIRE.md's erratum). */
export const ALT_PREFIXES = {
  plMax: 3,
  countMax: 63,
  plShift: 6,
  countMask: 0x3f,
} as const;

/** An alignment requirement `xn+y` (RFC 2460 §4.2), counted from the Destination Options header's first byte. */
export interface Alignment {
  readonly x: number;
  readonly y: number;
}

export const ALIGN_NONE: Alignment = { x: 1, y: 0 };

/** Option alignments (WIRE.md table). BR and unknown options have none. */
export const OPTION_ALIGN = {
  hao: { x: 8, y: 6 },
  bu: { x: 4, y: 2 },
  ba: { x: 4, y: 3 },
} as const satisfies Record<string, Alignment>;

/** Sub-option alignments (WIRE.md table). Homeless Support and unknown sub-options have none. */
export const SUBOPTION_ALIGN = {
  uniqueId: { x: 2, y: 0 },
  alternateCoa: { x: 8, y: 6 },
  alternatePrefixes: { x: 4, y: 1 },
  security: { x: 4, y: 2 },
} as const satisfies Record<string, Alignment>;

/** AH (RFC 2402 §2). */
export const AH = {
  offsetNextHeader: 0,
  /** 32-bit words minus 2. */
  offsetPayloadLen: 1,
  offsetReserved: 2,
  offsetSpi: 4,
  offsetSequence: 8,
  offsetAuthData: 12,
  fixedBytes: 12,
  /** IPv6 requires the AH length to be a multiple of 8 (RFC 2402 §2.2). */
  lengthMultipleBytes: 8,
  /** Payload Len is 8 bits: at most 4 × (255 + 2) bytes in all. */
  bytesMax: 4 * (255 + 2),
} as const;

/** UDP (RFC 768) and its IPv6 checksum rules (RFC 2460 §8.1). */
export const UDP = {
  headerBytes: 8,
  offsetSourcePort: 0,
  offsetDestinationPort: 2,
  offsetLength: 4,
  offsetChecksum: 6,
  /** A computed checksum of 0 is sent as this (RFC 2460 §8.1). */
  checksumZeroSentAs: 0xffff,
} as const;

/** ICMPv6 (RFC 4443). */
export const ICMP = {
  headerBytes: 4,
  offsetType: 0,
  offsetCode: 1,
  offsetChecksum: 2,
  /** Echo, Parameter Problem and Destination Unreachable all have 4 more fixed bytes. */
  messageFixedBytes: 8,
  offsetIdentifier: 4,
  offsetSequence: 6,
  offsetPointer: 4,
} as const;

/** Next Header values that are extension headers this codec refuses wherever they appear. */
export const UNSUPPORTED_EXTENSION_HEADERS: ReadonlySet<number> = new Set([0, 44, 50]);
