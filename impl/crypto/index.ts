// The crypto layer's public surface: HMAC, AH and challenge/response over @noble/hashes.

export type { AhAlgorithm } from './types.js';
export { ALGORITHMS, checkKey, constantTimeEqual, hmacDigest, type AlgorithmSizes } from './hmac.js';
export { computeIcv, icvInput, protect, protectWithLayout, verifyAh, type SendingSa } from './ah.js';
export { REPLAY_WINDOW_PACKETS_MAX, ReplayWindow } from './replay.js';
export { CHALLENGE_BYTES, TIME_BYTES, makeChallenge, makeResponse } from './challenge.js';
