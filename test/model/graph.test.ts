// The drawings come from the machines, and the README's embedded diagrams are those drawings.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../cli/commands/graph.js';
import {
  MACHINES,
  README_BEGIN,
  README_END,
  readmeModelSection,
  toDot,
  toMermaid,
  type MachineName,
} from '../../model/graph.js';
import { deriveTable } from '../../model/table.js';

const README = new URL('../../README.md', import.meta.url);

function readmeSection(): string {
  const text = readFileSync(README, 'utf8');
  const begin = text.indexOf(README_BEGIN);
  const end = text.indexOf(README_END);
  expect(begin, 'README has the model:begin marker').toBeGreaterThanOrEqual(0);
  expect(end, 'README has the model:end marker after it').toBeGreaterThan(begin);
  return text.slice(begin + README_BEGIN.length, end).replace(/^\n/, '');
}

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('graph', () => {
  it('readme_embeds_the_current_mermaid_of_both_machines', () => {
    const blocks = mermaidBlocks(readmeSection());
    expect(blocks).toEqual([toMermaid(MACHINES.compat), toMermaid(MACHINES.address)]);
  });

  it('docs_model_md_embeds_the_current_mermaid_of_both_machines', () => {
    const text = readFileSync(new URL('../../docs/model.md', import.meta.url), 'utf8');
    const section = text.slice(text.indexOf('<!-- diagrams:begin -->'), text.indexOf('<!-- diagrams:end -->'));
    expect(mermaidBlocks(section)).toEqual([toMermaid(MACHINES.compat), toMermaid(MACHINES.address)]);
  });

  it('readme_model_section_is_exactly_what_hmip6_graph_readme_prints', () => {
    expect(readmeSection()).toBe(readmeModelSection());
  });

  it.each<MachineName>(['compat', 'address'])('mermaid_of_%s_has_every_transition_and_state', (name) => {
    const text = toMermaid(MACHINES[name]);
    const table = deriveTable(MACHINES[name]);
    expect(text.startsWith('stateDiagram-v2\n')).toBe(true);
    const edges = text.split('\n').filter((l) => l.includes(' --> ') && !l.includes('[*]'));
    expect(edges).toHaveLength(table.transitions.length);
    for (const t of table.transitions) {
      const label = t.guard === null ? t.event : `${t.event} [${t.guard}]`;
      expect(edges.some((l) => l.endsWith(`: ${label}`))).toBe(true);
    }
    for (const leaf of table.leaves) expect(text).toContain(`as ${leaf.replace(/[^A-Za-z0-9]/g, '_')}`);
  });

  it.each<MachineName>(['compat', 'address'])('dot_of_%s_is_balanced_and_has_every_transition', (name) => {
    const text = toDot(MACHINES[name]);
    expect(text.startsWith(`digraph ${name} {`)).toBe(true);
    expect((text.match(/{/g) ?? []).length).toBe((text.match(/}/g) ?? []).length);
    const edges = text.split('\n').filter((l) => l.includes(' -> ') && !l.includes('__initial'));
    expect(edges).toHaveLength(deriveTable(MACHINES[name]).transitions.length);
  });

  it('address_mermaid_nests_tentative_and_active_substates', () => {
    const text = toMermaid(MACHINES.address);
    expect(text).toContain('  state tentative {\n    [*] --> tentative_challenged\n');
    expect(text).toContain('  state active {\n    [*] --> active_held\n');
    expect(text).toContain('  removed --> [*]\n');
  });
});

describe('hmip6 graph', () => {
  afterEach(() => vi.restoreAllMocks());

  async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
    const code = await run(argv);
    vi.restoreAllMocks();
    return { code, out, err };
  }

  it('prints_one_machine_in_the_format_asked', async () => {
    expect(await capture(['--machine', 'address'])).toEqual({ code: 0, out: toMermaid(MACHINES.address), err: '' });
    expect(await capture(['--format', 'dot', '--machine', 'compat'])).toEqual({
      code: 0,
      out: toDot(MACHINES.compat),
      err: '',
    });
  });

  it('prints_both_machines_by_default', async () => {
    const r = await capture([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(toMermaid(MACHINES.compat));
    expect(r.out).toContain(toMermaid(MACHINES.address));
  });

  it('help_exits_0', async () => {
    const r = await capture(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: hmip6 graph');
  });

  it.each([
    [['--format', 'svg']],
    [['--machine', 'peer']],
    [['--bogus']],
    [['extra']],
    [['--readme', '--format', 'dot']],
  ])('bad_options_%j_exit_3_with_a_message', async (argv) => {
    const r = await capture(argv);
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^hmip6 graph: /);
  });
});
