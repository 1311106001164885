// What the ground truth reads off a packet that reaches Alice, in one pass of its own walker:
// the facts WIRE.md and HOST.md rules 2, 22 and 23 decide her processing by (where it is
// addressed, HAO, unknown options, checksum, AH fields, the upper layer).

import type { Address } from '../../impl/wire/types.js';
import { upperChecksumValid } from './checksum.js';
import {
  addressAt,
  destinationOf,
  finalDestinationAt,
  hasDiscardingUnknownOption,
  hasOption,
  homeAddressOf,
  OPTION,
  routingAddresses,
  sourceOf,
  upperOf,
  walkPacket,
  type UpperTruth,
  type Walk,
} from './packet.js';

export interface ArrivalFacts {
  walk: Walk;
  source: Address;
  destination: Address;
  /** The routing header's addresses (empty without one). */
  routing: Address[];
  /**
   * The final destination (RFC 2460 §8.1): the last routing address while Segments Left > 0,
   * else the IPv6 Destination. What Alice answers an echo request from (rule 23).
   */
  finalDestination: Address;
  /** Whether an HAO is present, and its address when it is well formed. */
  hao: boolean;
  homeAddress: Address | null;
  /** An unknown option whose action bits are not 00 (RFC 2460 §4.2): the packet is discarded. */
  discardingUnknownOption: boolean;
  /** The UDP or ICMPv6 checksum verifies (null: neither upper layer). */
  checksumValid: boolean | null;
  ah: { spi: number; sequence: number } | null;
  upper: UpperTruth;
}

/** The facts of `bytes`, or null when the truth's walker cannot read them. */
export function arrivalFacts(bytes: Uint8Array): ArrivalFacts | null {
  const walk = walkPacket(bytes);
  if (walk === null) return null;
  return {
    walk,
    source: sourceOf(bytes),
    destination: destinationOf(bytes),
    routing: routingAddresses(bytes, walk),
    finalDestination: addressAt(bytes, finalDestinationAt(walk)),
    hao: hasOption(walk, OPTION.hao),
    homeAddress: homeAddressOf(bytes, walk),
    discardingUnknownOption: hasDiscardingUnknownOption(walk),
    checksumValid: upperChecksumValid(bytes, walk),
    ah: walk.ah === undefined ? null : { spi: walk.ah.spi, sequence: walk.ah.sequence },
    upper: upperOf(bytes, walk),
  };
}

/**
 * Rule 22 (§1.4, RFC 5095): the packet is Alice's to process only if its IPv6 Destination and
 * every address of its routing header are hers. Both this and an unknown option with action
 * bits other than 00 come before AH in the header chain (WIRE.md's order: routing, then
 * destination options, then AH), so such a packet is dropped before its AH is looked at.
 */
export function droppedBeforeAh(facts: ArrivalFacts, isAlices: (address: Address) => boolean): boolean {
  return facts.discardingUnknownOption || !isAlices(facts.destination) || !facts.routing.every(isAlices);
}
