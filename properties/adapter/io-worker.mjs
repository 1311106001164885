// The oracle's I/O thread (properties/adapter/client.ts explains the design). It runs the
// implementation under test (IUT) through the guard (guard.mjs), with the two named pipes the
// main thread made as the IUT's stdin and stdout: the main thread writes the requests and
// reads the answers itself. This thread does everything else:
//   - keeps the last `stderrLinesMax` lines of the IUT's stderr for the report;
//   - sees the IUT exit (or fail to start) and says so: the `gone` message, then the `gone`
//     slot, then a wake byte if the main thread is waiting for an answer;
//   - ends a wait that outlives its deadline: it takes the request from the main thread (the
//     `waiting` slot swapped for its negation) and wakes it; the main thread then kills;
//   - kills the IUT's process group, or closes it in order, when the main thread asks.
//
// A main thread blocked reading the stdout pipe is woken by one byte written to that pipe (the
// wake descriptor, non-blocking): after a timeout or an exit nothing more is read from the pipe
// as an answer, except the lines the IUT wrote before it exited. Every descriptor is the main
// thread's, which opened them, to close.
//
// Messages on the port, main thread → worker:
//   {op: 'kill'}                       kill everything (a failure or a timeout)
//   {op: 'close'}                      orderly end: the main thread closed the IUT's stdin;
//                                      wait for the IUT to exit, then kill
// worker → main thread (each followed by a bump and Atomics.notify of the `messages` slot):
//   {op: 'gone', describe, clean, spawnError}   the IUT exited, or could not be started
//   {op: 'killed' | 'closed', stderrTail, exit}  the last message: the IUT's group is gone
// Plain JavaScript: worker threads do not inherit the TypeScript loader.

import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

const {
  command,
  cwd,
  env,
  ctl: ctlBuffer,
  slot: SLOT,
  deadlineOffset,
  port,
  guardPath,
  stdinFd,
  stdoutFd,
  wakeFd,
  timeoutPollMs,
  stderrLinesMax,
  closeGraceMs,
} = workerData;
const ctl = new Int32Array(ctlBuffer, 0, deadlineOffset / Int32Array.BYTES_PER_ELEMENT);
const deadline = new Float64Array(ctlBuffer, deadlineOffset, 1);

/** Characters kept of one stderr line. */
const STDERR_LINE_CHARS = 400;
/** After SIGTERM to the guard, SIGKILL follows this late. */
const KILL_ESCALATION_MS = 500;
/** Exit status of a shell that could not find the command (POSIX). */
const SHELL_COMMAND_NOT_FOUND = 127;
const WAKE_BYTE = new Uint8Array([0]);

function post(message) {
  port.postMessage(message);
  Atomics.add(ctl, SLOT.messages, 1);
  Atomics.notify(ctl, SLOT.messages);
}

// ---- state ---------------------------------------------------------------------------------

/** The main thread asked for the end ('kill' or 'close'): it waits for `killed` or `closed`. */
let ending = false;
let closed = false;
/** The `gone` message was posted. */
let gone = false;
/** The last message was posted: nothing more is said, and the wake descriptor is closed. */
let done = false;
/** What the guard said about the IUT: {pid} and then {exit, signal, error}. */
let iutPid = null;
let exitInfo = null;
/** Who wants to hear when the guard is gone: 'killed' or 'closed'. */
let waitingForClose = null;

const stderrTail = [];
let stderrPartial = '';

function keepStderrLine(line) {
  stderrTail.push(line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS)}…` : line);
  if (stderrTail.length > stderrLinesMax) stderrTail.shift();
}

function tail() {
  return stderrPartial.length > 0 ? [...stderrTail, stderrPartial] : [...stderrTail];
}

/** Ends the main thread's blocking read, if it is in one (or about to be). */
function wakeMain() {
  if (done) return;
  try {
    writeSync(wakeFd, WAKE_BYTE);
  } catch {
    // EAGAIN: the pipe is full, so the main thread has something to read and will look at the
    // slots; EPIPE: it no longer reads.
  }
}

function signalGone(message) {
  if (gone || ending) return;
  gone = true;
  post({ op: 'gone', ...message });
  // The slot after the message, so the main thread finds the message when it sees the slot;
  // the `waiting` slot after `gone`, so that a request started meanwhile sees `gone` itself.
  Atomics.store(ctl, SLOT.gone, 1);
  if (Atomics.load(ctl, SLOT.waiting) > 0) wakeMain();
}

function finish(op) {
  post({ op, stderrTail: tail(), exit: describeExit(exitInfo) });
  // From here on the wake descriptor is not touched: the main thread closes it.
  done = true;
  clearInterval(timeoutTimer);
  port.close();
}

// A failure of this thread must not leave the main thread blocked in its read.
process.on('uncaughtException', (error) => {
  signalGone({ describe: '', clean: false, spawnError: `the I/O worker failed: ${error?.message ?? String(error)}` });
});

// ---- timeouts -----------------------------------------------------------------------------------

function checkDeadline() {
  const seq = Atomics.load(ctl, SLOT.waiting);
  if (seq <= 0) return;
  const at = deadline[0];
  // The deadline is written before the slot: read between two equal reads of the slot, it is
  // that request's.
  if (Atomics.load(ctl, SLOT.waiting) !== seq) return;
  if (performance.timeOrigin + performance.now() <= at) return;
  if (Atomics.compareExchange(ctl, SLOT.waiting, seq, -seq) === seq) wakeMain();
}

const timeoutTimer = setInterval(checkDeadline, timeoutPollMs);

// ---- the guard and the IUT ---------------------------------------------------------------------

// The guard (and the IUT after it) gets its own copies of the pipes' ends: once `ready` is set,
// the main thread closes the ones it opened.
const guard = spawn(process.execPath, [guardPath, command], {
  cwd,
  env,
  stdio: [stdinFd, stdoutFd, 'pipe', 'pipe'],
});
Atomics.store(ctl, SLOT.ready, 1);
Atomics.notify(ctl, SLOT.ready);

const control = guard.stdio[3];

guard.on('error', (error) =>
  signalGone({ describe: '', clean: false, spawnError: `could not start the IUT: ${error.message}` }),
);

let controlBuffer = '';
control.on('data', (chunk) => {
  controlBuffer += chunk.toString('utf8');
  let nl;
  while ((nl = controlBuffer.indexOf('\n')) >= 0) {
    const text = controlBuffer.slice(0, nl);
    controlBuffer = controlBuffer.slice(nl + 1);
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof message.pid === 'number') iutPid = message.pid;
    if ('exit' in message) exitInfo = message;
  }
});
control.on('error', () => {});

guard.stderr.on('data', (chunk) => {
  const lines = (stderrPartial + chunk.toString('utf8')).split('\n');
  stderrPartial = lines.pop() ?? '';
  if (stderrPartial.length > STDERR_LINE_CHARS) stderrPartial = stderrPartial.slice(-STDERR_LINE_CHARS);
  for (const line of lines) keepStderrLine(line);
});

function describeExit(info) {
  if (info === null) return 'exited';
  if (info.error !== undefined) return `could not be started (${info.error})`;
  if (info.signal !== null && info.signal !== undefined) return `was killed by ${info.signal}`;
  if (info.exit === SHELL_COMMAND_NOT_FOUND)
    return `exited with status ${SHELL_COMMAND_NOT_FOUND} (the shell found no such command?)`;
  return `exited with status ${info.exit}`;
}

guard.on('close', (code, signal) => {
  closed = true;
  const info = exitInfo ?? { exit: code, signal };
  exitInfo = info;
  const clean = info.exit === 0 && (info.signal === null || info.signal === undefined) && info.error === undefined;
  signalGone({ describe: describeExit(info), clean, spawnError: null });
  if (waitingForClose !== null) {
    finish(waitingForClose);
    waitingForClose = null;
  }
});

// ---- ending ------------------------------------------------------------------------------------

function kill() {
  if (iutPid !== null) {
    try {
      process.kill(-iutPid, 'SIGKILL');
    } catch {
      // ESRCH: already gone.
    }
  }
  if (closed) return;
  guard.kill('SIGTERM');
  setTimeout(() => {
    if (!closed) guard.kill('SIGKILL');
  }, KILL_ESCALATION_MS);
}

port.on('message', (message) => {
  if (done) return;
  switch (message.op) {
    case 'kill': {
      ending = true;
      if (closed) {
        finish('killed');
        return;
      }
      waitingForClose ??= 'killed';
      kill();
      return;
    }
    case 'close': {
      ending = true;
      if (closed) {
        finish('closed');
        return;
      }
      waitingForClose ??= 'closed';
      setTimeout(() => {
        if (!closed) kill();
      }, closeGraceMs);
      return;
    }
    default:
      return;
  }
});
