// Output paths (--json, --junit, --out, replay's --html, --pcap, --as-test) are tried before
// any work: a run of minutes must not end in a report it cannot write. One that cannot be
// written is exit 2 (DESIGN.md: an unwritable output path is an error) with a one-line message;
// a write that fails at the end all the same is exit 2 with one line too, never a stack.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run as check } from '../../cli/commands/check.js';
import { run as explore } from '../../cli/commands/explore.js';
import { run as oracle } from '../../cli/commands/oracle.js';
import { run as replay } from '../../cli/commands/replay.js';
import { unwritableReason } from '../../cli/lib/reports.js';
import { captureOutput } from '../helpers/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'hmip6-outputs-'));
/** A file where a folder is needed: every path under it is unwritable, also for root. */
const FILE = join(dir, 'a-file');
writeFileSync(FILE, 'not a folder\n');
const UNDER_FILE = join(FILE, 'report.json');

/** A quick run of each command, to which an output option is added. */
const QUICK = {
  check: ['--runs', '2', '--seed', '1', '--property', 'INV-BOUNDED', '--no-regression'],
  oracle: ['--impl', 'true', '--runs', '2', '--seed', '1'],
  explore: ['--depth', '1', '--workers', '1'],
} as const;

describe('output paths', () => {
  const captured = captureOutput();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, (argv: string[]) => Promise<number>, readonly string[], string, string]> = [
    ['check', check, QUICK.check, '--json', UNDER_FILE],
    ['check', check, QUICK.check, '--junit', UNDER_FILE],
    ['check', check, QUICK.check, '--out', FILE],
    ['oracle', oracle, QUICK.oracle, '--json', UNDER_FILE],
    ['oracle', oracle, QUICK.oracle, '--junit', UNDER_FILE],
    ['oracle', oracle, QUICK.oracle, '--out', join(FILE, 'cx')],
    ['explore', explore, QUICK.explore, '--json', UNDER_FILE],
    ['explore', explore, QUICK.explore, '--out', FILE],
  ];
  for (const [command, run, quick, option, path] of cases) {
    it(`${command}_${option.slice(2)}_that_cannot_be_written_is_exit_2_before_any_work`, async () => {
      expect(await run([...quick, option, path])).toBe(2);
      expect(captured.output).toBe(
        `hmip6 ${command}: cannot write ${option} ${path}: ${FILE} is a file, not a folder\n`,
      );
    });
  }

  for (const option of ['--html', '--pcap', '--as-test']) {
    it(`replay_${option.slice(2)}_that_cannot_be_written_is_exit_2_before_the_replay`, async () => {
      // The counterexample file is not even read: the output is refused first.
      expect(await replay([join(dir, 'no-such-counterexample.json'), option, UNDER_FILE])).toBe(2);
      expect(captured.output).toBe(
        `hmip6 replay: cannot write ${option} ${UNDER_FILE}: ${FILE} is a file, not a folder\n`,
      );
    });
  }

  it('a_report_that_cannot_be_written_at_the_end_is_exit_2_in_one_line', async () => {
    const folder = join(dir, 'reports');
    // The folder can be made when the paths are tried; once the run has begun, a file takes its place.
    // (What goes to stdout is dropped here; the message is on stderr.)
    let replaced = false;
    vi.spyOn(process.stdout, 'write').mockImplementation(() => {
      if (!replaced) {
        replaced = true;
        writeFileSync(folder, 'now a file\n');
      }
      return true;
    });
    expect(await check([...QUICK.check, '--json', join(folder, 'r.json')])).toBe(2);
    const lines = captured.output.split('\n');
    expect(lines.filter((l) => l.includes('cannot write'))).toEqual([
      `hmip6 check: cannot write ${folder}: ${folder} is a file, not a folder`,
    ]);
    expect(captured.output).not.toMatch(/\n\s+at /);
  });

  it('trying_a_path_leaves_nothing_behind', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(unwritableReason({ option: '--out', path: empty, kind: 'folder' })).toBeNull();
    expect(unwritableReason({ option: '--json', path: join(empty, 'deep', 'er', 'r.json'), kind: 'file' })).toBeNull();
    expect(readdirSync(empty)).toEqual([]);
  });
});
