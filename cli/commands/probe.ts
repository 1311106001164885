// `hmip6 probe --netns`: this machine's Linux kernel as a peer. Runs the scenarios of
// docs/findings.md ("The Linux kernel as a peer") in two network namespaces it creates and
// removes, and prints the table of what the kernel answered.

import { writeFileSync } from 'node:fs';

import { writePcap, type PcapRecord } from '../../impl/wire/pcap.js';
import { kernelLabAvailability, removeStaleNamespaces } from '../../properties/kernel/netns.js';
import {
  FINDINGS_PATH,
  renderKernelTable,
  runKernelProbe,
  writeKernelTable,
  type KernelProbeReport,
} from '../../properties/kernel/report.js';
import { readArgs, usageError } from '../lib/options.js';

const HELP = `usage: hmip6 probe --netns [--write-docs] [--json] [--pcap FILE]

Sends hmip6's packets (plain UDP, UDP with a Home Address or Binding Update option, the
Initial Binding Update, AH, type 0 routing headers, and a UDP exchange across an address
change, both as the draft's §2.2.3 says and as the reference host does) to this machine's
own Linux kernel, in a network namespace, and prints what the kernel answered. The answers
depend on the kernel's configuration (CONFIG_IPV6_MIP6, CONFIG_INET6_AH); the table says
which one it saw.

Needs root, iproute2 (\`ip\`) and python3. Creates two namespaces named hmip6-<pid>-<n>-a/-p
joined by a veth pair, uses only 2001:db8::/32 addresses inside them, sets
net.ipv6.icmp.ratelimit=0 in the peer's namespace only, and removes everything at the end,
also on failure (and namespaces left by earlier runs that crashed).

options:
  --netns        run against the kernel in network namespaces (the only mode so far)
  --write-docs   also write the table into docs/findings.md between its markers
  --json         print the full report as JSON instead of the table
  --pcap FILE    write every packet sent and received to FILE (LINKTYPE_RAW)
  -h, --help     this text

exit: 0 ran, 2 cannot run here (the reason is printed), 3 usage
`;

/** Spacing of records in the pcap: one scenario per second, answers a millisecond apart. */
const PCAP_SCENARIO_SPACING_MS = 1000;

function pcapRecords(r: KernelProbeReport): PcapRecord[] {
  const records: PcapRecord[] = [];
  r.scenarios.forEach((s, i) => {
    let t = i * PCAP_SCENARIO_SPACING_MS;
    for (const b of s.sent) records.push({ timeMs: t++, bytes: b });
    for (const a of s.answers) records.push({ timeMs: t++, bytes: a.bytes });
  });
  r.conversations.forEach((c, i) => {
    let t = (r.scenarios.length + i) * PCAP_SCENARIO_SPACING_MS;
    for (const b of c.packets) records.push({ timeMs: t++, bytes: b });
  });
  return records;
}

function toJson(r: KernelProbeReport): unknown {
  return JSON.parse(
    JSON.stringify(r, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)),
  );
}

export async function run(argv: string[]): Promise<number> {
  const args = readArgs(argv, {
    netns: { type: 'boolean' },
    'write-docs': { type: 'boolean' },
    json: { type: 'boolean' },
    pcap: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (typeof args === 'string') return usageError('probe', args);
  const values = args.values as {
    netns?: boolean;
    'write-docs'?: boolean;
    json?: boolean;
    pcap?: string;
    help?: boolean;
  };
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.netns) return usageError('probe', 'say where to probe (--netns)');
  const availability = kernelLabAvailability();
  if (!availability.ok) {
    process.stderr.write(`hmip6 probe: cannot run here: ${availability.reason}\n`);
    return 2;
  }
  const stale = removeStaleNamespaces();
  if (stale.length > 0)
    process.stderr.write(`hmip6 probe: removed namespaces left by earlier runs: ${stale.join(', ')}\n`);
  let report: KernelProbeReport;
  try {
    report = await runKernelProbe();
  } catch (e) {
    process.stderr.write(`hmip6 probe: ${(e as Error).message}\n`);
    return 2;
  }
  const table = renderKernelTable(report);
  process.stdout.write(values.json ? JSON.stringify(toJson(report), null, 2) + '\n' : table + '\n');
  if (values['write-docs']) {
    writeKernelTable(table);
    process.stderr.write(`hmip6 probe: wrote the table into ${FINDINGS_PATH.pathname}\n`);
  }
  if (values.pcap !== undefined) {
    const records = pcapRecords(report);
    writeFileSync(values.pcap, writePcap(records));
    process.stderr.write(`hmip6 probe: wrote ${records.length} packets to ${values.pcap}\n`);
  }
  return 0;
}
