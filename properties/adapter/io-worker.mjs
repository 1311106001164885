// The oracle's I/O thread (properties/adapter/client.ts explains the design). It runs the
// implementation under test (IUT) through the guard (guard.mjs), writes each request line to
// its stdin, splits its stdout into lines and hands each answer to the main thread, which
// waits for it with Atomics.wait: the world stays synchronous, the child process does not.
//
// What it enforces (ADAPTER-PROTOCOL.md "Limits the oracle enforces"):
//   - one line per request: a line that answers no pending request is a flood;
//   - a line of at most `lineBytesMax` bytes (1 MiB): a longer one is a flood, and reading
//     stops there (memory stays bounded whatever the IUT writes);
//   - the IUT exits only after `shutdown`: before, an exit is a crash (non-zero status or a
//     signal) or an early exit (status 0).
// It keeps the last `stderrLinesMax` lines of stderr for the report.
//
// Messages on the port, main thread → worker:
//   {op: 'request', seq, name, line, shutdown}   write one request line
//   {op: 'kill'}                       the main thread gave up (timeout): kill everything
//   {op: 'close'}                      orderly end: close stdin, wait, then kill
// worker → main thread (each followed by Atomics.notify on ctl[0]):
//   {op: 'answer', seq, line}
//   {op: 'failure', seq, kind, message, stderrTail}
//   {op: 'killed' | 'closed', stderrTail, exit}
// Plain JavaScript: worker threads do not inherit the TypeScript loader.

import { spawn } from 'node:child_process';
import { workerData } from 'node:worker_threads';

const { command, cwd, env, ctl: ctlBuffer, port, guardPath, lineBytesMax, stderrLinesMax, closeGraceMs } = workerData;
const ctl = new Int32Array(ctlBuffer);

/** Characters of a line quoted in a message. */
const PREVIEW_CHARS = 160;
/** Characters kept of one stderr line. */
const STDERR_LINE_CHARS = 400;
/** After SIGTERM to the guard, SIGKILL follows this late. */
const KILL_ESCALATION_MS = 500;
/** Exit status of a shell that could not find the command (POSIX). */
const SHELL_COMMAND_NOT_FOUND = 127;

function post(message) {
  port.postMessage(message);
  Atomics.add(ctl, 0, 1);
  Atomics.notify(ctl, 0);
}

function preview(text) {
  const oneLine = JSON.stringify(text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);
  return oneLine;
}

// ---- state ---------------------------------------------------------------------------------

/** The request waiting for its answer line: {seq, name}. */
let pending = null;
/** Name of the last request answered, for messages about what came after. */
let lastAnswered = null;
/** The first protocol failure: {kind, message}. Everything after it is ignored. */
let failure = null;
let closing = false;
let closed = false;
/** `shutdown` was sent: the IUT may exit once it has answered it. */
let exitExpected = false;
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

// ---- the guard and the IUT ---------------------------------------------------------------------

const guard = spawn(process.execPath, [guardPath, command], { cwd, env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
const control = guard.stdio[3];

guard.stdin.on('error', () => {
  // EPIPE: the IUT is gone; its exit is reported below.
});
guard.on('error', (error) => fail('crash', `could not start the IUT: ${error.message}`));

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

// stdout: one JSON line per request.
let chunks = [];
let partialBytes = 0;
guard.stdout.on('data', (buffer) => {
  let start = 0;
  while (failure === null && !closing) {
    const nl = buffer.indexOf(10, start);
    const piece = buffer.subarray(start, nl < 0 ? buffer.length : nl);
    if (partialBytes + piece.length > lineBytesMax) {
      fail(
        'flood',
        `wrote a line longer than ${lineBytesMax} bytes (the limit is one line of at most ${lineBytesMax} bytes per answer)`,
      );
      return;
    }
    if (nl < 0) {
      chunks.push(piece);
      partialBytes += piece.length;
      return;
    }
    chunks.push(piece);
    const line = Buffer.concat(chunks).toString('utf8');
    chunks = [];
    partialBytes = 0;
    onLine(line);
    start = nl + 1;
  }
});

function onLine(raw) {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (pending === null) {
    const after = lastAnswered === null ? 'before any request' : `after its answer to ${lastAnswered}`;
    fail(
      'flood',
      `wrote a line that answers no request (${after}): ${preview(line)}; the protocol allows exactly one line per request`,
    );
    return;
  }
  const p = pending;
  pending = null;
  lastAnswered = p.name;
  post({ op: 'answer', seq: p.seq, line });
}

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
  if (!closing && failure === null && (!exitExpected || pending !== null)) {
    const clean = info.exit === 0 && (info.signal === null || info.signal === undefined) && info.error === undefined;
    const when =
      pending !== null
        ? `while ${pending.name} waited for its answer`
        : lastAnswered !== null
          ? `after answering ${lastAnswered}, before any shutdown request`
          : 'before answering any request';
    fail(clean ? 'early-exit' : 'crash', `${describeExit(info)} ${when}`);
  }
  if (waitingForClose !== null) {
    post({ op: waitingForClose, stderrTail: tail(), exit: describeExit(info) });
    waitingForClose = null;
    port.close();
  }
});

// ---- failures and cleanup ----------------------------------------------------------------------

function fail(kind, message) {
  if (failure !== null || closing) return;
  failure = { kind, message };
  // From here on stdout is read and thrown away (the handler above ignores it): nothing the
  // IUT writes matters any more, and draining keeps the pipe from holding its exit up.
  if (pending !== null) reportFailure(pending.seq);
  kill();
}

function reportFailure(seq) {
  pending = null;
  post({ op: 'failure', seq, kind: failure.kind, message: failure.message, stderrTail: tail() });
}

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
  switch (message.op) {
    case 'request': {
      if (failure !== null) {
        pending = { seq: message.seq, name: message.name };
        reportFailure(message.seq);
        return;
      }
      pending = { seq: message.seq, name: message.name };
      if (message.shutdown === true) exitExpected = true;
      guard.stdin.write(`${message.line}\n`);
      return;
    }
    case 'kill': {
      failure ??= { kind: 'hang', message: 'killed by the oracle' };
      pending = null;
      if (closed) {
        post({ op: 'killed', stderrTail: tail(), exit: describeExit(exitInfo) });
        port.close();
        return;
      }
      waitingForClose = 'killed';
      kill();
      return;
    }
    case 'close': {
      closing = true;
      pending = null;
      if (closed) {
        post({ op: 'closed', stderrTail: tail(), exit: describeExit(exitInfo) });
        port.close();
        return;
      }
      waitingForClose = 'closed';
      guard.stdin.end();
      setTimeout(() => {
        if (!closed) kill();
      }, closeGraceMs);
      return;
    }
    default:
      return;
  }
});
