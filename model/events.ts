// The model's input: abstract events that the simulated world derives from what happened on
// the network and at Alice's interface, never from the host's own verdicts (DESIGN.md "The
// model"). One event per host request, carrying the request's `now`: the model, like the
// host, applies every expiry due at the start of each accepted request (HOST.md rule 16).
//
// Every field is something the world knows without asking Alice: it built the packets (so
// it knows which key made an ICV and whether the ICV verifies), it carried every Challenge
// Alice sent (so it knows which one a Response answers), and it keeps the clock. What the
// packet *means* to Alice (which entry, whether its sequence number is fresh, whether a
// Response is live, which addresses a BU may name) is decided by the model. docs/model.md
// lists how the world derives each field.

import type { HostParams, SaKind } from '../impl/host/types.js';
import type { Address } from '../impl/wire/types.js';

export type { Address, SaKind };

/** The parameters the model needs (WIRE.md "Protocol parameters"); the rest only shape packets. */
export type ModelParams = Pick<
  HostParams,
  | 'defaultLifetimeSeconds'
  | 'maximumExpiredLifetimeSeconds'
  | 'bindingLifetimeSecondsMax'
  | 'challengeLifetimeMs'
  | 'compatProbeTimeoutMs'
  | 'buOptimization'
  | 'foreignEntriesCountMax'
  | 'addressesPerEntryCountMax'
  | 'tentativePerEntryCountMax'
  | 'antiReplayWindowPackets'
>;

/** Which Challenge a Response was computed from (WIRE.md "Reachability verification"). */
export type ResponseAnswers =
  /**
   * The ordinal, from 1, of the distinct Challenge value Alice sent for this address under
   * this SA (in order of first transmission; retransmissions repeat a value and do not count).
   */
  | number
  /** Computed from no Challenge Alice sent for this address under this SA: guessed or forged. */
  | 'forged';

/** One Mobile IPv6 option of a received packet, in the order the options appear. */
export type PacketItem =
  /** A Binding Update without a Security Challenge/Response sub-option: a claim (HOST.md rules 5–8). */
  | {
      kind: 'bindingUpdate';
      sequence: number;
      lifetimeSeconds: number;
      /** A Homeless Support sub-option is present (§3.1.1). */
      homelessSupport: boolean;
      /**
       * The BU's care-of address (the last Alternate CoA sub-option, else the IPv6 Source as
       * on the wire) followed by every address expanded from its Alternate Prefixes
       * sub-options, without duplicates, in that order (rule 5, before any filtering: the
       * model drops Alice's own and non-global addresses itself).
       */
      named: readonly Address[];
    }
  /** A Binding Update carrying a Security Challenge/Response sub-option: a Response (rule 12). */
  | {
      kind: 'response';
      sequence: number;
      lifetimeSeconds: number;
      /** The checked address: the Alternate CoA if present, else the IPv6 Source (§3.4.2). */
      address: Address;
      answers: ResponseAnswers;
      /** Only the Challenge/Response sub-option, at most one Alternate CoA, and padding (rule 12). */
      wellFormed: boolean;
    }
  /** A Binding Acknowledgement (Alice's cache only notices it for activity, rule 4). */
  | { kind: 'bindingAck'; status: number }
  /** A Binding Request (§3.1.1: may carry Homeless Support). */
  | { kind: 'bindingRequest'; homelessSupport: boolean }
  /**
   * An upper layer: anything but No Next Header (UDP, any ICMPv6 message, another protocol).
   * Under a generic SA it refreshes activity (rule 4).
   */
  | { kind: 'data' };

export interface ReceivedPacket {
  /** The IPv6 Source field as it arrives. */
  source: Address;
  /**
   * Every address the packet is addressed to: the IPv6 Destination and each address of a
   * type 0 routing header (rule 22: all must be Alice's, else the packet is dropped).
   */
  destinations: readonly Address[];
  /**
   * The AH header, if any. `icvValid`: the ICV verifies under the key of the SA whose
   * inbound SPI is `spi` (the world knows every key; false for an SPI Alice has no SA for).
   * The model itself checks the SPI and the anti-replay window (RFC 2402, rule 2).
   */
  ah: { spi: number; sequence: number; icvValid: boolean } | null;
  /** The Home Address option's address, if any. */
  hao: Address | null;
  /** The packet's Mobile IPv6 options and data, in order. */
  items: readonly PacketItem[];
}

/**
 * The abstract events, one per host request (ADAPTER-PROTOCOL.md), each with its `now` in
 * milliseconds. `now` never decreases within a run; an event with a smaller `now` is refused
 * (rule 24) and changes nothing.
 */
export type ModelEvent =
  /** `tick`: only the clock advances (expiries, rule 16; retransmissions are not state). */
  | { type: 'tick'; now: number }
  /** `addSA`: an SA established with the peer known at `peer` (Appendix A, rules 14 and 17). */
  | { type: 'saAdded'; now: number; peer: Address; inboundSpi: number; outboundSpi: number; kind: SaKind }
  /** `send`: Alice's application sends to `to` (rules 17 and 21; creates an entry for an unknown `to`). */
  | { type: 'send'; now: number; to: Address }
  /** `addLocalAddress`. */
  | { type: 'localAddressAdded'; now: number; address: Address }
  /** `removeLocalAddress`. */
  | { type: 'localAddressRemoved'; now: number; address: Address }
  /** `receive` of a packet that decodes (WIRE.md) and is not an ICMPv6 Parameter Problem. */
  | { type: 'received'; now: number; packet: ReceivedPacket }
  /**
   * `receive` of an ICMPv6 Parameter Problem (rule 15). `quoted` describes the invoking
   * packet it carries when that is byte for byte a packet Alice sent (else null): its IPv6
   * Destination and, when it carried AH, Alice's outbound SPI.
   */
  | {
      type: 'parameterProblem';
      now: number;
      code: number;
      /** The pointer lands on the type byte of an HAO, BU, BA or BR option of the quoted packet. */
      aboutMobilityOption: boolean;
      quoted: { destination: Address; outboundSpi: number | null } | null;
      /**
       * The Parameter Problem's own packet, described as for `received` (its items end with
       * `data`). When given, the model first applies rules 22 and 2–4 to it: a packet not
       * for Alice, with an AH that fails, or with an HAO that fails is dropped whole; one
       * under a generic SA refreshes activity. Without it, the packet is taken as having
       * reached Alice with no AH and no HAO.
       */
      packet?: ReceivedPacket;
    }
  /**
   * `receive` of bytes Alice drops before any host rule: undecodable (WIRE.md), or an unknown
   * option whose action bits say discard. The request still happens: expiries run.
   */
  | { type: 'noise'; now: number };

export type ModelEventType = ModelEvent['type'];
