// The `hmip6` command: one subcommand per file in cli/commands/, loaded on demand so that a
// quick command does not pay for the whole harness.

import { packageVersion } from '../properties/package-root.js';

/**
 * Exit codes (ADAPTER-PROTOCOL.md): 0 pass, 1 property failed, 2 IUT/harness error, 3 usage,
 * 4 inconclusive (a property judged fewer situations than its minimum).
 */
export const EXIT = { pass: 0, fail: 1, error: 2, usage: 3, inconclusive: 4 } as const;

interface CommandModule {
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  'serve-reference': {
    summary: 'the reference host as an implementation under test (adapter protocol on stdin/stdout)',
    load: () => import('./commands/serve-reference.js'),
  },
  check: {
    summary: 'run the property suite against Alice over adversarial schedules',
    load: () => import('./commands/check.js'),
  },
  oracle: {
    summary: 'judge an implementation under test over the adapter protocol (--impl "<command>")',
    load: () => import('./commands/oracle.js'),
  },
  replay: {
    summary: 'tell a counterexample file as a story; --step, --html, --pcap, --as-test',
    load: () => import('./commands/replay.js'),
  },
  explore: {
    summary: 'bounded exhaustive search of the world at small scope (--depth K): minimal counterexamples',
    load: () => import('./commands/explore.js'),
  },
  graph: {
    summary: "print the model's state machines as Mermaid or Graphviz DOT",
    load: () => import('./commands/graph.js'),
  },
  probe: {
    summary: "this machine's Linux kernel as a peer, in network namespaces (--netns)",
    load: () => import('./commands/probe.js'),
  },
  vectors: {
    summary: 'print the golden packet vectors (JSON; files with --out, pcap with --pcap)',
    load: () => import('./commands/vectors.js'),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length), 4);
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: hmip6 <command> [options]',
    '',
    'Homeless Mobile IPv6 (draft-nikander-mobileip-homelessv6-01): model, harness and oracle.',
    '',
    'commands:',
    ...lines,
    '',
    "Run 'hmip6 <command> --help' for a command's options.",
  ].join('\n');
}

function version(): string {
  return packageVersion();
}

/**
 * Makes a reader that stops early harmless (`hmip6 graph | head -1`): when the pipe under
 * stdout or stderr closes, Node reports EPIPE as an unhandled 'error' event, a stack trace and
 * exit 1 whatever the command found. Output nobody reads is dropped instead; the command runs
 * to its end and exits with the code its work earns. Installed once, by cli/bin.mjs, so that
 * every command gets it and in-process callers of `main` keep their own streams untouched.
 */
export function dropOutputToClosedPipes(
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      // Writes after the close fail as ERR_STREAM_DESTROYED; anything else is a real fault.
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? EXIT.usage : EXIT.pass;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`hmip6 ${version()}\n`);
    return EXIT.pass;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(
      `hmip6: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})\nsee 'hmip6 --help'\n`,
    );
    return EXIT.usage;
  }
  const mod = await command.load();
  return mod.run(rest);
}
