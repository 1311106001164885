// `hmip6 replay --pcap`: every packet of a real counterexample with its virtual timestamp, in a
// file tshark reads without a malformed packet.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINKTYPE_RAW, readPcap } from '../../impl/wire/pcap.js';
import { counterexamplePcap } from '../../properties/story/pcap.js';
import { appendixC } from './fixtures.js';

describe('pcap of a counterexample', () => {
  it('pcap_holds_every_packet_at_its_virtual_send_time', async () => {
    const { file } = await appendixC();
    const read = readPcap(counterexamplePcap(file));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.linkType).toBe(LINKTYPE_RAW);
    expect(read.records).toHaveLength(file.packets.length);
    read.records.forEach((r, i) => {
      expect(r.timeMs).toBe(file.packets[i].sentAt);
      expect(Buffer.from(r.bytes).toString('hex')).toBe(file.packets[i].hex);
    });
  });

  it('tshark_reads_it_with_no_malformed_packet', async (context) => {
    if (spawnSync('tshark', ['--version']).status !== 0) {
      context.skip('tshark is not installed');
      return;
    }
    const { file } = await appendixC();
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-pcap-'));
    const path = join(dir, 'cx.pcap');
    writeFileSync(path, counterexamplePcap(file));
    const fields = spawnSync(
      'tshark',
      [
        '-r',
        path,
        '-T',
        'fields',
        '-e',
        'frame.number',
        '-e',
        'frame.time_epoch',
        '-e',
        'ipv6.src',
        '-e',
        'ipv6.dst',
        '-e',
        'ah.spi',
      ],
      { encoding: 'utf8' },
    );
    expect(fields.status, fields.stderr).toBe(0);
    const rows = fields.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(file.packets.length);
    rows.forEach((r, i) => {
      expect(Number(r[1]) * 1000).toBeCloseTo(file.packets[i].sentAt, 3);
      expect(r[2]).toMatch(/^2001:db8:/);
      expect(r[4]).not.toBe(''); // every packet of this run is AH-protected
    });
    const malformed = spawnSync('tshark', ['-r', path, '-Y', '_ws.malformed || _ws.expert.severity >= error'], {
      encoding: 'utf8',
    });
    expect(malformed.status, malformed.stderr).toBe(0);
    expect(malformed.stdout.trim()).toBe('');
  });
});
