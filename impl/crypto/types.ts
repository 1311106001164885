// Names fixed by WIRE.md ("AH (RFC 2402) and the SAs") and ADAPTER-PROTOCOL.md.

/** `hmac-sha1-96` (RFC 2404) or `hmac-sha256-128` (RFC 4868). No other algorithm exists here. */
export type AhAlgorithm = 'hmac-sha1-96' | 'hmac-sha256-128';
