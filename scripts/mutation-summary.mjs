// Summarises Stryker's results (the committed incremental file, which holds every mutant
// tested so far, across runs) into docs/mutation/summary.json: per file, the count of each
// status, and every mutant that survived, with its place and replacement, so that
// docs/mutation.md can classify each one. Usage: node scripts/mutation-summary.mjs [report]
import { readFileSync, writeFileSync } from 'node:fs';

const input = process.argv[2] ?? 'docs/mutation/stryker-incremental.json';
const output = process.argv[3] ?? 'docs/mutation/summary.json';
const report = JSON.parse(readFileSync(input, 'utf8'));

const STATUSES = ['Killed', 'Survived', 'Timeout', 'NoCoverage', 'CompileError', 'RuntimeError', 'Ignored', 'Pending'];
const files = {};
const survivors = [];
const total = Object.fromEntries(STATUSES.map((s) => [s, 0]));
for (const [name, file] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const m of file.mutants) {
    counts[m.status] = (counts[m.status] ?? 0) + 1;
    total[m.status] = (total[m.status] ?? 0) + 1;
    if (m.status === 'Survived' || m.status === 'NoCoverage') {
      const lines = file.source.split('\n');
      survivors.push({
        file: name,
        line: m.location.start.line,
        column: m.location.start.column,
        mutator: m.mutatorName,
        original: lines
          .slice(m.location.start.line - 1, m.location.end.line)
          .join('\n')
          .trim()
          .slice(0, 200),
        replacement: m.replacement ?? null,
        status: m.status,
      });
    }
  }
  counts.mutants = file.mutants.length;
  files[name] = counts;
}
total.mutants = Object.values(files).reduce((n, c) => n + c.mutants, 0);
writeFileSync(
  output,
  JSON.stringify({ schemaVersion: report.schemaVersion, generatedFrom: input, total, files, survivors }, null, 2) +
    '\n',
);
console.log(JSON.stringify({ total, files }, null, 2));
