// Whole packets: IPv6 → [routing 43] → [destination options 60] → [AH 51] → upper layer
// (WIRE.md "Packet layout"). `decodePacket` never throws: it checks every length before it
// reads and returns a typed error with the offset where it stopped (DESIGN.md style rule 2).
// Every read is bounds-checked as well (fail.ts), so a length check that misses a case gives
// a `truncated` error at the byte it could not read, never a made-up value.

import { bytesToAddress } from './address.js';
import { ADDRESS_BYTES, AH, DEST_OPTS, EXT, IPV6, ROUTING, UNSUPPORTED_EXTENSION_HEADERS } from './constants.js';
import { Fail, ReadOutOfBounds, readU16, readU32, readU8 } from './fail.js';
import { decodeOptions, encodeDestOptionsHeader } from './options.js';
import {
  EncodeError,
  NEXT_HEADER,
  type AuthHeader,
  type DecodeResult,
  type DestOption,
  type Packet,
  type PacketLayout,
  type RoutingHeader,
  type UpperLayer,
} from './types.js';
import { decodeIcmp, decodeUdp, encodeIcmp, encodeUdp, upperLayerBytes, type ChecksumAddresses } from './upper.js';
import { checkBytes, checkUint, isList, scratchWriter, type Writer } from './writer.js';

/** Where a header may still appear: each extension header at most once, in WIRE.md's order. */
const STAGE = { ipv6: 0, routing: 1, destOptions: 2, ah: 3 } as const;

/** Protocol numbers a `raw` upper layer may not carry: they would decode as something else. */
const RAW_REFUSED: ReadonlySet<number> = new Set([
  ...UNSUPPORTED_EXTENSION_HEADERS,
  NEXT_HEADER.routing,
  NEXT_HEADER.destinationOptions,
  NEXT_HEADER.ah,
  NEXT_HEADER.udp,
  NEXT_HEADER.icmpv6,
  NEXT_HEADER.noNextHeader,
]);

function failure(f: Fail): DecodeResult {
  return { ok: false, error: { code: f.code, offset: f.offset, message: f.message } };
}

/**
 * Offset of the final destination (RFC 2460 §8.1): the last routing address while Segments
 * Left > 0 (the packet as sent), else the IPv6 Destination (as it arrives, WIRE.md).
 */
function finalDestinationOffset(routingOffset: number | undefined, routing: RoutingHeader | undefined): number {
  if (
    routingOffset === undefined ||
    routing === undefined ||
    routing.segmentsLeft === 0 ||
    routing.addresses.length === 0
  ) {
    return IPV6.offsetDestination;
  }
  return routingOffset + ROUTING.offsetAddresses + ADDRESS_BYTES * (routing.addresses.length - 1);
}

/** Decodes one whole IPv6 packet. Never throws, whatever the bytes. */
export function decodePacket(bytes: Uint8Array): DecodeResult {
  if (!(bytes instanceof Uint8Array)) return failure(new Fail('truncated', 0, 'not a byte array'));
  // A plain Uint8Array view, so that every byte string decoded below is a copy: Buffer.slice
  // (Node) would return views into the caller's memory.
  const b = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return decodeChecked(b);
  } catch (e) {
    if (e instanceof ReadOutOfBounds)
      return failure(new Fail('truncated', e.offset, `${e.message} (unchecked length)`));
    throw e;
  }
}

function decodeChecked(b: Uint8Array): DecodeResult {
  if (b.length < IPV6.headerBytes)
    return failure(new Fail('truncated', 0, `IPv6 header needs 40 bytes, got ${b.length}`));
  const version = readU8(b, 0) >> 4;
  if (version !== IPV6.version) return failure(new Fail('bad-version', 0, `IP version ${version}`));
  const payloadLength = readU16(b, IPV6.offsetPayloadLength);
  const end = IPV6.headerBytes + payloadLength;
  if (end !== b.length) {
    return failure(
      new Fail(
        'bad-length',
        IPV6.offsetPayloadLength,
        `Payload Length ${payloadLength}, ${b.length - IPV6.headerBytes} bytes follow`,
      ),
    );
  }
  const layout: PacketLayout = { options: [], mutableOptionData: [], upperOffset: 0, length: end };
  const word0 = readU32(b, 0);
  const headers: Omit<Packet, 'upper'> = {
    ipv6: {
      trafficClass: (word0 >>> 20) & 0xff,
      flowLabel: word0 & 0xfffff,
      hopLimit: readU8(b, IPV6.offsetHopLimit),
      source: bytesToAddress(b, IPV6.offsetSource),
      destination: bytesToAddress(b, IPV6.offsetDestination),
    },
  };
  let nextHeader = readU8(b, IPV6.offsetNextHeader);
  let off: number = IPV6.headerBytes;
  let stage: number = STAGE.ipv6;
  for (;;) {
    if (UNSUPPORTED_EXTENSION_HEADERS.has(nextHeader)) {
      return failure(
        new Fail('unsupported-header', off, `extension header ${nextHeader} is not supported (docs/wire-format.md)`),
      );
    }
    let headerStage: number;
    if (nextHeader === NEXT_HEADER.routing) headerStage = STAGE.routing;
    else if (nextHeader === NEXT_HEADER.destinationOptions) headerStage = STAGE.destOptions;
    else if (nextHeader === NEXT_HEADER.ah) headerStage = STAGE.ah;
    else break;
    if (headerStage <= stage)
      return failure(new Fail('header-order', off, `extension header ${nextHeader} repeated or out of order`));
    stage = headerStage;
    const headerNext = off < end ? readU8(b, off + EXT.offsetNextHeader) : 0;
    let headerEnd: number;
    if (headerStage === STAGE.ah) {
      const r = decodeAh(b, off, end);
      if (r instanceof Fail) return failure(r);
      headers.ah = r;
      headerEnd = off + r.authData.length + AH.fixedBytes;
      layout.ahOffset = off;
      layout.ahLength = headerEnd - off;
      layout.ahAuthData = [off + AH.offsetAuthData, headerEnd];
    } else {
      if (end - off < EXT.minBytes)
        return failure(new Fail('truncated', off, `extension header ${nextHeader} needs 8 bytes, ${end - off} left`));
      headerEnd = off + EXT.unitBytes * (readU8(b, off + EXT.offsetHdrExtLen) + 1);
      if (headerStage === STAGE.routing) {
        const r = decodeRouting(b, off, end, headerEnd);
        if (r instanceof Fail) return failure(r);
        headers.routing = r;
        layout.routingOffset = off;
        layout.routingLength = headerEnd - off;
      } else {
        if (headerEnd > end)
          return failure(
            new Fail(
              'bad-length',
              off + EXT.offsetHdrExtLen,
              `Destination Options header of ${headerEnd - off} bytes overruns the packet`,
            ),
          );
        const r = decodeOptions(b, off + DEST_OPTS.offsetOptions, headerEnd, layout);
        if (r instanceof Fail) return failure(r);
        // A header holding only padding is padding: not represented (no empty header is sent, WIRE.md).
        if (r.length > 0) headers.destOptions = r;
        layout.destOptionsOffset = off;
        layout.destOptionsLength = headerEnd - off;
      }
    }
    nextHeader = headerNext;
    off = headerEnd;
  }
  layout.upperOffset = off;
  const at: ChecksumAddresses = {
    sourceOffset: IPV6.offsetSource,
    destinationOffset: finalDestinationOffset(layout.routingOffset, headers.routing),
  };
  let upper: UpperLayer | Fail;
  if (nextHeader === NEXT_HEADER.udp) upper = decodeUdp(b, off, end, at);
  else if (nextHeader === NEXT_HEADER.icmpv6) upper = decodeIcmp(b, off, end, at);
  else if (nextHeader === NEXT_HEADER.noNextHeader)
    upper = { kind: 'none' }; // trailing bytes ignored (RFC 2460 §4.7)
  else upper = { kind: 'raw', protocol: nextHeader, data: b.slice(off, end) };
  if (upper instanceof Fail) return failure(upper);
  // The upper layer is added last so that the keys read in wire order.
  return { ok: true, packet: Object.assign(headers, { upper }), layout };
}

/** Type 0 routing header at `off` (RFC 2460 §4.4); the caller checked 8 bytes are there. */
function decodeRouting(b: Uint8Array, off: number, end: number, headerEnd: number): RoutingHeader | Fail {
  const type = readU8(b, off + ROUTING.offsetType);
  if (type !== ROUTING.type0) return new Fail('unsupported-header', off + ROUTING.offsetType, `routing type ${type}`);
  const hdrExtLen = readU8(b, off + EXT.offsetHdrExtLen);
  // Hdr Ext Len is two 8-octet units per address (RFC 2460 §4.4).
  if (hdrExtLen % 2 !== 0)
    return new Fail('bad-length', off + EXT.offsetHdrExtLen, `type 0 routing Hdr Ext Len ${hdrExtLen} is odd`);
  if (headerEnd > end)
    return new Fail(
      'bad-length',
      off + EXT.offsetHdrExtLen,
      `routing header of ${headerEnd - off} bytes overruns the packet`,
    );
  const count = hdrExtLen / 2;
  const segmentsLeft = readU8(b, off + ROUTING.offsetSegmentsLeft);
  if (segmentsLeft > count)
    return new Fail(
      'malformed',
      off + ROUTING.offsetSegmentsLeft,
      `Segments Left ${segmentsLeft} > ${count} addresses`,
    );
  const addresses: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) addresses[i] = bytesToAddress(b, off + ROUTING.offsetAddresses + ADDRESS_BYTES * i);
  return { segmentsLeft, addresses };
}

/** AH at `off` (RFC 2402 §2): total length a multiple of 8 (IPv6), reserved bits ignored. */
function decodeAh(b: Uint8Array, off: number, end: number): AuthHeader | Fail {
  if (end - off < AH.fixedBytes) return new Fail('truncated', off, `AH needs 12 bytes, ${end - off} left`);
  const payloadLen = readU8(b, off + AH.offsetPayloadLen);
  const length = 4 * (payloadLen + 2);
  if (length < AH.fixedBytes || length % AH.lengthMultipleBytes !== 0) {
    return new Fail(
      'bad-length',
      off + AH.offsetPayloadLen,
      `AH Payload Len ${payloadLen} gives ${length} bytes, not a multiple of 8 of at least 12`,
    );
  }
  if (off + length > end)
    return new Fail('bad-length', off + AH.offsetPayloadLen, `AH of ${length} bytes overruns the packet`);
  return {
    spi: readU32(b, off + AH.offsetSpi),
    sequence: readU32(b, off + AH.offsetSequence),
    authData: b.slice(off + AH.offsetAuthData, off + length),
  };
}

function upperProtocol(u: UpperLayer): number {
  switch (u.kind) {
    case 'udp':
      return NEXT_HEADER.udp;
    case 'icmpv6':
      return NEXT_HEADER.icmpv6;
    case 'none':
      return NEXT_HEADER.noNextHeader;
    case 'raw':
      checkUint(u.protocol, 0xff, 'raw.protocol');
      if (RAW_REFUSED.has(u.protocol))
        throw new EncodeError('bad-value', `raw upper layer with protocol ${u.protocol} would not decode as raw`);
      return u.protocol;
    default:
      throw new EncodeError('bad-value', `unknown upper-layer kind ${String((u as { kind?: unknown }).kind)}`);
  }
}

function encodeRouting(w: Writer, nextHeader: number, r: RoutingHeader): void {
  if (r === null || typeof r !== 'object' || !isList(r.addresses))
    throw new EncodeError('bad-value', 'routing: not a routing header');
  const count = r.addresses.length;
  if (count > ROUTING.addressesCountMax)
    throw new EncodeError('too-long', `routing header with ${count} addresses (max ${ROUTING.addressesCountMax})`);
  checkUint(r.segmentsLeft, count, 'routing.segmentsLeft');
  w.u8(nextHeader);
  w.u8(2 * count);
  w.u8(ROUTING.type0);
  w.u8(r.segmentsLeft);
  w.u32(0); // reserved (RFC 2460 §4.4)
  for (const a of r.addresses) w.address(a, 'routing.addresses[]');
}

function encodeAh(w: Writer, nextHeader: number, ah: AuthHeader, layout: PacketLayout): void {
  if (ah === null || typeof ah !== 'object') throw new EncodeError('bad-value', 'ah: not an object');
  checkUint(ah.spi, 0xffffffff, 'ah.spi');
  checkUint(ah.sequence, 0xffffffff, 'ah.sequence');
  checkBytes(ah.authData, 'ah.authData');
  const length = AH.fixedBytes + ah.authData.length;
  if (length % AH.lengthMultipleBytes !== 0)
    throw new EncodeError('bad-value', `AH of ${length} bytes is not a multiple of 8`);
  if (length > AH.bytesMax) throw new EncodeError('too-long', `AH of ${length} bytes (max ${AH.bytesMax})`);
  layout.ahOffset = w.pos;
  layout.ahLength = length;
  w.u8(nextHeader);
  w.u8(length / 4 - 2);
  w.u16(0); // reserved (RFC 2402 §2.3)
  w.u32(ah.spi);
  w.u32(ah.sequence);
  layout.ahAuthData = [w.pos, w.pos + ah.authData.length];
  w.bytes(ah.authData);
}

/** Canonical encoding with the layout the AH code needs. Throws EncodeError on a packet that cannot be encoded. */
export function encodePacketWithLayout(p: Packet): { bytes: Uint8Array; layout: PacketLayout } {
  if (p === null || typeof p !== 'object' || p.ipv6 === null || typeof p.ipv6 !== 'object')
    throw new EncodeError('bad-value', 'not a packet');
  const ip = p.ipv6;
  checkUint(ip.trafficClass, 0xff, 'ipv6.trafficClass');
  checkUint(ip.flowLabel, 0xfffff, 'ipv6.flowLabel');
  checkUint(ip.hopLimit, 0xff, 'ipv6.hopLimit');
  if (p.upper === null || typeof p.upper !== 'object') throw new EncodeError('bad-value', 'upper: missing');
  const upperNext = upperProtocol(p.upper);
  const destOptions: readonly DestOption[] | undefined = p.destOptions;
  const afterDestOptions = p.ah !== undefined ? NEXT_HEADER.ah : upperNext;
  const afterRouting = destOptions !== undefined ? NEXT_HEADER.destinationOptions : afterDestOptions;
  const afterIpv6 = p.routing !== undefined ? NEXT_HEADER.routing : afterRouting;

  const layout: PacketLayout = { options: [], mutableOptionData: [], upperOffset: 0, length: 0 };
  const w = scratchWriter();
  w.u8((IPV6.version << 4) | (ip.trafficClass >> 4));
  w.u8(((ip.trafficClass & 0x0f) << 4) | (ip.flowLabel >> 16));
  w.u16(ip.flowLabel & 0xffff);
  w.u16(0); // Payload Length, written below
  w.u8(afterIpv6);
  w.u8(ip.hopLimit);
  w.address(ip.source, 'ipv6.source');
  w.address(ip.destination, 'ipv6.destination');
  if (p.routing !== undefined) {
    layout.routingOffset = w.pos;
    encodeRouting(w, afterRouting, p.routing);
    layout.routingLength = w.pos - layout.routingOffset;
  }
  if (destOptions !== undefined) {
    layout.destOptionsOffset = w.pos;
    encodeDestOptionsHeader(w, afterDestOptions, destOptions, layout);
  }
  if (p.ah !== undefined) encodeAh(w, upperNext, p.ah, layout);

  layout.upperOffset = w.pos;
  const upperBytes = upperLayerBytes(p.upper);
  const total = w.pos + upperBytes;
  if (total - IPV6.headerBytes > IPV6.payloadBytesMax) {
    throw new EncodeError('too-long', `payload of ${total - IPV6.headerBytes} bytes (max ${IPV6.payloadBytesMax})`);
  }
  const at: ChecksumAddresses = {
    sourceOffset: IPV6.offsetSource,
    destinationOffset: finalDestinationOffset(layout.routingOffset, p.routing),
  };
  const u = p.upper;
  if (u.kind === 'udp') encodeUdp(w, u, at);
  else if (u.kind === 'icmpv6') encodeIcmp(w, u.message, at);
  else if (u.kind === 'raw') w.bytes(u.data);
  layout.length = w.pos;
  const payloadLength = w.pos - IPV6.headerBytes;
  w.buf[IPV6.offsetPayloadLength] = payloadLength >>> 8;
  w.buf[IPV6.offsetPayloadLength + 1] = payloadLength & 0xff;
  return { bytes: w.buf.slice(0, w.pos), layout };
}

/** Canonical encoding (WIRE.md). Throws EncodeError on a packet that cannot be encoded. */
export function encodePacket(p: Packet): Uint8Array {
  return encodePacketWithLayout(p).bytes;
}
