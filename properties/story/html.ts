// The story as one self-contained HTML file (`hmip6 replay FILE --html OUT.html`): inline CSS
// and JavaScript, no network. A sequence diagram in the style of the draft's Appendix A
// figures: a lane per node (Alice, each peer, Mallory) and one for the network, an arrow per
// packet from its sender to the node that received it (a dropped one ends on the network's lane,
// dashed, with ✗), notes beside the lanes (Alice's host cache changing, moves, addresses
// changing hands), a band per step; the failing step in red. Beside it the step list and a
// state panel: click a step (in the list or the diagram) for Alice's host cache and the model's
// state after it, changes highlighted; click an arrow for the packet, decoded and in hex.
// Every text is escaped; the page is the same, byte for byte, for the same story.

import { clockText, TABLE_COLUMNS, type StateTable } from './tables.js';
import { hexDump, nodeTitle } from './packets.js';
import type { Lane, Story, StoryLine, StoryStep } from './story.js';
import { laneTitle, lineText } from './text.js';

const LANE_GAP_PX = 140;
const TIME_COLUMN_PX = 64;
const HEADER_PX = 64;
const ROW_PX = 26;
const BAND_PX = 30;
const BOTTOM_PX = 24;
const FONT_PX = 12;
/** Rough width of a character of the diagram's font, to size the boxes behind notes. */
const CHAR_PX = 6.6;
const ARROW_LABEL_CHARS_MAX = 30;
const NOTE_CHARS_MAX = 64;

const LANE_COLORS: Readonly<Record<Lane, string>> = {
  alice: '#1f5fa8',
  bob: '#2e7d32',
  carol: '#558b2f',
  sam: '#00838f',
  lee: '#6d4c41',
  mallory: '#8e24aa',
  network: '#616161',
};

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

interface Layout {
  lanes: Lane[];
  x: Map<Lane, number>;
  width: number;
}

function layout(story: Story): Layout {
  const lanes: Lane[] = [...story.nodes, 'network'];
  const x = new Map<Lane, number>();
  lanes.forEach((lane, i) => x.set(lane, TIME_COLUMN_PX + LANE_GAP_PX / 2 + i * LANE_GAP_PX));
  return { lanes, x, width: TIME_COLUMN_PX + lanes.length * LANE_GAP_PX };
}

function arrow(l: Extract<StoryLine, { kind: 'packet' }>, y: number, lay: Layout, failing: boolean): string {
  const from = lay.x.get(l.from) ?? 0;
  const dropped = l.to.length === 0;
  const target: Lane = dropped ? 'network' : (l.to[0] ?? 'network');
  let to = lay.x.get(target) ?? 0;
  // A packet a node sends itself (or one whose receiver shares the lane) loops out to the right.
  const loop = to === from;
  if (loop) to = from + LANE_GAP_PX * 0.45;
  const dir = to >= from ? 1 : -1;
  const tip = to - dir * 2;
  const classes = [
    'arrow',
    dropped ? 'dropped' : '',
    failing ? 'failing' : '',
    l.ah !== 'ok' && l.ah !== 'no AH' ? 'bad-ah' : '',
  ]
    .filter((c) => c !== '')
    .join(' ');
  const label = clip(`#${l.packet} ${l.short}`, ARROW_LABEL_CHARS_MAX);
  const mid = (from + to) / 2;
  const copies = l.to.length > 1 ? ` ×${l.to.length}` : '';
  const title = escapeHtml(lineText(l));
  const head = `${tip},${y} ${tip - dir * 8},${y - 4} ${tip - dir * 8},${y + 4}`;
  const cross = dropped ? `<text class="cross" x="${to + 4}" y="${y + 4}">✗</text>` : '';
  return (
    `<g class="${classes}" data-packet="${l.packet}" tabindex="0"><title>${title}</title>` +
    `<line x1="${from}" y1="${y}" x2="${tip}" y2="${y}"/><polygon points="${head}"/>${cross}` +
    `<text class="label" x="${mid}" y="${y - 6}" text-anchor="middle">${escapeHtml(label + copies)}</text></g>`
  );
}

function note(l: Extract<StoryLine, { kind: 'note' }>, y: number, lay: Layout): string {
  const x = (lay.x.get(l.lane) ?? 0) + 6;
  const text = clip(l.text, NOTE_CHARS_MAX);
  const w = Math.ceil(text.length * CHAR_PX) + 8;
  return (
    `<g class="note ${l.tone}"><title>${escapeHtml(`${laneTitle(l.lane)}: ${l.text}`)}</title>` +
    `<rect x="${x - 2}" y="${y - 12}" width="${w}" height="16" rx="3"/>` +
    `<text x="${x + 2}" y="${y}">${escapeHtml(text)}</text></g>`
  );
}

/** The lane headers, Appendix A style: the name, underlined with '=', and the node's first address (kept in view while scrolling). */
export function laneHeadSvg(story: Story): string {
  const lay = layout(story);
  const parts: string[] = [];
  for (const lane of lay.lanes) {
    const x = lay.x.get(lane) ?? 0;
    const title = laneTitle(lane);
    const address = lane === 'network' ? 'drops, faults, owners' : (story.addresses[lane] ?? '');
    parts.push(
      `<g class="lane-head" style="--lane:${LANE_COLORS[lane]}"><text class="lane-name" x="${x}" y="20" text-anchor="middle">${escapeHtml(title)}</text>` +
        `<text class="lane-rule" x="${x}" y="32" text-anchor="middle">${'='.repeat(Math.max(3, title.length))}</text>` +
        `<text class="lane-address" x="${x}" y="48" text-anchor="middle">${escapeHtml(address)}</text></g>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" id="lane-heads" width="${lay.width}" height="${HEADER_PX - 8}" viewBox="0 0 ${lay.width} ${HEADER_PX - 8}" font-size="${FONT_PX}">${parts.join('')}</svg>`;
}

/** The SVG sequence diagram, below the lane headers. */
export function sequenceSvg(story: Story): string {
  const lay = layout(story);
  const rows = story.steps.reduce((n, s) => n + BAND_PX + Math.max(1, s.lines.length) * ROW_PX, 0);
  const height = rows + BOTTOM_PX;
  const parts: string[] = [];
  for (const lane of lay.lanes) {
    const x = lay.x.get(lane) ?? 0;
    parts.push(
      `<line class="lane${lane === 'network' ? ' network' : ''}" x1="${x}" y1="0" x2="${x}" y2="${height - 8}" style="stroke:${LANE_COLORS[lane]}"/>`,
    );
  }
  let y = 0;
  for (const step of story.steps) {
    const bandHeight = BAND_PX + Math.max(1, step.lines.length) * ROW_PX;
    parts.push(
      `<g class="band${step.index % 2 === 1 ? ' alt' : ''}${step.failing ? ' failing' : ''}" data-step="${step.index}" tabindex="0">` +
        `<rect class="band-bg" x="0" y="${y}" width="${lay.width}" height="${bandHeight}"/>` +
        `<text class="band-title" x="6" y="${y + 19}">${escapeHtml(`${step.failing ? '✗ ' : ''}step ${step.index}: ${step.title}`)}</text></g>`,
    );
    let row = y + BAND_PX + ROW_PX - 8;
    for (const line of step.lines) {
      parts.push(
        `<text class="time" x="${TIME_COLUMN_PX - 8}" y="${row + 4}" text-anchor="end">${escapeHtml(clockText(line.at))}</text>`,
      );
      parts.push(line.kind === 'packet' ? arrow(line, row, lay, step.failing) : note(line, row + 4, lay));
      row += ROW_PX;
    }
    y += bandHeight;
  }
  // Lanes drawn again over the bands, so that they run through every step.
  for (const lane of lay.lanes) {
    const x = lay.x.get(lane) ?? 0;
    parts.push(
      `<line class="lane over${lane === 'network' ? ' network' : ''}" x1="${x}" y1="0" x2="${x}" y2="${height - 8}" style="stroke:${LANE_COLORS[lane]}"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" id="diagram" width="${lay.width}" height="${height}" viewBox="0 0 ${lay.width} ${height}" font-size="${FONT_PX}" role="img" aria-label="sequence diagram of the counterexample">${parts.join('')}</svg>`;
}

function tableHtml(table: StateTable): string {
  if (table.rows === null)
    return `<h4>${escapeHtml(table.title)}</h4><p class="none">no state (black box, or the model stopped here)</p>`;
  const head = `<tr><th></th>${TABLE_COLUMNS.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const marker: Record<string, string> = { added: '+', removed: '−', changed: '~', same: '' };
  const body = table.rows
    .map(
      (r) =>
        `<tr class="${r.change}"><td class="mark">${marker[r.change]}</td>${r.cells.map((c, i) => `<td${r.change === 'changed' && r.changed[i] ? ' class="cell-changed"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<h4>${escapeHtml(table.title)}</h4><table class="state-table">${head}${body}</table>`;
}

function stepPanel(story: Story, step: StoryStep): string {
  const lines = step.lines
    .map(
      (l) =>
        `<li class="${l.kind === 'packet' ? 'packet-line' : `note-line ${l.tone}`}"${l.kind === 'packet' ? ` data-packet="${l.packet}"` : ''}><span class="t">${escapeHtml(clockText(l.at))}</span> ${escapeHtml(lineText(l))}</li>`,
    )
    .join('');
  const failure = step.failing
    ? `<p class="failure">✗ ${escapeHtml(story.property ?? 'Alice crashed')}: ${escapeHtml(story.reason)}</p>`
    : '';
  return (
    `<section class="state" data-step="${step.index}" hidden>` +
    `<h3>${step.failing ? '✗ ' : ''}step ${step.index}: ${escapeHtml(step.title)}</h3>` +
    `<p class="call"><code>${escapeHtml(step.call)}</code> <span class="t">${escapeHtml(clockText(step.startMs))} → ${escapeHtml(clockText(step.endMs))}</span></p>${failure}` +
    `${tableHtml(step.alice)}${tableHtml(step.model)}` +
    `<details${step.failing ? ' open' : ''}><summary>what happened (${step.lines.length} lines)</summary><ol class="lines">${lines}</ol></details>` +
    `</section>`
  );
}

function packetPanel(story: Story): string {
  return story.packets
    .map(
      (p) =>
        `<section class="packet" data-packet="${p.id}" hidden><h3>packet #${p.id} from ${escapeHtml(nodeTitle(p.from))} at ${escapeHtml(clockText(p.sentAt))}</h3><p>${escapeHtml(p.text)}</p><p class="summary"><code>${escapeHtml(p.summary)}</code></p><pre class="hex">${escapeHtml(hexDump(p.hex))}</pre></section>`,
    )
    .join('');
}

const CSS = `
:root { color-scheme: light; --fail: #c62828; --fail-bg: #fdecea; --ink: #212121; --muted: #757575; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fafafa; }
header { padding: 12px 18px; background: #fff; border-bottom: 1px solid #ddd; }
header h1 { margin: 0 0 4px; font-size: 18px; }
header h1 .prop { color: var(--fail); }
header p { margin: 2px 0; color: #424242; }
header .meta { color: var(--muted); font-size: 12px; }
main { display: flex; align-items: flex-start; gap: 12px; padding: 12px; }
#diagram-box .heads { position: sticky; top: 0; z-index: 1; background: #fff; border-bottom: 1px solid #eee; }
#diagram-box svg { display: block; }
#diagram-box { flex: 1 1 auto; overflow: auto; max-height: calc(100vh - 120px); background: #fff; border: 1px solid #ddd; border-radius: 6px; }
aside { flex: 0 0 600px; max-height: calc(100vh - 120px); overflow: auto; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; }
#steps { list-style: none; margin: 0 0 8px; padding: 0; }
#steps li { padding: 3px 6px; border-radius: 4px; cursor: pointer; font-size: 13px; }
#steps li:hover { background: #eef3fb; }
#steps li.selected { background: #dbe7f7; font-weight: 600; }
#steps li.failing { color: var(--fail); }
#steps li.failing.selected { background: var(--fail-bg); }
svg text { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; }
.lane { stroke-width: 2; opacity: .35; }
.lane.over { opacity: .25; pointer-events: none; }
.lane.network { stroke-dasharray: 4 4; }
.lane-name { font-weight: 700; font-size: 14px; fill: var(--lane); }
.lane-rule { fill: var(--lane); }
.lane-address { fill: var(--muted); font-size: 11px; }
.band-bg { fill: #fff; stroke: #eee; }
.band.alt .band-bg { fill: #f7f9fb; }
.band-title { font-weight: 700; fill: #37474f; cursor: pointer; }
.band.failing .band-bg { fill: var(--fail-bg); stroke: var(--fail); stroke-width: 1.5; }
.band.failing .band-title { fill: var(--fail); }
.band.selected .band-bg { stroke: #1f5fa8; stroke-width: 2; }
.time { fill: var(--muted); font-size: 11px; }
.arrow { cursor: pointer; }
.arrow line { stroke: #263238; stroke-width: 1.6; }
.arrow polygon { fill: #263238; }
.arrow .label { fill: #263238; }
.arrow.dropped line { stroke: #9e9e9e; stroke-dasharray: 5 4; }
.arrow.dropped polygon, .arrow.dropped .label { fill: #9e9e9e; }
.arrow .cross { fill: var(--fail); font-weight: 700; }
.arrow.bad-ah .label { fill: #e65100; }
.arrow.failing line { stroke: var(--fail); }
.arrow.failing polygon, .arrow.failing .label { fill: var(--fail); }
.arrow.dropped.failing line { stroke: #e57373; }
.arrow.selected line { stroke-width: 3; }
.arrow:hover .label { text-decoration: underline; }
.note rect { fill: #fff; stroke: #e0e0e0; }
.note text { fill: #455a64; font-size: 11px; }
.note.state rect { fill: #e8f5e9; stroke: #a5d6a7; }
.note.state text { fill: #1b5e20; }
.note.fault rect, .note.refused rect { fill: #fff3e0; stroke: #ffcc80; }
.note.app rect { fill: #e3f2fd; stroke: #90caf9; }
.state h3, .packet h3 { margin: 8px 0 4px; font-size: 15px; }
.state h4 { margin: 10px 0 4px; font-size: 13px; color: #37474f; }
.failure { color: var(--fail); font-weight: 600; background: var(--fail-bg); padding: 6px 8px; border-radius: 4px; }
.call code { font-size: 12px; word-break: break-all; }
.t { color: var(--muted); font-size: 12px; }
table.state-table { border-collapse: collapse; font-size: 11px; width: 100%; }
.state-table th, .state-table td { border: 1px solid #e0e0e0; padding: 1px 4px; text-align: left; }
.state-table td { white-space: nowrap; }
.state-table th { background: #f5f5f5; }
.state-table td.mark { width: 14px; text-align: center; font-weight: 700; }
.state-table tr.added td { background: #e8f5e9; }
.state-table tr.removed td { background: #ffebee; text-decoration: line-through; color: #b71c1c; }
.state-table tr.changed td.cell-changed { background: #fff59d; font-weight: 600; }
.lines { font-size: 12px; padding-left: 18px; }
.lines .note-line.state { color: #1b5e20; }
.lines .packet-line { cursor: pointer; }
pre.hex { font-size: 11px; background: #f5f5f5; padding: 6px; overflow: auto; }
.legend { font-size: 12px; color: var(--muted); margin: 6px 0 10px; }
.legend span { display: inline-block; margin-right: 10px; }
.none { color: var(--muted); }
`;

const SCRIPT = `
'use strict';
(function () {
  var steps = Array.prototype.slice.call(document.querySelectorAll('#steps li'));
  var panels = Array.prototype.slice.call(document.querySelectorAll('section.state'));
  var packets = Array.prototype.slice.call(document.querySelectorAll('section.packet'));
  var bands = Array.prototype.slice.call(document.querySelectorAll('g.band'));
  var arrows = Array.prototype.slice.call(document.querySelectorAll('g.arrow'));
  var current = -1;
  function select(n, scroll) {
    if (n < 0 || n >= panels.length) return;
    current = n;
    steps.forEach(function (li) { li.classList.toggle('selected', Number(li.dataset.step) === n); });
    bands.forEach(function (g) { g.classList.toggle('selected', Number(g.dataset.step) === n); });
    panels.forEach(function (p) { p.hidden = Number(p.dataset.step) !== n; });
    packets.forEach(function (p) { p.hidden = true; });
    arrows.forEach(function (a) { a.classList.remove('selected'); });
    document.body.dataset.step = String(n);
    if (scroll) {
      var band = bands[n];
      var box = document.getElementById('diagram-box');
      if (band && box) box.scrollTop = Math.max(0, band.getBBox().y - 4);
    }
  }
  function showPacket(id) {
    packets.forEach(function (p) { p.hidden = p.dataset.packet !== id; });
    arrows.forEach(function (a) { a.classList.toggle('selected', a.dataset.packet === id); });
    var shown = document.querySelector('section.packet[data-packet="' + id + '"]');
    if (shown) shown.scrollIntoView({ block: 'nearest' });
  }
  steps.forEach(function (li) { li.addEventListener('click', function () { select(Number(li.dataset.step), true); }); });
  bands.forEach(function (g) { g.addEventListener('click', function () { select(Number(g.dataset.step), false); }); });
  arrows.forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.stopPropagation();
      var band = a.previousElementSibling;
      while (band && !(band.classList && band.classList.contains('band'))) band = band.previousElementSibling;
      if (band) select(Number(band.dataset.step), false);
      showPacket(a.dataset.packet);
    });
  });
  Array.prototype.slice.call(document.querySelectorAll('.lines li[data-packet]')).forEach(function (li) {
    li.addEventListener('click', function () { showPacket(li.dataset.packet); });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' || e.key === 'n') { select(current + 1, true); e.preventDefault(); }
    else if (e.key === 'ArrowUp' || e.key === 'p') { select(current - 1, true); e.preventDefault(); }
  });
  select(Number(document.body.dataset.failing), true);
})();
`;

export function storyHtml(story: Story): string {
  const failing = story.failingStep >= 0 && story.failingStep < story.steps.length ? story.failingStep : 0;
  const stepItems = story.steps
    .map(
      (s) =>
        `<li data-step="${s.index}"${s.failing ? ' class="failing"' : ''}>${s.failing ? '✗ ' : ''}${s.index}. ${escapeHtml(s.title)}</li>`,
    )
    .join('');
  const provenance =
    story.path === ''
      ? 'found by hmip6 explore (a minimal trace)'
      : `seed ${story.seed}, path ${story.path}, replayPath ${story.replayPath}`;
  const title =
    story.property === null
      ? escapeHtml(story.title)
      : escapeHtml(story.title).replace(
          escapeHtml(story.property),
          `<span class="prop">${escapeHtml(story.property)}</span>`,
        );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(story.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    `<body data-failing="${failing}">`,
    '<header>',
    `<h1>${title}</h1>`,
    `<p class="reason">${escapeHtml(story.reason)}</p>`,
    `<p class="meta">${escapeHtml(provenance)} · ${story.steps.length - 1} actions, ${story.packets.length} packets${story.notes.map((n) => ` · ${escapeHtml(n)}`).join('')}</p>`,
    '</header>',
    '<main>',
    `<div id="diagram-box"><div class="heads">${laneHeadSvg(story)}</div>${sequenceSvg(story)}</div>`,
    '<aside>',
    '<h2 style="font-size:15px;margin:4px 0">Steps</h2>',
    `<ol id="steps">${stepItems}</ol>`,
    '<p class="legend"><span>→ packet (click for bytes)</span><span style="color:#9e9e9e">⇢ ✗ dropped</span><span style="color:#1b5e20">■ host cache change</span><span style="color:#c62828">■ failing step</span><span>↑↓ steps</span></p>',
    `<div id="state-panel">${story.steps.map((s) => stepPanel(story, s)).join('')}</div>`,
    `<div id="packet-panel">${packetPanel(story)}</div>`,
    '</aside>',
    '</main>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
