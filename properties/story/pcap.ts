// A counterexample's packets as a pcap file (LINKTYPE_RAW: bare IPv6 packets) that Wireshark and
// tshark open: every packet of the run, in or out of Alice or between others, once, at the
// virtual instant it was sent (the run starts at START_MS, 1000 s after the epoch).

import { fromHex } from '../../impl/wire/index.js';
import { writePcap, type PcapRecord } from '../../impl/wire/pcap.js';
import type { CounterexampleFile } from '../counterexample.js';

export function counterexamplePcap(file: Pick<CounterexampleFile, 'packets'>): Uint8Array {
  const records: PcapRecord[] = file.packets
    .map((p) => ({ timeMs: p.sentAt, id: p.id, bytes: fromHex(p.hex) ?? new Uint8Array(0) }))
    // Packet ids follow the order of sending; a stable sort keeps it among equal instants.
    .sort((a, b) => a.timeMs - b.timeMs || a.id - b.id)
    .map(({ timeMs, bytes }) => ({ timeMs, bytes }));
  return writePcap(records);
}
