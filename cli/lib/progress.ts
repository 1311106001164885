// The progress line of a run of the property suite, on stderr: a bar redrawn in place on a
// terminal, else a plain line every tenth of the runs (logs and CI keep every line).

/** A plain progress line every this share of the runs when stderr is not a terminal. */
const PLAIN_PROGRESS_STEPS = 10;
const PROGRESS_BAR_WIDTH = 30;

export interface ProgressReporter {
  /** `done` of the runs are done, `failed` properties have failed so far. */
  update(done: number, failed: number): void;
  /** Ends the bar's line (on a terminal). */
  end(): void;
}

/** Progress over `total` runs; `done` only grows from one update to the next. */
export function progressReporter(total: number): ProgressReporter {
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  let lastPlain = -1;
  return {
    update(done, failed) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (tty) {
        const filled = total === 0 ? PROGRESS_BAR_WIDTH : Math.round((PROGRESS_BAR_WIDTH * done) / total);
        const bar = '#'.repeat(filled) + '.'.repeat(PROGRESS_BAR_WIDTH - filled);
        process.stderr.write(`\r[${bar}] ${done}/${total} runs, ${failed} failing, ${seconds}s `);
        return;
      }
      const step = Math.floor((done * PLAIN_PROGRESS_STEPS) / Math.max(1, total));
      if (step > lastPlain) {
        lastPlain = step;
        process.stderr.write(`progress: ${done}/${total} runs, ${failed} failing, ${seconds}s\n`);
      }
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}
