// The readers of untrusted input, fuzzed (a bounded, seeded share; `npm run fuzz` runs 10^4 of
// each): a corrupted counterexample file ends `hmip6 replay` within a bound, with exit 0 or 1
// (still a valid file) or 2 and one line naming the field, never a stack trace; a random
// answer line of an implementation under test ends in an answer or a clean protocol error,
// never a throw. test/replay/fuzz-inputs.ts makes the inputs and judges the outcomes.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCounterexample } from '../../properties/counterexample-schema.js';
import { AdapterAlice, AdapterError } from '../../properties/adapter/index.js';
import { PROJECT_ROOT } from '../oracle/support.js';
import {
  answerLine,
  answerProblem,
  counterexampleSeeds,
  mutateJsonText,
  replayCase,
  replayProblem,
  Rng,
} from './fuzz-inputs.js';

/** The share run here: about 10 s of replays and 3 s of answers on this 2-core machine. */
const REPLAY_INPUTS = 300;
const ANSWER_INPUTS = 1000;
const SEED = 20_261_207;
/** No single input may take longer (a replay of the largest valid mutation takes well under a second). */
const INPUT_MS_MAX = 10_000;

describe('hmip6 replay on corrupted counterexample files', () => {
  it('every_mutated_file_ends_in_time_with_a_verdict_or_one_line_naming_the_field', async () => {
    const seeds = counterexampleSeeds();
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-fuzz-'));
    const rng = new Rng(SEED);
    const problems: string[] = [];
    const codes = new Map<string, number>();
    for (let n = 0; n < REPLAY_INPUTS; n++) {
      const seed = seeds[n % seeds.length];
      const text = mutateJsonText(seed.text, rng);
      const c = await replayCase(text, dir, n, n % 10 === 0, seed.alice);
      codes.set(String(c.code), (codes.get(String(c.code)) ?? 0) + 1);
      const problem = replayProblem(c, INPUT_MS_MAX);
      if (problem !== null) problems.push(`input ${n} (from ${seed.name}, seed ${SEED}): ${problem}`);
      // A file the command replayed (0 or 1) is one the schema accepts, and only such a file.
      let valid = false;
      try {
        valid = validateCounterexample(JSON.parse(text)).ok;
      } catch {
        valid = false;
      }
      if (
        (c.code === 0 || c.code === 1) !== valid &&
        !(valid && c.code === 2 && c.output.includes("the replay is not the file's run"))
      ) {
        problems.push(
          `input ${n} (from ${seed.name}): exit ${c.code} but the schema says ${valid ? 'valid' : 'invalid'}`,
        );
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    // The share reaches both sides: refusals and replays.
    expect(codes.get('2') ?? 0).toBeGreaterThan(REPLAY_INPUTS / 3);
    expect((codes.get('0') ?? 0) + (codes.get('1') ?? 0)).toBeGreaterThan(REPLAY_INPUTS / 20);
  });
});

describe("the adapter's checks on random answer lines", () => {
  it('every_answer_ends_in_an_answer_or_a_one_line_protocol_error_never_a_throw', () => {
    const rng = new Rng(SEED);
    const problems: string[] = [];
    for (let n = 0; n < ANSWER_INPUTS; n++) {
      const id = 1 + rng.int(100);
      const { type, line } = answerLine(rng, id);
      const problem = answerProblem(type, line, id);
      if (problem !== null) problems.push(`input ${n} (${type}, seed ${SEED}): ${problem}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('an_implementation_answering_an_error_whose_tostring_is_data_fails_with_a_protocol_error', () => {
    // The client once called String() on it and threw a TypeError out of the oracle.
    const command = `node -e 'process.stdin.once("data", () => process.stdout.write(JSON.stringify({ id: null, ok: false, error: { toString: 1, valueOf: 1 } }) + "\\n"))'`;
    let thrown: unknown = null;
    try {
      AdapterAlice.start({ command, cwd: PROJECT_ROOT }).close();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AdapterError);
    expect((thrown as AdapterError).kind).toBe('wrong-id');
    expect((thrown as AdapterError).message).toMatch(
      /answered with id null instead of 1 \(it could not read the request: "an object"\)/,
    );
  });

  it('an_error_field_whose_tostring_is_data_is_a_wrong_id_not_a_type_error', () => {
    // String() of this object throws; the framing once called it on a refusal with id null.
    expect(answerProblem('hello', '{"id":null,"ok":false,"error":{"toString":1,"valueOf":1}}', 1)).toBeNull();
    expect(answerProblem('hello', `{"id":${'['.repeat(100_000)}${']'.repeat(100_000)},"ok":true}`, 1)).toBeNull();
  });
});
