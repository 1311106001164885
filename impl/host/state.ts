// The host's state as one record (issue: state as data): the Host Cache, the SA table, Alice's
// addresses and the counters a request reads and advances. Everything the host remembers
// between requests is here and nowhere else, so a copy of the record is a copy of the host:
// `cloneHostState` is what a dry run (HOST.md rule 24) works on.

import { HostCache } from './cache.js';
import { SaTable } from './sa.js';
import type { Address, HostOptions } from './types.js';

export interface HostRecord {
  /** The Foreign Host Cache Entries (§1.3, §2.1). */
  cache: HostCache;
  /** The established SAs, by inbound SPI (§2.4). */
  sas: SaTable;
  /** Alice's addresses, oldest first (her Local Host Cache Entry, §2.1.1). */
  local: Address[];
  /** The `now` of the last accepted request (HOST.md rule 24). */
  lastNowMs: number;
  /** Alice's last echo request sequence number; the first is 1 (ADAPTER-PROTOCOL.md `send`). */
  echoSequence: number;
}

/** The state of a host just created: no entry, no SA, its distinct local addresses in order. */
export function newHostRecord(options: HostOptions): HostRecord {
  const local: Address[] = [];
  for (const a of options.localAddresses) if (!local.includes(a)) local.push(a);
  return {
    cache: new HostCache(),
    sas: new SaTable(),
    local,
    lastNowMs: options.nowMs ?? Number.NEGATIVE_INFINITY,
    echoSequence: 0,
  };
}

/**
 * A deep copy: new entries, records and SA records (each SA pointing at its copied entry,
 * each Challenge at its copied SA), sharing only immutable values (addresses, Challenge
 * values, built packets, remembered bytes).
 */
export function cloneHostState(state: HostRecord): HostRecord {
  let sas: SaTable | null = null;
  const cache = state.cache.clone((entryFor) => {
    const cloned = state.sas.clone(entryFor);
    sas = cloned.table;
    return cloned.map;
  });
  if (sas === null) throw new Error('host: state copy without an SA table');
  return { cache, sas, local: state.local.slice(), lastNowMs: state.lastNowMs, echoSequence: state.echoSequence };
}
