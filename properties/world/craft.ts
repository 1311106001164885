// Packet building for the nodes the world plays itself (Sam, Lee, Mallory): typed packets
// (impl/wire/types.ts) encoded by the codec and protected by impl/crypto's AH, so that every
// byte they put on the wire is WIRE.md's.

import { protect } from '../../impl/crypto/index.js';
import type { AhAlgorithm } from '../../impl/host/types.js';
import { encodePacket } from '../../impl/wire/index.js';
import type {
  Address,
  BindingAck,
  BindingUpdate,
  DestOption,
  Packet,
  SubOption,
  UpperLayer,
} from '../../impl/wire/types.js';

/** Hosts send hop limit 64 (WIRE.md "Packet layout"). */
export const HOP_LIMIT = 64;
/** UDP ports of the world's applications (the adapter's defaults). */
export const DATA_PORT = 5000;

export interface OutboundSa {
  alg: AhAlgorithm;
  key: Uint8Array;
  spi: number;
}

export function packet(
  source: Address,
  destination: Address,
  destOptions: DestOption[] | undefined,
  upper: UpperLayer,
): Packet {
  const p: Packet = { ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: HOP_LIMIT, source, destination }, upper };
  if (destOptions !== undefined && destOptions.length > 0) p.destOptions = destOptions;
  return p;
}

export function bu(sequence: number, lifetimeSeconds: number, ack: boolean, subOptions: SubOption[]): BindingUpdate {
  return {
    kind: 'bu',
    flags: { ack, home: false, router: false, dad: false },
    prefixLength: 0,
    sequence: sequence & 0xffff,
    lifetimeSeconds,
    subOptions,
  };
}

export function ba(
  status: number,
  sequence: number,
  lifetimeSeconds: number,
  subOptions: SubOption[] = [],
): BindingAck {
  return {
    kind: 'ba',
    status,
    sequence: sequence & 0xffff,
    lifetimeSeconds,
    refreshSeconds: lifetimeSeconds,
    subOptions,
  };
}

export function udp(payload: Uint8Array): UpperLayer {
  return { kind: 'udp', sourcePort: DATA_PORT, destinationPort: DATA_PORT, payload };
}

export const NO_UPPER: UpperLayer = { kind: 'none' };

/** Encodes with an AH under `sa` and AH sequence number `sequence`. */
export function sign(p: Packet, sa: OutboundSa, sequence: number): Uint8Array {
  return protect(p, { alg: sa.alg, key: sa.key, spi: sa.spi, sequence });
}

/** Encodes without an AH. */
export function plain(p: Packet): Uint8Array {
  return encodePacket(p);
}

/** UTF-8 bytes of a short label (payloads are tagged so that the world can follow them). */
export function textBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
