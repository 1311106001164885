// The harness's independent ground truth (DESIGN.md "Independent ground truth"; docs/properties.md
// "Independent ground truth"): AH/ICV verification with its own header walker and the routing
// header's arrival form, Challenge/Response values, the RFC 2402 anti-replay window and the
// UDP/ICMPv6 checksums, importing only types from impl/. The world's verdict on every packet
// handed to Alice (`ReceiveTruth`), the lockstep's events and INV-DELIVERY rest on it, so a bug
// in impl/crypto or impl/wire shared by every node of the world is seen, not inherited.
//
// Exempt from de-duplication with impl/: the point is a second, separate reading.

export { challengeValue, CHALLENGE_VALUE_BYTES, responseValue } from './challenge.js';
export { upperChecksumValid } from './checksum.js';
export { hmac, TRUTH_ALGORITHMS, type TruthAlgorithm } from './hmac.js';
export { computeIcv, icvInput, verifyIcv, type TruthSa } from './icv.js';
export {
  addressAt,
  destinationOf,
  finalDestinationAt,
  hasDiscardingUnknownOption,
  hasOption,
  homeAddressOf,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  NEXT_HEADER,
  OPTION,
  routingAddresses,
  sourceOf,
  upperOf,
  walkPacket,
  type UpperTruth,
  type Walk,
  type WalkedOption,
} from './packet.js';
export { AntiReplayWindow } from './replay.js';
export { arrivalFacts, droppedBeforeAh, type ArrivalFacts } from './arrival.js';
