// Figures the documents give as exact come from a run and stay true: the explorer's table in
// docs/exploring.md is what `hmip6 explore --depth 4` finds. (Timings are no such figures: the
// documents say "about", with the machine and the date they were measured on.)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explore } from '../../properties/explore/explore.js';
import { SCOPES } from '../../properties/explore/scope.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` of a document. */
function section(file: string, name: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const begin = text.indexOf(`<!-- ${name}:begin -->`);
  const end = text.indexOf(`<!-- ${name}:end -->`);
  expect(begin, `${file} has its ${name} markers`).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  return text.slice(begin, end);
}

describe('docs/exploring.md', () => {
  it('gives_the_figures_explore_finds_to_the_depth_of_its_table', async () => {
    const figures = section('docs/exploring.md', 'figures');
    const rows = [...figures.matchAll(/^\| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$/gm)].map((m) => m.slice(1).map(Number));
    const depth = rows.length;
    expect(depth).toBeGreaterThan(0);
    const report = await explore({ depth, scope: SCOPES.small });
    expect(report.failure).toBeNull();
    expect(report.depthCompleted).toBe(depth);
    expect(rows).toEqual(report.layers.map((l) => [l.depth, l.states, l.transitions, l.duplicates]));
    expect(figures).toContain(`${report.states} distinct states (the setup's included), ${report.transitions} transitions, depth ${depth} searched completely`);
    expect(readFileSync(join(ROOT, 'docs/exploring.md'), 'utf8')).toContain(`\`hmip6 explore --depth ${depth}\` (scope small`);
  });
});
