// Protocol parameters (WIRE.md "Protocol parameters") and the host's own fixed limits.
//
// Parameters come from the adapter's `reset.config.params` (HOST.md rule 24): every key must
// be one of WIRE.md's names, every value is checked here, and the limits are checked against
// each other once, at load time (TigerBeetle's habit), so the host never meets a nonsensical
// combination at run time.

import { REPLAY_WINDOW_PACKETS_MAX } from '../crypto/index.js';
import { DEFAULT_PARAMS, type HostParams } from './types.js';

/**
 * Packets with a Mobile IPv6 option that the host remembers per peer entry, newest last, so
 * that an ICMPv6 Parameter Problem can be checked against what Alice really sent (HOST.md
 * rule 15: the quote must equal one of her packets byte for byte). A constant, not a
 * parameter: rule 24 refuses keys WIRE.md does not name.
 */
export const SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX = 16;

/**
 * Connections whose initial source address the host remembers per peer entry (§2.2.2: the
 * emulated home address of each connection toward a peer that is not homeless). The oldest
 * is forgotten first; this is state about Alice's own traffic, so evicting it is safe.
 */
export const CONNECTIONS_PER_ENTRY_MAX = 64;

/** An option's data is at most 255 bytes (RFC 2460 §4.2): a BU naming more addresses is split (WIRE.md). */
export const OPTION_DATA_BYTES_MAX = 255;

/** Wire lifetimes are 32-bit seconds (WIRE.md, BU and BA layouts). */
export const LIFETIME_SECONDS_MAX = 0xffffffff;

/** The one seconds-to-milliseconds factor (impl/units.ts), for the host's modules and its index. */
export { MS_PER_SECOND } from '../units.js';

interface IntegerRule {
  kind: 'integer';
  min: number;
  max: number;
}
interface BooleanRule {
  kind: 'boolean';
}
type ParamRule = IntegerRule | BooleanRule;

/**
 * What each parameter accepts. Counts may be 0 where 0 means "none allowed" (a host that
 * accepts no foreign entry, no tentative address, keeps no deprecated address); durations
 * and attempts must be at least 1 so that every timer and every challenge can happen.
 */
const PARAM_RULES: { readonly [K in keyof HostParams]: ParamRule } = {
  defaultLifetimeSeconds: { kind: 'integer', min: 1, max: LIFETIME_SECONDS_MAX },
  maximumExpiredLifetimeSeconds: { kind: 'integer', min: 0, max: LIFETIME_SECONDS_MAX },
  bindingLifetimeSecondsMax: { kind: 'integer', min: 1, max: LIFETIME_SECONDS_MAX },
  challengeRetransmitMs: { kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER },
  challengeAttemptsMax: { kind: 'integer', min: 1, max: 1_000_000 },
  challengeLifetimeMs: { kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER },
  compatProbeTimeoutMs: { kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER },
  bindingRefreshSeconds: { kind: 'integer', min: 1, max: LIFETIME_SECONDS_MAX },
  buOptimization: { kind: 'boolean' },
  foreignEntriesCountMax: { kind: 'integer', min: 0, max: 1_000_000 },
  addressesPerEntryCountMax: { kind: 'integer', min: 1, max: 1_000_000 },
  tentativePerEntryCountMax: { kind: 'integer', min: 0, max: 1_000_000 },
  antiReplayWindowPackets: { kind: 'integer', min: 1, max: REPLAY_WINDOW_PACKETS_MAX },
};

export const PARAM_NAMES: readonly (keyof HostParams)[] = Object.keys(PARAM_RULES) as (keyof HostParams)[];

function isParamName(key: string): key is keyof HostParams {
  return Object.prototype.hasOwnProperty.call(PARAM_RULES, key);
}

export type ParamsResult = { ok: true; params: HostParams } | { ok: false; error: string };

/**
 * The defaults overridden by `overrides` (HOST.md rule 24), or why the overrides are refused:
 * an unknown key, a value of the wrong type or out of range.
 */
export function resolveParams(overrides: unknown): ParamsResult {
  const params: HostParams = { ...DEFAULT_PARAMS };
  if (overrides === undefined) return { ok: true, params };
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    return { ok: false, error: 'params must be an object' };
  }
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    if (!isParamName(key)) return { ok: false, error: `unknown parameter ${JSON.stringify(key)}` };
    const rule = PARAM_RULES[key];
    if (rule.kind === 'boolean') {
      if (typeof value !== 'boolean') return { ok: false, error: `parameter ${key} must be a boolean` };
      (params as unknown as Record<string, boolean>)[key] = value;
      continue;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < rule.min || value > rule.max) {
      return { ok: false, error: `parameter ${key} must be an integer in ${rule.min}..${rule.max}` };
    }
    (params as unknown as Record<string, number>)[key] = value;
  }
  return { ok: true, params };
}

/**
 * Asserts the limits every host relies on; they hold for the defaults and for anything
 * `resolveParams` accepts, so a failure here is a programmer error.
 */
function assertParamRules(): void {
  const checked = resolveParams(DEFAULT_PARAMS);
  if (!checked.ok) throw new Error(`default parameters break their own rules: ${checked.error}`);
}
assertParamRules();
