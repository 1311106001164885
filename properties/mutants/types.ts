// A mutant: a deliberately broken host (DESIGN.md "Proof that the properties bite"). Each is the
// reference host with one of its decisions replaced (docs/host.md, "Decisions"), described by
// what it breaks, where the draft or the design asks for it, and which property is expected to
// catch it. The bank itself lives in bank/; the task runner here takes it as input.

import type { PropertyId } from '../invariants/types.js';
import type { AliceFactory } from '../world/types.js';

export interface Mutant {
  /** Stable kebab-case name: reports, `--mutant`, file names. */
  readonly name: string;
  /** One sentence: the bug, as a person would describe it. */
  readonly breaks: string;
  /** Where the broken rule lives: a draft section (`§3.4.2`), `docs/rules.md rule 9`, `docs/wire-format.md "..."`. */
  readonly section: string;
  /** Requirement ids of ../spec/requirements.tsv the mutant violates (empty when the rule is the design's own). */
  readonly requirements: readonly string[];
  /** The decision the mutant replaces (a key of `Decisions`, impl/host/decisions.ts: `receivePacket`...). */
  readonly method: string;
  /** The property that guards what the mutant breaks, and must catch it. */
  readonly expected: PropertyId;
  readonly factory: AliceFactory;
}

/**
 * A known gap: a realistic bug of a security-relevant requirement that no property of the suite
 * is meant to see. It is run apart (`--gaps`) and does not count in the verdict; one that gets
 * caught moves into the bank.
 */
export interface KnownGap extends Omit<Mutant, 'expected'> {
  readonly expected: null;
  /** Why no property catches it, and what would. */
  readonly gap: string;
}

export type AnyMutant = Mutant | KnownGap;
