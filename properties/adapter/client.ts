// The client side of the adapter protocol (ADAPTER-PROTOCOL.md): runs an implementation under
// test (IUT) as a child process and exchanges one JSON line per request with it,
// synchronously.
//
// Why synchronous: the world calls `alice.receive(bytes, now)` and needs the answer at once
// (the `Host` interface, impl/host/types.ts), while a child process answers on its own time.
// The world stays synchronous and the bridge is here:
//   - a worker thread (io-worker.mjs) owns the child: it writes request lines, splits stdout
//     into lines, enforces the line and flood limits and keeps the stderr tail;
//   - the main thread posts a request to the worker and blocks in `Atomics.wait` on a
//     SharedArrayBuffer counter, with the request's timeout; the worker posts the answer on a
//     MessagePort and bumps the counter; the main thread wakes and takes the message with
//     `receiveMessageOnPort`. A round trip costs tens of microseconds (bench/oracle-throughput.ts).
// The child runs under a guard process (guard.mjs) in a process group of its own; the guard
// kills the whole group when the oracle closes it, dies, or is interrupted.
//
// Every failure (exit, timeout, a line that is not JSON, a wrong id, too much output) becomes
// an AdapterError naming the request; it is sticky: the IUT is killed and every later request
// throws the same error.

import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
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
  | { op: 'answer'; seq: number; line: string }
  | { op: 'failure'; seq: number; kind: AdapterErrorKind; message: string; stderrTail: string[] }
  | { op: 'killed' | 'closed'; stderrTail: string[]; exit: string };

export interface ExchangeStats {
  /** Requests answered after the first (the first also waits for the IUT to start). */
  requests: number;
  /** Wall time spent waiting for those answers. */
  waitMs: number;
  /** Wall time from spawning the IUT to its first answer. */
  startupMs: number;
}

export class AdapterClient {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctl: Int32Array;
  private readonly timeoutMs: number;
  private readonly startupTimeoutMs: number;
  private nextId = 1;
  private seq = 0;
  private failureError: AdapterError | null = null;
  private stopped = false;
  private answeredOnce = false;
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
    const channel = new MessageChannel();
    this.port = channel.port1;
    const sab = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.ctl = new Int32Array(sab);
    this.worker = new Worker(new URL('./io-worker.mjs', import.meta.url), {
      workerData: {
        command: options.command,
        cwd: options.cwd ?? process.cwd(),
        env: options.env ?? process.env,
        ctl: sab,
        port: channel.port2,
        guardPath: fileURLToPath(new URL('./guard.mjs', import.meta.url)),
        lineBytesMax: options.lineBytesMax ?? LINE_BYTES_MAX,
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
    const line = JSON.stringify({ id, type, ...fields });
    const seq = ++this.seq;
    const timeoutMs = this.answeredOnce ? this.timeoutMs : this.startupTimeoutMs;
    const started = performance.now();
    this.port.postMessage({ op: 'request', seq, name, line, shutdown: type === 'shutdown' });
    const message = this.waitFor((m) => (m.op === 'answer' || m.op === 'failure') && m.seq === seq, timeoutMs);
    if (this.answeredOnce) {
      this.stats.requests += 1;
      this.stats.waitMs += performance.now() - started;
    } else {
      this.stats.startupMs = performance.now() - this.spawnedAt;
    }
    const base = { request: name, requestId: id, requestType: type };
    if (message === null) {
      const tail = this.kill();
      throw this.raise({
        ...base,
        kind: 'hang',
        message: `no answer within ${timeoutMs} ms (request: ${preview(line)})`,
        stderrTail: tail,
      });
    }
    if (message.op === 'failure')
      throw this.raise({ ...base, kind: message.kind, message: message.message, stderrTail: message.stderrTail });
    if (message.op !== 'answer')
      throw this.raise({ ...base, kind: 'crash', message: 'the I/O worker stopped', stderrTail: [] });
    this.answeredOnce = true;
    return this.frame(base, message.line);
  }

  private frame(base: Pick<AdapterFailure, 'request' | 'requestId' | 'requestType'>, line: string): RawAnswer {
    const framed = frameAnswer(line, base.requestId, base.request);
    if (!framed.ok) throw this.stopWith({ ...base, ...framed.failure });
    return framed.answer;
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
   * Waits for a worker message matching `want`, at most `timeoutMs`; other messages (late
   * answers to requests given up on) are dropped. Null on timeout.
   */
  private waitFor(want: (m: WorkerMessage) => boolean, timeoutMs: number): WorkerMessage | null {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // Read the counter before the port: a message posted after the read changes the
      // counter, so the wait below returns at once instead of missing it.
      const seen = Atomics.load(this.ctl, 0);
      for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
        const message = m.message as WorkerMessage;
        if (want(message)) return message;
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) return null;
      Atomics.wait(this.ctl, 0, seen, remaining);
    }
  }

  /** Kills the IUT's process group at once and returns its stderr tail. */
  private kill(): string[] {
    if (this.stopped) return this.finalStderr;
    this.stopped = true;
    this.port.postMessage({ op: 'kill' });
    const done = this.waitFor((m) => m.op === 'killed' || m.op === 'closed', CLEANUP_WAIT_MS);
    this.finish();
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
    this.port.postMessage({ op: 'close' });
    const done = this.waitFor((m) => m.op === 'closed' || m.op === 'killed', CLEANUP_WAIT_MS);
    this.finish();
    this.finalStderr = done !== null && (done.op === 'closed' || done.op === 'killed') ? done.stderrTail : [];
    return this.stderrTail;
  }

  private finish(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
