// `hmip6 vectors`: write the golden vectors as JSON files and, optionally, as one pcap.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fromHex } from '../../impl/wire/hex.js';
import { writePcap } from '../../impl/wire/pcap.js';
import { buildVectors } from '../lib/vectors.js';

const HELP = `usage: hmip6 vectors [--out DIR] [--pcap FILE]

Writes the golden vectors: one JSON file per named packet (its inputs, its decoded fields and
its hex) into DIR (default: test/vectors), and with --pcap one pcap file (LINKTYPE_RAW, IPv6)
holding every vector's packet in order, one second apart, for Wireshark or tshark.

options:
  --out DIR     folder for the JSON files (created if missing)
  --pcap FILE   also write the packets as a pcap file
  -h, --help    this text
`;

/** Seconds between two vectors in the pcap, so that each is easy to find by its time. */
const PCAP_SPACING_MS = 1000;

export async function run(argv: string[]): Promise<number> {
  let values: { out?: string; pcap?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, pcap: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`hmip6 vectors: ${(e as Error).message}\n\n${HELP}`);
    return 3;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const vectors = buildVectors();
  const out = values.out ?? 'test/vectors';
  mkdirSync(out, { recursive: true });
  for (const v of vectors) writeFileSync(join(out, `${v.name}.json`), JSON.stringify(v, null, 2) + '\n');
  process.stdout.write(`wrote ${vectors.length} vectors to ${out}/\n`);
  if (values.pcap !== undefined) {
    const records = vectors.map((v, i) => ({ timeMs: i * PCAP_SPACING_MS, bytes: fromHex(v.hex) as Uint8Array }));
    writeFileSync(values.pcap, writePcap(records));
    process.stdout.write(`wrote ${records.length} packets to ${values.pcap}\n`);
  }
  return 0;
}
