// docs/traceability.md maps every requirement of the draft at MUST, MUST NOT, REQUIRED, SHOULD,
// SHOULD NOT or RECOMMENDED level (../spec/requirements.tsv) to the properties and tests that
// check it, or says why nothing does. These tests keep that table honest: complete, with the
// right levels and sections, and naming only properties the runner judges and tests that exist.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROPERTIES } from '../properties/invariants/index.js';
import { GAPS, MUTANTS } from '../properties/mutants/bank/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOC = join(ROOT, 'docs/traceability.md');
/** The levels the table must cover (DESIGN.md "Proof that the properties bite"). */
const LEVELS: ReadonlySet<string> = new Set(['MUST', 'MUST NOT', 'REQUIRED', 'SHOULD', 'SHOULD NOT', 'RECOMMENDED']);
/** A row with no check must say why in at least this many characters. */
const REASON_CHARS_MIN = 20;

/**
 * requirements.tsv lives with the design (../spec/ beside it, /work/shared/spec in this
 * checkout); HMIP6_REQUIREMENTS names another copy.
 */
function requirementsPath(): string | null {
  const candidates = [
    process.env.HMIP6_REQUIREMENTS,
    join(ROOT, 'spec/requirements.tsv'),
    join(ROOT, '../shared/spec/requirements.tsv'),
  ];
  for (const c of candidates) if (c !== undefined && c !== '' && existsSync(c)) return c;
  return null;
}

interface Requirement {
  id: string;
  section: string;
  level: string;
  text: string;
}

function readRequirements(path: string): Requirement[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  expect(lines[0].split('\t')).toEqual(['id', 'section', 'level', 'text']);
  return lines.slice(1).map((l) => {
    const [id, section, level, ...text] = l.split('\t');
    return { id, section, level, text: text.join('\t') };
  });
}

interface Row {
  line: number;
  id: string;
  level: string;
  section: string;
  checkedBy: string;
  refs: string[];
  note: string;
}

function readRows(): Row[] {
  const rows: Row[] = [];
  readFileSync(DOC, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!/^\| R[0-9B]/.test(text)) return;
      const cells = text
        .replace(/^\|/, '')
        .replace(/\|\s*$/, '')
        .split(' | ')
        .map((c) => c.trim());
      expect(cells, `docs/traceability.md line ${i + 1} has ${cells.length} cells, not 6`).toHaveLength(6);
      const [id, level, section, , checkedBy, note] = cells;
      rows.push({
        line: i + 1,
        id,
        level,
        section,
        checkedBy,
        refs: [...checkedBy.matchAll(/`([^`]+)`/g)].map((m) => m[1]),
        note,
      });
    });
  return rows;
}

const rows = readRows();
const tsv = requirementsPath();

describe('docs/traceability.md', () => {
  it.skipIf(tsv === null)(
    'lists_every_requirement_at_must_should_or_recommended_level_once_with_its_level_and_section',
    () => {
      if (tsv === null) return;
      const wanted = readRequirements(tsv).filter((r) => LEVELS.has(r.level));
      expect(wanted.length).toBeGreaterThan(0);
      const ids = rows.map((r) => r.id);
      expect(
        ids.filter((id, i) => ids.indexOf(id) !== i),
        'listed twice',
      ).toEqual([]);
      expect(
        wanted.map((r) => r.id).filter((id) => !ids.includes(id)),
        'missing from the table',
      ).toEqual([]);
      expect(
        ids.filter((id) => !wanted.some((r) => r.id === id)),
        'not a requirement at those levels',
      ).toEqual([]);
      for (const r of wanted) {
        const row = rows.find((x) => x.id === r.id);
        expect([row?.level, row?.section], r.id).toEqual([r.level, r.section]);
      }
    },
  );

  it('has_a_check_or_a_reason_in_every_row', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const where = `${row.id} (line ${row.line})`;
      expect(LEVELS.has(row.level), where).toBe(true);
      if (row.refs.length === 0) {
        expect(row.checkedBy, `${where}: no check, so the cell must say none`).toBe('none');
        expect(row.note.length, `${where}: no check and no reason`).toBeGreaterThanOrEqual(REASON_CHARS_MIN);
      } else {
        // Only references (and the line breaks between them) in the cell.
        expect(
          row.checkedBy
            .replace(/`[^`]+`/g, '')
            .replace(/<br>/g, '')
            .trim(),
          where,
        ).toBe('');
      }
    }
  });

  it('names_only_properties_the_runner_judges', () => {
    const judged = new Set<string>(PROPERTIES.map((p) => p.id));
    const named = rows.flatMap((row) => row.refs.filter((ref) => !ref.includes('::')).map((ref) => ({ row, ref })));
    expect(named.length).toBeGreaterThan(0);
    for (const { row, ref } of named)
      expect(judged.has(ref), `${row.id}: ${ref} is not a property of the runner`).toBe(true);
  });

  it('names_only_tests_that_exist_under_that_name', () => {
    const named = rows.flatMap((row) => row.refs.filter((ref) => ref.includes('::')).map((ref) => ({ row, ref })));
    expect(named.length).toBeGreaterThan(0);
    const files = new Map<string, string>();
    for (const { row, ref } of named) {
      const [file, name] = ref.split('::');
      expect(file, `${row.id}: ${ref}`).toMatch(/^test\/.+\.test\.ts$/);
      const path = join(ROOT, file);
      expect(existsSync(path), `${row.id}: no file ${file}`).toBe(true);
      if (!files.has(file)) files.set(file, readFileSync(path, 'utf8'));
      const source = files.get(file) ?? '';
      const quoted = [`'${name}'`, `"${name}"`, `\`${name}\``].some((q) => source.includes(q));
      expect(quoted, `${row.id}: no test named ${JSON.stringify(name)} in ${file}`).toBe(true);
    }
  });

  it('names_only_mutants_of_the_bank_in_its_notes', () => {
    const known = new Set([...MUTANTS, ...GAPS].map((m) => m.name));
    const mentioned = rows.flatMap((row) =>
      [
        ...row.note.matchAll(/\b(?:Mutants?|known gap) ([a-z0-9]+(?:-[a-z0-9]+)+(?:, [a-z0-9]+(?:-[a-z0-9]+)+)*)/g),
      ].flatMap((m) => m[1].split(', ').map((name) => ({ row, name }))),
    );
    expect(mentioned.length).toBeGreaterThan(0);
    for (const { row, name } of mentioned) expect(known.has(name), `${row.id}: no mutant ${name}`).toBe(true);
  });
});
