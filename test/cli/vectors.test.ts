// `hmip6 vectors` as a user runs it: JSON on stdout by default (no file changes), JSON files
// and a pcap that our reader and the generator agree on, the committed fixtures only on
// --update-fixtures.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../impl/wire/hex.js';
import { LINKTYPE_RAW, readPcap } from '../../impl/wire/pcap.js';
import { FIXTURES_DIR } from '../../cli/commands/vectors.js';
import { buildVectors } from '../../cli/lib/vectors.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'cli', 'bin.mjs');

/** Each committed fixture's modification time, by name. */
function fixtureTimes(): Record<string, number> {
  return Object.fromEntries(readdirSync(FIXTURES_DIR).map((f) => [f, statSync(join(FIXTURES_DIR, f)).mtimeMs]));
}

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

  it('without_options_prints_the_vectors_and_writes_no_file', () => {
    const before = fixtureTimes();
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const r = spawnSync(process.execPath, [BIN, 'vectors'], { encoding: 'utf8', cwd });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(buildVectors())));
    expect(readdirSync(cwd)).toEqual([]);
    expect(fixtureTimes()).toEqual(before);
  });

  it('update_fixtures_names_the_committed_folder_and_excludes_out', () => {
    const help = spawnSync(process.execPath, [BIN, 'vectors', '--help'], { encoding: 'utf8' });
    expect(help.stdout).toMatch(/--update-fixtures\s+rewrite the committed fixtures in test\/vectors\//);
    expect(FIXTURES_DIR).toBe(join(ROOT, 'test', 'vectors'));
    const both = spawnSync(process.execPath, [BIN, 'vectors', '--update-fixtures', '--out', join(dir, 'w')], {
      encoding: 'utf8',
    });
    expect(both.status).toBe(3);
    expect(both.stderr).toMatch(/--out and --update-fixtures/);
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
