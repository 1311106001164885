// Summarises Stryker's results (the committed incremental file, which holds every mutant
// tested so far, across runs) into docs/mutation/summary.json: per file, the count of each
// status, every mutant that survived with its place, replacement and class, and the score.
//
// Every survivor is classified in docs/mutation/survivors.tsv, one row per mutant, keyed by
// file, line, column, end (line:column), mutator and replacement exactly as Stryker reports
// them (two mutants can share a start, a mutator and a replacement: `a || b || c` → `false`
// twice, so the end belongs to the key):
//   equivalent  no behaviour changes (the note says why);
//   open        a behaviour the host rules leave open, which the properties rightly accept;
//   gap         a behaviour the suite should judge and does not (the note says what would).
// The score follows docs/mutation.md:
//   score = (killed + timeout) / (mutants − compile errors − equivalent − open)
//
// Usage: node scripts/mutation-summary.mjs [--check] [--markdown] [report] [output]
//   --check  exit 1 when a survivor has no row, or a row names no survivor (a stale row:
//            the mutant was killed since, or its place moved), after printing them.
//   --markdown  print the score table as docs/mutation.md holds it (between its
//            `<!-- score:begin -->` and `<!-- score:end -->` markers) instead of the text table.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const markdown = args.includes('--markdown');
const [input = 'docs/mutation/stryker-incremental.json', output = 'docs/mutation/summary.json'] = args.filter(
  (a) => !a.startsWith('--'),
);
const CLASSES_FILE = 'docs/mutation/survivors.tsv';
const CLASSES = ['equivalent', 'open', 'gap'];
const report = JSON.parse(readFileSync(input, 'utf8'));

/** One key per mutant: Stryker gives no stable id across sources, but its place and change are. */
const keyOf = (file, line, column, end, mutator, replacement) =>
  [file, line, column, end, mutator, replacement ?? ''].join('\t');

const classes = new Map();
const problems = [];
if (existsSync(CLASSES_FILE)) {
  const rows = readFileSync(CLASSES_FILE, 'utf8').split('\n');
  rows.forEach((row, i) => {
    if (i === 0 || row.trim() === '' || row.startsWith('#')) return;
    const cells = row.split('\t');
    if (cells.length !== 9) {
      problems.push(`${CLASSES_FILE}:${i + 1}: ${cells.length} cells, 9 wanted`);
      return;
    }
    const [file, line, column, end, mutator, replacement, klass, rule, note] = cells;
    if (!CLASSES.includes(klass)) problems.push(`${CLASSES_FILE}:${i + 1}: class "${klass}" is none of ${CLASSES}`);
    if (note.trim() === '') problems.push(`${CLASSES_FILE}:${i + 1}: no note`);
    const key = keyOf(
      file,
      Number(line),
      Number(column),
      end,
      mutator,
      replacement.replace(/\\n/g, '\n').replace(/\\t/g, '\t'),
    );
    if (classes.has(key))
      problems.push(`${CLASSES_FILE}:${i + 1}: a second row for ${file}:${line}:${column} ${mutator}`);
    classes.set(key, { class: klass, rule, note, row: i + 1, used: false });
  });
}

const STATUSES = ['Killed', 'Survived', 'Timeout', 'NoCoverage', 'CompileError', 'RuntimeError', 'Ignored', 'Pending'];
const files = {};
const survivors = [];
const unclassified = [];
for (const [name, file] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  Object.assign(counts, { equivalent: 0, open: 0, gap: 0, unclassified: 0 });
  const lines = file.source.split('\n');
  for (const m of file.mutants) {
    counts[m.status] = (counts[m.status] ?? 0) + 1;
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
    const place = { file: name, line: m.location.start.line, column: m.location.start.column };
    const end = `${m.location.end.line}:${m.location.end.column}`;
    const c = classes.get(keyOf(name, place.line, place.column, end, m.mutatorName, m.replacement));
    if (c === undefined) {
      counts.unclassified += 1;
      unclassified.push(
        `${name}:${place.line}:${place.column} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '')}`,
      );
    } else {
      c.used = true;
      counts[c.class] += 1;
    }
    survivors.push({
      ...place,
      mutator: m.mutatorName,
      original: lines
        .slice(m.location.start.line - 1, m.location.end.line)
        .join('\n')
        .trim()
        .slice(0, 200),
      replacement: m.replacement ?? null,
      status: m.status,
      class: c?.class ?? null,
      rule: c?.rule ?? null,
      note: c?.note ?? null,
    });
  }
  counts.mutants = file.mutants.length;
  files[name] = counts;
}

/** Adds up per-file counts and works out the score of the sum. */
function tally(list) {
  const t = {};
  for (const c of list) for (const [k, v] of Object.entries(c)) if (typeof v === 'number') t[k] = (t[k] ?? 0) + v;
  const detected = (t.Killed ?? 0) + (t.Timeout ?? 0);
  const judged = t.mutants - (t.CompileError ?? 0) - (t.equivalent ?? 0) - (t.open ?? 0);
  t.score = judged === 0 ? null : Math.round((1000 * detected) / judged) / 10;
  return t;
}
for (const name of Object.keys(files)) files[name] = tally([files[name]]);
const byFolder = {};
for (const [name, c] of Object.entries(files)) {
  const folder = name.slice(0, name.lastIndexOf('/') + 1);
  (byFolder[folder] ??= []).push(c);
}
const folders = Object.fromEntries(Object.entries(byFolder).map(([f, list]) => [f, tally(list)]));
const total = tally(Object.values(files));
const hostTotal = tally(
  Object.entries(files)
    .filter(([n]) => n.startsWith('impl/host/'))
    .map(([, c]) => c),
);
for (const [key, c] of classes)
  if (!c.used) problems.push(`${CLASSES_FILE}:${c.row}: no survivor ${key.split('\t').slice(0, 5).join(':')}`);

writeFileSync(
  output,
  JSON.stringify(
    { schemaVersion: report.schemaVersion, generatedFrom: input, total, host: hostTotal, folders, files, survivors },
    null,
    2,
  ) + '\n',
);
const pad = (v, n) => String(v).padStart(n);
const line = (name, c) =>
  `${name.padEnd(34)} ${pad(c.mutants, 5)} ${pad(c.Killed, 6)} ${pad(c.Timeout, 4)} ${pad(c.Survived + c.NoCoverage, 5)} ${pad(c.CompileError, 5)} ${pad(c.equivalent, 5)} ${pad(c.open, 5)} ${pad(c.gap, 4)} ${pad(c.unclassified, 6)} ${c.score === null ? '     -' : c.score.toFixed(1).padStart(6)} %`;
const row = (name, c, bold = false) => {
  const b = (v) => (bold ? `**${v}**` : String(v));
  const cells = [
    c.mutants,
    c.Killed,
    c.Timeout,
    c.Survived + c.NoCoverage,
    c.CompileError,
    c.equivalent,
    c.open,
    c.gap,
  ];
  const score = c.score === null ? '-' : `${c.score.toFixed(1)} %`;
  return `| ${b(name)} | ${cells.map(b).join(' | ')} | ${b(score)} |`;
};
if (markdown) {
  const out = [
    '| file | mutants | killed | timeout | survived | compile errors | equivalent | open choice | gap | score |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(files).map(([name, c]) => row(name, c)),
    ...Object.entries(folders).map(([name, c]) => row(name, c, true)),
    row('impl/host/ (all)', hostTotal, true),
    row('all', total, true),
  ];
  console.log(out.join('\n'));
} else {
  console.log(`${'file'.padEnd(34)} mutants killed tout  surv    CE equiv  open  gap unclas  score`);
  for (const [name, c] of Object.entries(files)) console.log(line(name, c));
  for (const [name, c] of Object.entries(folders)) console.log(line(name, c));
  console.log(line('impl/host/ (all)', hostTotal));
  console.log(line('total', total));
}
if (check) {
  for (const u of unclassified) console.error(`unclassified: ${u}`);
  for (const p of problems) console.error(p);
  if (unclassified.length > 0 || problems.length > 0) process.exit(1);
}
