// `hmip6 explore`: the breadth-first search at small scope, its canonical key, its figures,
// workers, caps, and the counterexample files it writes (replay reads them).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROPERTIES } from '../../properties/invariants/index.js';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/commands/explore.js';
import { parseCounterexample, replayCounterexample } from '../../properties/counterexample.js';
import { REFERENCE_SOURCE, loadAlice } from '../../properties/explore/alice-source.js';
import { explore } from '../../properties/explore/explore.js';
import { packetShape, saNames, stateKey, timeBucket } from '../../properties/explore/key.js';
import { movesToActions, SCOPES } from '../../properties/explore/scope.js';
import { replayStory } from '../../properties/story/replay.js';
import { storyText } from '../../properties/story/text.js';
import { hostFactory, referenceAlice } from '../../properties/world/alice.js';
import { ReferenceHost } from '../../impl/host/index.js';
import { inspectPacket } from '../../properties/world/inspect.js';
import { runSchedule } from '../../properties/world/world.js';
import { fromHex } from '../../impl/wire/index.js';
import { mutantByName } from '../../properties/mutants/bank/index.js';
import { captureOutput } from '../helpers/capture.js';

const small = SCOPES.small;
const move = (name: string) => {
  const m = small.moves.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no move ${name}`);
  return m;
};

describe('the canonical key', () => {
  it('time_left_is_bucketed_on_a_doubling_scale', () => {
    expect(timeBucket(-5)).toBe('x');
    expect(timeBucket(0)).toBe('x');
    expect(timeBucket(999)).toBe('0');
    expect(timeBucket(1000)).toBe('1');
    expect(timeBucket(6999)).toBe('2');
    expect(timeBucket(600_000)).toBe('9');
  });

  it('a_packets_shape_ignores_its_counters', () => {
    const trace = runSchedule(
      { config: small.config, actions: movesToActions([move('claim-bob'), move('claim-bob')]) },
      referenceAlice,
    ).trace;
    const claims = trace.packets.filter((p) => p.tag === 'mallory-claim:alt-coa');
    expect(claims).toHaveLength(2);
    expect(claims[0].hex).not.toBe(claims[1].hex); // BU and AH sequence numbers differ
    const names = saNames(trace.sas);
    const shape = (hex: string) => packetShape(inspectPacket(fromHex(hex) ?? new Uint8Array(0)), names);
    expect(shape(claims[0].hex)).toBe(shape(claims[1].hex));
    expect(shape(claims[0].hex)).toBe('2001:db8:e::1>2001:db8:a::1 bu:2001:db8:b::1 ah:alice-mallory-generic>a');
  });

  it('a_wait_with_nothing_to_do_reaches_no_new_state_but_a_claim_does', () => {
    const key = (...names: string[]) =>
      stateKey(runSchedule({ config: small.config, actions: movesToActions(names.map(move)) }, referenceAlice).trace);
    // Once the setup has settled, waiting changes nothing the key keeps (timers move within their buckets).
    expect(key('wait', 'wait')).toBe(key('wait', 'wait', 'wait'));
    expect(key('wait', 'claim-bob')).not.toBe(key('wait', 'wait'));
    expect(key('claim-bob')).toContain('mallory 2001:db8:');
  });
});

describe('breadth-first search', () => {
  it('an_alice_that_crashes_gets_a_counterexample_that_holds_the_crashing_action', async () => {
    // Alice throws when she gains an address: the trace has no step for that action, so the
    // counterexample must be written from the moves, or replaying it would not crash.
    class CrashesOnGain extends ReferenceHost {
      override addLocalAddress(): never {
        throw new Error('crash on addLocalAddress');
      }
    }
    const crashing = hostFactory('crashes-on-gain', (o) => new CrashesOnGain(o));
    const report = await explore({ depth: 1, scope: SCOPES.full, alice: crashing });
    const f = report.failure;
    expect(f?.property).toBeNull();
    expect(f?.moves).toEqual(['alice-gains']);
    expect(f?.actions.map((a) => a.kind)).toContain('aliceGain');
    if (f === null || f === undefined) return;
    expect(
      runSchedule({ config: f.counterexample.config, actions: f.counterexample.actions }, crashing).crash?.message,
    ).toMatch(/crash on addLocalAddress/);
  });

  it('reference_host_passes_every_property_to_depth_3_with_these_figures', async () => {
    const report = await explore({ depth: 3, scope: small });
    expect(report.failure).toBeNull();
    expect(report.stopped).toBeNull();
    expect(report.depthCompleted).toBe(3);
    expect(report.properties).toHaveLength(PROPERTIES.length);
    expect(report.layers.map((l) => l.transitions)).toEqual([
      9,
      9 * report.layers[0].states,
      9 * report.layers[1].states,
    ]);
    expect(report.states).toBe(1 + report.layers.reduce((n, l) => n + l.states, 0));
    expect(report.transitions).toBe(report.layers.reduce((n, l) => n + l.transitions, 0));
    expect(report.duplicates).toBeGreaterThan(0);
    // Every layer reaches new states, and more than the one before.
    const states = report.layers.map((l) => l.states);
    expect(states[0]).toBeGreaterThan(0);
    expect(states[1]).toBeGreaterThan(states[0]);
    expect(states[2]).toBeGreaterThan(states[1]);
  });

  it('workers_give_the_same_figures_as_one_thread', async () => {
    const one = await explore({ depth: 2, scope: small });
    const two = await explore({ depth: 2, scope: small, workers: 2, aliceSource: REFERENCE_SOURCE });
    expect(two.workers).toBe(2);
    expect(two.layers.map(({ ms, ...l }) => l)).toEqual(one.layers.map(({ ms, ...l }) => l));
    expect(two.states).toBe(one.states);
  });

  it('a_mutants_shortest_failure_is_found_and_written_as_a_counterexample_that_replays', async () => {
    const mutant = mutantByName('activates-without-challenge');
    expect(mutant).toBeDefined();
    if (mutant === undefined) return;
    const report = await explore({ depth: 3, scope: small, alice: mutant.factory, properties: ['INV-UNIQUE-ACTIVE'] });
    const f = report.failure;
    expect(f?.property).toBe('INV-UNIQUE-ACTIVE');
    expect(report.stopped).toBe('failure');
    // Minimal: every shallower layer was searched completely without a failure.
    expect(report.depthCompleted).toBe((f?.depth ?? 0) - 1);
    expect(f?.moves).toEqual(['claim-bob']);
    expect(f?.actions.map((a) => a.kind)).toEqual(['claim', 'advance']);
    if (f === undefined || f === null) return;
    const file = f.counterexample;
    expect(file.format).toBe('hmip6-counterexample/1');
    expect(file.path).toBe('');
    expect(replayCounterexample(file, mutant.factory).identical).toBe(true);
    const text = storyText(replayStory(file, { bank: [mutant.factory] }).story, { color: false });
    expect(text).toContain('found by hmip6 explore (minimal)');
    expect(text).toContain('✗ INV-UNIQUE-ACTIVE');
  });

  it('keep_going_records_the_shortest_failure_of_each_property', async () => {
    const mutant = mutantByName('activates-without-challenge');
    if (mutant === undefined) return;
    const report = await explore({ depth: 1, scope: small, alice: mutant.factory, keepGoing: true });
    expect(report.stopped).toBeNull();
    expect(report.depthCompleted).toBe(1);
    const ids = report.failures.map((f) => f.property);
    expect(ids).toContain('INV-ACTIVE-VERIFIED');
    expect(ids).toContain('INV-UNIQUE-ACTIVE');
    expect(new Set(ids).size).toBe(ids.length);
    expect(report.failures.every((f) => f.depth === 1)).toBe(true);
  });

  it('the_state_cap_and_the_time_limit_stop_the_search_and_say_so', async () => {
    const capped = await explore({ depth: 4, scope: small, statesMax: 10 });
    expect(capped.stopped).toBe('states-max');
    expect(capped.states).toBe(10);
    expect(capped.depthCompleted).toBe(1);
    const timed = await explore({ depth: 6, scope: small, timeLimitMs: 1 });
    expect(timed.stopped).toBe('time-limit');
  });

  it('alice_sources_name_the_reference_or_a_mutant_of_the_bank', async () => {
    expect((await loadAlice(REFERENCE_SOURCE)).name).toBe('reference');
    const bank = {
      module: new URL('../../properties/mutants/bank/index.ts', import.meta.url).href,
      export: 'MUTANTS',
      name: 'skips-anti-replay',
    };
    expect((await loadAlice(bank)).name).toBe('skips-anti-replay');
    await expect(loadAlice({ ...bank, name: 'no-such-mutant' })).rejects.toThrow(
      /no AliceFactory \(or mutant\) no-such-mutant/,
    );
  });
});

describe('hmip6 explore', () => {
  const captured = captureOutput();

  it('reports_its_figures_and_exits_0_when_nothing_fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-explore-'));
    const code = await run(['--depth', '2', '--workers', '1', '--json', join(dir, 'r.json')]);
    expect(code).toBe(0);
    const states = Number(/distinct states {3}(\d+)\n/.exec(captured.output)?.[1]);
    const transitions = Number(/transitions {7}(\d+) \(\d+ into states already seen\)/.exec(captured.output)?.[1]);
    // Depth 2: the 9 moves from the setup, then 9 from every state of depth 1.
    const depth1States = Number(/depth 1: (\d+) new states/.exec(captured.output)?.[1]);
    expect(transitions).toBe(9 + 9 * depth1States);
    expect(captured.output).toContain('depth reached     2 of 2 searched completely');
    expect(captured.output).toContain('no property fails within 2 moves at scope small');
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as {
      states: number;
      transitions: number;
      failures: unknown[];
    };
    expect(json.states).toBe(states);
    expect(json.transitions).toBe(transitions);
    expect(json.failures).toEqual([]);
  });

  it('writes_the_shortest_counterexample_of_a_mutant_and_exits_1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-explore-'));
    const code = await run([
      '--depth',
      '3',
      '--workers',
      '1',
      '--mutant',
      'accepts-bu-without-ah',
      '--property',
      'INV-AUTH-REQUIRED',
      '--out',
      dir,
    ]);
    expect(code).toBe(1);
    expect(captured.output).toMatch(/INV-AUTH-REQUIRED: shortest counterexample, 1 move \(2 actions\): spoof-bu/);
    const path = /counterexample: (\S+)/.exec(captured.output)?.[1] ?? '';
    const file = parseCounterexample(readFileSync(path, 'utf8'));
    expect(file.property).toBe('INV-AUTH-REQUIRED');
    expect(file.alice.name).toBe('accepts-bu-without-ah');
  });

  it('usage_errors', async () => {
    expect(await run(['--depth', 'deep'])).toBe(3);
    expect(await run(['--depth', '99'])).toBe(3);
    expect(await run(['--scope', 'huge'])).toBe(3);
    expect(await run(['--property', 'INV-NOPE'])).toBe(3);
    expect(await run(['--mutant', 'no-such-mutant', '--depth', '1'])).toBe(3);
    expect(await run(['--help'])).toBe(0);
    expect(captured.output).toContain('moves: wait, bob-moves, alice-sends-bob');
  });
});
