// What the ground-truth suites cross-check the independent code on: the committed golden
// vectors (test/vectors/*.json) and every packet of a few random worlds played against the
// reference host (honest peers, Sam's routing headers, Mallory's forgeries and garbage).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Vector } from '../../cli/lib/vectors.js';
import type { AhAlgorithm } from '../../impl/host/types.js';
import { fromHex } from '../../impl/wire/index.js';
import { scheduleArbitrary } from '../../properties/arbitraries/schedule.js';
import { referenceAlice } from '../../properties/world/alice.js';
import type { PacketRecord, Trace } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';

const DIR = join(import.meta.dirname, '..', 'vectors');

export const VECTORS: Vector[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Vector);

export function bytes(hex: string): Uint8Array {
  const b = fromHex(hex);
  if (b === null) throw new Error(`not hex: ${hex}`);
  return b;
}

/**
 * The seed of the sampled worlds (printed on failure by the tests that use them), chosen so that
 * the sample holds packets with a routing header (40 worlds since the generator of 7 December
 * evening: 24 held none; the walker test needs one):
 * they are rare in random worlds, and what a seed draws moves when the generator changes.
 */
export const WORLD_SEED = 20261207;
const WORLDS = 40;

let sampled: Trace[] | null = null;

/** Traces of a few random schedules against the reference host, computed once per file. */
export function worldTraces(): Trace[] {
  if (sampled === null) {
    const schedules = fc.sample(scheduleArbitrary(), { seed: WORLD_SEED, numRuns: WORLDS });
    sampled = schedules.map((s) => runSchedule(s, referenceAlice).trace);
  }
  return sampled;
}

export interface KeyedPacket {
  record: PacketRecord;
  bytes: Uint8Array;
  /** The SA whose SPI the packet's AH carries (either direction), with its key. */
  sa: { alg: AhAlgorithm; key: Uint8Array; name: string } | null;
}

/** Every packet of the sampled worlds, with the SA its AH names when the world knows it. */
export function worldPackets(): KeyedPacket[] {
  const out: KeyedPacket[] = [];
  for (const trace of worldTraces()) {
    const bySpi = new Map<number, KeyedPacket['sa']>();
    for (const s of trace.sas) {
      const sa = { alg: s.alg, key: bytes(s.keyHex), name: s.name };
      bySpi.set(s.aliceInboundSpi, sa);
      bySpi.set(s.aliceOutboundSpi, sa);
    }
    for (const record of trace.packets) {
      out.push({
        record,
        bytes: bytes(record.hex),
        sa: record.info.spi === undefined ? null : (bySpi.get(record.info.spi) ?? null),
      });
    }
  }
  return out;
}
