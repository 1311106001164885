// The classic libpcap file format (https://www.tcpdump.org/manpages/pcap-savefile.5.html),
// written with LINKTYPE_RAW so that each record is a bare IPv6 packet: Wireshark and tshark
// open it directly. Pure functions; the caller writes the bytes.

/** Magic for microsecond-resolution timestamps, written little-endian. */
const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
const PCAP_VERSION_MAJOR = 2;
const PCAP_VERSION_MINOR = 4;
/** Records are not truncated below this many bytes. */
const PCAP_SNAPLEN_BYTES = 65535;
/** LINKTYPE_RAW: the packet begins with an IPv4 or IPv6 header (here always IPv6). */
export const LINKTYPE_RAW = 101;

const GLOBAL_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
const MICROSECONDS_PER_MS = 1000;

export interface PcapRecord {
  /** Timestamp in milliseconds since the epoch (or since the start of a virtual clock). */
  timeMs: number;
  bytes: Uint8Array;
}

/** One pcap file holding `records` in the order given. */
export function writePcap(records: readonly PcapRecord[]): Uint8Array {
  const total = GLOBAL_HEADER_BYTES + records.reduce((n, r) => n + RECORD_HEADER_BYTES + r.bytes.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, PCAP_MAGIC_MICROSECONDS, true);
  view.setUint16(4, PCAP_VERSION_MAJOR, true);
  view.setUint16(6, PCAP_VERSION_MINOR, true);
  view.setInt32(8, 0, true); // thiszone: timestamps are UTC
  view.setUint32(12, 0, true); // sigfigs
  view.setUint32(16, PCAP_SNAPLEN_BYTES, true);
  view.setUint32(20, LINKTYPE_RAW, true);
  let offset = GLOBAL_HEADER_BYTES;
  for (const record of records) {
    const micros = Math.max(0, Math.round(record.timeMs * MICROSECONDS_PER_MS));
    view.setUint32(offset, Math.floor(micros / 1_000_000), true);
    view.setUint32(offset + 4, micros % 1_000_000, true);
    view.setUint32(offset + 8, record.bytes.length, true); // captured length
    view.setUint32(offset + 12, record.bytes.length, true); // original length
    out.set(record.bytes, offset + RECORD_HEADER_BYTES);
    offset += RECORD_HEADER_BYTES + record.bytes.length;
  }
  return out;
}

export type ReadPcapResult = { ok: true; linkType: number; records: PcapRecord[] } | { ok: false; error: string };

/** Reads a file written by `writePcap` (or any little-endian microsecond pcap). Never throws. */
export function readPcap(file: Uint8Array): ReadPcapResult {
  if (file.length < GLOBAL_HEADER_BYTES) return { ok: false, error: 'truncated global header' };
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(0, true) !== PCAP_MAGIC_MICROSECONDS) {
    return { ok: false, error: 'not a little-endian microsecond pcap file' };
  }
  const linkType = view.getUint32(20, true);
  const records: PcapRecord[] = [];
  let offset = GLOBAL_HEADER_BYTES;
  while (offset < file.length) {
    if (offset + RECORD_HEADER_BYTES > file.length) return { ok: false, error: `truncated record header at ${offset}` };
    const seconds = view.getUint32(offset, true);
    const micros = view.getUint32(offset + 4, true);
    const captured = view.getUint32(offset + 8, true);
    const start = offset + RECORD_HEADER_BYTES;
    if (start + captured > file.length) return { ok: false, error: `truncated record at ${offset}` };
    records.push({ timeMs: seconds * 1000 + micros / MICROSECONDS_PER_MS, bytes: file.slice(start, start + captured) });
    offset = start + captured;
  }
  return { ok: true, linkType, records };
}
