// Alice's host cache and the model's state as tables, and what changed: for the story of a
// counterexample (text, the stepper, the HTML view). One row per address of an entry (an
// entry without addresses has one row), then one per local address. Rows are matched across
// states as the abstraction matches entries (model/abstraction.ts): by the SA's inbound SPI,
// else by the entry's first address; so Alice's rows and the model's line up too.

import type { EntryState, HostState } from '../../impl/host/types.js';
import { clockText } from '../invariants/trace-view.js';
import { spiText } from './packets.js';

/** Columns; `lifetime` is the kind and the instant it runs out, `challenge` says whether one is out for the address. */
export const TABLE_COLUMNS = ['entry', 'peer', 'SA', 'address', 'status', 'lifetime', 'challenge'] as const;

export interface TableRow {
  /** Matches the row across states. */
  key: string;
  cells: string[];
}

export type RowChange = 'added' | 'removed' | 'changed' | 'same';

export interface DiffRow extends TableRow {
  change: RowChange;
  /** Per cell: differs from the other side. */
  changed: boolean[];
}

export interface StateTable {
  title: string;
  /** Null: no state to show (black box, or the model stopped). */
  rows: DiffRow[] | null;
}

/** Virtual time as seconds since the run began ("60.010 s"): the reasons of the properties print it the same way. */
export { clockText };

function entryKey(e: EntryState): string {
  return e.sa !== null ? `spi ${e.sa.inboundSpi}` : `addr ${e.addresses[0]?.address ?? '-'}`;
}

export function stateRows(state: HostState | null | undefined): TableRow[] | null {
  if (state === null || state === undefined) return null;
  const rows: TableRow[] = [];
  const seen = new Map<string, number>();
  for (const e of state.entries) {
    const base = entryKey(e);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const key = n === 1 ? base : `${base}#${n}`;
    const peer =
      e.peerKind +
      (e.homeAddress !== null
        ? ` (home ${e.homeAddress}${e.careOfAddress !== null ? `, at ${e.careOfAddress}` : ''})`
        : '');
    const sa = e.sa === null ? 'none' : `${e.sa.kind} ${spiText(e.sa.inboundSpi)}`;
    if (e.addresses.length === 0) rows.push({ key: `${key}|`, cells: [e.id, peer, sa, '—', '', '', ''] });
    for (const a of e.addresses) {
      rows.push({
        key: `${key}|${a.address}`,
        cells: [
          e.id,
          peer,
          sa,
          a.address,
          a.status,
          `${a.lifetime.kind} ${clockText(a.lifetime.expiresAt)}`,
          a.challengeOutstanding ? 'out' : '',
        ],
      });
    }
  }
  for (const a of state.local) rows.push({ key: `local|${a}`, cells: ['local', '', '', a, '', '', ''] });
  return rows;
}

/** `after` marked against `before` (null before: nothing is marked); removed rows are kept, marked. */
export function diffRows(before: TableRow[] | null, after: TableRow[] | null): DiffRow[] | null {
  if (after === null) return null;
  const width = TABLE_COLUMNS.length;
  if (before === null)
    return after.map((r) => ({ ...r, change: 'same', changed: new Array<boolean>(width).fill(false) }));
  const old = new Map(before.map((r) => [r.key, r]));
  const out: DiffRow[] = [];
  for (const r of after) {
    const o = old.get(r.key);
    if (o === undefined) {
      out.push({ ...r, change: 'added', changed: new Array<boolean>(width).fill(true) });
      continue;
    }
    // The entry id is the implementation's own: rows are matched without it.
    const changed = r.cells.map((c, i) => i !== 0 && c !== o.cells[i]);
    out.push({ ...r, change: changed.some((x) => x) ? 'changed' : 'same', changed });
  }
  // A removed row goes after the last row of its entry (its key's part before '|'), else last.
  const keys = new Set(after.map((r) => r.key));
  for (const o of before) {
    if (keys.has(o.key)) continue;
    const group = o.key.slice(0, o.key.indexOf('|') + 1);
    let at = out.length;
    for (let k = out.length - 1; k >= 0; k--) {
      if (out[k].key.startsWith(group)) {
        at = k + 1;
        break;
      }
    }
    out.splice(at, 0, { ...o, change: 'removed', changed: new Array<boolean>(width).fill(true) });
  }
  return out;
}

export interface TextStyle {
  /** ANSI colours (a terminal); without them, a marker column says what changed and changed cells are starred. */
  color: boolean;
}

export const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  strike: '\u001b[9m',
  inverse: '\u001b[7m',
};

export const MARKERS: Readonly<Record<RowChange, string>> = { added: '+', removed: '-', changed: '~', same: ' ' };

/** A table as text, changes marked (`+` added, `-` removed, `~` changed, `*` on changed cells) or coloured. */
export function tableText(table: StateTable, style: TextStyle, indent = '  '): string {
  const head = `${indent}${table.title}`;
  if (table.rows === null) return `${head}: (no state)`;
  if (table.rows.length === 0) return `${head}: (empty)`;
  const shown = table.rows.map((r) =>
    r.cells.map((c, i) => (!style.color && r.change === 'changed' && r.changed[i] ? `${c}*` : c)),
  );
  const widths = TABLE_COLUMNS.map((h, i) => Math.max(h.length, ...shown.map((cells) => cells[i].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const lines = [head, `${indent}  ${line(TABLE_COLUMNS)}`];
  table.rows.forEach((r, k) => {
    const cells = shown[k];
    if (!style.color) {
      lines.push(`${indent}${MARKERS[r.change]} ${line(cells)}`);
      return;
    }
    const painted = cells.map((c, i) => {
      const padded = c.padEnd(widths[i]);
      if (r.change === 'added') return `${ANSI.green}${padded}${ANSI.reset}`;
      if (r.change === 'removed') return `${ANSI.red}${ANSI.strike}${padded}${ANSI.reset}`;
      if (r.change === 'changed' && r.changed[i]) return `${ANSI.yellow}${ANSI.bold}${padded}${ANSI.reset}`;
      return padded;
    });
    lines.push(`${indent}${r.change === 'same' ? ' ' : MARKERS[r.change]} ${painted.join('  ').trimEnd()}`);
  });
  return lines.join('\n');
}
