// `hmip6 serve-reference` reads stdin with blocking reads and splits it into lines itself: the
// lines are readline's (`crlfDelay: Infinity`) whatever the chunks, and a stdin that does not
// block (a non-blocking socket) is served too, as a stream.

import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../cli/commands/serve-reference.js';
import { hasPython } from '../oracle/support.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function readlineLines(chunks: string[]): Promise<string[]> {
  const lines: string[] = [];
  const input = Readable.from(chunks.map((c) => Buffer.from(c)));
  for await (const line of createInterface({ input, crlfDelay: Infinity })) lines.push(line);
  return lines;
}

function splitterLines(chunks: string[]): string[] {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (const chunk of chunks) lines.push(...splitter.push(chunk));
  lines.push(...splitter.end());
  return lines;
}

describe('serve-reference line splitting', () => {
  it('gives_readlines_lines_for_any_text_cut_into_any_chunks', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', '{', '"', '\r', '\n', 'é'), maxLength: 24 });
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(6), { maxLength: 24 }), async (t, cuts) => {
        const chunks: string[] = [];
        let at = 0;
        for (const cut of cuts) {
          if (at >= t.length) break;
          chunks.push(t.slice(at, at + cut + 1));
          at += cut + 1;
        }
        if (at < t.length) chunks.push(t.slice(at));
        expect(splitterLines(chunks)).toEqual(await readlineLines(chunks));
      }),
      { numRuns: 500 },
    );
  });

  it.runIf(hasPython())('answers_on_a_non_blocking_stdin_and_exits_0_on_shutdown', () => {
    // A socket set non-blocking before serve-reference starts: its first read finds nothing.
    const script = `
import socket, subprocess, sys, time
a, b = socket.socketpair()
b.setblocking(False)
p = subprocess.Popen([${JSON.stringify(process.execPath)}, 'cli/bin.mjs', 'serve-reference'], stdin=b.fileno(), stdout=subprocess.PIPE)
b.close()
time.sleep(0.5)
a.sendall(b'{"id":1,"type":"hello","protocol":1}\\r\\n{"id":2,"type":"he')
time.sleep(0.2)
a.sendall(b'llo","protocol":1}\\n{"id":3,"type":"shutdown"}\\n')
out, _ = p.communicate(timeout=60)
sys.stdout.write(out.decode() + 'exit %d' % p.returncode)
`;
    const run = spawnSync('python3', ['-c', script], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 90_000 });
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('exit 0');
    expect(lines.slice(0, -1).map((l) => (JSON.parse(l) as { id: number; ok: boolean }).id)).toEqual([1, 2, 3]);
  });
});
