// `hmip6 replay`: the story of a real counterexample (a mutant caught by the property runner),
// its determinism, the Alice it replays against, and the command's options and exit codes.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/commands/replay.js';
import { parseCounterexample, serializeCounterexample } from '../../properties/counterexample.js';
import { storyHtml } from '../../properties/story/html.js';
import { counterexamplePcap } from '../../properties/story/pcap.js';
import { aliceByName, replayStory } from '../../properties/story/replay.js';
import { stateChanges } from '../../properties/story/story.js';
import { diffRows, stateRows } from '../../properties/story/tables.js';
import { storyText } from '../../properties/story/text.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import { mutantByName } from '../../properties/mutants/bank/index.js';
import { appendixC, realCounterexample } from './fixtures.js';
import { captureOutput } from '../helpers/capture.js';

const bank = [
  mutantByName('activates-without-challenge')?.factory,
  mutantByName('accepts-bu-without-ah')?.factory,
].filter((f) => f !== undefined);

describe('the story of a counterexample', () => {
  it('story_tells_who_sent_what_to_whom_and_marks_the_failing_step', async () => {
    const { file } = await appendixC();
    const text = storyText(replayStory(file, { bank }).story, { color: false });
    expect(text).toContain('INV-ACTIVE-VERIFIED fails at step 2 of 2 (Alice = activates-without-challenge)');
    // Appendix C, step 2: Mallory claims Bob's address under its own SA, and the AH checks.
    expect(text).toMatch(
      /#5 Mallory → Alice: BU claims 2001:db8:b::1 \(lifetime 600 s, A\), AH spi 0x[0-9a-f]+ ok \[claim \(alt-coa\)\]/,
    );
    expect(text).toMatch(/Alice: e3: 2001:db8:b::1 is added, active \(on #5\)/);
    expect(text).toMatch(/✗ step 2\/2 {2}time passes: \d+ ms/);
    expect(text).toMatch(/✗ INV-ACTIVE-VERIFIED: 2001:db8:b::1 became active in entry e3/);
    // The state tables after the failing step, with the new row marked.
    expect(text).toContain("Alice's host cache after step 2 (changes since step 1)");
    expect(text).toMatch(/\+ e3 +standard-mobile +generic 0x[0-9a-f]+ +2001:db8:b::1 +active/);
    expect(text).toMatch(/\+ m3 +standard-mobile +generic 0x[0-9a-f]+ +2001:db8:b::1 +tentative/);
    expect(text.split('\n').filter((l) => l.startsWith('✗ step'))).toHaveLength(1);
  });

  it('replay_with_the_files_alice_is_the_same_run_byte_for_byte', async () => {
    const { file } = await appendixC();
    const outcome = replayStory(file, { bank });
    expect(outcome.alice?.name).toBe('activates-without-challenge');
    expect(outcome.identical).toBe(true);
    expect(outcome.failedAgain).toBe(true);
    expect(outcome.story.notes[0]).toContain('the same run as the file, byte for byte');
  });

  it('same_file_gives_the_same_story_html_and_pcap_byte_for_byte', async () => {
    const { text } = await appendixC();
    const tell = () => {
      const outcome = replayStory(parseCounterexample(text), { bank });
      return {
        story: storyText(outcome.story, { color: false, states: 'all', hex: true }),
        html: storyHtml(outcome.story),
        pcap: Buffer.from(counterexamplePcap(outcome.record)).toString('hex'),
      };
    };
    const a = tell();
    const b = tell();
    expect(b.story).toBe(a.story);
    expect(b.html).toBe(a.html);
    expect(b.pcap).toBe(a.pcap);
    expect(a.story.length).toBeGreaterThan(1000);
  });

  it('the_reference_host_passes_the_counterexample_of_a_mutant', async () => {
    const { file } = await appendixC();
    const outcome = replayStory(file, { alice: referenceAlice });
    expect(outcome.failedAgain).toBe(false);
    expect(outcome.identical).toBeNull();
    expect(outcome.story.title).toContain(
      'INV-ACTIVE-VERIFIED: holds when replayed with reference (it failed with activates-without-challenge)',
    );
    const text = storyText(outcome.story, { color: false });
    // The reference host challenges the claimed address instead.
    expect(text).toMatch(/2001:db8:b::1 is added, tentative \(Challenge out\)/);
    expect(text).not.toContain('✗ step');
  });

  it('an_unknown_alice_is_told_from_the_files_record', async () => {
    const { file } = await appendixC();
    const other = { ...file, alice: { name: 'an-implementation-elsewhere', features: file.alice.features } };
    const outcome = replayStory(other, { bank });
    expect(outcome.alice).toBeNull();
    expect(outcome.story.notes[0]).toMatch(/not replayed: Alice "an-implementation-elsewhere" is not known here/);
    expect(storyText(outcome.story, { color: false })).toMatch(/#5 Mallory → Alice: BU claims 2001:db8:b::1/);
  });

  it('alice_is_found_by_name_among_the_reference_the_bank_and_black_boxes', () => {
    expect(aliceByName('reference')).toBe(referenceAlice);
    expect(aliceByName('activates-without-challenge', bank)?.name).toBe('activates-without-challenge');
    expect(aliceByName('reference (black box)')?.features).toEqual(blackBox(referenceAlice).features);
    expect(aliceByName('nobody', bank)).toBeNull();
  });

  it('a_bu_without_ah_is_told_as_such', async () => {
    const { file } = await realCounterexample('accepts-bu-without-ah', 'INV-AUTH-REQUIRED', 20_261_127, 300);
    const text = storyText(replayStory(file, { bank }).story, { color: false });
    expect(text).toMatch(/Mallory → Alice: BU claims [0-9a-f:]+ .*no AH \[(spoofed bu-no-ah|bad AH: no-ah)\]/);
    expect(text).toContain('✗ INV-AUTH-REQUIRED');
  });
});

describe('state tables', () => {
  it('rows_are_marked_added_removed_and_changed_cell_by_cell', () => {
    const entry = (status: 'tentative' | 'active', expiresAt: number) => ({
      entries: [
        {
          id: 'e1',
          peerKind: 'homeless' as const,
          sa: { inboundSpi: 0x300, kind: 'generic' as const },
          homeAddress: null,
          careOfAddress: null,
          addresses: [
            {
              address: '2001:db8:b::1',
              status,
              lifetime: { kind: 'absolute' as const, expiresAt },
              challengeOutstanding: status === 'tentative',
            },
          ],
        },
      ],
      local: ['2001:db8:a::1'],
    });
    const before = stateRows(entry('tentative', 1_005_000));
    const after = stateRows({ ...entry('active', 1_060_000), local: ['2001:db8:a:1::1'] });
    const rows = diffRows(before, after) ?? [];
    const b1 = rows.find((r) => r.key === 'spi 768|2001:db8:b::1');
    expect(b1?.change).toBe('changed');
    expect(b1?.changed).toEqual([false, false, false, false, true, true, true]);
    expect(rows.find((r) => r.key === 'local|2001:db8:a:1::1')?.change).toBe('added');
    expect(rows.find((r) => r.key === 'local|2001:db8:a::1')?.change).toBe('removed');
    expect(stateChanges(entry('tentative', 1), entry('active', 2))).toEqual(['e1: 2001:db8:b::1 tentative → active']);
  });
});

describe('hmip6 replay', () => {
  const captured = captureOutput();

  it('prints_the_story_and_writes_html_pcap_and_test_and_exits_1_when_it_fails_again', async () => {
    const { path } = await appendixC();
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-replay-cli-'));
    const code = await run([
      path,
      '--no-color',
      '--html',
      join(dir, 'a.html'),
      '--pcap',
      join(dir, 'a.pcap'),
      '--as-test',
      join(dir, 'a.test.ts'),
    ]);
    expect(code).toBe(1);
    expect(captured.output).toContain('✗ INV-ACTIVE-VERIFIED');
    expect(captured.output).toContain(
      'replayed with activates-without-challenge: the same run as the file, byte for byte',
    );
    for (const f of ['a.html', 'a.pcap', 'a.test.ts']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, 'a.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(captured.output).toMatch(/pcap: .*a\.pcap \(\d+ packets\)/);
  });

  it('without_a_terminal_step_prints_the_whole_story', async () => {
    const { path } = await appendixC();
    expect(await run([path, '--step', '--no-color'])).toBe(1);
    expect(captured.output).toContain('--step needs a terminal; printing the whole story');
    expect(captured.output).toContain('step 0/2');
    expect(captured.output).toContain('✗ step 2/2');
  });

  it('usage_errors_and_unreadable_files', async () => {
    expect(await run([])).toBe(3);
    expect(await run(['a.json', 'b.json'])).toBe(3);
    expect(await run(['a.json', '--states', 'some'])).toBe(3);
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-replay-bad-'));
    writeFileSync(join(dir, 'x.json'), '{"format":"something-else"}');
    expect(await run([join(dir, 'x.json')])).toBe(2);
    expect(captured.output).toMatch(
      /cannot read .*x\.json: format: expected "hmip6-counterexample\/1", got "something-else"\n/,
    );
    expect(await run(['--help'])).toBe(0);
  });

  it('the_committed_example_replays_byte_for_byte', () => {
    // examples/counterexamples/ feeds the README's story and screenshot: it must stay a real run.
    const text = readFileSync(
      new URL('../../examples/counterexamples/appendix-c-activates-without-challenge.json', import.meta.url),
      'utf8',
    );
    const file = parseCounterexample(text);
    const outcome = replayStory(file, { bank });
    expect(outcome.identical, outcome.firstDifference ?? '').toBe(true);
    expect(serializeCounterexample(file)).toBe(text);
    expect(file.actions.map((a) => a.kind)).toEqual(['claim', 'advance']);
  });
});

// The README's story is the committed example's, as `hmip6 replay` prints it. With
// HMIP6_UPDATE_EXAMPLES=1 the example is made again (the runner against the mutant) and the
// README's block between its markers rewritten; nothing else in the README is touched.
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const EXAMPLE = fileURLToPath(
  new URL('../../examples/counterexamples/appendix-c-activates-without-challenge.json', import.meta.url),
);
const STORY_BEGIN = '<!-- story:begin -->';
const STORY_END = '<!-- story:end -->';

function readmeStorySection(story: string): string {
  return [
    STORY_BEGIN,
    '## A counterexample, told',
    '',
    'A failing property writes a counterexample file; `hmip6 replay FILE` tells it as a story, one line',
    'per packet, the failing step marked with its property, and the state of Alice and of the model',
    'after it with what changed. This one is real: the runner against a host that activates every',
    'address a BU names at once (Appendix C\'s "simple-minded" Alice, `properties/mutants/bank/`), found with',
    "`seed 40` and shrunk to two actions: Mallory claims Bob's address under its own SA, and Alice",
    'believes it (`examples/counterexamples/appendix-c-activates-without-challenge.json`).',
    '',
    '```',
    `$ hmip6 replay examples/counterexamples/appendix-c-activates-without-challenge.json`,
    story.trimEnd(),
    '```',
    '',
    'The same file as an interactive stepper (`--step`), a self-contained HTML sequence diagram',
    '(`--html`), a pcap (`--pcap`) or a vitest test that reproduces it (`--as-test`); and',
    '`hmip6 explore --depth 6` searches the world exhaustively for the shortest such trace.',
    'docs/exploring.md explains how to read it all.',
    STORY_END,
  ].join('\n');
}

describe('the README story', () => {
  it('readme_tells_the_committed_examples_story', async () => {
    if (process.env.HMIP6_UPDATE_EXAMPLES === '1') {
      const fresh = await appendixC();
      writeFileSync(EXAMPLE, fresh.text);
    }
    const file = parseCounterexample(readFileSync(EXAMPLE, 'utf8'));
    const story = storyText(replayStory(file, { bank }).story, { color: false });
    const section = readmeStorySection(story);
    let readme = readFileSync(README, 'utf8');
    if (process.env.HMIP6_UPDATE_EXAMPLES === '1') {
      const begin = readme.indexOf(STORY_BEGIN);
      const end = readme.indexOf(STORY_END);
      readme =
        begin >= 0 && end > begin
          ? `${readme.slice(0, begin)}${section}${readme.slice(end + STORY_END.length)}`
          : `${readme.trimEnd()}\n\n${section}\n`;
      writeFileSync(README, readme);
    }
    expect(readme).toContain(section);
  });
});
