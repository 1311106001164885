// What a command prints: stdout and stderr captured together for each test of the enclosing
// `describe`, restored after it.

import { afterEach, beforeEach, vi } from 'vitest';

export interface Captured {
  /** Everything written to stdout and stderr since the current test began. */
  readonly output: string;
}

/** Call inside a `describe`: every test there starts with empty output. */
export function captureOutput(): Captured {
  const captured = { output: '' };
  beforeEach(() => {
    captured.output = '';
    const capture = (chunk: string | Uint8Array): boolean => {
      captured.output += String(chunk);
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return captured;
}
