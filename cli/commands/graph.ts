// `hmip6 graph`: the model's machines as Mermaid or Graphviz DOT, drawn from their
// definitions (model/graph.ts); `--readme` prints the README's "Model" section.

import { MACHINES, MACHINE_TITLES, readmeModelSection, toDot, toMermaid, type MachineName } from '../../model/graph.js';
import { readArgs, usageError as commandUsageError } from '../lib/options.js';

const HELP = `usage: hmip6 graph [--format mermaid|dot] [--machine compat|address|all] [--readme]

Prints the model's state machines, drawn from their XState definitions: states, and
transitions labelled with their event and guard. Targetless transitions are self-loops.

options:
  --format F    mermaid (default) or dot (Graphviz)
  --machine M   compat (a peer's compatibility), address (an address's lifecycle) or all (default)
  --readme      print the README's "Model" section (Mermaid, both machines) and nothing else
  -h, --help    this text
`;

const FORMATS = ['mermaid', 'dot'] as const;
const MACHINE_CHOICES = ['compat', 'address', 'all'] as const;

function usageError(message: string): number {
  return commandUsageError('graph', message);
}

export async function run(argv: string[]): Promise<number> {
  const args = readArgs(argv, {
    format: { type: 'string' },
    machine: { type: 'string' },
    readme: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (typeof args === 'string') return usageError(args);
  const values = args.values as { format?: string; machine?: string; readme?: boolean; help?: boolean };
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const format = values.format ?? 'mermaid';
  if (!(FORMATS as readonly string[]).includes(format))
    return usageError(`unknown format '${format}' (expected ${FORMATS.join(' or ')})`);
  const machine = values.machine ?? 'all';
  if (!(MACHINE_CHOICES as readonly string[]).includes(machine)) {
    return usageError(`unknown machine '${machine}' (expected ${MACHINE_CHOICES.join(', ')})`);
  }
  if (values.readme === true) {
    if (values.format !== undefined || values.machine !== undefined)
      return usageError('--readme takes no --format or --machine');
    process.stdout.write(readmeModelSection());
    return 0;
  }
  const names: MachineName[] = machine === 'all' ? (Object.keys(MACHINES) as MachineName[]) : [machine as MachineName];
  const render = format === 'dot' ? toDot : toMermaid;
  const parts = names.map((name) => {
    const text = render(MACHINES[name]);
    if (names.length === 1) return text;
    // Several machines: a comment line names each (valid in both languages).
    return `${format === 'dot' ? '//' : '%%'} ${name}: ${MACHINE_TITLES[name]}\n${text}`;
  });
  process.stdout.write(parts.join('\n'));
  return 0;
}
