// `hmip6 vectors`: the golden vectors, as JSON on stdout, as one JSON file per vector in a
// folder, and optionally as one pcap. The committed fixtures (test/vectors/) are rewritten only
// when asked by name (--update-fixtures): a bare `hmip6 vectors` changes no file.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fromHex } from '../../impl/wire/hex.js';
import { PACKAGE_ROOT } from '../../properties/package-root.js';
import { writePcap } from '../../impl/wire/pcap.js';
import { readArgs, usageError } from '../lib/options.js';
import { checkOutputs, writeOutputs } from '../lib/reports.js';
import { buildVectors } from '../lib/vectors.js';
import { EXIT } from '../main.js';

/** The committed fixtures that test/wire/vectors.test.ts checks, wherever the command runs from. */
export const FIXTURES_DIR = resolve(PACKAGE_ROOT, 'test/vectors');

const HELP = `usage: hmip6 vectors [--out DIR | --update-fixtures] [--pcap FILE]

Prints the golden vectors as a JSON array on stdout: per named packet its inputs, its decoded
fields and its hex. With --out, writes them instead as one JSON file per vector into DIR; with
--pcap, also writes one pcap file (LINKTYPE_RAW, IPv6) holding every vector's packet in order,
one second apart, for Wireshark or tshark.

options:
  --out DIR           write one JSON file per vector into DIR (created if missing)
  --update-fixtures   rewrite the committed fixtures in test/vectors/ (after a deliberate
                      change to the wire format; test/wire/vectors.test.ts checks them)
  --pcap FILE         also write the packets as a pcap file
  -h, --help          this text
`;

/** Seconds between two vectors in the pcap, so that each is easy to find by its time. */
const PCAP_SPACING_MS = 1000;

export async function run(argv: string[]): Promise<number> {
  const args = readArgs(argv, {
    out: { type: 'string' },
    'update-fixtures': { type: 'boolean' },
    pcap: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (typeof args === 'string') return usageError('vectors', args);
  const values = args.values as { out?: string; 'update-fixtures'?: boolean; pcap?: string; help?: boolean };
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.pass;
  }
  if (values.out !== undefined && values['update-fixtures'] === true)
    return usageError('vectors', '--out and --update-fixtures both name the folder; give one');
  const out = values['update-fixtures'] === true ? FIXTURES_DIR : values.out;
  const unwritable = checkOutputs('vectors', [
    { option: values['update-fixtures'] === true ? '--update-fixtures' : '--out', path: out, kind: 'folder' },
    { option: '--pcap', path: values.pcap, kind: 'file' },
  ]);
  if (unwritable !== null) return unwritable;
  const vectors = buildVectors();
  const unwritten = writeOutputs('vectors', () => {
    if (out === undefined) {
      process.stdout.write(`${JSON.stringify(vectors, null, 2)}\n`);
    } else {
      mkdirSync(out, { recursive: true });
      for (const v of vectors) writeFileSync(join(out, `${v.name}.json`), `${JSON.stringify(v, null, 2)}\n`);
      process.stdout.write(`wrote ${vectors.length} vectors to ${out}/\n`);
    }
    if (values.pcap !== undefined) {
      const records = vectors.map((v, i) => ({ timeMs: i * PCAP_SPACING_MS, bytes: fromHex(v.hex) as Uint8Array }));
      writeFileSync(values.pcap, writePcap(records));
      // On stderr when stdout carries the JSON, so that the JSON stays whole.
      (out === undefined ? process.stderr : process.stdout).write(
        `wrote ${records.length} packets to ${values.pcap}\n`,
      );
    }
  });
  return unwritten ?? EXIT.pass;
}
