// The guard: a small process between the oracle and the implementation under test (IUT).
//
//   node guard.mjs "<command>"     stdin/stdout/stderr: passed to the IUT as they are
//                                  fd 3: a control pipe to the oracle
//
// It starts the IUT command through the shell in a process group of its own, so that the
// whole group (the shell, `npx`, the interpreter and anything they start) can be killed at
// once. It kills that group when:
//   - the oracle closes fd 3, or dies in any way (even SIGKILL: the pipe then closes),
//   - it receives SIGINT, SIGTERM or SIGHUP (Ctrl-C in a terminal reaches the guard, which
//     stays in the oracle's process group, even while the oracle's main thread is blocked
//     waiting for an answer and cannot run a signal handler of its own),
//   - the IUT's shell exits (whatever it left behind goes too).
//
// On fd 3 it writes one JSON line when the IUT has started, {"pid": n}, and one when it has
// exited, {"exit": code, "signal": name}; then it exits itself. Plain JavaScript without
// dependencies: it starts in a few tens of milliseconds and needs no TypeScript loader.

import { spawn } from 'node:child_process';
import { Socket } from 'node:net';

const CONTROL_FD = 3;
/** Exit status of the guard when the IUT could not even be started. */
const EXIT_SPAWN_FAILED = 127;

const command = process.argv[2];
const control = new Socket({ fd: CONTROL_FD, readable: true, writable: true });
control.on('error', () => {});

function report(message) {
  try {
    control.write(`${JSON.stringify(message)}\n`);
  } catch {
    // The oracle is gone; killing the group below is all that is left to do.
  }
}

if (typeof command !== 'string' || command.length === 0) {
  report({ exit: EXIT_SPAWN_FAILED, signal: null, error: 'no command given' });
  process.exit(EXIT_SPAWN_FAILED);
}

const child = spawn(command, { shell: true, detached: true, stdio: 'inherit' });
let exited = false;

function killGroup() {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already empty.
  }
}

child.on('spawn', () => report({ pid: child.pid }));
child.on('error', (error) => {
  if (exited) return;
  exited = true;
  report({ exit: EXIT_SPAWN_FAILED, signal: null, error: error.message });
  control.end(() => process.exit(EXIT_SPAWN_FAILED));
});
child.on('exit', (code, signal) => {
  if (exited) return;
  exited = true;
  killGroup();
  report({ exit: code, signal });
  control.end(() => process.exit(code ?? 1));
});

function stop() {
  killGroup();
  // After the IUT's exit the guard is already on its way out (above).
  if (!exited) process.exit(1);
}

// The oracle closed the control pipe or died.
control.on('end', stop);
control.on('close', stop);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);
