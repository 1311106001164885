// Upper layers: UDP (RFC 768) and ICMPv6 (RFC 4443) with their IPv6 checksums
// (RFC 2460 §8.1), computed over the packet's source and final destination. Unions are
// matched with `switch` and a `never` default (hot path; see options.ts).

import { foldSum, internetChecksum, onesComplementSum, pseudoHeaderSum } from './checksum.js';
import { ICMP, ICMP_TYPE, IPV6, UDP } from './constants.js';
import { Fail, readU16, readU32, readU8 } from './fail.js';
import { EncodeError, NEXT_HEADER, type IcmpMessage, type UpperLayer } from './types.js';
import { checkBytes, checkUint, type Writer } from './writer.js';

/** Where the pseudo-header's addresses are in the packet bytes. */
export interface ChecksumAddresses {
  sourceOffset: number;
  /** The final destination: IPv6 Destination, or the routing header's last address while Segments Left > 0. */
  destinationOffset: number;
}

/** A one's complement sum over the pseudo-header and b[start, end), checksum field included, is 0xFFFF when it verifies. */
function checksumVerifies(
  b: Uint8Array,
  start: number,
  end: number,
  nextHeader: number,
  at: ChecksumAddresses,
): boolean {
  const pseudo = pseudoHeaderSum(b, at.sourceOffset, at.destinationOffset, end - start, nextHeader);
  return foldSum(onesComplementSum(b, start, end, pseudo)) === 0xffff;
}

/** UDP in b[off, end): length must match, checksum must be non-zero and right (WIRE.md). */
export function decodeUdp(b: Uint8Array, off: number, end: number, at: ChecksumAddresses): UpperLayer | Fail {
  if (end - off < UDP.headerBytes) return new Fail('truncated', off, `UDP header needs 8 bytes, ${end - off} left`);
  const length = readU16(b, off + UDP.offsetLength);
  if (length !== end - off)
    return new Fail('bad-length', off + UDP.offsetLength, `UDP length ${length}, ${end - off} bytes follow`);
  if (readU16(b, off + UDP.offsetChecksum) === 0) {
    return new Fail('bad-checksum', off + UDP.offsetChecksum, 'UDP checksum 0 (mandatory over IPv6, RFC 2460 §8.1)');
  }
  if (!checksumVerifies(b, off, end, NEXT_HEADER.udp, at))
    return new Fail('bad-checksum', off + UDP.offsetChecksum, 'wrong UDP checksum');
  return {
    kind: 'udp',
    sourcePort: readU16(b, off + UDP.offsetSourcePort),
    destinationPort: readU16(b, off + UDP.offsetDestinationPort),
    payload: b.slice(off + UDP.headerBytes, end),
  };
}

/**
 * ICMPv6 in b[off, end). Echo (code 0), Parameter Problem and Destination Unreachable are
 * decoded; anything else, echo types with a non-zero code included, is kept as `other` so
 * that decoding stays lossless. The 4 unused bytes of Destination Unreachable are ignored
 * (RFC 4443 §3.1) and sent as zeros.
 */
export function decodeIcmp(b: Uint8Array, off: number, end: number, at: ChecksumAddresses): UpperLayer | Fail {
  if (end - off < ICMP.headerBytes) return new Fail('truncated', off, `ICMPv6 header needs 4 bytes, ${end - off} left`);
  if (!checksumVerifies(b, off, end, NEXT_HEADER.icmpv6, at))
    return new Fail('bad-checksum', off + ICMP.offsetChecksum, 'wrong ICMPv6 checksum');
  const type = readU8(b, off + ICMP.offsetType);
  const code = readU8(b, off + ICMP.offsetCode);
  const isEcho = (type === ICMP_TYPE.echoRequest || type === ICMP_TYPE.echoReply) && code === 0;
  const hasFixedPart = isEcho || type === ICMP_TYPE.parameterProblem || type === ICMP_TYPE.destinationUnreachable;
  if (hasFixedPart && end - off < ICMP.messageFixedBytes) {
    return new Fail('truncated', off, `ICMPv6 type ${type} needs 8 bytes, ${end - off} left`);
  }
  let message: IcmpMessage;
  if (isEcho) {
    message = {
      type: type === ICMP_TYPE.echoRequest ? 'echo-request' : 'echo-reply',
      identifier: readU16(b, off + ICMP.offsetIdentifier),
      sequence: readU16(b, off + ICMP.offsetSequence),
      data: b.slice(off + ICMP.messageFixedBytes, end),
    };
  } else if (type === ICMP_TYPE.parameterProblem) {
    message = {
      type: 'parameter-problem',
      code,
      pointer: readU32(b, off + ICMP.offsetPointer),
      invoking: b.slice(off + ICMP.messageFixedBytes, end),
    };
  } else if (type === ICMP_TYPE.destinationUnreachable) {
    message = { type: 'destination-unreachable', code, invoking: b.slice(off + ICMP.messageFixedBytes, end) };
  } else {
    message = { type: 'other', icmpType: type, code, body: b.slice(off + ICMP.headerBytes, end) };
  }
  return { kind: 'icmpv6', message };
}

/** Bytes the upper layer will take, for the size check done before writing it. */
export function upperLayerBytes(u: UpperLayer): number {
  switch (u.kind) {
    case 'udp':
      checkBytes(u.payload, 'udp.payload');
      return UDP.headerBytes + u.payload.length;
    case 'icmpv6': {
      const m = u.message;
      switch (m.type) {
        case 'echo-request':
        case 'echo-reply':
          checkBytes(m.data, 'icmp echo data');
          return ICMP.messageFixedBytes + m.data.length;
        case 'parameter-problem':
        case 'destination-unreachable':
          checkBytes(m.invoking, 'icmp invoking packet');
          return ICMP.messageFixedBytes + m.invoking.length;
        case 'other':
          checkBytes(m.body, 'icmp body');
          return ICMP.headerBytes + m.body.length;
        default:
          throw unknownKind(m);
      }
    }
    case 'none':
      return 0;
    case 'raw':
      checkBytes(u.data, 'raw.data');
      return u.data.length;
    default:
      throw unknownKind(u);
  }
}

/** Writes UDP at w.pos and fills in its checksum (a computed 0 is sent as 0xFFFF, RFC 2460 §8.1). */
export function encodeUdp(w: Writer, u: Extract<UpperLayer, { kind: 'udp' }>, at: ChecksumAddresses): void {
  checkUint(u.sourcePort, 0xffff, 'udp.sourcePort');
  checkUint(u.destinationPort, 0xffff, 'udp.destinationPort');
  const off = w.pos;
  const length = UDP.headerBytes + u.payload.length;
  w.u16(u.sourcePort);
  w.u16(u.destinationPort);
  w.u16(length);
  w.u16(0);
  w.bytes(u.payload);
  let checksum = internetChecksum(
    w.buf,
    off,
    off + length,
    pseudoHeaderSum(w.buf, at.sourceOffset, at.destinationOffset, length, NEXT_HEADER.udp),
  );
  if (checksum === 0) checksum = UDP.checksumZeroSentAs;
  w.buf[off + UDP.offsetChecksum] = checksum >>> 8;
  w.buf[off + UDP.offsetChecksum + 1] = checksum & 0xff;
}

/** Writes an ICMPv6 message at w.pos and fills in its checksum (RFC 4443 §2.3). */
export function encodeIcmp(w: Writer, m: IcmpMessage, at: ChecksumAddresses): void {
  const off = w.pos;
  switch (m.type) {
    case 'echo-request':
    case 'echo-reply':
      checkUint(m.identifier, 0xffff, 'icmp echo identifier');
      checkUint(m.sequence, 0xffff, 'icmp echo sequence');
      w.u8(m.type === 'echo-request' ? ICMP_TYPE.echoRequest : ICMP_TYPE.echoReply);
      w.u8(0);
      w.u16(0);
      w.u16(m.identifier);
      w.u16(m.sequence);
      w.bytes(m.data);
      break;
    case 'parameter-problem':
      checkUint(m.code, 0xff, 'icmp parameter-problem code');
      checkUint(m.pointer, 0xffffffff, 'icmp parameter-problem pointer');
      w.u8(ICMP_TYPE.parameterProblem);
      w.u8(m.code);
      w.u16(0);
      w.u32(m.pointer);
      w.bytes(m.invoking);
      break;
    case 'destination-unreachable':
      checkUint(m.code, 0xff, 'icmp destination-unreachable code');
      w.u8(ICMP_TYPE.destinationUnreachable);
      w.u8(m.code);
      w.u16(0);
      w.u32(0);
      w.bytes(m.invoking);
      break;
    case 'other':
      checkUint(m.icmpType, 0xff, 'icmp other type');
      checkUint(m.code, 0xff, 'icmp other code');
      if (
        m.icmpType === ICMP_TYPE.parameterProblem ||
        m.icmpType === ICMP_TYPE.destinationUnreachable ||
        ((m.icmpType === ICMP_TYPE.echoRequest || m.icmpType === ICMP_TYPE.echoReply) && m.code === 0)
      ) {
        throw new EncodeError(
          'bad-value',
          `ICMPv6 type ${m.icmpType} code ${m.code} has its own kind; 'other' would not decode back`,
        );
      }
      w.u8(m.icmpType);
      w.u8(m.code);
      w.u16(0);
      w.bytes(m.body);
      break;
    default:
      throw unknownKind(m);
  }
  const length = w.pos - off;
  const checksum = internetChecksum(
    w.buf,
    off,
    off + length,
    pseudoHeaderSum(w.buf, at.sourceOffset, at.destinationOffset, length, NEXT_HEADER.icmpv6),
  );
  w.buf[off + ICMP.offsetChecksum] = checksum >>> 8;
  w.buf[off + ICMP.offsetChecksum + 1] = checksum & 0xff;
}

/** The pseudo-header source is always the IPv6 Source field. */
export const SOURCE_OFFSET = IPV6.offsetSource;

function unknownKind(x: never): EncodeError {
  const v = x as { kind?: unknown; type?: unknown };
  return new EncodeError('bad-value', `unknown upper-layer kind or ICMPv6 type ${String(v.kind ?? v.type)}`);
}
