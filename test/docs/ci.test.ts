// docs/ci.md's workflows are YAML that parses, and every `hmip6` command they run exists with
// those options: each is read by the command's own parser (in-process, with --help appended, so
// nothing runs), and `--shard` by the reader `check` and `oracle` use. The matrix and the
// shards agree, every shard has the same seed, and the artifacts keep the JUnit reports and the
// counterexamples. Cost: about 3 s, loading the commands' modules.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { shardOption } from '../../cli/lib/options.js';
import { main } from '../../cli/main.js';

const CI_MD = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'ci.md'), 'utf8');

/** The ```yaml blocks of docs/ci.md, parsed (a parse error fails the test). */
function workflows(): Record<string, unknown>[] {
  return [...CI_MD.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => {
    const doc = parseDocument(m[1], { prettyErrors: true, uniqueKeys: true });
    expect(doc.errors.map((e) => e.message)).toEqual([]);
    return doc.toJS() as Record<string, unknown>;
  });
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** Shell words of `text` after the CI's variables are given sample values (`$X`, `${X%...}`, `${{ ... }}`). */
function words(text: string): string[] {
  const substituted = text
    .replace(/\$\{\{[^}]*\}\}/g, '1')
    .replace(/\$\{[^}]*\}/g, 'x')
    .replace(/\$CI_NODE_TOTAL\b/g, '4')
    .replace(/\$[A-Za-z_]\w*/g, '1');
  return [...substituted.matchAll(/"([^"]*)"|'([^']*)'|(\|\||&&|;|\|)|([^\s"';|&]+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
}

/** Every `npx hmip6 ARGS` in the workflow's strings, as the argument lists it runs. */
function hmip6Commands(workflow: Record<string, unknown>): string[][] {
  const out: string[][] = [];
  for (const text of strings(workflow)) {
    const w = words(text);
    for (let i = 0; i < w.length - 1; i++) {
      if (w[i] !== 'npx' || w[i + 1] !== 'hmip6') continue;
      const args: string[] = [];
      for (let j = i + 2; j < w.length && !['||', '&&', ';', '|'].includes(w[j]); j++) args.push(w[j]);
      out.push(args);
    }
  }
  return out;
}

/** Runs `hmip6 ARGS --help` in this process: 0 when the command exists and takes every option given. */
async function accepts(args: string[]): Promise<{ code: number; said: string }> {
  const said: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => (said.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (said.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await main([...args, '--help']), said: said.join('') };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe('docs/ci.md', () => {
  const [github, gitlab] = workflows();

  it('has_a_github_and_a_gitlab_workflow_that_parse', () => {
    expect(workflows()).toHaveLength(2);
    expect(Object.keys(github)).toContain('jobs');
    expect(Object.keys(gitlab)).toContain('hmip6-oracle');
  });

  it('runs_only_hmip6_commands_and_options_that_exist', async () => {
    const commands = [...hmip6Commands(github), ...hmip6Commands(gitlab)];
    expect(commands.map((c) => c[0]).sort()).toEqual(['oracle', 'oracle', 'replay', 'replay']);
    for (const args of commands) {
      const r = await accepts(args);
      expect(r.code, `hmip6 ${args.join(' ')}: ${r.said}`).toBe(0);
      const shard = args.indexOf('--shard');
      if (shard >= 0) expect(shardOption(args[shard + 1]), args[shard + 1]).toEqual({ index: 0, count: 4 });
    }
    // The check is not vacuous: an option the command lacks is refused.
    expect((await accepts(['oracle', '--no-such-option'])).code).toBe(3);
  });

  it('shards_one_seed_over_the_matrix_and_keeps_reports_and_counterexamples', () => {
    const job = (github.jobs as Record<string, { strategy: { matrix: { shard: number[] } }; steps: { run?: string; with?: { path?: string } }[] }>).oracle;
    const shards = job.strategy.matrix.shard;
    expect(shards).toEqual(shards.map((_, i) => i + 1));
    const oracle = job.steps.find((s) => s.run?.includes('hmip6 oracle'))?.run ?? '';
    expect(oracle).toContain(`--shard \${{ matrix.shard }}/${shards.length}`);
    expect(oracle).toContain('--seed "$HMIP6_SEED"');
    expect((github.env as Record<string, string>).HMIP6_SEED).toMatch(/^\d+$/);
    expect(job.steps.map((s) => s.with?.path)).toEqual(expect.arrayContaining(['reports/', 'counterexamples/']));

    const lab = gitlab['hmip6-oracle'] as { parallel: number; variables: Record<string, string>; script: string[]; artifacts: { when: string; reports: { junit: string }; paths: string[] } };
    expect(lab.parallel).toBeGreaterThan(1);
    expect(lab.variables.HMIP6_SEED).toMatch(/^\d+$/);
    expect(lab.script.join(' ')).toContain('--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"');
    expect(lab.artifacts.when).toBe('always');
    expect(lab.artifacts.reports.junit).toMatch(/\.xml$/);
    expect(lab.artifacts.paths).toEqual(expect.arrayContaining(['counterexamples/']));
  });
});
