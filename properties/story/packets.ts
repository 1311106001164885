// Packets in words, for the story of a counterexample: who sent it, what it says, and whether
// its AH checks ("Mallory → Alice: BU claims 2001:db8:b::1, AH spi 0x9ab27 ok"). Read off the
// bytes with the wire codec and the SAs the file records (their keys included), so a packet
// that never reached Alice is judged too. Never throws on any bytes.

import { verifyAh } from '../../impl/crypto/index.js';
import { decodePacket, fromHex } from '../../impl/wire/index.js';
import type { AhAlgorithm } from '../../impl/host/types.js';
import { inspectPacket } from '../world/inspect.js';
import type { NodeName, PacketInfo, ReceiveTruth, SaRecord } from '../world/types.js';

/** Bytes of a UDP or echo payload shown as text when they are printable. */
const PAYLOAD_TEXT_CHARS_MAX = 24;
const PRINTABLE_LOW = 0x20;
const PRINTABLE_HIGH = 0x7e;

export const NODE_TITLES: Readonly<Record<NodeName, string>> = {
  alice: 'Alice',
  bob: 'Bob',
  carol: 'Carol',
  sam: 'Sam',
  lee: 'Lee',
  mallory: 'Mallory',
};

export function nodeTitle(node: NodeName | null | undefined): string {
  return node === null || node === undefined ? 'nobody' : NODE_TITLES[node];
}

export function spiText(spi: number): string {
  return `0x${spi.toString(16)}`;
}

/** A payload as a quoted string when it is printable ASCII, else as hex. */
export function payloadText(hex: string): string {
  const bytes = fromHex(hex) ?? new Uint8Array(0);
  const printable = bytes.length > 0 && bytes.every((b) => b >= PRINTABLE_LOW && b <= PRINTABLE_HIGH);
  if (printable) {
    const text = String.fromCharCode(...bytes.subarray(0, PAYLOAD_TEXT_CHARS_MAX));
    return `'${text}${bytes.length > PAYLOAD_TEXT_CHARS_MAX ? '…' : ''}'`;
  }
  return `${bytes.length} bytes`;
}

/** What the AH of a packet says: checked with the SA whose SPI it carries, or the world's own verdict at Alice. */
export type AhVerdict = 'ok' | 'bad ICV' | 'unknown SPI' | 'replayed' | 'sequence 0' | 'no AH' | 'undecodable';

const TRUTH_VERDICT: Readonly<Record<ReceiveTruth['ah'], AhVerdict>> = {
  none: 'no AH',
  valid: 'ok',
  replay: 'replayed',
  'bad-sequence': 'sequence 0',
  'bad-icv': 'bad ICV',
  'unknown-spi': 'unknown SPI',
  undecodable: 'undecodable',
};

export function truthVerdict(truth: ReceiveTruth): AhVerdict {
  return TRUTH_VERDICT[truth.ah];
}

/** Keys of every SA by the SPIs it uses, from the file's SA records. */
export class SaKeys {
  private readonly bySpi = new Map<number, { sa: SaRecord; alg: AhAlgorithm; key: Uint8Array }>();

  constructor(sas: readonly SaRecord[]) {
    for (const sa of sas) {
      const key = fromHex(sa.keyHex) ?? new Uint8Array(0);
      this.bySpi.set(sa.aliceInboundSpi, { sa, alg: sa.alg, key });
      this.bySpi.set(sa.aliceOutboundSpi, { sa, alg: sa.alg, key });
    }
  }

  sa(spi: number): SaRecord | undefined {
    return this.bySpi.get(spi)?.sa;
  }

  /** The ICV check alone (no anti-replay: only the receiver's window knows that). */
  verdict(bytes: Uint8Array): AhVerdict {
    const decoded = decodePacket(bytes);
    if (!decoded.ok) return 'undecodable';
    const ah = decoded.packet.ah;
    if (ah === undefined) return 'no AH';
    const known = this.bySpi.get(ah.spi);
    if (known === undefined) return 'unknown SPI';
    if (!verifyAh(bytes, decoded.layout, ah, { alg: known.alg, key: known.key })) return 'bad ICV';
    if (ah.sequence === 0) return 'sequence 0';
    return 'ok';
  }
}

/** Mallory's tags (properties/world/mallory.ts) in words. */
function tagText(tag: string | undefined): string | null {
  if (tag === undefined) return null;
  const [kind, detail, extra] = tag.split(':');
  const ref = (d: string | undefined): string => (d !== undefined && d.startsWith('#') ? `packet ${d}` : (d ?? ''));
  switch (kind) {
    case 'mallory-claim':
      return `claim (${detail ?? ''})`;
    case 'mallory-takeover':
      return 'claim on an address Mallory took over';
    case 'mallory-flood':
      return 'flood';
    case 'mallory-answer':
      return 'Mallory answers the Challenge it received';
    case 'mallory-spoof':
      return `spoofed ${detail ?? ''}`;
    case 'mallory-bad-ah':
      return `bad AH: ${detail ?? ''}`;
    case 'mallory-replay':
      return `replay of ${ref(detail)}${extra === 'retarget' ? ', re-addressed to Alice' : ''}`;
    case 'mallory-forge-response':
      return `forged Response under ${detail === 'peer' ? "a peer's SPI" : `its ${detail ?? ''} SA`}`;
    case 'mallory-clock-claim':
      return 'claim before the clock guess';
    case 'mallory-clock-guess':
      return 'Response guessed from the clock';
    case 'mallory-anon-data':
      return 'data under the anonymous SA';
    case 'mallory-garbage':
      return 'garbage on Alice’s link';
    case 'mallory-bitflip':
      return `bit-flipped copy of ${ref(detail)}`;
    case 'mallory-param-problem':
      return `Parameter Problem quoting ${ref(detail)}`;
    default:
      return tag;
  }
}

export interface PacketWords {
  /** "BU claims 2001:db8:b::1 (lifetime 60 s), AH spi 0x9ab27 ok". */
  text: string;
  /** A few words for a diagram arrow: "BU claims 2001:db8:b::1". */
  short: string;
  ah: AhVerdict;
  /** The IPv6 destination, when the packet decodes. */
  destination: string | null;
}

/**
 * A packet in words. `truth` is the world's verdict when the packet reached Alice (it knows
 * about replays, and which of Alice's Challenges a Response answers); otherwise the AH is
 * checked with the SA keys. `tag` is Mallory's (the attack that made it).
 */
export function packetWords(
  hex: string,
  keys: SaKeys,
  truth?: ReceiveTruth,
  tag?: string,
  info?: PacketInfo,
): PacketWords {
  const bytes = fromHex(hex) ?? new Uint8Array(0);
  const i = info ?? inspectPacket(bytes);
  const ah: AhVerdict = truth !== undefined ? truthVerdict(truth) : keys.verdict(bytes);
  const tagWords = tagText(tag);
  if (!i.decodes) {
    const text = `garbage (${bytes.length} bytes: ${i.error ?? 'does not decode'})${tagWords !== null && !tagWords.startsWith('garbage') ? ` [${tagWords}]` : ''}`;
    return { text, short: `garbage (${bytes.length} bytes)`, ah, destination: null };
  }
  const parts: string[] = [];
  const shortParts: string[] = [];
  const answers = truth?.responses ?? [];
  for (const bu of i.bus) {
    const flags = [`lifetime ${bu.lifetimeSeconds} s`, bu.ack ? 'A' : '', bu.homelessSupport ? 'Homeless Support' : '']
      .filter((f) => f !== '')
      .join(', ');
    if (bu.security !== undefined) {
      const hit = answers.find((r) => r.address === bu.careOf);
      const verdict =
        hit === undefined
          ? ''
          : hit.answers === null
            ? ', answers no Challenge of Alice’s'
            : `, answers Alice’s Challenge #${hit.answers}`;
      parts.push(`Response for ${bu.careOf}${verdict}`);
      shortParts.push(`Response for ${bu.careOf}`);
    } else if (bu.lifetimeSeconds === 0) {
      parts.push(`BU deletes ${bu.named.join(', ')}`);
      shortParts.push(`BU deletes ${bu.named.join(', ')}`);
    } else {
      parts.push(`BU claims ${bu.named.join(', ')} (${flags})`);
      shortParts.push(`BU claims ${bu.named.join(', ')}`);
    }
  }
  for (const ba of i.bas) {
    const status = ba.status === 0 ? 'ok' : `status ${ba.status}`;
    if (ba.security !== undefined) {
      parts.push(`BA ${status} + Challenge ${ba.security.slice(0, 8)}… for ${i.destination ?? '?'}`);
      shortParts.push(`Challenge for ${i.destination ?? '?'}`);
    } else {
      parts.push(`BA ${status}`);
      shortParts.push(`BA ${status}`);
    }
  }
  if (i.br) {
    parts.push('BR');
    shortParts.push('BR');
  }
  if (i.hao !== undefined) parts.push(`home address ${i.hao}`);
  if (i.routing !== undefined) parts.push(`routed via ${i.routing.join(', ')}`);
  const upper = ((): string | null => {
    switch (i.upper) {
      case 'udp':
        return `UDP ${payloadText(i.payload ?? '')}`;
      case 'echo-request':
        return 'echo request';
      case 'echo-reply':
        return 'echo reply';
      case 'param-problem':
        return 'ICMP Parameter Problem';
      case 'dest-unreachable':
        return 'ICMP Destination Unreachable';
      case 'icmp-other':
        return 'ICMP';
      case 'raw':
        return 'unknown upper layer';
      case 'none':
        return null;
    }
  })();
  if (upper !== null) {
    parts.push(upper);
    shortParts.push(upper);
  }
  if (parts.length === 0) parts.push('empty packet');
  const ahText = ah === 'no AH' ? 'no AH' : i.spi !== undefined ? `AH spi ${spiText(i.spi)} ${ah}` : `AH ${ah}`;
  const text = `${parts.join(', ')}, ${ahText}${tagWords !== null ? ` [${tagWords}]` : ''}`;
  return {
    text,
    short: shortParts.length > 0 ? shortParts.join(', ') : parts[0],
    ah,
    destination: i.destination ?? null,
  };
}

/** A classic hex dump: offset, 16 bytes in hex, the printable ones as text. */
export function hexDump(hex: string, indent = ''): string {
  const bytes = fromHex(hex) ?? new Uint8Array(0);
  const lines: string[] = [];
  const BYTES_PER_LINE = 16;
  for (let o = 0; o < bytes.length; o += BYTES_PER_LINE) {
    const row = bytes.subarray(o, o + BYTES_PER_LINE);
    const hexPart = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = [...row]
      .map((b) => (b >= PRINTABLE_LOW && b <= PRINTABLE_HIGH ? String.fromCharCode(b) : '.'))
      .join('');
    lines.push(`${indent}${o.toString(16).padStart(4, '0')}  ${hexPart.padEnd(BYTES_PER_LINE * 3 - 1)}  ${text}`);
  }
  return lines.join('\n');
}
