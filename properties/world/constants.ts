// The world's own constants (the protocol's are HostParams). Units last.

/** One-way delay of every packet on the network, unless a fault delays it further. */
export const LATENCY_MS = 10;
/** Every node is ticked on this grid while the clock advances (retransmissions, expiries). */
export const TICK_MS = 250;
/** Virtual time at the start of every run (non-zero, so that a clock-based TIME is not all zeros). */
export const START_MS = 1_000_000;
/** Largest number of addresses a homeless peer holds at once (peerGain beyond it does nothing). */
export const PEER_ADDRESSES_MAX = 3;
/** Largest number of addresses Alice gains up to (aliceGain beyond it does nothing). */
export const ALICE_ADDRESSES_MAX = 3;
/**
 * Most addresses Alice may start with (`aliceAddressCount`; a host on many prefixes). A BU
 * option holds 255 bytes; her addresses are /64s sharing one interface identifier, 8 bytes of
 * Alternate Prefixes each, so 31 fill one BU and more spread over several (§5.2: "A packet MAY
 * include several Binding Updates"; HOST.md rules 14, 16).
 */
export const ALICE_ADDRESSES_MANY_MAX = 36;
/** The fewest addresses of a world whose Alice starts on many prefixes: one more than a BU holds. */
export const ALICE_ADDRESSES_MANY_MIN = 32;
/** Before a clock jump, packets in flight are delivered for at most this long. */
export const SETTLE_MS_MAX = 2000;
/** After a probe is sent, the world waits this long for it to arrive. */
export const PROBE_WAIT_MS = 4 * LATENCY_MS;
/** Largest extra delay a `delay` fault may add. */
export const DELAY_MS_MAX = 10_000;
/** Largest number of claims in one flood. */
export const FLOOD_COUNT_MAX = 24;
/** Largest number of datagrams in one burst: a little over two anti-replay windows of 64. */
export const BURST_COUNT_MAX = 160;
/**
 * Deliveries the world plays in one step (DESIGN.md "Storms"): packets the network hands to a
 * node or drops, and items Alice hands to her applications. Past it the step ends there, the
 * run stops and fails INV-AMPLIFICATION. No honest world comes near it (a flood is
 * FLOOD_COUNT_MAX claims); a host that answers packets with packets to itself reaches it.
 */
export const STEP_DELIVERIES_MAX = 10_000;
/**
 * Packets in flight at once: past it, a storm too. A single answer may carry thousands of
 * packets (a 1 MiB line), and a host that answers each packet with thousands would fill memory
 * long before STEP_DELIVERIES_MAX deliveries were played.
 */
export const IN_FLIGHT_PACKETS_MAX = 10_000;
/**
 * Bytes of a `correspond` datagram marked `large`: Alice's packet then exceeds the 1232 bytes an
 * ICMPv6 error can quote (RFC 4443 §2.4(c)), whatever headers she puts before the payload.
 */
export const LARGE_PAYLOAD_BYTES = 1300;
