// A reader that stops early (`hmip6 graph --format dot | head -1`) must not turn a command's
// verdict into a stack trace and exit 1: the output nobody reads is dropped and the command
// exits with the code its work earns.

import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'cli', 'bin.mjs');

/**
 * Runs `hmip6 args` with the reading end of `closed` (stdout or stderr) closed before the
 * command writes anything; the other stream is collected.
 */
function runWithClosedPipe(
  args: string[],
  closed: 'stdout' | 'stderr',
): Promise<{ code: number | null; other: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closing our end at once: the child takes far longer to start than this takes.
    child[closed].destroy();
    let other = '';
    const open = closed === 'stdout' ? child.stderr : child.stdout;
    open.setEncoding('utf8');
    open.on('data', (chunk: string) => (other += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, other }));
  });
}

describe('a command whose reader has gone', () => {
  it('graph_into_a_closed_pipe_exits_0_without_a_stack', async () => {
    const r = await runWithClosedPipe(['graph', '--format', 'dot'], 'stdout');
    expect(r.other).not.toMatch(/EPIPE|Error/);
    expect(r.code).toBe(0);
  });

  it('top_level_help_into_a_closed_pipe_exits_0', async () => {
    const r = await runWithClosedPipe(['--help'], 'stdout');
    expect(r.other).toBe('');
    expect(r.code).toBe(0);
  });

  it('a_usage_error_whose_stderr_is_closed_keeps_exit_3', async () => {
    const r = await runWithClosedPipe(['graph', '--format', 'nope'], 'stderr');
    expect(r.code).toBe(3);
  });

  it('check_runs_to_its_verdict_after_stdout_closes', async () => {
    const args = ['check', '--runs', '2', '--seed', '1', '--property', 'INV-BOUNDED', '--no-regression'];
    const read = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    const r = await runWithClosedPipe(args, 'stdout');
    expect(r.other).not.toMatch(/EPIPE|Error/);
    expect(r.code).toBe(read.status);
  });
});
