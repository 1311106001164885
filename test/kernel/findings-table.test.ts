// docs/findings.md's kernel table is generated from a run (`hmip6 probe --netns
// --write-docs`): on the kernel it was generated on, a fresh run must give the same table.

import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { describe, expect, it } from 'vitest';

import {
  currentKernelTable,
  FINDINGS_PATH,
  KERNEL_TABLE_BEGIN,
  KERNEL_TABLE_END,
  renderKernelTable,
  replaceKernelTable,
  runKernelProbe,
} from '../../properties/kernel/report.js';
import { skipKernel, suffix } from './support.js';

describe('the kernel table markers', () => {
  it('table_is_written_between_the_markers_and_nowhere_else', () => {
    const doc = `# Findings\n\nbefore\n${KERNEL_TABLE_BEGIN}\nold\n${KERNEL_TABLE_END}\nafter\n`;
    const out = replaceKernelTable(doc, '| new |');
    expect(out).toBe(`# Findings\n\nbefore\n${KERNEL_TABLE_BEGIN}\n| new |\n${KERNEL_TABLE_END}\nafter\n`);
    expect(currentKernelTable(out)).toBe('| new |');
    expect(() => replaceKernelTable('# Findings\n', 'x')).toThrow(/markers/);
  });

  it('findings_doc_has_the_kernel_section_and_its_markers', () => {
    const doc = readFileSync(FINDINGS_PATH, 'utf8');
    expect(doc).toMatch(/^## The Linux kernel as a peer$/m);
    expect(currentKernelTable(doc)).not.toBeNull();
  });
});

describe.skipIf(skipKernel)(`the kernel table in docs/findings.md${suffix}`, () => {
  it('kernel_table_in_the_docs_matches_a_fresh_run_on_the_same_kernel', async (ctx) => {
    const documented = currentKernelTable(readFileSync(FINDINGS_PATH, 'utf8')) ?? '';
    const documentedRelease = /^Kernel `([^`]+)`/.exec(documented)?.[1] ?? null;
    ctx.skip(
      documentedRelease !== release(),
      `docs/findings.md's table is from kernel ${documentedRelease ?? '(none)'}, this is ${release()}: regenerate it with hmip6 probe --netns --write-docs`,
    );
    const table = renderKernelTable(await runKernelProbe());
    expect(table).toBe(documented);
  });
});
