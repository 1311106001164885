// docs/rules.md is where "rule N" points: every host rule the project cites, in its output or
// its documents, is there under its number, with its draft section; and nothing a user reads
// (help texts, warnings, error messages, report fields, docs/, the READMEs) cites a document
// that does not ship with the repo, such as the design documents the project was built from.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../impl/host/types.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RULES_MD = join(ROOT, 'docs', 'rules.md');

/** HOST.md numbers its rules 1 to 24, with 15a and 20a after their neighbours. */
const RULE_IDS = [...Array.from({ length: 24 }, (_, i) => String(i + 1))];
RULE_IDS.splice(RULE_IDS.indexOf('16'), 0, '15a');
RULE_IDS.splice(RULE_IDS.indexOf('21'), 0, '20a');

/** Documents the project was designed from; they are not part of the repo. */
const DESIGN_DOCUMENTS = /\b(?:HOST|WIRE|DESIGN|ADAPTER-PROTOCOL|STYLE-ANCHORS)\.md\b/;

/** Folders whose sources print what a user reads (the mutant bank's fields are in its report). */
const SOURCE_DIRS = ['cli', 'impl', 'model', 'properties', 'scripts', 'bench', 'examples'];

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.') && entry.name !== '__pycache__') out.push(...filesUnder(path, keep));
    } else if (keep(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

interface Text {
  /** Where it is: `file:line`. */
  where: string;
  /** The file, from the root: a document's links are relative to its folder. */
  file: string;
  text: string;
}

/** Every string literal and every literal part of a template in the sources (not comments: they may cite anything). */
function sourceStrings(): Text[] {
  const files = SOURCE_DIRS.flatMap((d) => filesUnder(d, (n) => /\.(ts|mts|mjs)$/.test(n) && !n.endsWith('.test.ts')));
  const out: Text[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
        out.push({ where: `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`, file, text: node.text });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

/** The documents a user reads, line by line. */
function documentLines(): Text[] {
  const files = ['README.md', ...filesUnder('docs', (n) => n.endsWith('.md')), ...filesUnder('examples', (n) => n.endsWith('.md'))];
  return files.flatMap((file) => readFileSync(join(ROOT, file), 'utf8').split('\n').map((text, i) => ({ where: `${file}:${i + 1}`, file, text })));
}

/** The rule ids cited in `text`: "rule 5", "rules 9 and 10", "rules 14, 15, 15a", "rules 1–24" (a range's ends). */
function citedRules(text: string): string[] {
  const ids: string[] = [];
  for (const m of text.matchAll(/\brules? (\d+a?(?:(?:,\s*|\s+and\s+|\s+or\s+|\s*[–-]\s*)\d+a?\b)*)/gi)) ids.push(...(m[1].match(/\d+a?/g) ?? []));
  return ids;
}

/** The Markdown files `text` names (`docs/oracle.md`, `rules.md#rule-5`, `README.md`). */
function citedDocuments(text: string): string[] {
  return [...text.matchAll(/(?<![\w/.-])((?:\.\.?\/)*(?:[\w.-]+\/)*[\w.-]+\.md)\b/g)].map((m) => m[1]);
}

/**
 * Whether `name`, cited in `file`, is a file of the repo: relative to the citing file (a
 * document's link, a source's `new URL(name, import.meta.url)`), to the root, or in docs/.
 */
function inRepo(name: string, file: string): boolean {
  return [dirname(file), '.', 'docs'].some((dir) => existsSync(join(ROOT, dir, name)));
}

const rulesText = readFileSync(RULES_MD, 'utf8');

describe('docs/rules.md', () => {
  it('states_every_rule_under_its_number_in_order_with_its_anchor_and_draft_section', () => {
    const numbered = [...rulesText.matchAll(/^<a id="rule-(\d+a?)"><\/a>\n\*\*(\d+a?)\. [^\n]*\*Draft:\s[^*]+\*/gm)];
    expect(numbered.map((m) => m[1])).toEqual(RULE_IDS);
    for (const m of numbered) expect(m[2], `anchor rule-${m[1]}`).toBe(m[1]);
  });

  it('gives_the_parameters_the_rules_name_with_the_reference_hosts_defaults', () => {
    const rows = [...rulesText.matchAll(/^\| `(\w+)` \| (\S+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(DEFAULT_PARAMS).map(([k, v]) => [k, String(v)])));
    // Every parameter the rules name is one the host has (`nowMs` is the time of a request).
    for (const name of rulesText.matchAll(/`(\w+(?:Ms|Seconds|Max|Packets|Optimization))`/g)) if (name[1] !== 'nowMs') expect(Object.keys(DEFAULT_PARAMS), name[1]).toContain(name[1]);
  });
});

describe('what a user reads', () => {
  const texts = [...sourceStrings(), ...documentLines()];

  it('cites_only_rules_that_docs_rules_md_states', () => {
    const unknown = texts.flatMap((t) => citedRules(t.text).filter((id) => !RULE_IDS.includes(id)).map((id) => `${t.where}: rule ${id}`));
    expect(unknown).toEqual([]);
    // The scan sees the citations it is meant to (a guard against a regex that matches nothing).
    expect(texts.filter((t) => citedRules(t.text).length > 0).length).toBeGreaterThan(100);
  });

  it('links_rules_to_anchors_that_exist', () => {
    const broken = documentLines().flatMap((t) => [...t.text.matchAll(/rules\.md#rule-(\w+)/g)].filter((m) => !RULE_IDS.includes(m[1])).map((m) => `${t.where}: #rule-${m[1]}`));
    expect(broken).toEqual([]);
  });

  it('cites_no_design_document_that_is_not_in_the_repo', () => {
    const outside = texts.filter((t) => DESIGN_DOCUMENTS.test(t.text)).map((t) => `${t.where}: ${t.text.slice(0, 120)}`);
    // Cite docs/rules.md ("rule N (docs/rules.md)"), docs/wire-format.md, docs/adapter-protocol.md,
    // docs/properties.md or docs/oracle.md instead.
    expect(outside).toEqual([]);
  });

  it('names_only_documents_the_repo_has', () => {
    const missing = texts.flatMap((t) => citedDocuments(t.text).filter((name) => !inRepo(name, t.file)).map((name) => `${t.where}: ${name}`));
    expect(missing).toEqual([]);
  });
});
