// fast-check arbitraries for whole packets (impl/wire/types.ts) covering every header,
// option, sub-option and upper layer the codec knows, plus unknown options and sub-options.
// Every generated packet encodes (sizes stay under every limit), so `decode(encode(p))`
// can be compared with `p`. Also used by the attacker to forge packets.

import fc from 'fast-check';
import { bytesToAddress } from '../../impl/wire/address.js';
import { BA_STATUS, ICMP_TYPE, OPTION_TYPE, SUBOPTION_TYPE } from '../../impl/wire/constants.js';
import {
  NEXT_HEADER,
  type Address,
  type AuthHeader,
  type BuFlags,
  type DestOption,
  type IcmpMessage,
  type Packet,
  type RoutingHeader,
  type SubOption,
  type UpperLayer,
} from '../../impl/wire/types.js';

export interface PacketArbitraryOptions {
  /** Addresses to draw from half of the time (the rest are random); default: a few of every scope. */
  addresses?: readonly Address[];
  /** Whether packets carry an AH: always, never, or either (default). */
  ah?: 'always' | 'never' | 'maybe';
  /** Whether packets carry destination options: always, never, or either (default). */
  destOptions?: 'always' | 'never' | 'maybe';
  /** Largest upper-layer payload in bytes (default 64). */
  payloadBytesMax?: number;
}

/** A few addresses of every kind the host distinguishes (HOST.md rule 5). */
export const SAMPLE_ADDRESSES: readonly Address[] = [
  '2001:db8::1',
  '2001:db8::2',
  '2001:db8:1::1',
  '2001:db8:2::10',
  'fd00::1',
  'fe80::1',
  'fec0::1',
  'ff02::1',
  '::1',
  '::',
  '::ffff:192.0.2.1',
];

/** Random 16 bytes, biased toward zero groups so that `::` compression is exercised. */
export const addressBytesArbitrary: fc.Arbitrary<Uint8Array> = fc
  .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
  .map((groups) => {
    const b = new Uint8Array(16);
    groups.forEach((g, i) => {
      b[2 * i] = g >> 8;
      b[2 * i + 1] = g & 0xff;
    });
    return b;
  });

export function addressArbitrary(pool: readonly Address[] = SAMPLE_ADDRESSES): fc.Arbitrary<Address> {
  const random = fc.oneof(
    addressBytesArbitrary.map((b) => bytesToAddress(b)),
    fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => bytesToAddress(b)),
  );
  return pool.length > 0 ? fc.oneof(fc.constantFrom(...pool), random) : random;
}

/** Plain objects, so that generated packets compare strictly equal to decoded ones. */
const NO_NULL_PROTO = { noNullPrototype: true } as const;

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

const KNOWN_SUBOPTIONS = new Set<number>(Object.values(SUBOPTION_TYPE));
const KNOWN_OPTIONS = new Set<number>(Object.values(OPTION_TYPE));

export function subOptionArbitrary(address: fc.Arbitrary<Address>): fc.Arbitrary<SubOption> {
  return fc.oneof(
    u16.map((id): SubOption => ({ kind: 'unique-id', id })),
    address.map((a): SubOption => ({ kind: 'alternate-coa', address: a })),
    fc.constant<SubOption>({ kind: 'homeless-support' }),
    fc
      .constantFrom<0 | 1 | 2 | 3>(0, 1, 2, 3)
      .chain((pl) =>
        fc
          .array(fc.uint8Array({ minLength: 4 * (pl + 1), maxLength: 4 * (pl + 1) }), { maxLength: 3 })
          .map((prefixes): SubOption => ({ kind: 'alternate-prefixes', pl, prefixes })),
      ),
    fc.uint8Array({ minLength: 16, maxLength: 16 }).map((value): SubOption => ({ kind: 'security', value })),
    fc
      .record({ type: u8.filter((t) => !KNOWN_SUBOPTIONS.has(t)), data: fc.uint8Array({ maxLength: 16 }) })
      .map(({ type, data }): SubOption => ({ kind: 'unknown', type, data })),
  );
}

const flagsArbitrary: fc.Arbitrary<BuFlags> = fc.record(
  { ack: fc.boolean(), home: fc.boolean(), router: fc.boolean(), dad: fc.boolean() },
  NO_NULL_PROTO,
);

export function destOptionArbitrary(address: fc.Arbitrary<Address>): fc.Arbitrary<DestOption> {
  // At most 4 sub-options of at most 58 bytes each (padding included) keep every option under 255 bytes.
  const subs = fc.array(subOptionArbitrary(address), { maxLength: 4 });
  return fc.oneof(
    address.map((homeAddress): DestOption => ({ kind: 'hao', homeAddress })),
    fc
      .record({ flags: flagsArbitrary, prefixLength: u8, sequence: u16, lifetimeSeconds: u32, subOptions: subs })
      .map((r): DestOption => ({ kind: 'bu', ...r })),
    fc
      .record({
        status: fc.oneof(fc.constantFrom(...Object.values(BA_STATUS)), u8),
        sequence: u16,
        lifetimeSeconds: u32,
        refreshSeconds: u32,
        subOptions: subs,
      })
      .map((r): DestOption => ({ kind: 'ba', ...r })),
    subs.map((subOptions): DestOption => ({ kind: 'br', subOptions })),
    fc
      .record({
        // Types with the C bit (0x20) set exercise the ICV's zeroing of mutable option data.
        type: fc
          .oneof(
            u8,
            u8.map((t) => t | 0x20),
          )
          .filter((t) => !KNOWN_OPTIONS.has(t)),
        data: fc.uint8Array({ maxLength: 24 }),
      })
      .map(({ type, data }): DestOption => ({ kind: 'unknown', type, data })),
  );
}

/** One to five options, at most one HAO and one BR (WIRE.md). */
export function destOptionsArbitrary(address: fc.Arbitrary<Address>): fc.Arbitrary<DestOption[]> {
  return fc.array(destOptionArbitrary(address), { minLength: 1, maxLength: 5 }).map((options) => {
    let hao = false;
    let br = false;
    return options.filter((o) => {
      if (o.kind === 'hao') return hao ? false : (hao = true);
      if (o.kind === 'br') return br ? false : (br = true);
      return true;
    });
  });
}

export function routingArbitrary(address: fc.Arbitrary<Address>): fc.Arbitrary<RoutingHeader> {
  return fc
    .array(address, { maxLength: 3 })
    .chain((addresses) =>
      fc.integer({ min: 0, max: addresses.length }).map((segmentsLeft) => ({ segmentsLeft, addresses })),
    );
}

export const authHeaderArbitrary: fc.Arbitrary<AuthHeader> = fc.record(
  {
    spi: u32,
    sequence: u32,
    // 12 (hmac-sha1-96) and 20 (hmac-sha256-128) are what SAs use; 4 and 28 are other legal sizes.
    authData: fc.constantFrom(12, 20, 4, 28).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
  },
  NO_NULL_PROTO,
);

export function icmpArbitrary(payloadBytesMax: number): fc.Arbitrary<IcmpMessage> {
  const data = fc.uint8Array({ maxLength: payloadBytesMax });
  return fc.oneof(
    fc
      .record({ identifier: u16, sequence: u16, data }, NO_NULL_PROTO)
      .map((r): IcmpMessage => ({ type: 'echo-request', ...r })),
    fc
      .record({ identifier: u16, sequence: u16, data }, NO_NULL_PROTO)
      .map((r): IcmpMessage => ({ type: 'echo-reply', ...r })),
    fc
      .record({ code: u8, pointer: u32, invoking: data }, NO_NULL_PROTO)
      .map((r): IcmpMessage => ({ type: 'parameter-problem', ...r })),
    fc
      .record({ code: u8, invoking: data }, NO_NULL_PROTO)
      .map((r): IcmpMessage => ({ type: 'destination-unreachable', ...r })),
    fc
      .record({ icmpType: u8, code: u8, body: data })
      .filter(
        ({ icmpType, code }) =>
          icmpType !== ICMP_TYPE.destinationUnreachable &&
          icmpType !== ICMP_TYPE.parameterProblem &&
          !((icmpType === ICMP_TYPE.echoRequest || icmpType === ICMP_TYPE.echoReply) && code === 0),
      )
      .map((r): IcmpMessage => ({ type: 'other', ...r })),
  );
}

/** Protocol numbers a `raw` upper layer cannot carry (they decode as something else). */
const NOT_RAW = new Set<number>([
  0,
  44,
  50,
  NEXT_HEADER.routing,
  NEXT_HEADER.destinationOptions,
  NEXT_HEADER.ah,
  NEXT_HEADER.udp,
  NEXT_HEADER.icmpv6,
  NEXT_HEADER.noNextHeader,
]);

export function upperArbitrary(payloadBytesMax: number): fc.Arbitrary<UpperLayer> {
  const data = fc.uint8Array({ maxLength: payloadBytesMax });
  return fc.oneof(
    fc
      .record({ sourcePort: u16, destinationPort: u16, payload: data }, NO_NULL_PROTO)
      .map((r): UpperLayer => ({ kind: 'udp', ...r })),
    icmpArbitrary(payloadBytesMax).map((message): UpperLayer => ({ kind: 'icmpv6', message })),
    fc.constant<UpperLayer>({ kind: 'none' }),
    fc
      .record({ protocol: fc.oneof(fc.constant(NEXT_HEADER.tcp), u8).filter((p) => !NOT_RAW.has(p)), data })
      .map((r): UpperLayer => ({ kind: 'raw', ...r })),
  );
}

function presence<T>(mode: 'always' | 'never' | 'maybe', arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  if (mode === 'always') return arb;
  if (mode === 'never') return fc.constant(undefined);
  return fc.option(arb, { nil: undefined });
}

/** Whole packets that the canonical encoder accepts. Absent headers are absent keys, not `undefined`. */
export function packetArbitrary(options: PacketArbitraryOptions = {}): fc.Arbitrary<Packet> {
  const address = addressArbitrary(options.addresses ?? SAMPLE_ADDRESSES);
  const payloadBytesMax = options.payloadBytesMax ?? 64;
  return fc
    .record({
      ipv6: fc.record(
        {
          trafficClass: u8,
          flowLabel: fc.integer({ min: 0, max: 0xfffff }),
          hopLimit: u8,
          source: address,
          destination: address,
        },
        NO_NULL_PROTO,
      ),
      routing: fc.option(routingArbitrary(address), { nil: undefined, freq: 4 }),
      destOptions: presence(options.destOptions ?? 'maybe', destOptionsArbitrary(address)),
      ah: presence(options.ah ?? 'maybe', authHeaderArbitrary),
      upper: upperArbitrary(payloadBytesMax),
    })
    .map(({ ipv6, routing, destOptions, ah, upper }) => {
      const p: Packet = { ipv6, upper };
      if (routing !== undefined) p.routing = routing;
      if (destOptions !== undefined) p.destOptions = destOptions;
      if (ah !== undefined) p.ah = ah;
      return p;
    });
}
