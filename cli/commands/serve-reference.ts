// `hmip6 serve-reference`: the reference host behind the adapter protocol (ADAPTER-PROTOCOL.md)
// on stdin/stdout, so the oracle can be pointed at it like at any other implementation:
// `hmip6 oracle --impl "npx hmip6 serve-reference"`.
//
// It is the IUT the oracle's throughput is measured against (bench/oracle.ts), so it serves at
// the pipes' pace: blocking reads of stdin (one system call per request, no event loop, no
// stream), every line a read completes answered in order, the answers written in one
// synchronous write. Lines are split as readline splits them; a stdin that does not block is
// read as a stream instead.

import { randomBytes } from 'node:crypto';
import { readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { AdapterSession, type RandomFactory } from '../../impl/host/adapter.js';
import { seededRandom } from '../../impl/host/random.js';
import { readArgs, usageError } from '../lib/args.js';

const HELP = `usage: hmip6 serve-reference [--trace]

Runs the reference Homeless Mobile IPv6 host as an implementation under test: reads adapter
protocol v1 requests from stdin, one JSON object per line, and writes one answer line per
request to stdout. Exits 0 after answering "shutdown", or when stdin ends.

A reset with config.seed makes the host's random source (the Challenge TIME) deterministic;
without one it is cryptographically random.

options:
  --trace       copy every request and answer to stderr
  -h, --help    this text
`;

/** Seeded: reproducible runs; unseeded: node's CSPRNG (HOST.md rule 24). */
export const nodeRandomFactory: RandomFactory = (seed) =>
  seed === undefined ? (n: number) => new Uint8Array(randomBytes(n)) : seededRandom(seed);

/**
 * Splits text into lines as `node:readline` does with `crlfDelay: Infinity`: a line ends at
 * `\n`, `\r\n` or a lone `\r`, and a `\r\n` split across two chunks is one line end.
 */
export class LineSplitter {
  private partial = '';
  private sawReturn = false;

  /** The whole lines `chunk` completes, in order. */
  push(chunk: string): string[] {
    let text = chunk;
    if (this.sawReturn) {
      if (text.charCodeAt(0) === 0x0a) text = text.slice(1);
      this.sawReturn = false;
    }
    if (text.length === 0) return [];
    const hasReturn = text.includes('\r');
    if (!hasReturn && !text.includes('\n')) {
      this.partial += text;
      return [];
    }
    const lines = (this.partial + text).split(hasReturn ? /\r\n|\r|\n/ : '\n');
    this.partial = lines.pop() ?? '';
    this.sawReturn = text.endsWith('\r');
    return lines;
  }

  /** At the end of the input: the last line, if it has no line end. */
  end(): string[] {
    const last = this.partial;
    this.partial = '';
    return last.length > 0 ? [last] : [];
  }
}

/** Bytes read from stdin at a time. */
const READ_BYTES = 64 * 1024;
/** While stdout is full (its reader is slow), a write is retried this often. */
const WRITE_RETRY_MS = 1;
const sleeper = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/**
 * Writes to stdout synchronously, whatever its mode: a full non-blocking pipe is waited for.
 * A reader that is gone is not an error (stdin's end follows).
 */
function writeOut(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(1, bytes, written, bytes.length - written);
    } catch (e) {
      const code = errorCode(e);
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN' && code !== 'EINTR') throw e;
      Atomics.wait(sleeper, 0, 0, WRITE_RETRY_MS);
    }
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = readArgs(argv, { trace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (typeof args === 'string') return usageError('serve-reference', args);
  const values = args.values as { trace?: boolean; help?: boolean };
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const session = new AdapterSession({ randomFactory: nodeRandomFactory });
  const splitter = new LineSplitter();
  const decoder = new StringDecoder('utf8');
  /** Answers every line the input completes, in order, in one write; true once `shutdown` is answered. */
  const respond = (lines: string[]): boolean => {
    let out = '';
    for (const line of lines) {
      const reply = session.handleLine(line);
      if (values.trace) process.stderr.write(`> ${line}\n< ${reply}\n`);
      out += `${reply}\n`;
      if (session.done) break;
    }
    if (out.length > 0) writeOut(out);
    return session.done;
  };
  const input: Input = {
    bytes: (chunk) => respond(splitter.push(decoder.write(chunk))),
    // As readline: an unfinished last line counts, an unfinished UTF-8 sequence after it does not.
    end: () => void respond(splitter.end()),
  };
  // Blocking reads while stdin blocks (a pipe or a file from the oracle, a terminal): one
  // system call per request, without the event loop. A non-blocking stdin is read as a stream.
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, 0, READ_BYTES, null);
    } catch (e) {
      const code = errorCode(e);
      if (code === 'EINTR') continue;
      if (code === 'EAGAIN') return serveStream(input);
      if (code !== 'EOF') throw e;
      n = 0;
    }
    if (n === 0) {
      input.end();
      return 0;
    }
    if (input.bytes(buffer.subarray(0, n))) return 0;
  }
}

/** Where stdin's bytes go: `bytes` is true once `shutdown` is answered (nothing more is read). */
interface Input {
  bytes(chunk: Buffer): boolean;
  end(): void;
}

/** The same service over `process.stdin` as a stream, for a stdin that does not block. */
function serveStream(input: Input): Promise<number> {
  const stdin = process.stdin;
  return new Promise((resolve) => {
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onEnd);
      stdin.destroy();
      resolve(0);
    };
    const onData = (chunk: Buffer): void => {
      if (input.bytes(chunk)) finish();
    };
    const onEnd = (): void => {
      input.end();
      finish();
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.on('error', onEnd);
  });
}
