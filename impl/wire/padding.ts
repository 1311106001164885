// Alignment and padding (RFC 2460 §4.2; WIRE.md "Canonical encoding"). Pad1 and PadN have
// the same numbers as options and as sub-options, so one writer serves both.

import { OPTION_TYPE, type Alignment } from './constants.js';
import type { Writer } from './writer.js';

/** Bytes of padding that put offset `rel` (from the Destination Options header's first byte) at `xn+y`. */
export function paddingBytes(rel: number, align: Alignment): number {
  const { x, y } = align;
  return (((y - rel) % x) + x) % x;
}

/** Minimal padding: nothing, one Pad1, or a single PadN with zero data. */
export function writePadding(w: Writer, n: number): void {
  if (n === 0) return;
  if (n === 1) {
    w.u8(OPTION_TYPE.pad1);
    return;
  }
  w.u8(OPTION_TYPE.padN);
  w.u8(n - 2);
  w.zeros(n - 2);
}

/** Pads so that the next byte written (a Type byte) sits at `align` from `headerStart`. */
export function padTo(w: Writer, headerStart: number, align: Alignment): void {
  writePadding(w, paddingBytes(w.pos - headerStart, align));
}
