// Golden vectors: named packets of the draft, each with the inputs that produced it (keys,
// addresses, SPIs, sequence numbers, TIME) and its bytes. `hmip6 vectors` writes them;
// test/vectors/*.json holds the committed copies and test/wire/vectors.test.ts checks that
// they decode to their inputs, re-encode to the same bytes and verify under their keys.
//
// Every packet is built here from the wire and crypto layers alone, not through the
// reference host, so that the vectors pin the bytes independently of the host's choices.

import { makeChallenge, makeResponse, protect, type AhAlgorithm } from '../../impl/crypto/index.js';
import {
  addressToBytes,
  alternatePrefixesFor,
  decodePacket,
  encodePacket,
  fromHex,
  toHex,
  type Address,
  type BindingUpdate,
  type BuFlags,
  type Packet,
  type SubOption,
} from '../../impl/wire/index.js';
import { packetToJson, type Json } from '../../impl/wire/json.js';

export const VECTOR_FORMAT = 'hmip6-vector/1';

export interface VectorSa {
  alg: AhAlgorithm;
  key: string;
  spi: number;
  sequence: number;
}

export interface Vector {
  format: typeof VECTOR_FORMAT;
  name: string;
  description: string;
  /** The draft's sections and WIRE.md parts it illustrates. */
  sections: string[];
  /** Everything that went into the bytes besides the packet fields themselves. */
  inputs: {
    sa?: VectorSa;
    /** TIME of a Challenge (§3.4.2), hex, 8 bytes. */
    time?: string;
    /** The address a Challenge or Response checks. */
    checkedAddress?: Address;
    challenge?: string;
    response?: string;
    /** Addresses an Alternate Prefixes sub-option names. */
    alternateAddresses?: Address[];
  };
  /** The typed packet (impl/wire/types.ts) with byte strings as hex. */
  packet: Json;
  hex: string;
}

// The cast of the draft's Appendix A, in the documentation prefix.
const ALICE = '2001:db8:a::1';
const ALICE_2 = '2001:db8:a2::1';
const BOB = '2001:db8:b::1';
const BOB_NEW = '2001:db8:b2::1';
const SMH_HOME = '2001:db8:c::1';
const SMH_COA = '2001:db8:c9::77';

const KEY_SHA1 = '0102030405060708090a0b0c0d0e0f1011121314';
const KEY_SHA256 = '202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f';
const TIME = '5a3c0e1f9b7d2468';

const NO_FLAGS: BuFlags = { ack: false, home: false, router: false, dad: false };
const ACK: BuFlags = { ...NO_FLAGS, ack: true };
const HOP_LIMIT = 64;
const DEFAULT_LIFETIME_SECONDS = 600; // §3.3 DEFAULT-LIFETIME

function bytes(hex: string): Uint8Array {
  const b = fromHex(hex);
  if (b === null) throw new Error(`bad hex constant ${hex}`);
  return b;
}

function ipv6(source: Address, destination: Address): Packet['ipv6'] {
  return { trafficClass: 0, flowLabel: 0, hopLimit: HOP_LIMIT, source, destination };
}

function bu(sequence: number, lifetimeSeconds: number, flags: BuFlags, subOptions: SubOption[]): BindingUpdate {
  return { kind: 'bu', flags, prefixLength: 0, sequence, lifetimeSeconds, subOptions };
}

function sealed(
  name: string,
  description: string,
  sections: string[],
  packet: Packet,
  sa: VectorSa | undefined,
  inputs: Vector['inputs'] = {},
): Vector {
  const hexBytes = sa === undefined ? encodePacket(packet) : protect(packet, { ...sa, key: bytes(sa.key) });
  // The vector's packet is what the bytes decode to: the input packet plus its AH.
  const decoded = decodePacket(hexBytes);
  if (!decoded.ok) throw new Error(`vector ${name}: encodes to undecodable bytes: ${decoded.error.message}`);
  const withAh = decoded.packet;
  return {
    format: VECTOR_FORMAT,
    name,
    description,
    sections,
    inputs: sa === undefined ? inputs : { sa, ...inputs },
    packet: packetToJson(withAh),
    hex: toHex(hexBytes),
  };
}

const SHA1_SA = (spi: number, sequence: number): VectorSa => ({ alg: 'hmac-sha1-96', key: KEY_SHA1, spi, sequence });
const SHA256_SA = (spi: number, sequence: number): VectorSa => ({
  alg: 'hmac-sha256-128',
  key: KEY_SHA256,
  spi,
  sequence,
});

function initialBu(): Vector {
  // §3.2.1: HAO = source, a BU whose first sub-option is Homeless Support, then Alternate
  // Prefixes naming the sender's other addresses; A bit, DEFAULT-LIFETIME (HOST.md rule 14).
  const others = [ALICE_2];
  const packet: Packet = {
    ipv6: ipv6(ALICE, BOB),
    destOptions: [
      { kind: 'hao', homeAddress: ALICE },
      bu(1, DEFAULT_LIFETIME_SECONDS, ACK, [{ kind: 'homeless-support' }, ...alternatePrefixesFor(others, ALICE)]),
    ],
    upper: { kind: 'none' },
  };
  return sealed(
    'initial-bu',
    'Initial Binding Update from Alice to Bob (Appendix A.1), under AH hmac-sha1-96',
    ['3.2.1', '3.1.1', '3.1.2', 'A.1'],
    packet,
    SHA1_SA(0x100, 1),
    { alternateAddresses: others },
  );
}

function challengeBa(): Vector {
  // §3.4.2 step 1: Bob claimed BOB_NEW; Alice challenges it, sending the BA to that very address.
  const key = bytes(KEY_SHA1);
  const challenge = makeChallenge('hmac-sha1-96', key, addressToBytes(BOB_NEW), bytes(TIME));
  const packet: Packet = {
    ipv6: ipv6(ALICE, BOB_NEW),
    destOptions: [
      {
        kind: 'ba',
        status: 0,
        sequence: 2,
        lifetimeSeconds: DEFAULT_LIFETIME_SECONDS,
        refreshSeconds: DEFAULT_LIFETIME_SECONDS,
        subOptions: [{ kind: 'security', value: challenge }],
      },
    ],
    upper: { kind: 'none' },
  };
  return sealed(
    'ba-challenge',
    'Binding Acknowledgement carrying a Challenge to the tentative address',
    ['3.4.2', '3.1.3'],
    packet,
    SHA1_SA(0x200, 2),
    {
      time: TIME,
      checkedAddress: BOB_NEW,
      challenge: toHex(challenge),
    },
  );
}

function responseInputs(): { challenge: Uint8Array; response: Uint8Array } {
  const key = bytes(KEY_SHA1);
  const challenge = makeChallenge('hmac-sha1-96', key, addressToBytes(BOB_NEW), bytes(TIME));
  return { challenge, response: makeResponse('hmac-sha1-96', key, challenge, addressToBytes(BOB_NEW)) };
}

function responseDirect(): Vector {
  // §3.4.2: sent from the checked address itself, the BU holds only the sub-option.
  const { challenge, response } = responseInputs();
  const packet: Packet = {
    ipv6: ipv6(BOB_NEW, ALICE),
    destOptions: [bu(3, DEFAULT_LIFETIME_SECONDS, NO_FLAGS, [{ kind: 'security', value: response }])],
    upper: { kind: 'none' },
  };
  return sealed(
    'response-bu-direct',
    'Response BU sent from the checked address (first form)',
    ['3.4.2', 'docs/rules.md rule 11'],
    packet,
    SHA1_SA(0x100, 3),
    {
      time: TIME,
      checkedAddress: BOB_NEW,
      challenge: toHex(challenge),
      response: toHex(response),
    },
  );
}

function responseAltCoa(): Vector {
  // §3.4.2: sent from another address, the BU names the checked one in an Alternate CoA.
  const { challenge, response } = responseInputs();
  const packet: Packet = {
    ipv6: ipv6(BOB, ALICE),
    destOptions: [
      bu(3, DEFAULT_LIFETIME_SECONDS, NO_FLAGS, [
        { kind: 'alternate-coa', address: BOB_NEW },
        { kind: 'security', value: response },
      ]),
    ],
    upper: { kind: 'none' },
  };
  return sealed(
    'response-bu-alternate-coa',
    'Response BU sent from another address, with an Alternate CoA (second form)',
    ['3.4.2', 'docs/rules.md rule 11'],
    packet,
    SHA1_SA(0x100, 4),
    {
      time: TIME,
      checkedAddress: BOB_NEW,
      challenge: toHex(challenge),
      response: toHex(response),
    },
  );
}

function deletingBu(): Vector {
  // §2.1.2: a lost address is deleted with lifetime 0, from a remaining address (HOST.md rule 20).
  const packet: Packet = {
    ipv6: ipv6(BOB_NEW, ALICE),
    destOptions: [bu(5, 0, ACK, [{ kind: 'alternate-coa', address: BOB }])],
    upper: { kind: 'none' },
  };
  return sealed(
    'deleting-bu',
    'Deleting Binding Update (lifetime 0) for a lost address, A bit set',
    ['2.1.2', '2.2.1'],
    packet,
    SHA1_SA(0x100, 5),
  );
}

function udpUnderAh(): Vector {
  const packet: Packet = {
    ipv6: ipv6(ALICE, BOB),
    upper: { kind: 'udp', sourcePort: 5000, destinationPort: 5000, payload: new TextEncoder().encode('hello, Bob') },
  };
  return sealed(
    'udp-ah-sha256',
    'UDP data under AH hmac-sha256-128 (16-byte ICV, 4 bytes of padding)',
    ['2.4', 'docs/wire-format.md "AH and what the ICV covers"'],
    packet,
    SHA256_SA(0x101, 7),
  );
}

function routedToStandardMobile(): Vector {
  // §2.2.2 / HOST.md rule 15a: toward a standard mobile host away from home, a type 0 routing
  // header carrying its home address, sent to its verified care-of address.
  const packet: Packet = {
    ipv6: ipv6(ALICE, SMH_COA),
    routing: { segmentsLeft: 1, addresses: [SMH_HOME] },
    upper: {
      kind: 'udp',
      sourcePort: 5000,
      destinationPort: 7,
      payload: new TextEncoder().encode('via the care-of address'),
    },
  };
  return sealed(
    'routing-header-standard-mobile',
    'UDP to a standard mobile host through a type 0 routing header, under AH',
    ['2.2.2', 'docs/wire-format.md "Type 0 routing header"'],
    packet,
    SHA1_SA(0x300, 1),
  );
}

function bindingRequest(): Vector {
  const packet: Packet = {
    ipv6: ipv6(BOB, ALICE),
    destOptions: [{ kind: 'br', subOptions: [{ kind: 'homeless-support' }] }],
    upper: { kind: 'none' },
  };
  return sealed(
    'binding-request',
    'Binding Request with Homeless Support (§1.4 (2), §3.1.1)',
    ['1.4', '3.1.1'],
    packet,
    SHA1_SA(0x100, 6),
  );
}

function echoRequest(): Vector {
  const packet: Packet = {
    ipv6: ipv6(ALICE, BOB),
    upper: {
      kind: 'icmpv6',
      message: { type: 'echo-request', identifier: 0, sequence: 1, data: new TextEncoder().encode('ping') },
    },
  };
  return sealed(
    'icmpv6-echo-request',
    'ICMPv6 echo request (no AH: the host cache is not used for ICMP, §1.4)',
    ['1.4', 'docs/wire-format.md "UDP and ICMPv6"'],
    packet,
    undefined,
  );
}

/** One address per Prefix Length: PL 0..3 share 12, 8, 4 and 0 bytes of suffix with the source. */
const ALTERNATE_BY_PL: Record<0 | 1 | 2 | 3, Address> = {
  0: '2001:db9:0:a::1', // differs in the first 4 bytes only
  1: '2001:db8:ff::1', // differs in bytes 4..7
  2: '2001:db8:a:0:ff::1', // differs in bytes 8..11
  3: '2001:db8:a::ff:1', // differs in bytes 12..15
};

function alternatePrefixesPl(pl: 0 | 1 | 2 | 3): Vector {
  const named = [ALTERNATE_BY_PL[pl]];
  const subOptions = alternatePrefixesFor(named, ALICE);
  const packet: Packet = {
    ipv6: ipv6(ALICE, BOB),
    destOptions: [bu(8 + pl, DEFAULT_LIFETIME_SECONDS, ACK, subOptions)],
    upper: { kind: 'none' },
  };
  const prefixBytes = 4 * (pl + 1);
  return sealed(
    `alternate-prefixes-pl${pl}`,
    `BU with an Alternate Prefixes sub-option of PL ${pl} (${prefixBytes}-byte prefixes; length 1 + 4(PL+1)·count, the erratum of docs/wire-format.md)`,
    ['3.1.2'],
    packet,
    SHA1_SA(0x100, 8 + pl),
    {
      alternateAddresses: named,
    },
  );
}

/** Every golden vector, in a fixed order. */
export function buildVectors(): Vector[] {
  return [
    initialBu(),
    challengeBa(),
    responseDirect(),
    responseAltCoa(),
    deletingBu(),
    udpUnderAh(),
    routedToStandardMobile(),
    bindingRequest(),
    echoRequest(),
    alternatePrefixesPl(0),
    alternatePrefixesPl(1),
    alternatePrefixesPl(2),
    alternatePrefixesPl(3),
  ];
}
