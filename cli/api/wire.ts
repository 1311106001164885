// `hmip6/wire`: the packet codecs (decode never throws; encode throws EncodeError), the
// authentication header and Challenge/Response values, checksums, pcap, and the golden vectors
// (docs/api.md, docs/wire-format.md).

export * from '../../impl/wire/index.js';
export { LINKTYPE_RAW, readPcap, writePcap, type PcapRecord, type ReadPcapResult } from '../../impl/wire/pcap.js';
export { packetFromJson, packetToJson, type Json } from '../../impl/wire/json.js';
export {
  ALGORITHMS,
  CHALLENGE_BYTES,
  TIME_BYTES,
  computeIcv,
  makeChallenge,
  makeResponse,
  protect,
  verifyAh,
  ReplayWindow,
  type AhAlgorithm,
  type SendingSa,
} from '../../impl/crypto/index.js';
export { buildVectors, VECTOR_FORMAT, type Vector, type VectorSa } from '../lib/vectors.js';
