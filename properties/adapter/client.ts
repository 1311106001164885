// The client side of the adapter protocol (ADAPTER-PROTOCOL.md): runs an implementation under
// test (IUT) as a child process and exchanges one JSON line per request with it,
// synchronously.
//
// Why synchronous: the world calls `alice.receive(bytes, now)` and needs the answer at once
// (the `Host` interface, impl/host/types.ts), while a child process answers on its own time.
// The world stays synchronous and the bridge is here:
//   - the IUT's stdin and stdout are two named pipes (FIFOs, made in a temporary directory and
//     unlinked at once). The main thread writes each request line to stdin itself and reads
//     the answer from stdout with a blocking read: an exchange is one write and one read, with
//     no other thread in between (bench/oracle.ts measures it against a child that only echoes);
//   - a worker thread (io-worker.mjs) owns the child process: it starts it, keeps the stderr
//     tail, sees it exit, enforces the answer timeout and kills it. It speaks to the main thread
//     through a SharedArrayBuffer (the request waited for, its deadline, whether the IUT is
//     gone) and, for the rare messages (the exit status, the stderr tail), a MessagePort whose
//     messages bump a counter the main thread can `Atomics.wait` on;
//   - a main thread blocked in its read is woken by the worker writing one byte to the stdout
//     pipe, after it has marked the request timed out or the IUT gone: the blocking read never
//     outlives the timeout, whatever the IUT does. A request is the main thread's or the
//     worker's by a compare-and-swap on the shared slot, so a late answer and a timeout cannot
//     both win.
// The child runs under a guard process (guard.mjs) in a process group of its own; the guard
// kills the whole group when the oracle closes it, dies, or is interrupted.
//
// What is checked on the IUT's output (ADAPTER-PROTOCOL.md "Limits the oracle enforces"): a
// line of at most `lineBytesMax` bytes (a longer one is a flood, and reading stops there);
// one line per request (a second complete line read with an answer is a flood; a line
// written between two requests is read as the next request's answer, whose framing then says
// what is wrong with it); the IUT exits only after `shutdown` (before, an exit is a crash or
// an early exit).
//
// Every failure (exit, timeout, a line that is not JSON, a wrong id, too much output) becomes
// an AdapterError naming the request; it is sticky: the IUT is killed and every later request
// throws the same error.

import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { AdapterError, type AdapterErrorKind, type AdapterFailure } from './errors.js';
import { frameAnswer, preview, type RawAnswer } from './validate.js';

/** The adapter protocol this client speaks. */
export const ADAPTER_PROTOCOL = 1;
/** ADAPTER-PROTOCOL.md: each answer within `--timeout-ms`, 2000 ms by default. */
export const TIMEOUT_MS_DEFAULT = 2000;
/** The first answer (`hello`) also waits for the IUT to start (`npx` alone takes about a second). */
export const STARTUP_TIMEOUT_MS_DEFAULT = 15_000;
/** ADAPTER-PROTOCOL.md: a line of at most 1 MiB. */
export const LINE_BYTES_MAX = 1024 * 1024;
/** Lines of the IUT's stderr kept for the report. */
export const STDERR_LINES_MAX = 50;
/** After `shutdown` (or when closing without it), the IUT gets this long to exit before it is killed. */
export const CLOSE_GRACE_MS = 1000;
/** The main thread waits at most this long for the worker to confirm a close or a kill. */
const CLEANUP_WAIT_MS = 5000;

/**
 * Slots of the Int32Array shared with the I/O worker (io-worker.mjs gets them in workerData):
 *   messages  bumped by the worker after each message it posts;
 *   waiting   the sequence number of the request the main thread waits for, 0 between
 *             requests; the worker swaps it for its negation when that request timed out;
 *   gone      1 once the worker saw the IUT exit (or fail to start): its `gone` message is posted;
 *   ready     1 once the worker has started the guard.
 */
const SLOT = { messages: 0, waiting: 1, gone: 2, ready: 3 } as const;
const SLOTS = 4;
/** Byte offset of the Float64 beside the slots: the waited request's deadline, in ms since the epoch. */
const DEADLINE_OFFSET = 16;
/** The read buffer's first size; it grows up to the line limit. */
const READ_BUFFER_BYTES = 64 * 1024;
/** While the IUT's stdin pipe is full, the main thread retries its write this often. */
const WRITE_RETRY_MS = 1;

export interface AdapterClientOptions {
  /** The IUT's command line, run through the shell: `python3 examples/python-host/host.py --bug x`. */
  command: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  startupTimeoutMs?: number;
  lineBytesMax?: number;
  stderrLinesMax?: number;
  closeGraceMs?: number;
}

export type { RawAnswer };

type WorkerMessage =
  | { op: 'gone'; describe: string; clean: boolean; spawnError: string | null }
  | { op: 'killed' | 'closed'; stderrTail: string[]; exit: string };

type GoneMessage = Extract<WorkerMessage, { op: 'gone' }>;

export interface ExchangeStats {
  /** Requests answered after the first (the first also waits for the IUT to start). */
  requests: number;
  /** Wall time spent waiting for those answers. */
  waitMs: number;
  /** Wall time from spawning the IUT to its first answer. */
  startupMs: number;
}

/** The file descriptors of the IUT's two pipes. */
interface Pipes {
  /** The main thread's: its stdin's write end (non-blocking), its stdout's read end (blocking), and the same read end non-blocking. */
  inWrite: number;
  outRead: number;
  outPeek: number;
  /** Handed to the worker: the ends the guard (and so the IUT) gets, and a write end of stdout to wake the main thread. */
  inRead: number;
  outWrite: number;
  wake: number;
}

/**
 * Makes the IUT's stdin and stdout as named pipes and opens every end needed. Each open
 * returns at once: a pipe's first end is opened non-blocking, which never waits for the other
 * side, and every blocking open finds its other side already open. The directory is removed
 * before returning; the descriptors keep the pipes alive.
 */
function openPipes(): Pipes {
  const dir = mkdtempSync(join(tmpdir(), 'hmip6-adapter-'));
  const opened: number[] = [];
  const open = (path: string, flags: number): number => {
    const fd = openSync(path, flags);
    opened.push(fd);
    return fd;
  };
  try {
    const input = join(dir, 'stdin');
    const output = join(dir, 'stdout');
    const made = spawnSync('mkfifo', ['-m', '600', input, output], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (made.status !== 0) {
      throw new Error(`mkfifo failed: ${made.error?.message ?? (made.stderr.trim() || `status ${made.status}`)}`);
    }
    const { O_RDONLY, O_WRONLY, O_NONBLOCK } = constants;
    const outPeek = open(output, O_RDONLY | O_NONBLOCK);
    const outWrite = open(output, O_WRONLY);
    const outRead = open(output, O_RDONLY);
    const wake = open(output, O_WRONLY | O_NONBLOCK);
    const inHold = open(input, O_RDONLY | O_NONBLOCK);
    const inWrite = open(input, O_WRONLY | O_NONBLOCK);
    const inRead = open(input, O_RDONLY);
    closeSync(inHold);
    return { inWrite, outRead, outPeek, inRead, outWrite, wake };
  } catch (e) {
    for (const fd of opened) closeQuietly(fd);
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/** What the read of an answer came to, when it is not the answer line (objects: a line is any string). */
const TIMEOUT = { outcome: 'timeout' } as const;
const GONE = { outcome: 'gone' } as const;
const TOO_LONG = { outcome: 'too-long' } as const;
type Outcome = typeof TIMEOUT | typeof GONE | typeof TOO_LONG;

export class AdapterClient {
  private readonly worker: Worker | null = null;
  private readonly port: MessagePort | null = null;
  private readonly ctl: Int32Array;
  private readonly deadline: Float64Array;
  private readonly pipes: Pipes | null = null;
  /** Why the pipes or the worker could not be made: the first request fails with it. */
  private readonly setupError: string | null = null;
  private readonly timeoutMs: number;
  private readonly startupTimeoutMs: number;
  private readonly lineBytesMax: number;
  private nextId = 1;
  private seq = 0;
  private failureError: AdapterError | null = null;
  private stopped = false;
  private answeredOnce = false;
  private workerReady = false;
  private stdinClosed = false;
  private guardEndsClosed = false;
  /** A flood seen in the output that came with an answer: the next request fails with it. */
  private pendingFailure: { kind: AdapterErrorKind; message: string } | null = null;
  /** The worker's `gone` message, once read off the port. */
  private goneMessage: GoneMessage | null = null;
  /** Name of the last request answered, for messages about what came after. */
  private lastAnswered: string | null = null;
  /** The IUT's output read and not yet taken: bytes [readStart, readEnd) of readBuffer, searched for a newline up to readScan. */
  private readBuffer: Buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private readStart = 0;
  private readEnd = 0;
  private readScan = 0;
  private writeBuffer: Buffer = Buffer.allocUnsafe(4096);
  /** The last request sent, for failures found in its answer by the caller. */
  private last: Pick<AdapterFailure, 'request' | 'requestId' | 'requestType'> = {
    request: '(none yet)',
    requestId: null,
    requestType: null,
  };
  /** The IUT's stderr tail when it was stopped. */
  private finalStderr: string[] = [];
  readonly stats: ExchangeStats = { requests: 0, waitMs: 0, startupMs: 0 };
  private readonly spawnedAt = performance.now();

  constructor(readonly options: AdapterClientOptions) {
    this.timeoutMs = options.timeoutMs ?? TIMEOUT_MS_DEFAULT;
    this.startupTimeoutMs = Math.max(options.startupTimeoutMs ?? STARTUP_TIMEOUT_MS_DEFAULT, this.timeoutMs);
    this.lineBytesMax = options.lineBytesMax ?? LINE_BYTES_MAX;
    const sab = new SharedArrayBuffer(DEADLINE_OFFSET + Float64Array.BYTES_PER_ELEMENT);
    this.ctl = new Int32Array(sab, 0, SLOTS);
    this.deadline = new Float64Array(sab, DEADLINE_OFFSET, 1);
    let pipes: Pipes;
    try {
      pipes = openPipes();
    } catch (e) {
      this.setupError = `could not start the IUT: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    this.pipes = pipes;
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.worker = new Worker(new URL('./io-worker.mjs', import.meta.url), {
      workerData: {
        command: options.command,
        cwd: options.cwd ?? process.cwd(),
        env: options.env ?? process.env,
        ctl: sab,
        slot: SLOT,
        deadlineOffset: DEADLINE_OFFSET,
        port: channel.port2,
        guardPath: fileURLToPath(new URL('./guard.mjs', import.meta.url)),
        stdinFd: pipes.inRead,
        stdoutFd: pipes.outWrite,
        wakeFd: pipes.wake,
        timeoutPollMs: Math.max(5, Math.min(50, Math.floor(this.timeoutMs / 20))),
        stderrLinesMax: options.stderrLinesMax ?? STDERR_LINES_MAX,
        closeGraceMs: options.closeGraceMs ?? CLOSE_GRACE_MS,
      },
      transferList: [channel.port2],
      // The worker is plain JavaScript; it needs none of the parent's loader flags.
      execArgv: [],
    });
    // The process may exit while the worker still tidies up.
    this.worker.unref();
  }

  /** The sticky failure, once the IUT failed; null while it behaves. */
  get failure(): AdapterError | null {
    return this.failureError;
  }

  /** The IUT's last stderr lines after it was stopped (closed, killed or failed). */
  get stderrTail(): string[] {
    return this.failureError?.failure.stderrTail ?? this.finalStderr;
  }

  /**
   * Sends one request and waits for its answer, checking the framing: one JSON object, the
   * request's `id`, `ok` a boolean, `error` a string when `ok` is false. Throws AdapterError.
   */
  request(type: string, fields: Record<string, unknown> = {}, describe?: string): RawAnswer {
    const id = this.nextId++;
    // `#N` names packet N in stories and reasons; a request is `request N (type, …)` by its protocol id.
    const name = `request ${id} (${type}${describe !== undefined ? `, ${describe}` : ''})`;
    this.last = { request: name, requestId: id, requestType: type };
    if (this.failureError !== null) throw this.failureError;
    if (this.stopped)
      throw this.raise({
        request: name,
        requestId: id,
        requestType: type,
        kind: 'crash',
        message: 'the IUT was already stopped',
        stderrTail: this.finalStderr,
      });
    const base = { request: name, requestId: id, requestType: type };
    if (this.setupError !== null) throw this.stopWith({ ...base, kind: 'crash', message: this.setupError });
    if (this.pendingFailure !== null) throw this.stopWith({ ...base, ...this.pendingFailure });
    const line = JSON.stringify({ id, type, ...fields });
    const seq = ++this.seq;
    const timeoutMs = this.answeredOnce ? this.timeoutMs : this.startupTimeoutMs;
    const started = performance.now();
    const deadline = started + timeoutMs;
    // The deadline before the slot: the worker reads it only after seeing this request's number.
    this.deadline[0] = performance.timeOrigin + deadline;
    Atomics.store(this.ctl, SLOT.waiting, seq);
    // Read after the slot is set: an exit the worker saw before it is seen here, one after it
    // wakes the read below.
    if (Atomics.load(this.ctl, SLOT.gone) !== 0) {
      Atomics.store(this.ctl, SLOT.waiting, 0);
      throw this.exitFailure(base, false);
    }
    let answer: string | Outcome = this.writeLine(line, seq, deadline) ?? this.readLine(seq, deadline);
    // The request is the main thread's only if the worker has not timed it out meanwhile.
    if (typeof answer === 'string' && Atomics.compareExchange(this.ctl, SLOT.waiting, seq, 0) !== seq) {
      answer = TIMEOUT;
    }
    if (this.answeredOnce) {
      this.stats.requests += 1;
      this.stats.waitMs += performance.now() - started;
    } else {
      this.stats.startupMs = performance.now() - this.spawnedAt;
    }
    if (answer === TIMEOUT) {
      const tail = this.kill();
      throw this.raise({
        ...base,
        kind: 'hang',
        message: `no answer within ${timeoutMs} ms (request: ${preview(line)})`,
        stderrTail: tail,
      });
    }
    if (answer === GONE) throw this.exitFailure(base, true);
    // What is left is a line over the limit.
    if (typeof answer !== 'string') throw this.stopWith({ ...base, kind: 'flood', message: this.tooLong() });
    this.answeredOnce = true;
    this.lastAnswered = name;
    this.checkNothingMore(name);
    return this.frame(base, answer);
  }

  private frame(base: Pick<AdapterFailure, 'request' | 'requestId' | 'requestType'>, line: string): RawAnswer {
    const framed = frameAnswer(line, base.requestId, base.request);
    if (!framed.ok) throw this.stopWith({ ...base, ...framed.failure });
    return framed.answer;
  }

  private tooLong(): string {
    return `wrote a line longer than ${this.lineBytesMax} bytes (the limit is one line of at most ${this.lineBytesMax} bytes per answer)`;
  }

  /**
   * After an answer: another complete line (or a partial one over the limit) already read
   * with it is a flood, which the next request fails with.
   */
  private checkNothingMore(answered: string): void {
    if (this.readStart === this.readEnd) return;
    const line = this.nextLine();
    if (line === null) return;
    this.pendingFailure = {
      kind: 'flood',
      message:
        typeof line !== 'string'
          ? this.tooLong()
          : `wrote a line that answers no request (after its answer to ${answered}): ${preview(line)}; the protocol allows exactly one line per request`,
    };
  }

  /** Writes the request line to the IUT's stdin; null when written (or when the IUT no longer reads it). */
  private writeLine(line: string, seq: number, deadline: number): Outcome | null {
    const pipes = this.pipes!;
    // At most three bytes of UTF-8 per UTF-16 unit.
    if (this.writeBuffer.length < line.length * 3 + 1) this.writeBuffer = Buffer.allocUnsafe(line.length * 3 + 1);
    const buffer = this.writeBuffer;
    const length = buffer.write(line, 0, 'utf8') + 1;
    buffer[length - 1] = 0x0a;
    let written = 0;
    for (;;) {
      try {
        written += writeSync(pipes.inWrite, buffer, written, length - written);
        if (written === length) return null;
        continue;
      } catch (e) {
        const code = errorCode(e);
        // No reader left: the IUT closed its stdin or exited; its exit (or silence) says the rest.
        if (code === 'EPIPE') return null;
        if (code !== 'EAGAIN' && code !== 'EINTR') throw e;
      }
      // The pipe is full: the IUT is not reading. Wait for it within the request's time.
      const outcome = this.interrupted(seq, deadline);
      if (outcome !== null) return outcome;
      Atomics.wait(this.ctl, SLOT.gone, 0, WRITE_RETRY_MS);
    }
  }

  /** Whether the wait for request `seq` is over for another reason than its answer. */
  private interrupted(seq: number, deadline: number): Outcome | null {
    if (Atomics.load(this.ctl, SLOT.waiting) !== seq) return TIMEOUT;
    if (Atomics.load(this.ctl, SLOT.gone) !== 0) return GONE;
    if (performance.now() > deadline && Atomics.compareExchange(this.ctl, SLOT.waiting, seq, -seq) === seq)
      return TIMEOUT;
    return null;
  }

  /** Reads until a whole line, the deadline, or the IUT's end. */
  private readLine(seq: number, deadline: number): string | Outcome {
    if (!this.workerReady) {
      // Before the first blocking read, the worker must be there to end it.
      const remaining = deadline - performance.now();
      if (remaining > 0) Atomics.wait(this.ctl, SLOT.ready, 0, remaining);
      if (Atomics.load(this.ctl, SLOT.ready) === 0) return TIMEOUT;
      this.workerReady = true;
      // The guard holds its own copies of its ends now.
      this.closeGuardEnds();
    }
    for (;;) {
      const line = this.nextLine();
      if (line !== null) return line;
      const outcome = this.interrupted(seq, deadline);
      if (outcome === GONE) {
        // Whatever the IUT wrote before it exited is in the pipe: an answer there still counts.
        this.drain();
        return this.nextLine() ?? GONE;
      }
      if (outcome !== null) return outcome;
      if (!this.fill(this.pipes!.outRead)) {
        // End of file: every writer is gone, the worker's included. Its message says why.
        return GONE;
      }
    }
  }

  /**
   * The next whole line read (without its newline, nor a carriage return before it), TOO_LONG
   * for a line over the limit, null when no whole line is there yet.
   */
  private nextLine(): string | typeof TOO_LONG | null {
    const buffer = this.readBuffer;
    const nl = this.readScan < this.readEnd ? buffer.subarray(this.readScan, this.readEnd).indexOf(0x0a) : -1;
    if (nl < 0) {
      this.readScan = this.readEnd;
      return this.readEnd - this.readStart > this.lineBytesMax ? TOO_LONG : null;
    }
    const end = this.readScan + nl;
    const start = this.readStart;
    this.readStart = this.readScan = end + 1;
    if (end - start > this.lineBytesMax) return TOO_LONG;
    return buffer.toString('utf8', start, end > start && buffer[end - 1] === 0x0d ? end - 1 : end);
  }

  /** Reads once from `fd` into the buffer; false at end of file or when nothing is there (non-blocking). */
  private fill(fd: number): boolean {
    if (this.readStart === this.readEnd) {
      this.readStart = this.readEnd = this.readScan = 0;
    } else if (this.readEnd === this.readBuffer.length) {
      if (this.readStart > 0) {
        this.readBuffer.copy(this.readBuffer, 0, this.readStart, this.readEnd);
        this.readEnd -= this.readStart;
        this.readScan -= this.readStart;
        this.readStart = 0;
      } else {
        // A partial line fills the buffer: grow it (nextLine stops a line over the limit first).
        const grown = Buffer.allocUnsafe(Math.min(this.readBuffer.length * 2, this.lineBytesMax + READ_BUFFER_BYTES));
        this.readBuffer.copy(grown, 0, 0, this.readEnd);
        this.readBuffer = grown;
      }
    }
    for (;;) {
      try {
        const n = readSync(fd, this.readBuffer, this.readEnd, this.readBuffer.length - this.readEnd, null);
        this.readEnd += n;
        return n > 0;
      } catch (e) {
        const code = errorCode(e);
        if (code === 'EINTR') continue;
        if (code === 'EAGAIN' && fd === this.pipes!.outPeek) return false;
        if (code === 'EAGAIN') {
          Atomics.wait(this.ctl, SLOT.gone, 0, WRITE_RETRY_MS);
          return true;
        }
        throw e;
      }
    }
  }

  /** Reads whatever is left in the stdout pipe, without blocking. */
  private drain(): void {
    while (this.readEnd - this.readStart <= this.lineBytesMax && this.fill(this.pipes!.outPeek)) {
      // Until the pipe is empty, or a line is over the limit.
    }
  }

  /** The IUT exited (or could not start): the failure that is, for the request `base`. */
  private exitFailure(
    base: Pick<AdapterFailure, 'request' | 'requestId' | 'requestType'>,
    waiting: boolean,
  ): AdapterError {
    const gone = this.goneMessage ?? this.waitFor((m) => m.op === 'gone', CLEANUP_WAIT_MS);
    if (gone === null || gone.op !== 'gone')
      return this.stopWith({ ...base, kind: 'crash', message: 'the I/O worker stopped' });
    if (gone.spawnError !== null) return this.stopWith({ ...base, kind: 'crash', message: gone.spawnError });
    const when = waiting
      ? `while ${base.request} waited for its answer`
      : this.lastAnswered !== null
        ? `after answering ${this.lastAnswered}, before any shutdown request`
        : 'before answering any request';
    return this.stopWith({ ...base, kind: gone.clean ? 'early-exit' : 'crash', message: `${gone.describe} ${when}` });
  }

  /**
   * Records a failure the caller found in the answer to the last request (a bad shape, a
   * refusal it cannot work with): kills the IUT; every later request throws the same error.
   */
  fail(kind: AdapterErrorKind, message: string): AdapterError {
    return this.stopWith({ ...this.last, kind, message });
  }

  private stopWith(failure: Omit<AdapterFailure, 'stderrTail'>): AdapterError {
    if (this.failureError !== null) return this.failureError;
    const tail = this.kill();
    return this.raise({ ...failure, stderrTail: tail });
  }

  private raise(failure: AdapterFailure): AdapterError {
    this.failureError ??= new AdapterError(failure);
    return this.failureError;
  }

  /**
   * Waits for a worker message matching `want`, at most `timeoutMs`; other messages are
   * dropped, but for the `gone` message, which is kept. Null on timeout.
   */
  private waitFor(want: (m: WorkerMessage) => boolean, timeoutMs: number): WorkerMessage | null {
    if (this.port === null) return null;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // Read the counter before the port: a message posted after the read changes the
      // counter, so the wait below returns at once instead of missing it.
      const seen = Atomics.load(this.ctl, SLOT.messages);
      for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
        const message = m.message as WorkerMessage;
        if (message.op === 'gone') this.goneMessage ??= message;
        if (want(message)) return message;
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) return null;
      Atomics.wait(this.ctl, SLOT.messages, seen, remaining);
    }
  }

  /** Kills the IUT's process group at once and returns its stderr tail. */
  private kill(): string[] {
    if (this.stopped) return this.finalStderr;
    this.stopped = true;
    if (this.port === null) return this.finalStderr;
    this.port.postMessage({ op: 'kill' });
    const done = this.waitFor((m) => m.op === 'killed' || m.op === 'closed', CLEANUP_WAIT_MS);
    this.finish(done !== null);
    this.finalStderr = done !== null && (done.op === 'killed' || done.op === 'closed') ? done.stderrTail : [];
    return this.finalStderr;
  }

  /**
   * Ends the session: `shutdown` (if the IUT is healthy and `shutdown` is wanted), then the
   * IUT gets CLOSE_GRACE_MS to exit before its process group is killed. Never throws; always
   * leaves no process behind. Returns the IUT's stderr tail.
   */
  close(options: { shutdown?: boolean } = {}): string[] {
    if (this.stopped) return this.stderrTail;
    if ((options.shutdown ?? true) && this.failureError === null) {
      try {
        this.request('shutdown');
      } catch {
        // A failure here is recorded (sticky); the IUT is already killed.
      }
    }
    if (this.stopped) return this.stderrTail;
    this.stopped = true;
    if (this.port === null) return this.stderrTail;
    // End of file on the IUT's stdin: an IUT may exit on it.
    this.closeStdin();
    this.port.postMessage({ op: 'close' });
    const done = this.waitFor((m) => m.op === 'closed' || m.op === 'killed', CLEANUP_WAIT_MS);
    this.finish(done !== null);
    this.finalStderr = done !== null && (done.op === 'closed' || done.op === 'killed') ? done.stderrTail : [];
    return this.stderrTail;
  }

  /** The ends the worker handed to the guard; closed by this thread, which opened them. */
  private closeGuardEnds(): void {
    if (this.guardEndsClosed || this.pipes === null) return;
    this.guardEndsClosed = true;
    closeQuietly(this.pipes.inRead);
    closeQuietly(this.pipes.outWrite);
  }

  private closeStdin(): void {
    if (this.stdinClosed || this.pipes === null) return;
    this.stdinClosed = true;
    closeQuietly(this.pipes.inWrite);
  }

  /**
   * Closes every descriptor, the wake end only once the worker said its last word (`ended`):
   * it writes to it until then, and a descriptor number closed under it could be another
   * file's by the time it writes.
   */
  private finish(ended: boolean): void {
    if (this.pipes !== null) {
      this.closeStdin();
      if (Atomics.load(this.ctl, SLOT.ready) !== 0 || ended) this.closeGuardEnds();
      closeQuietly(this.pipes.outRead);
      closeQuietly(this.pipes.outPeek);
      if (ended) closeQuietly(this.pipes.wake);
    }
    this.port?.close();
    void this.worker?.terminate();
  }
}
