// What the world offers the nodes it plays itself (Sam, Lee, Mallory), and what it asks of
// them. Alice and the reference peers are `Host`s and are driven by the world directly.

import type { HostParams } from '../../impl/host/types.js';
import type { Address } from '../../impl/wire/types.js';
import type { JsonDelivered, NodeName } from './types.js';

export interface EmitOptions {
  /** Why the packet was sent (Mallory's attack, a probe): kept in the trace. */
  tag?: string;
  /** Extra delay on top of the network's latency. */
  extraDelayMs?: number;
  /** Put the packet on this node's link, whatever its destination says (garbage, bit flips). */
  direct?: NodeName;
}

export interface WorldPort {
  /** The virtual clock, in ms. */
  readonly now: number;
  readonly params: HostParams;
  /** Puts `bytes` on the network; returns the packet's id. */
  emit(from: NodeName, bytes: Uint8Array, options?: EmitOptions): number;
  /** An honest peer handed data to its application. */
  peerDelivered(node: NodeName, packetId: number, items: JsonDelivered[]): void;
  /** Alice's current addresses, oldest first. */
  aliceAddresses(): Address[];
  note(text: string): void;
}

export interface SimNode {
  readonly name: NodeName;
  /** A packet arrived at `address`, one of this node's. */
  receive(packetId: number, bytes: Uint8Array, address: Address): void;
  /** Periodic processing (retransmissions). */
  tick(): void;
}
