// The wire layer's public surface (DESIGN.md "Entry points"; WIRE.md).

export * from './types.js';
export { decodePacket, encodePacket, encodePacketWithLayout } from './packet.js';
export { optionAction, optionMayChange, type OptionAction } from './options.js';
export { alternatePrefixesFor, careOfAddress, expandAlternatePrefixes } from './alternate-prefixes.js';
export {
  addressToBytes,
  bytesToAddress,
  isGlobalAddress,
  normalizeAddress,
  sameAddress,
  tryAddressToBytes,
} from './address.js';
export { internetChecksum, onesComplementSum, foldSum, pseudoHeaderSum } from './checksum.js';
export { fromHex, toHex } from './hex.js';
export { prefixBytes } from './suboptions.js';
export * from './constants.js';
