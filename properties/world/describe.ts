// Actions printed as calls a person can paste back (fast-check's `toString` habit): each
// action reads `kind({...fields})`, and `A.kind({...fields})` builds it again.

import fc from 'fast-check';
import type { Action, ActionKind, Schedule } from './types.js';

type Fields<K extends ActionKind> = Omit<Extract<Action, { kind: K }>, 'kind'>;

/** `advance({"ms":250})`, `claim({"sa":"generic","target":{...},"form":"alt-coa"})`... */
export function describeAction(action: Action): string {
  const { kind, ...fields } = action;
  return `${kind}(${JSON.stringify(fields)})`;
}

/** An action without fields (`anonData`, `aliceGain`) is built with no argument. */
type BuilderArgs<K extends ActionKind> = keyof Fields<K> extends never ? [fields?: Fields<K>] : [fields: Fields<K>];

function builder<K extends ActionKind>(kind: K): (...args: BuilderArgs<K>) => Extract<Action, { kind: K }> {
  return (...args) => ({ kind, ...(args[0] ?? {}) }) as Extract<Action, { kind: K }>;
}

/** Builders for every action: `A.claim({sa: 'generic', target: {kind: 'peer', peer: 'bob', pick: 0}, form: 'alt-coa'})`. */
export const A = {
  advance: builder('advance'),
  jump: builder('jump'),
  fair: builder('fair'),
  peerMove: builder('peerMove'),
  peerGain: builder('peerGain'),
  peerLose: builder('peerLose'),
  peerSend: builder('peerSend'),
  peerBurst: builder('peerBurst'),
  aliceSend: builder('aliceSend'),
  aliceSendNew: builder('aliceSendNew'),
  aliceAddSa: builder('aliceAddSa'),
  aliceAddSaLee: builder('aliceAddSaLee'),
  aliceAddSaAgain: builder('aliceAddSaAgain'),
  aliceOdd: builder('aliceOdd'),
  aliceGain: builder('aliceGain'),
  aliceLose: builder('aliceLose'),
  invalid: builder('invalid'),
  lose: builder('lose'),
  duplicate: builder('duplicate'),
  reorder: builder('reorder'),
  delay: builder('delay'),
  lossy: builder('lossy'),
  claim: builder('claim'),
  takeover: builder('takeover'),
  spoof: builder('spoof'),
  badAh: builder('badAh'),
  replay: builder('replay'),
  forgeResponse: builder('forgeResponse'),
  clockGuess: builder('clockGuess'),
  anonData: builder('anonData'),
  garbage: builder('garbage'),
  bitflip: builder('bitflip'),
  flood: builder('flood'),
  paramProblem: builder('paramProblem'),
  withhold: builder('withhold'),
  reuse: builder('reuse'),
  answer: builder('answer'),
  seqWrap: builder('seqWrap'),
  ahEnd: builder('ahEnd'),
  fill: builder('fill'),
  correspond: builder('correspond'),
} satisfies { [K in ActionKind]: (...args: BuilderArgs<K>) => Extract<Action, { kind: K }> };

/**
 * Gives `action` the replayable `toString` that fast-check prints in a counterexample
 * (`fc.toStringMethod`), as a non-enumerable property: JSON and equality ignore it.
 */
export function printable<T extends Action>(action: T): T {
  // A copy: fast-check may hand the same object to several schedules (fc.constant).
  const copy = { ...action };
  Object.defineProperty(copy, fc.toStringMethod, { value: () => `A.${describeAction(copy)}`, enumerable: false });
  return copy;
}

/** The same for a schedule: `{config: {...}, actions: [A.advance({...}), ...]}`. */
export function printableSchedule(schedule: Schedule): Schedule {
  Object.defineProperty(schedule, fc.toStringMethod, {
    value: () =>
      `{config: ${JSON.stringify(schedule.config)}, actions: [${schedule.actions.map((a) => `A.${describeAction(a)}`).join(', ')}]}`,
    enumerable: false,
  });
  return schedule;
}
