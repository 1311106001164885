// The SA table (§2.4, WIRE.md "AH (RFC 2402) and the SAs"): one record per established SA,
// found by its inbound SPI, each associated with exactly one Foreign Host Cache Entry
// (§2.4.2: the SA that protects BUs is tied to the entry, HOST.md rule 1).

import { ReplayWindow } from '../crypto/index.js';
import type { SaConfig } from './types.js';
import type { EntryRecord } from './cache.js';

export interface SaRecord {
  readonly config: Readonly<SaConfig>;
  /** The anti-replay window on received AH sequence numbers (RFC 2402 §3.4.3). */
  replay: ReplayWindow;
  /** The AH sequence number of the next packet Alice protects with this SA; starts at 1 (WIRE.md). */
  nextOutboundSequence: number;
  /** The entry this SA authenticates for (HOST.md rule 1). */
  entry: EntryRecord;
}

export class SaTable {
  private readonly byInboundSpi = new Map<number, SaRecord>();

  get(inboundSpi: number): SaRecord | undefined {
    return this.byInboundSpi.get(inboundSpi);
  }

  has(inboundSpi: number): boolean {
    return this.byInboundSpi.has(inboundSpi);
  }

  add(config: SaConfig, entry: EntryRecord, windowPackets: number): SaRecord {
    if (this.byInboundSpi.has(config.inboundSpi))
      throw new Error(`SA table: inbound SPI ${config.inboundSpi} already in use`);
    const record: SaRecord = {
      config: Object.freeze({ ...config, key: config.key.slice() }),
      replay: new ReplayWindow(windowPackets),
      nextOutboundSequence: 1,
      entry,
    };
    this.byInboundSpi.set(config.inboundSpi, record);
    return record;
  }

  /** The AH sequence number to put on the next outbound packet, consumed. */
  takeOutboundSequence(sa: SaRecord): number {
    return sa.nextOutboundSequence++;
  }

  values(): IterableIterator<SaRecord> {
    return this.byInboundSpi.values();
  }

  /** A deep copy whose records point at the entries `entryFor` maps to (for a dry run). */
  clone(entryFor: (old: EntryRecord) => EntryRecord): { table: SaTable; map: Map<SaRecord, SaRecord> } {
    const table = new SaTable();
    const map = new Map<SaRecord, SaRecord>();
    for (const [spi, old] of this.byInboundSpi) {
      const copy: SaRecord = { ...old, replay: old.replay.clone(), entry: entryFor(old.entry) };
      table.byInboundSpi.set(spi, copy);
      map.set(old, copy);
    }
    return { table, map };
  }
}
