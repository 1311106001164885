// Helpers for the model's tests: machine snapshots built with XState's own `resolveState`,
// stepped with the pure `transition()` (no actors), and a tiny driver for the cache model.

import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { DEFAULT_PARAMS } from '../../impl/host/types.js';
import { addressMachine, type AddressContext, type AddressEvent, type AddressValue } from '../../model/address.js';
import {
  createModel,
  step,
  tableEngine,
  xstateEngine,
  type CacheModel,
  type ModelEngine,
  type StepResult,
} from '../../model/cache.js';
import { compatMachine, type CompatContext, type CompatEvent, type CompatValue } from '../../model/compat.js';
import type { ModelEvent, ModelParams, PacketItem, ReceivedPacket } from '../../model/events.js';
import { fromStateValue, toStateValue } from '../../model/table.js';
import { abstractModel, type AbstractAddress, type AbstractEntry } from '../../model/abstraction.js';
import { A1 } from '../helpers/fixtures.js';

export { A1, A2, B1, B2, B3, C1, C2, M1 } from '../helpers/fixtures.js';

export const PARAMS = DEFAULT_PARAMS;
export const SPI_B = 256;
export const SPI_C = 257;
export const SPI_M = 258;

type AddressSnapshot = SnapshotFrom<typeof addressMachine>;
type CompatSnapshot = SnapshotFrom<typeof compatMachine>;

export function addressSnapshot(value: AddressValue, context: Partial<AddressContext> = {}): AddressSnapshot {
  const [initial] = initialTransition(addressMachine, { params: PARAMS });
  return addressMachine.resolveState({ value: toStateValue(value), context: { ...initial.context, ...context } });
}

export function compatSnapshot(value: CompatValue, context: Partial<CompatContext> = {}): CompatSnapshot {
  const [initial] = initialTransition(compatMachine, { params: PARAMS });
  return compatMachine.resolveState({ value: toStateValue(value), context: { ...initial.context, ...context } });
}

/** One pure step of the address machine: the next leaf, its context and the effect names. */
export function stepAddress(
  s: AddressSnapshot,
  e: AddressEvent,
): { value: string; context: AddressContext; effects: string[]; same: boolean } {
  const [next, actions] = transition(addressMachine, s, e);
  return {
    value: fromStateValue(next.value),
    context: next.context,
    effects: actions.map((a) => a.type),
    same: next === s,
  };
}

export function stepCompat(
  s: CompatSnapshot,
  e: CompatEvent,
): { value: string; context: CompatContext; same: boolean } {
  const [next] = transition(compatMachine, s, e);
  return { value: fromStateValue(next.value), context: next.context, same: next === s };
}

export const ENGINES: readonly ModelEngine[] = [xstateEngine, tableEngine];

/** Drives the cache model through events, keeping every result. */
export class Driver {
  model: CacheModel;
  last: StepResult | null = null;
  private ahSequence = new Map<number, number>();
  private buSequence = new Map<number, number>();

  constructor(
    readonly engine: ModelEngine,
    localAddresses: string[] = [A1],
    params: Partial<ModelParams> = {},
  ) {
    this.model = createModel({ localAddresses, params });
  }

  apply(event: ModelEvent): StepResult {
    this.last = step(this.model, event, { engine: this.engine });
    this.model = this.last.model;
    return this.last;
  }

  addSa(now: number, peer: string, spi: number, kind: 'generic' | 'anonymous' = 'generic'): StepResult {
    return this.apply({ type: 'saAdded', now, peer, inboundSpi: spi, outboundSpi: spi + 1000, kind });
  }

  tick(now: number): StepResult {
    return this.apply({ type: 'tick', now });
  }

  /** A packet under valid AH with the SA's next AH sequence number. */
  packet(
    now: number,
    spi: number,
    source: string,
    items: PacketItem[],
    extra: Partial<ReceivedPacket> = {},
  ): StepResult {
    const seq = (this.ahSequence.get(spi) ?? 0) + 1;
    this.ahSequence.set(spi, seq);
    return this.apply({
      type: 'received',
      now,
      packet: { source, destinations: [A1], ah: { spi, sequence: seq, icvValid: true }, hao: null, items, ...extra },
    });
  }

  nextBuSequence(spi: number): number {
    const n = (this.buSequence.get(spi) ?? 0) + 1;
    this.buSequence.set(spi, n);
    return n;
  }

  /** An authentic BU under `spi` naming `named` (the first is the care-of address). */
  bu(
    now: number,
    spi: number,
    named: string[],
    lifetimeSeconds = 600,
    homelessSupport = false,
    source = named[0],
  ): StepResult {
    return this.packet(now, spi, source, [
      { kind: 'bindingUpdate', sequence: this.nextBuSequence(spi), lifetimeSeconds, homelessSupport, named },
    ]);
  }

  /** An authentic, well-formed Response under `spi` for `address`. */
  respond(now: number, spi: number, address: string, answers: number | 'forged', lifetimeSeconds = 600): StepResult {
    return this.packet(now, spi, address, [
      { kind: 'response', sequence: this.nextBuSequence(spi), lifetimeSeconds, address, answers, wellFormed: true },
    ]);
  }

  entry(key: string): AbstractEntry | undefined {
    return abstractModel(this.model).entries.find((e) => e.key === key);
  }

  address(key: string, address: string): AbstractAddress | undefined {
    return this.entry(key)?.addresses.find((a) => a.address === address);
  }

  status(key: string, address: string): string {
    return this.address(key, address)?.status ?? 'absent';
  }

  peerKind(key: string): string | undefined {
    return this.entry(key)?.peerKind;
  }
}
