// Reading a command line (parseArgs, strict) and reporting a usage error: what every command
// needs, kept apart from options.ts (which reads the property suite's options and so loads the
// harness) so that a command that runs none of it, serve-reference, starts fast.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT } from '../main.js';

/** The options `parseArgs` is given. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
/** What `parseArgs` read: a string (or strings, for a repeated option) or a flag per option. */
export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** `-h`, `--help`: every command takes it. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionSpec;

/**
 * Reads `argv` against `spec` (parseArgs, strict). A value that begins with a dash and a digit
 * (`--runs -1`) is taken as the option's value, to be refused by its reader with a message
 * about the number, rather than as an "ambiguous" option. The values and positionals, or the
 * message of a usage error (parseArgs' first sentence: its advice on `--` does not apply).
 */
export function readArgs(
  argv: readonly string[],
  spec: OptionSpec,
  allowPositionals = false,
): { values: OptionValues; positionals: string[] } | string {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && spec[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`);
      i += 1;
    } else {
      args.push(arg);
    }
  }
  try {
    const { values, positionals } = parseArgs({ args, options: spec, strict: true, allowPositionals });
    return { values, positionals };
  } catch (e) {
    const first = (e as Error).message.split(/\.\s/)[0].replace(/\.$/, '');
    return first.charAt(0).toLowerCase() + first.slice(1);
  }
}

/**
 * `hmip6 <command>: <message>` and where the help is, on stderr; the usage exit code. One line
 * of what is wrong reads better than the same line above the whole help.
 */
export function usageError(command: string, message: string): number {
  process.stderr.write(`hmip6 ${command}: ${message}\nsee 'hmip6 ${command} --help'\n`);
  return EXIT.usage;
}
