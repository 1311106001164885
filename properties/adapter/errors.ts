// What can go wrong with an implementation under test (IUT) at the protocol level
// (ADAPTER-PROTOCOL.md "Limits the oracle enforces"). Any of these ends the check with
// verdict `error` (exit 2): the IUT or the harness failed, so no property can be judged,
// and nothing is passed or failed on its account.

export type AdapterErrorKind =
  /** The IUT exited with a non-zero status or was killed by a signal before `shutdown`. */
  | 'crash'
  /** No answer within the request's timeout. */
  | 'hang'
  /** An answer line that is not one JSON object. */
  | 'garbage'
  /** An answer whose `id` is not the request's. */
  | 'wrong-id'
  /** More output than the protocol allows: a line answering no request, or a line over 1 MiB. */
  | 'flood'
  /** The IUT exited with status 0 before `shutdown`. */
  | 'early-exit'
  /** A JSON answer of the wrong shape (`sent` not an array of hex strings, a bad `state`...). */
  | 'invalid-answer'
  /** The IUT refused a request the oracle cannot do without (`hello`, `reset`, `state`). */
  | 'refused';

/** Stderr lines a report shows (the JSON report has the whole tail). */
const STDERR_LINES_SHOWN = 20;

export interface AdapterFailure {
  /** The request it happened on, as people read it: `request 12 (receive, now 1003250)`. */
  request: string;
  requestId: number | null;
  requestType: string | null;
  kind: AdapterErrorKind;
  message: string;
  /** The last lines the IUT wrote to stderr. */
  stderrTail: string[];
}

/** A protocol failure of the IUT. Distinct from a property failure: the runner turns it into verdict `error`. */
export class AdapterError extends Error {
  readonly failure: AdapterFailure;

  constructor(failure: AdapterFailure) {
    super(`${failure.request}: ${failure.kind}: ${failure.message}`);
    this.name = 'AdapterError';
    this.failure = failure;
  }

  get kind(): AdapterErrorKind {
    return this.failure.kind;
  }

  /** The message with the last `stderrLines` lines of the stderr tail, for a report. */
  describe(stderrLines = STDERR_LINES_SHOWN): string {
    const lines = [
      `the implementation under test failed on ${this.failure.request}: ${this.failure.kind}: ${this.failure.message}`,
    ];
    const tail = this.failure.stderrTail;
    if (tail.length > 0) {
      const shown = tail.slice(-stderrLines);
      lines.push(
        shown.length < tail.length
          ? `the last ${shown.length} of the ${tail.length} stderr lines kept:`
          : `the last ${shown.length} line(s) of its stderr:`,
      );
      for (const l of shown) lines.push(`  | ${l}`);
    } else {
      lines.push('it wrote nothing to stderr');
    }
    return lines.join('\n');
  }
}
