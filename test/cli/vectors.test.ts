// `hmip6 vectors` as a user runs it: JSON files and a pcap that our reader and the
// generator agree on.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../impl/wire/hex.js';
import { LINKTYPE_RAW, readPcap } from '../../impl/wire/pcap.js';
import { buildVectors } from '../../cli/lib/vectors.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'cli', 'bin.mjs');

describe('hmip6 vectors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmip6-vectors-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes_one_json_per_vector_and_a_raw_ipv6_pcap', () => {
    const out = join(dir, 'v');
    const pcap = join(dir, 'v.pcap');
    const r = spawnSync(process.execPath, [BIN, 'vectors', '--out', out, '--pcap', pcap], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const vectors = buildVectors();
    expect(readdirSync(out).sort()).toEqual(vectors.map((v) => `${v.name}.json`).sort());
    const read = readPcap(new Uint8Array(readFileSync(pcap)));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.linkType).toBe(LINKTYPE_RAW);
    expect(read.records.map((r) => toHex(r.bytes))).toEqual(vectors.map((v) => v.hex));
  });

  it('refuses_an_unknown_option_with_exit_3', () => {
    const r = spawnSync(process.execPath, [BIN, 'vectors', '--bogus'], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/bogus/);
  });

  it('unknown_command_is_a_usage_error', () => {
    const r = spawnSync(process.execPath, [BIN, 'no-such-command'], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/unknown command/);
  });
});
