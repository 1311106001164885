// `hmip6 serve-reference`: the reference host behind the adapter protocol (ADAPTER-PROTOCOL.md)
// on stdin/stdout, so the oracle can be pointed at it like at any other implementation:
// `hmip6 oracle --impl "npx hmip6 serve-reference"`.

import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { AdapterSession, type RandomFactory } from '../../impl/host/adapter.js';
import { seededRandom } from '../../impl/host/random.js';
import { readArgs, usageError } from '../lib/args.js';

const HELP = `usage: hmip6 serve-reference [--trace]

Runs the reference Homeless Mobile IPv6 host as an implementation under test: reads adapter
protocol v1 requests from stdin, one JSON object per line, and writes one answer line per
request to stdout. Exits 0 after answering "shutdown", or when stdin ends.

A reset with config.seed makes the host's random source (the Challenge TIME) deterministic;
without one it is cryptographically random.

options:
  --trace       copy every request and answer to stderr
  -h, --help    this text
`;

/** Seeded: reproducible runs; unseeded: node's CSPRNG (HOST.md rule 24). */
export const nodeRandomFactory: RandomFactory = (seed) =>
  seed === undefined ? (n: number) => new Uint8Array(randomBytes(n)) : seededRandom(seed);

export async function run(argv: string[]): Promise<number> {
  const args = readArgs(argv, { trace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (typeof args === 'string') return usageError('serve-reference', args);
  const values = args.values as { trace?: boolean; help?: boolean };
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const session = new AdapterSession({ randomFactory: nodeRandomFactory });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const answer = session.handleLine(line);
      if (values.trace) process.stderr.write(`> ${line}\n< ${answer}\n`);
      process.stdout.write(answer + '\n');
      if (session.done) break;
    }
  } finally {
    lines.close();
    process.stdin.destroy();
  }
  return 0;
}
