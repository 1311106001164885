// The story as text: what `hmip6 replay FILE` prints, and what the stepper shows one step at a
// time. One line per packet ("Mallory → Alice: BU claims 2001:db8:b::1, AH spi 0x9ab27 ok"),
// per change of Alice's host cache and per world event, under a heading per step; the failing
// step is marked with ✗ and the property; the state tables show what changed.

import { nodeTitle, hexDump } from './packets.js';
import type { Lane, Story, StoryLine, StoryStep } from './story.js';
import { ANSI, clockText, tableText, type TextStyle } from './tables.js';

export interface StoryTextOptions extends TextStyle {
  /** Which steps get their state tables: the failing one (default), every one, or none. */
  states?: 'failing' | 'all' | 'none';
  /** Hex dumps under every packet line. */
  hex?: boolean;
}

/** A lane's name: the node's, or `network`. */
export function laneTitle(lane: Lane): string {
  return lane === 'network' ? 'network' : nodeTitle(lane);
}

/** "Mallory → Alice: BU claims …", or "Alice → 2001:db8:b::1 ✗ (nobody owns the address): …". */
export function lineText(line: StoryLine): string {
  if (line.kind === 'note') return `${laneTitle(line.lane)}: ${line.text}`;
  const from = nodeTitle(line.from);
  if (line.to.length === 0)
    return `#${line.packet} ${from} → ${line.destination} ✗ ${line.dropped ?? ''}: ${line.text}`;
  const to = line.to.map(nodeTitle);
  const distinct = [...new Set(to)];
  const times = to.length > 1 ? ` (${to.length} copies)` : '';
  return `#${line.packet} ${from} → ${distinct.join(', ')}${times}: ${line.text}`;
}

function paint(text: string, code: string, style: TextStyle): string {
  return style.color ? `${code}${text}${ANSI.reset}` : text;
}

export function stepHeading(story: Story, step: StoryStep, style: TextStyle): string {
  const mark = step.failing ? '✗ ' : '';
  // Out of the schedule's last step, as in the title: a run that stopped early still says how long it was meant to be.
  const head = `${mark}step ${step.index}/${story.lastStep}  ${step.title}`;
  const colored = step.failing ? paint(head, ANSI.red + ANSI.bold, style) : paint(head, ANSI.bold, style);
  return `${colored}\n  ${paint(`${step.call}  [${clockText(step.startMs)} → ${clockText(step.endMs)}]`, ANSI.dim, style)}`;
}

export function stepText(story: Story, step: StoryStep, options: StoryTextOptions): string {
  const out: string[] = [stepHeading(story, step, options)];
  for (const line of step.lines) {
    const time = clockText(line.at).padStart(10);
    let text = lineText(line);
    if (options.color && line.kind === 'packet' && line.to.length === 0) text = paint(text, ANSI.dim, options);
    else if (options.color && line.kind === 'packet' && line.ah !== 'ok' && line.ah !== 'no AH')
      text = paint(text, ANSI.yellow, options);
    else if (options.color && line.kind === 'note' && line.tone === 'state') text = paint(text, ANSI.green, options);
    out.push(`  ${time}  ${text}`);
    if (options.hex === true && line.kind === 'packet') {
      const p = story.packets[line.packet];
      if (p !== undefined) out.push(hexDump(p.hex, ' '.repeat(14)));
    }
  }
  if (step.lines.length === 0) out.push(`  ${' '.repeat(10)}  (nothing happens)`);
  if (step.failing)
    out.push(paint(`  ✗ ${story.property ?? 'Alice crashed'}: ${story.reason}`, ANSI.red + ANSI.bold, options));
  const states = options.states ?? 'failing';
  if (states === 'all' || (states === 'failing' && step.failing)) {
    const since = step.index === 0 ? '' : ` (changes since step ${step.index - 1})`;
    out.push(
      '',
      tableText({ ...step.alice, title: `${step.alice.title} after step ${step.index}${since}` }, options),
      '',
      tableText({ ...step.model, title: `${step.model.title} after step ${step.index}${since}` }, options),
    );
  }
  return out.join('\n');
}

export function storyHeader(story: Story, style: TextStyle): string {
  const lines = [paint(story.title, ANSI.bold, style), `  ${story.reason}`];
  const provenance =
    story.path === ''
      ? 'found by hmip6 explore (minimal)'
      : `seed ${story.seed}, path ${story.path}, replayPath ${story.replayPath}`;
  lines.push(`  ${provenance}`);
  lines.push(`  ${story.nodes.map((n) => `${nodeTitle(n)} ${story.addresses[n] ?? ''}`.trim()).join(', ')}`);
  for (const n of story.notes) lines.push(`  ${n}`);
  return lines.join('\n');
}

export function storyText(story: Story, options: StoryTextOptions): string {
  const parts = [storyHeader(story, options)];
  for (const step of story.steps) parts.push(stepText(story, step, options));
  if (!options.color)
    parts.push('Legend: ✗ the failing step; in tables, + added, - removed, ~ changed (changed cells end in *).');
  return `${parts.join('\n\n')}\n`;
}
