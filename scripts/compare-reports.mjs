#!/usr/bin/env node
// Compares two JSON reports of the same deterministic run (`hmip6 check --json`, `npm run
// mutants -- --json`) before and after a change that must not change behaviour: every field
// but the timings must be equal. Mutants are matched by name and tasks by mutant, property and
// trial, so mutants only one report has are listed apart rather than counted as differences.
// A task whose shrink ran into the runner's time limit (SHRINK_BUDGET.timeLimitMs) on either
// side may shrink to another length: its shrink fields are reported apart, since they depend
// on the machine's load, not on the host.
//
//   node scripts/compare-reports.mjs BEFORE.json AFTER.json      exit 0 when equal, 1 otherwise

import { readFileSync } from 'node:fs';

/** Timing fields: wall-clock durations and instants. */
const TIME_KEY = /^(ms|.*Ms|elapsed.*|timing|.*[Tt]ime.*|.*[Dd]ate.*|.*At|.*PerSecond)$/;
/** properties/runner.ts SHRINK_BUDGET.timeLimitMs. */
const SHRINK_TIME_LIMIT_MS = 60_000;
/** What a time-limited shrink decides. */
const SHRINK_FIELDS = new Set(['shrunkLength', 'failingStep', 'reason', 'replayPath', 'counterexample']);
/** Top-level fields that sum over the mutants (they differ when one report has more mutants). */
const COUNT_FIELDS = new Set(['total', 'caught', 'summary']);

const [beforeFile, afterFile] = process.argv.slice(2);
if (beforeFile === undefined || afterFile === undefined) {
  process.stderr.write('usage: node scripts/compare-reports.mjs BEFORE.json AFTER.json\n');
  process.exit(3);
}
const before = JSON.parse(readFileSync(beforeFile, 'utf8'));
const after = JSON.parse(readFileSync(afterFile, 'utf8'));
const differences = [];
const timeLimited = [];

function walk(x, y, path, skip = new Set()) {
  const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(x) !== kind(y)) return void differences.push(`${path}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`);
  if (kind(x) === 'object' || kind(x) === 'array') {
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if (!TIME_KEY.test(k) && !skip.has(k)) walk(x[k], y[k], `${path}.${k}`);
    }
    return;
  }
  if (x !== y) differences.push(`${path}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`);
}

function byKey(list, key) {
  return new Map((list ?? []).map((item) => [key(item), item]));
}

if (Array.isArray(before.mutants) && Array.isArray(after.mutants)) {
  const mutantsBefore = byKey(before.mutants, (m) => m.name);
  const mutantsAfter = byKey(after.mutants, (m) => m.name);
  const added = [...mutantsAfter.keys()].filter((n) => !mutantsBefore.has(n));
  const removed = [...mutantsBefore.keys()].filter((n) => !mutantsAfter.has(n));
  for (const [name, m] of mutantsBefore) if (mutantsAfter.has(name)) walk(m, mutantsAfter.get(name), `mutant ${name}`);
  const taskKey = (t) => `${t.mutant} ${t.property} ${t.trial}`;
  const tasksAfter = byKey(after.tasks, taskKey);
  for (const [key, t] of byKey(before.tasks, taskKey)) {
    const u = tasksAfter.get(key);
    if (u === undefined) continue;
    const limited = Math.max(t.shrinkMs ?? 0, u.shrinkMs ?? 0) >= SHRINK_TIME_LIMIT_MS;
    walk(t, u, `task ${key}`, limited ? SHRINK_FIELDS : new Set());
    if (limited)
      timeLimited.push(
        `task ${key}: shrunk to ${t.shrunkLength} and ${u.shrunkLength} actions (shrink ${t.shrinkMs} ms and ${u.shrinkMs} ms)`,
      );
  }
  const rest = (r) =>
    Object.fromEntries(
      Object.entries(r).filter(
        ([k]) => k !== 'mutants' && k !== 'tasks' && !(added.length + removed.length > 0 && COUNT_FIELDS.has(k)),
      ),
    );
  walk(rest(before), rest(after), '$');
  if (added.length > 0) console.log(`only after (not compared): ${added.join(', ')}`);
  if (removed.length > 0) differences.push(`only before: ${removed.join(', ')}`);
  console.log(
    `compared ${[...mutantsBefore.keys()].filter((n) => mutantsAfter.has(n)).length} mutants and their tasks`,
  );
} else {
  walk(before, after, '$');
}
for (const line of timeLimited) console.log(`shrink at its time limit (not compared): ${line}`);
for (const line of differences.slice(0, 50)) console.log(line);
console.log(differences.length === 0 ? 'equal apart from timings' : `${differences.length} differences`);
process.exit(differences.length === 0 ? 0 : 1);
