// Prints a `--mutate` value that selects, line by line, every mutant that survived so far in
// the files under the given prefixes (docs/mutation/stryker-incremental.json), so that a run
// after a change to the properties retests only those lines (with --force: the command runner
// sees no test change). Killed mutants on the same lines are retested too; the rest of each
// file keeps its result. A file changed since its results were recorded has each survivor's
// line found again by its text (the nearest line with the same text). Usage:
//   npm run mutation -- --force --mutate "$(node scripts/mutation-retest.mjs impl/host/send/)"
import { existsSync, readFileSync } from 'node:fs';

const prefixes = process.argv.slice(2);
if (prefixes.length === 0) {
  console.error('usage: node scripts/mutation-retest.mjs PREFIX... (for example impl/host/send/)');
  process.exit(2);
}
const report = JSON.parse(readFileSync('docs/mutation/stryker-incremental.json', 'utf8'));
const ranges = [];
for (const [name, file] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  if (!prefixes.some((p) => name.startsWith(p))) continue;
  if (!existsSync(name)) {
    console.error(`${name}: no longer exists, skipped`);
    continue;
  }
  const recorded = file.source.split('\n');
  const current = readFileSync(name, 'utf8').split('\n');
  /** The current line (1-based) of the recorded line `l`, by its text; null when it is gone. */
  const place = (l) => {
    if (current[l - 1] === recorded[l - 1]) return l;
    let best = null;
    current.forEach((text, i) => {
      if (text === recorded[l - 1] && (best === null || Math.abs(i + 1 - l) < Math.abs(best - l))) best = i + 1;
    });
    return best;
  };
  const lines = new Set();
  for (const m of file.mutants) {
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
    for (let l = m.location.start.line; l <= m.location.end.line; l++) {
      const now = place(l);
      if (now === null) console.error(`${name}:${l}: its text is gone, skipped`);
      else lines.add(now);
    }
  }
  // Consecutive lines become one range.
  const sorted = [...lines].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(`${name}:${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
}
if (ranges.length === 0) {
  console.error(`no survivor under ${prefixes.join(', ')}`);
  process.exit(1);
}
console.log(ranges.join(','));
