// The model's machines drawn from their own definitions (DESIGN.md: `hmip6 graph`; the README
// embeds the Mermaid and test/model/graph.test.ts fails when it drifts). Edges carry the
// event and, when guarded, the guard; a targetless (internal) transition is a self-loop.

import type { AnyStateMachine } from 'xstate';
import { addressMachine } from './address.js';
import { compatMachine } from './compat.js';
import { deriveTable, type StateNodeInfo, type TransitionDef, type TransitionTable } from './table.js';

export type MachineName = 'compat' | 'address';

export const MACHINES: Readonly<Record<MachineName, AnyStateMachine>> = {
  compat: compatMachine,
  address: addressMachine,
};

/** What each machine is, for headings. */
export const MACHINE_TITLES: Readonly<Record<MachineName, string>> = {
  compat: "A peer's compatibility state (Appendix D, docs/rules.md rule 15)",
  address: "An address's lifecycle in one entry (§2.1.4, §3.4.2, docs/rules.md rules 4–19)",
};

function id(path: string): string {
  return path.replace(/[^A-Za-z0-9]/g, '_');
}

function edgeLabel(t: TransitionDef): string {
  return t.guard === null ? t.event : `${t.event} [${t.guard}]`;
}

function nodeMap(table: TransitionTable): Map<string, StateNodeInfo> {
  return new Map(table.nodes.map((n) => [n.path, n]));
}

/** Mermaid `stateDiagram-v2` text for `machine`, ending with a newline. */
export function toMermaid(machine: AnyStateMachine): string {
  const table = deriveTable(machine);
  const nodes = nodeMap(table);
  const lines: string[] = ['stateDiagram-v2'];
  const declare = (n: StateNodeInfo, indent: string): void => {
    if (n.type === 'compound') {
      lines.push(`${indent}state ${id(n.path)} {`);
      lines.push(`${indent}  [*] --> ${id(n.initial ?? '')}`);
      for (const c of n.children) declare(nodes.get(c) as StateNodeInfo, `${indent}  `);
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}state "${n.key}" as ${id(n.path)}`);
    }
  };
  lines.push(`  [*] --> ${id(table.initial)}`);
  for (const n of table.nodes) if (!n.path.includes('.')) declare(n, '  ');
  for (const t of table.transitions) lines.push(`  ${id(t.source)} --> ${id(t.target ?? t.source)}: ${edgeLabel(t)}`);
  for (const f of table.finals) lines.push(`  ${id(f)} --> [*]`);
  return lines.join('\n') + '\n';
}

/** Graphviz DOT text for `machine` (compound states as clusters), ending with a newline. */
export function toDot(machine: AnyStateMachine): string {
  const table = deriveTable(machine);
  const nodes = nodeMap(table);
  const leafOf = (path: string): string => {
    let n = nodes.get(path) as StateNodeInfo;
    while (n.type === 'compound') n = nodes.get(n.initial ?? '') as StateNodeInfo;
    return n.path;
  };
  const lines: string[] = [
    `digraph ${id(table.machineId)} {`,
    '  rankdir=LR;',
    '  compound=true;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    '  __initial [shape=point, label=""];',
  ];
  const declare = (n: StateNodeInfo, indent: string): void => {
    if (n.type === 'compound') {
      lines.push(`${indent}subgraph cluster_${id(n.path)} {`);
      lines.push(`${indent}  label="${n.key}";`);
      for (const c of n.children) declare(nodes.get(c) as StateNodeInfo, `${indent}  `);
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}${id(n.path)} [label="${n.key}"${n.type === 'final' ? ', shape=doublecircle' : ''}];`);
    }
  };
  for (const n of table.nodes) if (!n.path.includes('.')) declare(n, '  ');
  const clusterAttr = (path: string, side: 'ltail' | 'lhead'): string[] =>
    nodes.get(path)?.type === 'compound' ? [`${side}=cluster_${id(path)}`] : [];
  lines.push(
    `  __initial -> ${id(leafOf(table.initial))}${nodes.get(table.initial)?.type === 'compound' ? ` [lhead=cluster_${id(table.initial)}]` : ''};`,
  );
  for (const t of table.transitions) {
    const target = t.target ?? t.source;
    // A targetless transition is a self-loop; Graphviz cannot clip a loop at a cluster.
    const attrs = [
      `label="${edgeLabel(t)}"`,
      ...(t.target === null ? [] : [...clusterAttr(t.source, 'ltail'), ...clusterAttr(target, 'lhead')]),
    ];
    lines.push(`  ${id(leafOf(t.source))} -> ${id(leafOf(target))} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export const README_BEGIN = '<!-- model:begin -->';
export const README_END = '<!-- model:end -->';

/** The README's "Model" section body, between its markers (test/model/graph.test.ts checks it). */
export function readmeModelSection(): string {
  const parts: string[] = [
    '## Model',
    '',
    'The formal model (`model/`, described in `docs/model.md`) is two XState v5 machines, stepped',
    'with the pure `transition()`; the host cache routes events to one machine per peer and one per',
    '(entry, address). These diagrams are generated from the machines (`npx hmip6 graph`); a test',
    'fails when they drift.',
  ];
  for (const name of Object.keys(MACHINES) as MachineName[]) {
    parts.push('', `### ${MACHINE_TITLES[name]}`, '', '```mermaid', toMermaid(MACHINES[name]).trimEnd(), '```');
  }
  return parts.join('\n') + '\n';
}
