// The conformance oracle's adapter client (ADAPTER-PROTOCOL.md, client side): an
// implementation under test in any language, run as a child process, as Alice.

export {
  ADAPTER_PROTOCOL,
  AdapterClient,
  CLOSE_GRACE_MS,
  LINE_BYTES_MAX,
  STARTUP_TIMEOUT_MS_DEFAULT,
  STDERR_LINES_MAX,
  TIMEOUT_MS_DEFAULT,
} from './client.js';
export type { AdapterClientOptions, ExchangeStats, RawAnswer } from './client.js';
export { AdapterError } from './errors.js';
export type { AdapterErrorKind, AdapterFailure } from './errors.js';
export { AdapterAlice, KNOWN_FEATURES } from './alice.js';
export type { AdapterAliceOptions, IutIdentity } from './alice.js';
export { OracleChecks } from './checks.js';
export type { CallObserver, Finding, FindingLevel } from './checks.js';
export { DEMANDS, hostRulesFor } from './demands.js';
export type { DemandLevel, PropertyDemand } from './demands.js';
export { replayCommand, runOracle } from './oracle.js';
export type { OracleError, OracleOptions, OraclePropertyReport, OracleReport, OracleVerdict } from './oracle.js';
export { blackBoxFor, replayAgainstIut, withAdapterAlice, withAdapterAliceAsync } from './replay.js';
export type { IutReplay } from './replay.js';
export { parseDelivered, parseHello, parseSent, parseState, parseUnreachable, ShapeError } from './validate.js';
