// Requests a correct host must refuse (HOST.md rule 24, DESIGN.md "Probes"), and the UDP ports
// of Alice's sends. A malformed request is an otherwise valid `addSA`, `send`,
// `addLocalAddress`, `removeLocalAddress` or `receive` with one field malformed or out of
// range (or an `addSA` whose `sa` is no object), written
// as the adapter protocol's JSON: never a line that is not JSON, never a request before
// `reset`, never a decreasing `now` (the world supplies the current one). The answer it must
// get is `ok: false` with no effect at all; INV-SEND-FAITHFUL judges it.

import fc from 'fast-check';
import { ALGORITHMS } from '../../impl/crypto/index.js';
import { toHex } from '../../impl/wire/index.js';
import { nodeAddress, strangerAddress } from '../world/addresses.js';
import { textBytes } from '../world/craft.js';
import type { InvalidRequest, JsonValue } from '../world/types.js';

/** Rule 24: "an address that is not a unicast address of some scope": not IPv6 text at all... */
const NOT_IPV6_TEXT: readonly JsonValue[] = ['not-an-address', '2001:db8::1::2', '2001:db8:a::g', '', 12];
/**
 * ...or IPv6 text of no unicast scope: unspecified, multicast, IPv4-mapped. Multicast in more
 * than its common forms: flag bits that put fe80::/10's or fec0::/10's pattern (10, 11) in
 * the second byte, and one with no zero byte that ends in 1 as ::1 does; all are ff00::/8.
 */
const NOT_UNICAST: readonly JsonValue[] = [
  '::',
  'ff02::1',
  'ff0e::1',
  'ff82::1',
  'ffc5::1',
  'ff01:101:101:101:101:101:101:101',
  '::ffff:192.0.2.1',
];
/** Rule 24: "a port outside 0..65535" (2^32 + 5000 is 5000 to a host that keeps 16 bits). */
const BAD_PORTS: readonly JsonValue[] = [70000, 65536, -1, 1.5, 2 ** 32 + 5000];
/** Rule 24: "a payload or key that is not hex". */
const NOT_HEX: readonly JsonValue[] = ['zz', 'abc', '0x41', 'hello world', 42];
/**
 * Keys that are not hex but have the right length for `alg` in some reading: as many characters
 * as the key has bytes (a host that checks the key's length before its form takes the text
 * for the bytes), or as many as its hex has digits.
 */
function notHexKeysOfLength(keyBytes: number): JsonValue[] {
  return ['k'.repeat(keyBytes), 'zz'.repeat(keyBytes)];
}
/** Rule 24: "an unknown `proto`, `kind` or `alg`". */
const BAD_PROTOS: readonly JsonValue[] = ['tcp', 'UDP', 'icmpv6', 17];
const BAD_ALGS: readonly JsonValue[] = ['hmac-md5-96', 'HMAC-SHA1-96', 'hmac-sha1', 1];
const BAD_KINDS: readonly JsonValue[] = ['static', 'Generic', 'none', 0];
/** Rule 24: "a reserved SPI (0..255)"; SPIs are 32-bit integers (ADAPTER-PROTOCOL.md). */
const BAD_SPIS: readonly JsonValue[] = [0, 12, 255, -1, 2 ** 32, 1.5];

/** SPIs of the well-formed part of a malformed addSA: far above every SPI the world draws (< 2^20). */
const PROBE_SPI = 0x200000;

const oneOf = (values: readonly JsonValue[]): fc.Arbitrary<JsonValue> => fc.constantFrom(...values);

/** Bob is in every world: a send to his first address is well-formed but for the flaw. */
function sendRequest(): fc.Arbitrary<InvalidRequest> {
  const base = (proto: 'udp' | 'icmp'): InvalidRequest => ({
    type: 'send',
    to: nodeAddress('bob', 0),
    proto,
    payload: toHex(textBytes('alice-refused')),
  });
  return fc.oneof(
    fc
      .tuple(fc.constantFrom<'udp' | 'icmp'>('udp', 'icmp'), oneOf([...NOT_IPV6_TEXT, ...NOT_UNICAST]))
      .map(([proto, to]) => ({ ...base(proto), to })),
    fc
      .constantFrom<'udp' | 'icmp'>('udp', 'icmp')
      .chain((proto) => oneOf(NOT_HEX).map((payload) => ({ ...base(proto), payload }))),
    oneOf(BAD_PROTOS).map((proto) => ({ ...base('udp'), proto })),
    // Ports are UDP's: an ICMP send's ports are ignored (docs/adapter-protocol.md).
    fc
      .tuple(fc.constantFrom('sport', 'dport'), oneOf(BAD_PORTS))
      .map(([field, port]) => ({ ...base('udp'), [field]: port })),
  );
}

function addSaRequest(): fc.Arbitrary<InvalidRequest> {
  // `keyOfLength` is a flaw of the key too: not hex, but of the key's length in some reading.
  const field = fc.constantFrom('peer', 'inboundSpi', 'outboundSpi', 'alg', 'key', 'keyOfLength', 'kind');
  return fc
    .tuple(fc.integer({ min: 0, max: 16 }), fc.constantFrom('hmac-sha1-96' as const, 'hmac-sha256-128' as const), field)
    .chain(([n, alg, f]) => {
      const sa: { [key: string]: JsonValue } = {
        peer: strangerAddress(n),
        inboundSpi: PROBE_SPI + 2 * n,
        outboundSpi: PROBE_SPI + 2 * n + 1,
        alg,
        key: '6b'.repeat(ALGORITHMS[alg].keyBytes),
        kind: 'generic',
      };
      const values: Record<string, readonly JsonValue[]> = {
        peer: [...NOT_IPV6_TEXT, ...NOT_UNICAST],
        inboundSpi: BAD_SPIS,
        outboundSpi: BAD_SPIS,
        alg: BAD_ALGS,
        key: NOT_HEX,
        keyOfLength: notHexKeysOfLength(ALGORITHMS[alg].keyBytes),
        kind: BAD_KINDS,
      };
      const name = f === 'keyOfLength' ? 'key' : f;
      return oneOf(values[f]).map((v): InvalidRequest => ({ type: 'addSA', sa: { ...sa, [name]: v } }));
    });
}

/** ADAPTER-PROTOCOL.md: `sa` is an object; these are not. */
const NOT_AN_SA: readonly JsonValue[] = [null, 7, 'sa', []];

/** A `receive` whose packet is not hex (ADAPTER-PROTOCOL.md: `packet: hex`). */
function receiveRequest(): fc.Arbitrary<InvalidRequest> {
  return oneOf(NOT_HEX).map((packet): InvalidRequest => ({ type: 'receive', packet }));
}

/** A well-formed `addSA` of the malformed ones' SPIs but for `fields`. */
function edgeSa(fields: { [key: string]: JsonValue }): InvalidRequest {
  const sa = {
    peer: strangerAddress(0),
    inboundSpi: PROBE_SPI,
    outboundSpi: PROBE_SPI + 1,
    alg: 'hmac-sha1-96',
    key: '6b'.repeat(ALGORITHMS['hmac-sha1-96'].keyBytes),
    kind: 'generic',
  };
  return { type: 'addSA', sa: { ...sa, ...fields } };
}

function edgeSend(fields: { [key: string]: JsonValue }): InvalidRequest {
  return {
    type: 'send',
    to: nodeAddress('bob', 0),
    proto: 'udp',
    payload: toHex(textBytes('alice-refused')),
    ...fields,
  };
}

/**
 * The malformed requests at the edges of rule 24's ranges, asked one after another (the
 * world's `edges` request, OddRequest): each just outside what a well-formed request may
 * carry (SPI 255 and 2^32, port −1 and 65536, and values that are no integer), the addresses
 * of no unicast scope, an `sa` that is no object, a packet that is not hex. Drawn one at a
 * time above, each of them is rare; here a run that asks for them asks for all.
 */
export const EDGE_REQUESTS: readonly InvalidRequest[] = [
  ...[255, 2 ** 32, -1, 1.5].flatMap((spi) => [edgeSa({ inboundSpi: spi }), edgeSa({ outboundSpi: spi })]),
  ...NOT_UNICAST.map((peer) => edgeSa({ peer })),
  ...NOT_UNICAST.map((to) => edgeSend({ to })),
  ...[-1, 1.5, 65536].flatMap((port) => [edgeSend({ sport: port }), edgeSend({ dport: port })]),
  ...NOT_UNICAST.map((address): InvalidRequest => ({ type: 'addLocalAddress', address })),
  ...NOT_AN_SA.map((sa): InvalidRequest => ({ type: 'addSA', sa })),
  { type: 'receive', packet: 'zz' },
];

/**
 * A malformed request. `removeLocalAddress` gets only text that is no IPv6 address at all:
 * removing an address Alice lacks is an accepted no-op (rule 24), and docs/adapter-protocol.md
 * reads a well-formed multicast address as one she lacks.
 */
export const invalidRequestArbitrary: fc.Arbitrary<InvalidRequest> = fc.oneof(
  { weight: 3, arbitrary: sendRequest() },
  { weight: 2, arbitrary: addSaRequest() },
  { weight: 1, arbitrary: oneOf(NOT_AN_SA).map((sa): InvalidRequest => ({ type: 'addSA', sa })) },
  { weight: 1, arbitrary: receiveRequest() },
  {
    weight: 1,
    arbitrary: oneOf([...NOT_IPV6_TEXT, ...NOT_UNICAST]).map((address): InvalidRequest => ({
      type: 'addLocalAddress',
      address,
    })),
  },
  {
    weight: 1,
    arbitrary: oneOf(NOT_IPV6_TEXT).map((address): InvalidRequest => ({ type: 'removeLocalAddress', address })),
  },
);

/** A UDP port: the edges, a well-known one, the default, or any. */
const port = fc.oneof(fc.constantFrom(0, 53, 5000, 65535), fc.integer({ min: 0, max: 0xffff }));

/** The ports of a UDP send: the defaults (absent), or one or both given. */
export const udpPortsArbitrary: fc.Arbitrary<{ sport?: number; dport?: number }> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({}) },
  { weight: 2, arbitrary: fc.record({ sport: port, dport: port }) },
  { weight: 1, arbitrary: port.map((sport) => ({ sport })) },
  { weight: 1, arbitrary: port.map((dport) => ({ dport })) },
);
