// What the world reads off a packet: the decoded essentials the invariants use, and a
// one-line summary for people (counterexample files, the replay stepper). Built on the wire
// codec; never throws on any bytes (a packet that does not decode says so).

import { careOfAddress, decodePacket, expandAlternatePrefixes, toHex } from '../../impl/wire/index.js';
import type { BindingAck, BindingUpdate, Packet, SubOption } from '../../impl/wire/types.js';
import type { BaInfo, BuInfo, PacketInfo } from './types.js';

function securityHex(subs: readonly SubOption[]): string | undefined {
  for (const s of subs) if (s.kind === 'security') return toHex(s.value);
  return undefined;
}

function buInfo(bu: BindingUpdate, source: string): BuInfo {
  const careOf = careOfAddress(bu, source);
  const named: string[] = [careOf];
  for (const a of expandAlternatePrefixes(bu, source)) if (!named.includes(a)) named.push(a);
  const info: BuInfo = {
    sequence: bu.sequence,
    lifetimeSeconds: bu.lifetimeSeconds,
    ack: bu.flags.ack,
    homelessSupport: bu.subOptions.some((s) => s.kind === 'homeless-support'),
    named,
    careOf,
  };
  const security = securityHex(bu.subOptions);
  if (security !== undefined) info.security = security;
  return info;
}

function baInfo(ba: BindingAck): BaInfo {
  const info: BaInfo = {
    status: ba.status,
    sequence: ba.sequence,
    lifetimeSeconds: ba.lifetimeSeconds,
    refreshSeconds: ba.refreshSeconds,
  };
  const security = securityHex(ba.subOptions);
  if (security !== undefined) info.security = security;
  return info;
}

/** The final destination of a decoded packet (RFC 2460 §8.1): the last routing address while Segments Left > 0. */
export function finalDestinationOf(p: Packet): string {
  const r = p.routing;
  if (r !== undefined && r.segmentsLeft > 0 && r.addresses.length > 0) return r.addresses[r.addresses.length - 1];
  return p.ipv6.destination;
}

/**
 * A PacketInfo with every field present, in one order (absent ones undefined, which JSON leaves
 * out): every packet's info then has the same hidden class, so the judges that read them all
 * stay monomorphic instead of being deoptimised and compiled again for each new combination of
 * fields (docs/benchmarks.md, "where a lone check's second core goes").
 */
function blankInfo(decodes: boolean): PacketInfo {
  return {
    decodes,
    error: undefined,
    source: undefined,
    destination: undefined,
    finalDestination: undefined,
    routing: undefined,
    hao: undefined,
    spi: undefined,
    ahSequence: undefined,
    bus: [],
    bas: [],
    br: false,
    upper: 'none',
    payload: undefined,
    ports: undefined,
    echo: undefined,
    quoted: undefined,
  };
}

export function inspectPacket(bytes: Uint8Array): PacketInfo {
  const result = decodePacket(bytes);
  if (!result.ok) {
    const info = blankInfo(false);
    info.error = `${result.error.code} at ${result.error.offset}: ${result.error.message}`;
    return info;
  }
  const p = result.packet;
  const info = blankInfo(true);
  info.source = p.ipv6.source;
  info.destination = p.ipv6.destination;
  info.finalDestination = finalDestinationOf(p);
  if (p.routing !== undefined) info.routing = [...p.routing.addresses];
  for (const o of p.destOptions ?? []) {
    if (o.kind === 'hao') info.hao = o.homeAddress;
    else if (o.kind === 'bu') info.bus.push(buInfo(o, p.ipv6.source));
    else if (o.kind === 'ba') info.bas.push(baInfo(o));
    else if (o.kind === 'br') info.br = true;
  }
  if (p.ah !== undefined) {
    info.spi = p.ah.spi;
    info.ahSequence = p.ah.sequence;
  }
  const u = p.upper;
  if (u.kind === 'udp') {
    info.upper = 'udp';
    info.payload = toHex(u.payload);
    info.ports = [u.sourcePort, u.destinationPort];
  } else if (u.kind === 'icmpv6') {
    const m = u.message;
    if (m.type === 'echo-request' || m.type === 'echo-reply') {
      info.upper = m.type;
      info.payload = toHex(m.data);
      info.echo = { identifier: m.identifier, sequence: m.sequence };
    } else if (m.type === 'parameter-problem') {
      info.upper = 'param-problem';
      info.quoted = toHex(m.invoking);
    } else if (m.type === 'destination-unreachable') {
      info.upper = 'dest-unreachable';
      info.quoted = toHex(m.invoking);
    } else {
      info.upper = 'icmp-other';
    }
  } else if (u.kind === 'raw') {
    info.upper = 'raw';
  }
  return info;
}

function shortHex(hex: string): string {
  return hex.length <= 8 ? hex : `${hex.slice(0, 8)}…`;
}

/** One line: `src → dst [RH ..] [HAO ..] BU#n(A,HS,L=600,names ..) BA#n(0) AH(spi,seq) UDP len`. */
export function summarize(info: PacketInfo, bytesLength: number): string {
  if (!info.decodes) return `undecodable (${bytesLength} bytes): ${info.error ?? ''}`;
  const parts: string[] = [`${info.source} → ${info.destination}`];
  if (info.routing !== undefined) parts.push(`RH[${info.routing.join(',')}]`);
  if (info.hao !== undefined) parts.push(`HAO ${info.hao}`);
  for (const bu of info.bus) {
    const flags = [bu.ack ? 'A' : '', bu.homelessSupport ? 'HS' : ''].filter((f) => f !== '');
    const what =
      bu.security !== undefined ? `response ${shortHex(bu.security)} for ${bu.careOf}` : `names ${bu.named.join(',')}`;
    parts.push(`BU#${bu.sequence}(${[...flags, `L=${bu.lifetimeSeconds}`, what].join(' ')})`);
  }
  for (const ba of info.bas) {
    const what = ba.security !== undefined ? ` challenge ${shortHex(ba.security)}` : '';
    parts.push(`BA#${ba.sequence}(status ${ba.status} L=${ba.lifetimeSeconds}${what})`);
  }
  if (info.br) parts.push('BR');
  if (info.spi !== undefined) parts.push(`AH(spi ${info.spi} seq ${info.ahSequence})`);
  if (info.upper === 'udp' || info.upper === 'echo-request' || info.upper === 'echo-reply') {
    parts.push(`${info.upper === 'udp' ? 'UDP' : `ICMP ${info.upper}`} ${shortHex(info.payload ?? '')}`);
  } else if (info.upper === 'param-problem' || info.upper === 'dest-unreachable') {
    parts.push(`ICMP ${info.upper} quoting ${(info.quoted ?? '').length / 2} bytes`);
  } else if (info.upper !== 'none') {
    parts.push(info.upper);
  }
  return parts.join(' ');
}
