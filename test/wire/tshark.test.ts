// Cross-check with an independent decoder: tshark (Wireshark) reads the golden vectors'
// pcap with no malformed packet and reports the same header chain, option types, AH SPI and
// sequence as ours, and finds the UDP checksums good (also through a routing header).
// .ci/run installs tshark; where it is missing the test says so and skips.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePacket, fromHex, type Packet } from '../../impl/wire/index.js';
import { writePcap } from '../../impl/wire/pcap.js';
import { buildVectors } from '../../cli/lib/vectors.js';

const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
const hasTshark = tshark.status === 0;
if (!hasTshark) console.warn('tshark not found: the pcap cross-check is skipped (.ci/run installs it)');

/** Header chain as protocol numbers, read off our decoded packet. */
function ourChain(p: Packet): number[] {
  const chain: number[] = [];
  if (p.routing) chain.push(43);
  if (p.destOptions) chain.push(60);
  if (p.ah) chain.push(51);
  const u = p.upper;
  if (u.kind === 'udp') chain.push(17);
  else if (u.kind === 'icmpv6') chain.push(58);
  else if (u.kind === 'raw') chain.push(u.protocol);
  return chain;
}

/** Header chain as protocol numbers, read off tshark's frame.protocols. */
const TSHARK_PROTOCOL_NUMBER: Record<string, number> = {
  'ipv6.routing': 43,
  'ipv6.dstopts': 60,
  ah: 51,
  udp: 17,
  icmpv6: 58,
};

function ourOptionTypes(p: Packet): number[] {
  const types: number[] = [];
  for (const o of p.destOptions ?? []) {
    if (o.kind === 'hao') types.push(0xc9);
    else if (o.kind === 'bu') types.push(0xc6);
    else if (o.kind === 'ba') types.push(7);
    else if (o.kind === 'br') types.push(8);
    else types.push(o.type);
  }
  return types;
}

const PAD_TYPES = new Set([0, 1]);
/** Wireshark's checksum status value for a good checksum (PROTO_CHECKSUM_E_GOOD). */
const CHECKSUM_GOOD = '1';

describe('tshark cross-check of the golden vectors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmip6-tshark-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!hasTshark)('tshark_decodes_every_vector_like_our_decoder', () => {
    const vectors = buildVectors();
    const pcap = join(dir, 'vectors.pcap');
    writeFileSync(pcap, writePcap(vectors.map((v, i) => ({ timeMs: i * 1000, bytes: fromHex(v.hex) as Uint8Array }))));
    const fields = [
      'frame.number',
      'frame.protocols',
      'ipv6.opt.type',
      'ah.spi',
      'ah.sequence',
      '_ws.malformed',
      'udp.checksum.status',
      'icmpv6.checksum.status',
    ];
    const out = execFileSync(
      'tshark',
      [
        '-r',
        pcap,
        '-o',
        'udp.check_checksum:TRUE',
        '-T',
        'fields',
        ...fields.flatMap((f) => ['-e', f]),
        '-E',
        'separator=|',
        '-E',
        'occurrence=a',
        '-E',
        'aggregator=,',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const rows = out
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    expect(rows).toHaveLength(vectors.length);
    rows.forEach((row, i) => {
      const v = vectors[i];
      const [, protocols, optTypes, spi, seq, malformed, udpStatus, icmpStatus] = row;
      const decoded = decodePacket(fromHex(v.hex) as Uint8Array);
      if (!decoded.ok) throw new Error(`${v.name}: ${decoded.error.message}`);
      const p = decoded.packet;
      expect(malformed, `${v.name}: malformed`).toBe('');
      const theirChain = protocols
        .split(':')
        .map((name) => TSHARK_PROTOCOL_NUMBER[name])
        .filter((n) => n !== undefined);
      expect(theirChain, `${v.name}: header chain`).toEqual(ourChain(p));
      const theirOptions =
        optTypes === ''
          ? []
          : optTypes
              .split(',')
              .map((t) => Number.parseInt(t, 16))
              .filter((t) => !PAD_TYPES.has(t));
      expect(theirOptions, `${v.name}: option types`).toEqual(ourOptionTypes(p));
      if (p.ah) {
        expect(Number.parseInt(spi, 16), `${v.name}: AH SPI`).toBe(p.ah.spi);
        expect(Number(seq), `${v.name}: AH sequence`).toBe(p.ah.sequence);
      } else {
        expect(spi).toBe('');
      }
      if (p.upper.kind === 'udp') expect(udpStatus, `${v.name}: UDP checksum`).toBe(CHECKSUM_GOOD);
      if (p.upper.kind === 'icmpv6') expect(icmpStatus, `${v.name}: ICMPv6 checksum`).toBe(CHECKSUM_GOOD);
    });
  });
});
