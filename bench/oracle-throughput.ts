// The conformance oracle's throughput: adapter-protocol exchanges per second over a child
// process, beside the same schedule in-process.
//
//   npx tsx bench/oracle-throughput.ts [runs] [seed]
//
// 1. One schedule of requests: the oracle's requests for `runs` runs of the suite (seed
//    `seed`), recorded from an in-process AdapterSession around the reference host.
// 2. That schedule replayed three ways, each exchange one request line and one answer line:
//      in-process   AdapterSession.handleLine (JSON both ways, no I/O)
//      subprocess   hmip6 serve-reference through the adapter client (worker thread,
//                   Atomics.wait, pipes, the guard), i.e. what `hmip6 oracle` pays per exchange
//      python       the Python example host through the same client
// 3. The whole check, world and properties included: runs per second with the reference host
//    in-process (hmip6 check) and over the subprocess (hmip6 oracle).

import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { AdapterSession } from '../impl/host/adapter.js';
import { seededRandom } from '../impl/host/random.js';
import type { Host, HostParams, HostState, ReceiveAnswer, SaConfig, SendAnswer, SendRequest, SentAnswer } from '../impl/host/types.js';
import { fromHex, toHex } from '../impl/wire/index.js';
import { AdapterClient } from '../properties/adapter/client.js';
import { runOracle } from '../properties/adapter/oracle.js';
import { runCheck } from '../properties/runner.js';
import { START_MS } from '../properties/world/constants.js';
import { REFERENCE_FEATURES } from '../properties/world/alice.js';
import type { AliceFactory } from '../properties/world/types.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const runs = Number(process.argv[2] ?? 30);
const seed = Number(process.argv[3] ?? 1);

type Fields = Record<string, unknown>;
const randomFactory = (s?: number): ((n: number) => Uint8Array) => (s === undefined ? (n: number) => new Uint8Array(randomBytes(n)) : seededRandom(s));

/** The reference host behind an in-process AdapterSession, recording every request it gets. */
function recordingAlice(schedule: { type: string; fields: Fields }[]): AliceFactory {
  const session = new AdapterSession({ randomFactory });
  let id = 0;
  const ask = (type: string, fields: Fields): Fields => {
    schedule.push({ type, fields });
    const answer = JSON.parse(session.handleLine(JSON.stringify({ id: ++id, type, ...fields }))) as Fields;
    return answer;
  };
  const sent = (a: Fields): Uint8Array[] => ((a.sent as string[] | undefined) ?? []).map((h) => fromHex(h) ?? new Uint8Array(0));
  const answerOf = <T extends object>(a: Fields, rest: T): ({ ok: true } & T) | { ok: false; error: string } =>
    a.ok === true ? { ok: true, ...rest } : { ok: false, error: String(a.error) };
  return {
    name: 'recording',
    features: REFERENCE_FEATURES,
    create(localAddresses: string[], params: HostParams, s: number): Host {
      ask('reset', { now: START_MS, config: { localAddresses, params, seed: s } });
      return {
        addSA: (sa: SaConfig, now: number): SentAnswer => {
          const a = ask('addSA', { now, sa: { ...sa, key: toHex(sa.key) } });
          return answerOf(a, { sent: sent(a) });
        },
        receive: (bytes: Uint8Array, now: number): ReceiveAnswer => {
          const a = ask('receive', { now, packet: toHex(bytes) });
          const delivered = ((a.delivered as Fields[] | undefined) ?? []).map((d) => ({ ...d, payload: fromHex(String(d.payload)) ?? new Uint8Array(0) })) as never;
          return answerOf(a, { sent: sent(a), delivered });
        },
        tick: (now: number): SentAnswer => {
          const a = ask('tick', { now });
          return answerOf(a, { sent: sent(a) });
        },
        send: (r: SendRequest, now: number): SendAnswer => {
          const a = ask('send', { now, to: r.to, proto: r.proto, payload: toHex(r.payload) });
          return answerOf(a, a.unreachable === true ? { sent: sent(a), unreachable: true as const } : { sent: sent(a) });
        },
        addLocalAddress: (address: string, now: number): SentAnswer => {
          const a = ask('addLocalAddress', { now, address });
          return answerOf(a, { sent: sent(a) });
        },
        removeLocalAddress: (address: string, now: number): SentAnswer => {
          const a = ask('removeLocalAddress', { now, address });
          return answerOf(a, { sent: sent(a) });
        },
        snapshot: (): HostState => ask('state', {}).state as HostState,
      };
    },
  };
}

function perSecond(n: number, ms: number): string {
  return `${Math.round((n * 1000) / ms).toLocaleString('en-US')}/s`;
}

async function main(): Promise<void> {
  const schedule: { type: string; fields: Fields }[] = [];
  await runCheck({ seed, numRuns: runs, alice: recordingAlice(schedule), properties: ['INV-ACTIVE-VERIFIED'] });
  process.stdout.write(`schedule: ${schedule.length} requests from ${runs} runs (seed ${seed})\n\n`);

  // In-process: the adapter session alone, JSON both ways.
  const session = new AdapterSession({ randomFactory });
  let t0 = performance.now();
  let id = 0;
  for (const r of schedule) JSON.parse(session.handleLine(JSON.stringify({ id: ++id, type: r.type, ...r.fields })));
  const inProcessMs = performance.now() - t0;
  process.stdout.write(`in-process AdapterSession   ${schedule.length} exchanges in ${inProcessMs.toFixed(0)} ms: ${perSecond(schedule.length, inProcessMs)}\n`);

  for (const [label, command] of [
    ['subprocess serve-reference', 'node cli/bin.mjs serve-reference'],
    ['subprocess python host    ', 'python3 examples/python-host/host.py'],
  ] as const) {
    const client = new AdapterClient({ command, cwd: ROOT });
    client.request('hello', { protocol: 1 });
    t0 = performance.now();
    for (const r of schedule) client.request(r.type, r.fields);
    const ms = performance.now() - t0;
    client.close();
    process.stdout.write(`${label}  ${schedule.length} exchanges in ${ms.toFixed(0)} ms: ${perSecond(schedule.length, ms)} (${((ms * 1000) / schedule.length).toFixed(0)} µs each)\n`);
  }

  process.stdout.write('\nthe whole check (world, properties, model), same seed and runs:\n');
  t0 = performance.now();
  const inProcess = await runCheck({ seed, numRuns: runs });
  const checkMs = performance.now() - t0;
  process.stdout.write(`  hmip6 check (in-process)            ${inProcess.verdict}, ${runs} runs in ${checkMs.toFixed(0)} ms: ${(runs / (checkMs / 1000)).toFixed(1)} runs/s\n`);
  for (const [label, command] of [
    ['hmip6 oracle (serve-reference)', 'node cli/bin.mjs serve-reference'],
    ['hmip6 oracle (python host)    ', 'python3 examples/python-host/host.py'],
  ] as const) {
    t0 = performance.now();
    const report = await runOracle({ command, cwd: ROOT, seed, numRuns: runs });
    const ms = performance.now() - t0;
    process.stdout.write(
      `  ${label}  ${report.verdict}, ${runs} runs in ${ms.toFixed(0)} ms: ${(runs / (ms / 1000)).toFixed(1)} runs/s; ${report.exchanges.requests} exchanges, ${perSecond(report.exchanges.requests, ms)} overall, ${perSecond(report.exchanges.requests, report.exchanges.waitMs)} while waiting\n`,
    );
  }
}

await main();
