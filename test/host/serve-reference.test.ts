// `hmip6 serve-reference` as the oracle runs it: a child process speaking the adapter
// protocol on stdin/stdout (ADAPTER-PROTOCOL.md), through a whole reachability verification
// (§3.4.2), ending with `shutdown` and exit code 0.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../impl/wire/index.js';
import { A1, B1, B2, HandPeer, KEY_SHA1, addressIn, challengesIn, claimBu, responseTo } from './helpers.js';
import type { HostState } from '../../impl/host/index.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ANSWER_TIMEOUT_MS = 20_000;

/** A child `hmip6 serve-reference` and a way to ask it one request at a time. */
function serveReference(): {
  ask: (request: object) => Promise<Record<string, unknown>>;
  exit: Promise<number | null>;
  endInput: () => void;
} {
  const child = spawn(process.execPath, ['cli/bin.mjs', 'serve-reference'], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const pending: Array<(line: string) => void> = [];
  lines.on('line', (line) => pending.shift()?.(line));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ask = (request: object): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer to ${JSON.stringify(request)}; stderr: ${stderr}`)),
        ANSWER_TIMEOUT_MS,
      );
      pending.push((line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
      });
      child.stdin.write(JSON.stringify(request) + '\n');
    });
  return { ask, exit, endInput: () => child.stdin.end() };
}

function bytes(hex: unknown): Uint8Array {
  const b = typeof hex === 'string' ? fromHex(hex) : null;
  if (b === null) throw new Error(`not hex: ${String(hex)}`);
  return b;
}

describe('hmip6 serve-reference', () => {
  it('verifies_a_peer_address_over_the_adapter_protocol_and_exits_0_on_shutdown (§3.4.2)', async () => {
    const { ask, exit } = serveReference();
    expect(await ask({ id: 1, type: 'hello', protocol: 1 })).toMatchObject({
      id: 1,
      ok: true,
      name: 'hmip6-reference',
    });
    expect(
      await ask({
        id: 2,
        type: 'reset',
        now: 0,
        config: { localAddresses: [A1], params: { challengeLifetimeMs: 4000 }, seed: 11 },
      }),
    ).toEqual({ id: 2, ok: true });
    const addSA = await ask({
      id: 3,
      type: 'addSA',
      now: 0,
      sa: { peer: B1, inboundSpi: 300, outboundSpi: 400, alg: 'hmac-sha1-96', key: toHex(KEY_SHA1), kind: 'generic' },
    });
    expect(addSA).toMatchObject({ id: 3, ok: true });
    expect(addSA.sent).toHaveLength(1); // the Initial BU (rule 14)

    // Bob, made with the wire and crypto layers, claims B2.
    const bob = new HandPeer(300);
    const claim = await ask({ id: 4, type: 'receive', now: 100, packet: toHex(claimBu(bob, B1, A1, 1, B2)) });
    expect(claim).toMatchObject({ id: 4, ok: true, delivered: [] });
    const [challenge] = challengesIn((claim.sent as string[]).map(bytes), B2);
    expect(challenge).toBeDefined();
    let state = (await ask({ id: 5, type: 'state' })).state as HostState;
    expect(addressIn(state.entries[0], B2)).toMatchObject({
      status: 'tentative',
      challengeOutstanding: true,
      lifetime: { kind: 'absolute', expiresAt: 100 + 4000 },
    });

    // Bob answers with makeResponse (inside responseTo), from B2: the address becomes active.
    expect(await ask({ id: 6, type: 'receive', now: 200, packet: toHex(responseTo(challenge, bob, 2)) })).toMatchObject(
      { id: 6, ok: true },
    );
    state = (await ask({ id: 7, type: 'state' })).state as HostState;
    expect(addressIn(state.entries[0], B2)).toMatchObject({
      status: 'active',
      challengeOutstanding: false,
      lifetime: { kind: 'absolute', expiresAt: 200 + 600_000 },
    });

    expect(await ask({ id: 8, type: 'shutdown' })).toEqual({ id: 8, ok: true });
    expect(await exit).toBe(0);
  });

  it('exits_0_when_stdin_ends_without_shutdown', async () => {
    const { ask, exit, endInput } = serveReference();
    expect(await ask({ id: 1, type: 'hello', protocol: 1 })).toMatchObject({ ok: true });
    endInput();
    expect(await exit).toBe(0);
  });

  it('prints_its_help_and_exits_0', async () => {
    const child = spawn(process.execPath, ['cli/bin.mjs', 'serve-reference', '--help'], { cwd: PROJECT_ROOT });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/usage: hmip6 serve-reference/);
  });
});
