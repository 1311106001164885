// Builders for every packet the host sends, without AH (the host protects them when it
// transmits). Each builder is the draft's or HOST.md's description of that packet, in one
// place, so a reader can compare them with §3.2 and rules 9–16 directly.

import { alternatePrefixesFor, BA_STATUS } from '../wire/index.js';
import type {
  Address,
  BindingAck,
  BindingUpdate,
  DestOption,
  Ipv6Header,
  Packet,
  RoutingHeader,
  SubOption,
  UpperLayer,
} from '../wire/types.js';

/** Hosts send traffic class 0, flow label 0 and hop limit 64 (WIRE.md "Packet layout"). */
export const HOP_LIMIT_SENT = 64;

const NO_UPPER_LAYER: UpperLayer = { kind: 'none' };

export function ipv6Header(source: Address, destination: Address): Ipv6Header {
  return { trafficClass: 0, flowLabel: 0, hopLimit: HOP_LIMIT_SENT, source, destination };
}

/** Between homeless hosts every BU has Prefix Length 0 and H, R, D clear (WIRE.md). */
function bindingUpdate(
  sequence: number,
  lifetimeSeconds: number,
  ack: boolean,
  subOptions: SubOption[],
): BindingUpdate {
  return {
    kind: 'bu',
    flags: { ack, home: false, router: false, dad: false },
    prefixLength: 0,
    sequence,
    lifetimeSeconds,
    subOptions,
  };
}

function bindingAck(status: number, sequence: number, lifetimeSeconds: number, subOptions: SubOption[]): BindingAck {
  return { kind: 'ba', status, sequence, lifetimeSeconds, refreshSeconds: lifetimeSeconds, subOptions };
}

/** The sub-options that name addresses other than the care-of address (WIRE.md canonical form). */
function homelessSubOptions(homelessSupport: boolean, careOf: Address, others: readonly Address[]): SubOption[] {
  const subs: SubOption[] = homelessSupport ? [{ kind: 'homeless-support' }] : [];
  return subs.concat(alternatePrefixesFor(others, careOf));
}

export interface AddressListBu {
  source: Address;
  destination: Address;
  sequence: number;
  lifetimeSeconds: number;
  ack: boolean;
  /** §3.1: until the peer's first BA. */
  homelessSupport: boolean;
  /** Alice's other addresses to name, in Alternate Prefixes with `source` as the suffix source. */
  others: readonly Address[];
  /** §3.2.1: an HAO equal to the source, for a peer that may be a draft-13 node. */
  hao: boolean;
}

/**
 * A BU naming the source and `others` (§3.2.1, §3.2.2). With `hao`, `ack`, Homeless Support and
 * `defaultLifetimeSeconds` it is the Initial BU (HOST.md rule 14); without `ack` it is the
 * periodic BU and the answer to a BR (rule 16).
 */
export function addressListBu(p: AddressListBu): Packet {
  const options: DestOption[] = [];
  if (p.hao) options.push({ kind: 'hao', homeAddress: p.source });
  options.push(
    bindingUpdate(p.sequence, p.lifetimeSeconds, p.ack, homelessSubOptions(p.homelessSupport, p.source, p.others)),
  );
  return { ipv6: ipv6Header(p.source, p.destination), destOptions: options, upper: NO_UPPER_LAYER };
}

export interface CareOfBu {
  source: Address;
  destination: Address;
  sequence: number;
  /** 0 deletes the named address (§2.1.2: a deleting BU). */
  lifetimeSeconds: number;
  ack: boolean;
  homelessSupport: boolean;
  /** The address the BU names, in an Alternate Care-of Address sub-option. */
  careOf: Address;
  /**
   * For a peer that may be a draft-13 node (§3.2.1's form, MIPv6 §5.1: a BU travels with an
   * HAO), the HAO's address: one the peer already knows (§3.2.2), since a homeless receiver
   * drops a BU whose HAO names no active or deprecated address of its entry (HOST.md rule 1).
   * Null: no HAO.
   */
  hao: Address | null;
}

/**
 * A Consecutive BU naming one address that is not the source (§2.1.2, §3.2.2, HOST.md rule 20):
 * announcing a new address (lifetime > 0) or deleting a lost one (lifetime 0).
 */
export function careOfBu(p: CareOfBu): Packet {
  const options: DestOption[] = [];
  if (p.hao !== null) options.push({ kind: 'hao', homeAddress: p.hao });
  const subs: SubOption[] = p.homelessSupport ? [{ kind: 'homeless-support' }] : [];
  subs.push({ kind: 'alternate-coa', address: p.careOf });
  options.push(bindingUpdate(p.sequence, p.lifetimeSeconds, p.ack, subs));
  return { ipv6: ipv6Header(p.source, p.destination), destOptions: options, upper: NO_UPPER_LAYER };
}

export interface EmulationOptions {
  /** The emulated home address: the connection's initial source (§2.2.2). */
  home: Address;
  /** A BU registering the packet's source as the care-of address, until a BA (§2.2.2, §2.2.3). */
  bu: { sequence: number; lifetimeSeconds: number; ack: boolean; homelessSupport: boolean } | null;
}

export interface DataPacket {
  source: Address;
  destination: Address;
  /** Toward a standard mobile host's verified care-of address: the home address (§2.2.2, rule 15a). */
  routing?: RoutingHeader;
  emulation?: EmulationOptions;
  upper: UpperLayer;
}

/**
 * A data packet (UDP or an echo request), with the standard-host emulation's HAO and BU when
 * the source differs from the connection's initial source (§2.2.2, §2.2.3). The BU is in
 * strict draft-13 form (§3.2.3): HAO, no Alternate CoA (the source is the care-of address),
 * and Homeless Support only while the peer's kind is unknown and unacknowledged. With
 * `upper` of kind `none` it is a BU-only packet (a refresh, or a BU that an anonymous SA
 * protects apart from the data, §3.4.1).
 */
export function dataPacket(p: DataPacket): Packet {
  const packet: Packet = { ipv6: ipv6Header(p.source, p.destination), upper: p.upper };
  if (p.routing !== undefined) packet.routing = p.routing;
  if (p.emulation !== undefined) {
    const options: DestOption[] = [{ kind: 'hao', homeAddress: p.emulation.home }];
    const bu = p.emulation.bu;
    if (bu !== null) {
      const subs: SubOption[] = bu.homelessSupport ? [{ kind: 'homeless-support' }] : [];
      options.push(bindingUpdate(bu.sequence, bu.lifetimeSeconds, bu.ack, subs));
    }
    packet.destOptions = options;
  }
  return packet;
}

export interface ChallengeBa {
  source: Address;
  /** The tentative address itself (§3.4.2 step 1, INV-CHALLENGE-TARGET). */
  destination: Address;
  sequence: number;
  lifetimeSeconds: number;
  challenge: Uint8Array;
}

/** The BA carrying a Challenge (§3.4.2, HOST.md rule 9): status 0, lifetime = refresh = the granted lifetime. */
export function challengeBa(p: ChallengeBa): Packet {
  return {
    ipv6: ipv6Header(p.source, p.destination),
    destOptions: [
      bindingAck(BA_STATUS.accepted, p.sequence, p.lifetimeSeconds, [{ kind: 'security', value: p.challenge }]),
    ],
    upper: NO_UPPER_LAYER,
  };
}

export interface PlainBa {
  source: Address;
  destination: Address;
  status: number;
  sequence: number;
  lifetimeSeconds: number;
}

/** A BA answering a BU that asked for one and named no new address (HOST.md rule 10). */
export function plainBa(p: PlainBa): Packet {
  return {
    ipv6: ipv6Header(p.source, p.destination),
    destOptions: [bindingAck(p.status, p.sequence, p.lifetimeSeconds, [])],
    upper: NO_UPPER_LAYER,
  };
}

export interface ResponseBu {
  source: Address;
  destination: Address;
  sequence: number;
  lifetimeSeconds: number;
  /** ADDR: the address the Challenge checked. */
  checked: Address;
  response: Uint8Array;
}

/**
 * The BU carrying a Response (§3.4.2, HOST.md rule 11): all flags clear, no HAO, nothing but
 * the Response, plus an Alternate CoA naming ADDR when the source is another address
 * (the second form).
 */
export function responseBu(p: ResponseBu): Packet {
  const subs: SubOption[] = [];
  if (p.source !== p.checked) subs.push({ kind: 'alternate-coa', address: p.checked });
  subs.push({ kind: 'security', value: p.response });
  return {
    ipv6: ipv6Header(p.source, p.destination),
    destOptions: [bindingUpdate(p.sequence, p.lifetimeSeconds, false, subs)],
    upper: NO_UPPER_LAYER,
  };
}

export interface EchoReply {
  source: Address;
  destination: Address;
  identifier: number;
  sequence: number;
  data: Uint8Array;
}

/** An echo reply: no Mobile IPv6 option, no AH, no host cache (§1.4, HOST.md rule 23). */
export function echoReply(p: EchoReply): Packet {
  return {
    ipv6: ipv6Header(p.source, p.destination),
    upper: {
      kind: 'icmpv6',
      message: { type: 'echo-reply', identifier: p.identifier, sequence: p.sequence, data: p.data },
    },
  };
}

/** Whether a packet carries any Mobile IPv6 option (HAO, BU, BA, BR): what a legacy host rejects (rule 15). */
export function hasMobileOption(packet: Packet): boolean {
  if (packet.destOptions === undefined) return false;
  for (const o of packet.destOptions) if (o.kind !== 'unknown') return true;
  return false;
}

/** Bytes a sub-option may take before it for alignment, at most (xn+y leaves at most x − 1). */
const ALT_PREFIXES_ALIGN_PAD_MAX = 3;
const BU_FIXED_BYTES = 8;
const TLV_HEADER_BYTES = 2;
const ALT_PREFIXES_FIXED_BYTES = 1;

/**
 * `others` split so that each part's BU option fits its 255 data bytes (WIRE.md: a host with
 * more addresses to announce spreads them over several BUs). Duplicates and `careOf` itself
 * are dropped first (`alternatePrefixesFor` would drop them too). Always at least one part.
 */
export function addressListChunks(
  careOf: Address,
  others: readonly Address[],
  homelessSupport: boolean,
  optionDataBytesMax: number,
): Address[][] {
  const unique = [...new Set(others)].filter((a) => a !== careOf);
  const fits = (list: readonly Address[]): boolean => {
    let bytes = BU_FIXED_BYTES + (homelessSupport ? TLV_HEADER_BYTES : 0);
    for (const s of alternatePrefixesFor(list, careOf)) {
      if (s.kind !== 'alternate-prefixes') continue;
      bytes +=
        ALT_PREFIXES_ALIGN_PAD_MAX + TLV_HEADER_BYTES + ALT_PREFIXES_FIXED_BYTES + s.prefixes.length * 4 * (s.pl + 1);
    }
    return bytes <= optionDataBytesMax;
  };
  const chunks: Address[][] = [];
  let current: Address[] = [];
  for (const a of unique) {
    if (current.length > 0 && !fits([...current, a])) {
      chunks.push(current);
      current = [];
    }
    current.push(a);
  }
  chunks.push(current);
  return chunks;
}
