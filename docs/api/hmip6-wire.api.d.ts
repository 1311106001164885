// The public surface of hmip6/wire (scripts/api-report.mjs; docs/api.md). Regenerate with npm run api.

// Address from impl/wire/types.d.ts
type Address = string;

// ADDRESS_BYTES from impl/wire/constants.d.ts
declare const ADDRESS_BYTES = 16;

// addressToBytes from impl/wire/address.d.ts
declare function addressToBytes(a: Address): Uint8Array;

// AH from impl/wire/constants.d.ts
declare const AH: {
    readonly offsetNextHeader: 0;
    readonly offsetPayloadLen: 1;
    readonly offsetReserved: 2;
    readonly offsetSpi: 4;
    readonly offsetSequence: 8;
    readonly offsetAuthData: 12;
    readonly fixedBytes: 12;
    readonly lengthMultipleBytes: 8;
    readonly bytesMax: number;
};

// AhAlgorithm from impl/crypto/types.d.ts
type AhAlgorithm = 'hmac-sha1-96' | 'hmac-sha256-128';

// ALGORITHMS from impl/crypto/hmac.d.ts
declare const ALGORITHMS: Readonly<Record<AhAlgorithm, Readonly<AlgorithmSizes>>>;

// ALIGN_NONE from impl/wire/constants.d.ts
declare const ALIGN_NONE: Alignment;

// Alignment from impl/wire/constants.d.ts
interface Alignment {
    readonly x: number;
    readonly y: number;
}

// ALT_PREFIXES from impl/wire/constants.d.ts
declare const ALT_PREFIXES: {
    readonly plMax: 3;
    readonly countMax: 63;
    readonly plShift: 6;
    readonly countMask: 63;
};

// ALTERNATE_COA_FIELD from impl/wire/constants.d.ts
declare const ALTERNATE_COA_FIELD: {
    readonly type: 0;
    readonly length: 1;
    readonly address: 2;
};

// ALTERNATE_PREFIXES_FIELD from impl/wire/constants.d.ts
declare const ALTERNATE_PREFIXES_FIELD: {
    readonly type: 0;
    readonly length: 1;
    readonly plCount: 2;
    readonly prefixes: 3;
};

// alternatePrefixesFor from impl/wire/alternate-prefixes.d.ts
declare function alternatePrefixesFor(addresses: readonly Address[], suffixSource: Address): SubOption[];

// AuthHeader from impl/wire/types.d.ts
interface AuthHeader {
    spi: number;
    sequence: number;
    authData: Uint8Array;
}

// BA_FIELD from impl/wire/constants.d.ts
declare const BA_FIELD: {
    readonly type: 0;
    readonly length: 1;
    readonly status: 2;
    readonly sequence: 3;
    readonly lifetimeSeconds: 5;
    readonly refreshSeconds: 9;
    readonly subOptions: 13;
};

// BA_STATUS from impl/wire/constants.d.ts
declare const BA_STATUS: {
    readonly accepted: 0;
    readonly unspecified: 128;
    readonly prohibited: 130;
    readonly insufficientResources: 131;
    readonly sequenceTooSmall: 141;
};

// BindingAck from impl/wire/types.d.ts
interface BindingAck {
    kind: 'ba';
    status: number;
    sequence: number;
    lifetimeSeconds: number;
    refreshSeconds: number;
    subOptions: SubOption[];
}

// BindingRequest from impl/wire/types.d.ts
interface BindingRequest {
    kind: 'br';
    subOptions: SubOption[];
}

// BindingUpdate from impl/wire/types.d.ts
interface BindingUpdate {
    kind: 'bu';
    flags: BuFlags;
    prefixLength: number;
    sequence: number;
    lifetimeSeconds: number;
    subOptions: SubOption[];
}

// BR_FIELD from impl/wire/constants.d.ts
declare const BR_FIELD: {
    readonly type: 0;
    readonly length: 1;
    readonly subOptions: 2;
};

// BU_FIELD from impl/wire/constants.d.ts
declare const BU_FIELD: {
    readonly type: 0;
    readonly length: 1;
    readonly flags: 2;
    readonly prefixLength: 3;
    readonly sequence: 4;
    readonly lifetimeSeconds: 6;
    readonly subOptions: 10;
};

// BU_FLAG from impl/wire/constants.d.ts
declare const BU_FLAG: {
    readonly ack: 128;
    readonly home: 64;
    readonly router: 32;
    readonly dad: 16;
};

// BuFlags from impl/wire/types.d.ts
interface BuFlags {
    ack: boolean;
    home: boolean;
    router: boolean;
    dad: boolean;
}

// buildVectors from cli/lib/vectors.d.ts
declare function buildVectors(): Vector[];

// bytesToAddress from impl/wire/address.d.ts
declare function bytesToAddress(b: Uint8Array, offset?: number): Address;

// careOfAddress from impl/wire/alternate-prefixes.d.ts
declare function careOfAddress(bu: BindingUpdate, source: Address): Address;

// CHALLENGE_BYTES from impl/crypto/challenge.d.ts
declare const CHALLENGE_BYTES = 16;

// computeIcv from impl/crypto/ah.d.ts
declare function computeIcv(alg: AhAlgorithm, key: Uint8Array, bytes: Uint8Array, layout: PacketLayout): Uint8Array;

// DecodeError from impl/wire/types.d.ts
interface DecodeError {
    code: DecodeErrorCode;
    offset: number;
    message: string;
}

// DecodeErrorCode from impl/wire/types.d.ts
type DecodeErrorCode = 'truncated' | 'bad-version' | 'bad-length' | 'malformed' | 'unsupported-header' | 'header-order' | 'bad-checksum';

// decodePacket from impl/wire/packet.d.ts
declare function decodePacket(bytes: Uint8Array): DecodeResult;

// DecodeResult from impl/wire/types.d.ts
type DecodeResult = {
    ok: true;
    packet: Packet;
    layout: PacketLayout;
} | {
    ok: false;
    error: DecodeError;
};

// DEST_OPTS from impl/wire/constants.d.ts
declare const DEST_OPTS: {
    readonly offsetOptions: 2;
};

// DestOption from impl/wire/types.d.ts
type DestOption = HomeAddressOption | BindingUpdate | BindingAck | BindingRequest | UnknownOption;

// EncodeError from impl/wire/types.d.ts
declare class EncodeError extends Error {
    readonly code: 'too-long' | 'bad-value';
    constructor(code: 'too-long' | 'bad-value', message: string);
}

// encodePacket from impl/wire/packet.d.ts
declare function encodePacket(p: Packet): Uint8Array;

// encodePacketWithLayout from impl/wire/packet.d.ts
declare function encodePacketWithLayout(p: Packet): {
    bytes: Uint8Array;
    layout: PacketLayout;
};

// expandAlternatePrefixes from impl/wire/alternate-prefixes.d.ts
declare function expandAlternatePrefixes(bu: BindingUpdate, source: Address): Address[];

// EXT from impl/wire/constants.d.ts
declare const EXT: {
    readonly offsetNextHeader: 0;
    readonly offsetHdrExtLen: 1;
    readonly unitBytes: 8;
    readonly minBytes: 8;
    readonly bytesMax: number;
};

// foldSum from impl/wire/checksum.d.ts
declare function foldSum(sum: number): number;

// fromHex from impl/wire/hex.d.ts
declare function fromHex(text: string): Uint8Array | null;

// HAO_FIELD from impl/wire/constants.d.ts
declare const HAO_FIELD: {
    readonly type: 0;
    readonly length: 1;
    readonly homeAddress: 2;
};

// HomeAddressOption from impl/wire/types.d.ts
interface HomeAddressOption {
    kind: 'hao';
    homeAddress: Address;
}

// ICMP from impl/wire/constants.d.ts
declare const ICMP: {
    readonly headerBytes: 4;
    readonly offsetType: 0;
    readonly offsetCode: 1;
    readonly offsetChecksum: 2;
    readonly messageFixedBytes: 8;
    readonly offsetIdentifier: 4;
    readonly offsetSequence: 6;
    readonly offsetPointer: 4;
};

// ICMP_TYPE from impl/wire/constants.d.ts
declare const ICMP_TYPE: {
    readonly destinationUnreachable: 1;
    readonly parameterProblem: 4;
    readonly echoRequest: 128;
    readonly echoReply: 129;
};

// IcmpMessage from impl/wire/types.d.ts
type IcmpMessage = {
    type: 'echo-request';
    identifier: number;
    sequence: number;
    data: Uint8Array;
} | {
    type: 'echo-reply';
    identifier: number;
    sequence: number;
    data: Uint8Array;
} | {
    type: 'parameter-problem';
    code: number;
    pointer: number;
    invoking: Uint8Array;
} | {
    type: 'destination-unreachable';
    code: number;
    invoking: Uint8Array;
} | {
    type: 'other';
    icmpType: number;
    code: number;
    body: Uint8Array;
};

// internetChecksum from impl/wire/checksum.d.ts
declare function internetChecksum(bytes: Uint8Array, start?: number, end?: number, initialSum?: number): number;

// IPV6 from impl/wire/constants.d.ts
declare const IPV6: {
    readonly headerBytes: 40;
    readonly version: 6;
    readonly offsetPayloadLength: 4;
    readonly offsetNextHeader: 6;
    readonly offsetHopLimit: 7;
    readonly offsetSource: 8;
    readonly offsetDestination: 24;
    readonly payloadBytesMax: 65535;
};

// Ipv6Header from impl/wire/types.d.ts
interface Ipv6Header {
    trafficClass: number;
    flowLabel: number;
    hopLimit: number;
    source: Address;
    destination: Address;
}

// isGlobalAddress from impl/wire/address.d.ts
declare function isGlobalAddress(a: Address): boolean;

// Json from impl/wire/json.d.ts
type Json = null | boolean | number | string | Json[] | {
    [key: string]: Json;
};

// LINKTYPE_RAW from impl/wire/pcap.d.ts
declare const LINKTYPE_RAW = 101;

// makeChallenge from impl/crypto/challenge.d.ts
declare function makeChallenge(alg: AhAlgorithm, key: Uint8Array, addr: Uint8Array, time: Uint8Array): Uint8Array;

// makeResponse from impl/crypto/challenge.d.ts
declare function makeResponse(alg: AhAlgorithm, key: Uint8Array, challenge: Uint8Array, addr: Uint8Array): Uint8Array;

// NEXT_HEADER from impl/wire/types.d.ts
declare const NEXT_HEADER: {
    readonly hopByHop: 0;
    readonly tcp: 6;
    readonly udp: 17;
    readonly routing: 43;
    readonly fragment: 44;
    readonly esp: 50;
    readonly ah: 51;
    readonly icmpv6: 58;
    readonly noNextHeader: 59;
    readonly destinationOptions: 60;
};

// normalizeAddress from impl/wire/address.d.ts
declare function normalizeAddress(text: string): Address | null;

// onesComplementSum from impl/wire/checksum.d.ts
declare function onesComplementSum(bytes: Uint8Array, start: number, end: number, sum?: number): number;

// OPTION_ALIGN from impl/wire/constants.d.ts
declare const OPTION_ALIGN: {
    readonly hao: {
        readonly x: 8;
        readonly y: 6;
    };
    readonly bu: {
        readonly x: 4;
        readonly y: 2;
    };
    readonly ba: {
        readonly x: 4;
        readonly y: 3;
    };
};

// OPTION_DATA_BYTES from impl/wire/constants.d.ts
declare const OPTION_DATA_BYTES: {
    readonly hao: 16;
    readonly buFixed: 8;
    readonly baFixed: 11;
};

// OPTION_TYPE from impl/wire/constants.d.ts
declare const OPTION_TYPE: {
    readonly pad1: 0;
    readonly padN: 1;
    readonly ba: 7;
    readonly br: 8;
    readonly bu: 198;
    readonly hao: 201;
};

// optionAction from impl/wire/options.d.ts
declare function optionAction(type: number): OptionAction;

// OptionAction from impl/wire/options.d.ts
type OptionAction = 'skip' | 'discard' | 'discard-icmp' | 'discard-icmp-unless-multicast';

// optionMayChange from impl/wire/options.d.ts
declare function optionMayChange(type: number): boolean;

// OptionSpan from impl/wire/types.d.ts
interface OptionSpan {
    type: number;
    offset: number;
    length: number;
}

// Packet from impl/wire/types.d.ts
interface Packet {
    ipv6: Ipv6Header;
    routing?: RoutingHeader;
    destOptions?: DestOption[];
    ah?: AuthHeader;
    upper: UpperLayer;
}

// packetFromJson from impl/wire/json.d.ts
declare function packetFromJson(json: Json): Packet;

// PacketLayout from impl/wire/types.d.ts
interface PacketLayout {
    routingOffset?: number;
    routingLength?: number;
    destOptionsOffset?: number;
    destOptionsLength?: number;
    options: OptionSpan[];
    mutableOptionData: Array<[
        number,
        number
    ]>;
    ahOffset?: number;
    ahLength?: number;
    ahAuthData?: [
        number,
        number
    ];
    upperOffset: number;
    length: number;
}

// packetToJson from impl/wire/json.d.ts
declare function packetToJson(packet: Packet): Json;

// PcapRecord from impl/wire/pcap.d.ts
interface PcapRecord {
    timeMs: number;
    bytes: Uint8Array;
}

// prefixBytes from impl/wire/suboptions.d.ts
declare function prefixBytes(pl: number): number;

// protect from impl/crypto/ah.d.ts
declare function protect(packet: Packet, sa: SendingSa): Uint8Array;

// pseudoHeaderSum from impl/wire/checksum.d.ts
declare function pseudoHeaderSum(bytes: Uint8Array, sourceOffset: number, destinationOffset: number, upperLayerLength: number, nextHeader: number): number;

// readPcap from impl/wire/pcap.d.ts
declare function readPcap(file: Uint8Array): ReadPcapResult;

// ReadPcapResult from impl/wire/pcap.d.ts
type ReadPcapResult = {
    ok: true;
    linkType: number;
    records: PcapRecord[];
} | {
    ok: false;
    error: string;
};

// ReplayWindow from impl/crypto/replay.d.ts
declare class ReplayWindow {
    readonly sizePackets: number;
    private top;
    private readonly bits;
    private readonly ringBits;
    constructor(sizePackets?: number);
    check(seq: number): boolean;
    update(seq: number): void;
    highest(): number;
    clone(): ReplayWindow;
}

// ROUTING from impl/wire/constants.d.ts
declare const ROUTING: {
    readonly offsetType: 2;
    readonly offsetSegmentsLeft: 3;
    readonly offsetAddresses: 8;
    readonly type0: 0;
    readonly addressesCountMax: 127;
};

// RoutingHeader from impl/wire/types.d.ts
interface RoutingHeader {
    segmentsLeft: number;
    addresses: Address[];
}

// sameAddress from impl/wire/address.d.ts
declare function sameAddress(a: Address, b: Address): boolean;

// SECURITY_FIELD from impl/wire/constants.d.ts
declare const SECURITY_FIELD: {
    readonly type: 0;
    readonly length: 1;
    readonly value: 2;
};

// SendingSa from impl/crypto/ah.d.ts
interface SendingSa {
    alg: AhAlgorithm;
    key: Uint8Array;
    spi: number;
    sequence: number;
}

// SubOption from impl/wire/types.d.ts
type SubOption = {
    kind: 'unique-id';
    id: number;
} | {
    kind: 'alternate-coa';
    address: Address;
} | {
    kind: 'homeless-support';
} | {
    kind: 'alternate-prefixes';
    pl: 0 | 1 | 2 | 3;
    prefixes: Uint8Array[];
} | {
    kind: 'security';
    value: Uint8Array;
} | {
    kind: 'unknown';
    type: number;
    data: Uint8Array;
};

// SUBOPTION_ALIGN from impl/wire/constants.d.ts
declare const SUBOPTION_ALIGN: {
    readonly uniqueId: {
        readonly x: 2;
        readonly y: 0;
    };
    readonly alternateCoa: {
        readonly x: 8;
        readonly y: 6;
    };
    readonly alternatePrefixes: {
        readonly x: 4;
        readonly y: 1;
    };
    readonly security: {
        readonly x: 4;
        readonly y: 2;
    };
};

// SUBOPTION_DATA_BYTES from impl/wire/constants.d.ts
declare const SUBOPTION_DATA_BYTES: {
    readonly uniqueId: 2;
    readonly alternateCoa: 16;
    readonly homelessSupport: 0;
    readonly security: 16;
    readonly alternatePrefixesFixed: 1;
};

// SUBOPTION_TYPE from impl/wire/constants.d.ts
declare const SUBOPTION_TYPE: {
    readonly pad1: 0;
    readonly padN: 1;
    readonly uniqueId: 2;
    readonly alternateCoa: 4;
    readonly homelessSupport: 128;
    readonly alternatePrefixes: 129;
    readonly security: 130;
};

// TIME_BYTES from impl/crypto/challenge.d.ts
declare const TIME_BYTES = 8;

// TLV from impl/wire/constants.d.ts
declare const TLV: {
    readonly offsetType: 0;
    readonly offsetLength: 1;
    readonly headerBytes: 2;
    readonly dataBytesMax: 255;
};

// toHex from impl/wire/hex.d.ts
declare function toHex(bytes: Uint8Array): string;

// tryAddressToBytes from impl/wire/address.d.ts
declare function tryAddressToBytes(a: string): Uint8Array | null;

// UDP from impl/wire/constants.d.ts
declare const UDP: {
    readonly headerBytes: 8;
    readonly offsetSourcePort: 0;
    readonly offsetDestinationPort: 2;
    readonly offsetLength: 4;
    readonly offsetChecksum: 6;
    readonly checksumZeroSentAs: 65535;
};

// UNIQUE_ID_FIELD from impl/wire/constants.d.ts
declare const UNIQUE_ID_FIELD: {
    readonly type: 0;
    readonly length: 1;
    readonly id: 2;
};

// UnknownOption from impl/wire/types.d.ts
interface UnknownOption {
    kind: 'unknown';
    type: number;
    data: Uint8Array;
}

// UNSUPPORTED_EXTENSION_HEADERS from impl/wire/constants.d.ts
declare const UNSUPPORTED_EXTENSION_HEADERS: ReadonlySet<number>;

// UpperLayer from impl/wire/types.d.ts
type UpperLayer = {
    kind: 'udp';
    sourcePort: number;
    destinationPort: number;
    payload: Uint8Array;
} | {
    kind: 'icmpv6';
    message: IcmpMessage;
} | {
    kind: 'none';
} | {
    kind: 'raw';
    protocol: number;
    data: Uint8Array;
};

// Vector from cli/lib/vectors.d.ts
interface Vector {
    format: typeof VECTOR_FORMAT;
    name: string;
    description: string;
    sections: string[];
    inputs: {
        sa?: VectorSa;
        time?: string;
        checkedAddress?: Address;
        challenge?: string;
        response?: string;
        alternateAddresses?: Address[];
    };
    packet: Json;
    hex: string;
}

// VECTOR_FORMAT from cli/lib/vectors.d.ts
declare const VECTOR_FORMAT = "hmip6-vector/1";

// VectorSa from cli/lib/vectors.d.ts
interface VectorSa {
    alg: AhAlgorithm;
    key: string;
    spi: number;
    sequence: number;
}

// verifyAh from impl/crypto/ah.d.ts
declare function verifyAh(bytes: Uint8Array, layout: PacketLayout, ah: AuthHeader, sa: {
    alg: AhAlgorithm;
    key: Uint8Array;
}): boolean;

// writePcap from impl/wire/pcap.d.ts
declare function writePcap(records: readonly PcapRecord[]): Uint8Array;

// --- reached from the exports above ---

// AlgorithmSizes from impl/crypto/hmac.d.ts (not exported here)
interface AlgorithmSizes {
    icvBytes: 12 | 16;
    keyBytes: 20 | 32;
    authDataBytes: 12 | 20;
}

// Alignment from impl/wire/constants.d.ts (not exported here)
interface Alignment {
    readonly x: number;
    readonly y: number;
}

// BuFlags from impl/wire/types.d.ts (not exported here)
interface BuFlags {
    ack: boolean;
    home: boolean;
    router: boolean;
    dad: boolean;
}

// DecodeErrorCode from impl/wire/types.d.ts (not exported here)
type DecodeErrorCode = 'truncated' | 'bad-version' | 'bad-length' | 'malformed' | 'unsupported-header' | 'header-order' | 'bad-checksum';

// DecodeResult from impl/wire/types.d.ts (not exported here)
type DecodeResult = {
    ok: true;
    packet: Packet;
    layout: PacketLayout;
} | {
    ok: false;
    error: DecodeError;
};

// HomeAddressOption from impl/wire/types.d.ts (not exported here)
interface HomeAddressOption {
    kind: 'hao';
    homeAddress: Address;
}

// OptionAction from impl/wire/options.d.ts (not exported here)
type OptionAction = 'skip' | 'discard' | 'discard-icmp' | 'discard-icmp-unless-multicast';

// Packet from impl/wire/types.d.ts (not exported here)
interface Packet {
    ipv6: Ipv6Header;
    routing?: RoutingHeader;
    destOptions?: DestOption[];
    ah?: AuthHeader;
    upper: UpperLayer;
}

// PacketLayout from impl/wire/types.d.ts (not exported here)
interface PacketLayout {
    routingOffset?: number;
    routingLength?: number;
    destOptionsOffset?: number;
    destOptionsLength?: number;
    options: OptionSpan[];
    mutableOptionData: Array<[
        number,
        number
    ]>;
    ahOffset?: number;
    ahLength?: number;
    ahAuthData?: [
        number,
        number
    ];
    upperOffset: number;
    length: number;
}

// ReadPcapResult from impl/wire/pcap.d.ts (not exported here)
type ReadPcapResult = {
    ok: true;
    linkType: number;
    records: PcapRecord[];
} | {
    ok: false;
    error: string;
};

// RoutingHeader from impl/wire/types.d.ts (not exported here)
interface RoutingHeader {
    segmentsLeft: number;
    addresses: Address[];
}

// SendingSa from impl/crypto/ah.d.ts (not exported here)
interface SendingSa {
    alg: AhAlgorithm;
    key: Uint8Array;
    spi: number;
    sequence: number;
}

// SubOption from impl/wire/types.d.ts (not exported here)
type SubOption = {
    kind: 'unique-id';
    id: number;
} | {
    kind: 'alternate-coa';
    address: Address;
} | {
    kind: 'homeless-support';
} | {
    kind: 'alternate-prefixes';
    pl: 0 | 1 | 2 | 3;
    prefixes: Uint8Array[];
} | {
    kind: 'security';
    value: Uint8Array;
} | {
    kind: 'unknown';
    type: number;
    data: Uint8Array;
};

// UnknownOption from impl/wire/types.d.ts (not exported here)
interface UnknownOption {
    kind: 'unknown';
    type: number;
    data: Uint8Array;
}

// UpperLayer from impl/wire/types.d.ts (not exported here)
type UpperLayer = {
    kind: 'udp';
    sourcePort: number;
    destinationPort: number;
    payload: Uint8Array;
} | {
    kind: 'icmpv6';
    message: IcmpMessage;
} | {
    kind: 'none';
} | {
    kind: 'raw';
    protocol: number;
    data: Uint8Array;
};

// VECTOR_FORMAT from cli/lib/vectors.d.ts (not exported here)
declare const VECTOR_FORMAT = "hmip6-vector/1";

// Vector from cli/lib/vectors.d.ts (not exported here)
interface Vector {
    format: typeof VECTOR_FORMAT;
    name: string;
    description: string;
    sections: string[];
    inputs: {
        sa?: VectorSa;
        time?: string;
        checkedAddress?: Address;
        challenge?: string;
        response?: string;
        alternateAddresses?: Address[];
    };
    packet: Json;
    hex: string;
}

// VectorSa from cli/lib/vectors.d.ts (not exported here)
interface VectorSa {
    alg: AhAlgorithm;
    key: string;
    spi: number;
    sequence: number;
}
