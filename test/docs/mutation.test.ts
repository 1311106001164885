// docs/mutation.md's score comes from Stryker's committed results and the committed
// classification of every survivor (docs/mutation/survivors.tsv): no survivor without a class,
// no class for a mutant that no longer survives, and the table in the document is the one the
// summary script computes from both.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'hmip6-mutation-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the summary script over the committed files, writing its JSON to a scratch file. */
function summary(...flags: string[]): string {
  return execFileSync(
    process.execPath,
    ['scripts/mutation-summary.mjs', ...flags, 'docs/mutation/stryker-incremental.json', join(scratch, 'summary.json')],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

describe('docs/mutation.md', () => {
  it('classifies_every_surviving_mutant_once_and_nothing_else', () => {
    // --check exits 1 (execFileSync throws, with the offending rows on stderr) on a survivor
    // without a row or a row without a survivor.
    expect(() => summary('--check')).not.toThrow();
  });

  it('gives_the_score_table_the_summary_computes', () => {
    const table = summary('--markdown').trim();
    const text = readFileSync(join(ROOT, 'docs/mutation.md'), 'utf8');
    const begin = text.indexOf('<!-- score:begin -->');
    const end = text.indexOf('<!-- score:end -->');
    expect(begin, 'docs/mutation.md has its score markers').toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(begin);
    expect(text.slice(begin + '<!-- score:begin -->'.length, end).trim()).toBe(table);
  });
});
