// Oracle throughput: adapter-protocol exchanges per second with `hmip6 serve-reference` as a
// child process (what `hmip6 oracle` pays per exchange: the client's I/O worker, pipes, the
// line framing and JSON both ways), beside the very same exchanges handled in-process by the
// reference adapter session (JSON both ways, no I/O).
//
// The exchanges are those `hmip6 oracle` makes for the lockstep benchmark's schedules (the
// same seed, the first schedules of them): recorded once by running the world with Alice
// behind an in-process adapter session, so the child answers exactly as the recording did
// (a `reset` carries the run's seed, HOST.md rule 24). An exchange is one request line and
// its answer line: `reset`, each host call, and the `state` the oracle asks after every call.
// bench/oracle-throughput.ts measures the same thing standalone, with a Python host and whole
// oracle runs besides.
//
// Run alone: npx tsx bench/oracle.ts [--quick]

import { fileURLToPath } from 'node:url';
import { AdapterSession, type RandomFactory } from '../impl/host/adapter.js';
import { seededRandom } from '../impl/host/random.js';
import type {
  Delivered,
  Host,
  HostParams,
  HostState,
  ReceiveAnswer,
  SaConfig,
  SendAnswer,
  SendRequest,
  SentAnswer,
} from '../impl/host/types.js';
import { fromHex, toHex } from '../impl/wire/index.js';
import type { Address } from '../impl/wire/types.js';
import { AdapterClient } from '../properties/adapter/client.js';
import { REFERENCE_FEATURES } from '../properties/world/alice.js';
import { START_MS } from '../properties/world/constants.js';
import type { AliceFactory, Schedule } from '../properties/world/types.js';
import { runSchedule } from '../properties/world/world.js';
import { benchSchedules, LOCKSTEP_SEED } from './lockstep.js';
import { median, now, round } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** How the child is started: the `hmip6` bin, as `npx hmip6 serve-reference` runs it. */
export const SERVE_REFERENCE_COMMAND = 'node cli/bin.mjs serve-reference';
/** The transport's floor: a child that answers every request at once (bench/echo-iut.mjs). */
export const ECHO_COMMAND = 'node bench/echo-iut.mjs';

export interface OracleOptions {
  seed: number;
  schedules: number;
  repetitions: number;
}

export const ORACLE_FULL: Readonly<OracleOptions> = { seed: LOCKSTEP_SEED, schedules: 60, repetitions: 5 };
export const ORACLE_QUICK: Readonly<OracleOptions> = { seed: LOCKSTEP_SEED, schedules: 15, repetitions: 3 };

export interface OracleFigures {
  seed: number;
  schedules: number;
  repetitions: number;
  /** Exchanges per pass (every schedule's requests once). */
  exchanges: number;
  stdioExchangesPerSecond: number;
  inProcessExchangesPerSecond: number;
  /** How many times slower one exchange is over the child process. */
  slowdown: number;
  /** Median microseconds per exchange, per side. */
  usPerExchange: { stdio: number; inProcess: number };
  /** The same exchanges to the echo child (bench/echo-iut.mjs): the client and the pipes alone (absent in older results). */
  echoUsPerExchange?: number;
  echoExchangesPerSecond?: number;
  /** Milliseconds from spawning the child to its answer to `hello` (not in the rates). */
  startupMs: number;
  command: string;
  /** The child gave the recorded answer (`ok` and `sent`) to every request of the first pass. */
  answersMatch: boolean;
}

type Fields = Record<string, unknown>;
export interface Exchange {
  type: string;
  fields: Fields;
  /** The recorded answer's `ok` and `sent`, to check the child's. */
  expect: string;
}

/** `hmip6 serve-reference`'s random sources: seeded by the reset's config.seed. */
const seededFactory: RandomFactory = (seed) => seededRandom(seed ?? 0);

function expectOf(answer: Fields): string {
  return JSON.stringify([answer.ok, answer.sent ?? null]);
}

/** Bytes as hex; anything else (the world's malformed requests, rule 24) as it is: the oracle's own rule (properties/adapter/alice.ts). */
function hexOrAsIs(v: unknown): unknown {
  return v instanceof Uint8Array ? toHex(v) : v;
}

/** Alice behind an in-process adapter session; every request and its answer are recorded, as `hmip6 oracle` makes them. */
export function recordingAlice(log: Exchange[]): AliceFactory {
  const session = new AdapterSession({ randomFactory: seededFactory });
  let id = 0;
  const ask = (type: string, fields: Fields): Fields => {
    const answer = JSON.parse(session.handleLine(JSON.stringify({ id: ++id, type, ...fields }))) as Fields;
    log.push({ type, fields, expect: expectOf(answer) });
    return answer;
  };
  const sent = (a: Fields): Uint8Array[] =>
    ((a.sent as string[] | undefined) ?? []).map((h) => fromHex(h) ?? new Uint8Array(0));
  const delivered = (a: Fields): Delivered[] =>
    ((a.delivered as Fields[] | undefined) ?? []).map(
      (d) => ({ ...(d as object), payload: fromHex(String(d.payload)) ?? new Uint8Array(0) }) as Delivered,
    );
  const answer = <T extends object>(a: Fields, rest: T): ({ ok: true } & T) | { ok: false; error: string } =>
    a.ok === true ? { ok: true, ...rest } : { ok: false, error: String(a.error) };
  return {
    name: 'reference over the adapter protocol (in-process, recording)',
    features: REFERENCE_FEATURES,
    create(localAddresses: Address[], params: HostParams, seed: number): Host {
      ask('reset', { now: START_MS, config: { localAddresses, params, seed } });
      return {
        addSA: (sa: SaConfig, at: number): SentAnswer => {
          // An `sa` that is no object (a malformed request of the world's, rule 24) goes as it
          // is, as the oracle's adapter sends it.
          if (typeof sa !== 'object' || sa === null || Array.isArray(sa)) {
            const refused = ask('addSA', { now: at, sa: sa as unknown as Fields[string] });
            return answer(refused, { sent: sent(refused) });
          }
          const a = ask('addSA', {
            now: at,
            sa: {
              peer: sa.peer,
              inboundSpi: sa.inboundSpi,
              outboundSpi: sa.outboundSpi,
              alg: sa.alg,
              key: hexOrAsIs(sa.key),
              kind: sa.kind,
            },
          });
          return answer(a, { sent: sent(a) });
        },
        receive: (bytes: Uint8Array, at: number): ReceiveAnswer => {
          const a = ask('receive', { now: at, packet: hexOrAsIs(bytes) });
          return answer(a, { sent: sent(a), delivered: delivered(a) });
        },
        tick: (at: number): SentAnswer => {
          const a = ask('tick', { now: at });
          return answer(a, { sent: sent(a) });
        },
        send: (r: SendRequest, at: number): SendAnswer => {
          const fields: Fields = { now: at, to: r.to, proto: r.proto, payload: hexOrAsIs(r.payload) };
          if (r.sport !== undefined) fields.sport = r.sport;
          if (r.dport !== undefined) fields.dport = r.dport;
          const a = ask('send', fields);
          return answer(a, a.unreachable === true ? { sent: sent(a), unreachable: true as const } : { sent: sent(a) });
        },
        addLocalAddress: (address: Address, at: number): SentAnswer => {
          const a = ask('addLocalAddress', { now: at, address });
          return answer(a, { sent: sent(a) });
        },
        removeLocalAddress: (address: Address, at: number): SentAnswer => {
          const a = ask('removeLocalAddress', { now: at, address });
          return answer(a, { sent: sent(a) });
        },
        snapshot: (): HostState => ask('state', {}).state as HostState,
      };
    },
  };
}

/** The exchanges `hmip6 oracle` makes for `schedules`, in order. */
export function recordExchanges(schedules: readonly Schedule[]): Exchange[] {
  const log: Exchange[] = [];
  const alice = recordingAlice(log);
  for (const s of schedules) {
    const run = runSchedule(s, alice);
    if (run.crash !== undefined) throw new Error(`bench: the recording run crashed: ${run.crash.message}`);
  }
  return log;
}

/** The exchanges into a fresh in-process adapter session (JSON both ways, no I/O); milliseconds. */
export function inProcessPass(exchanges: readonly Exchange[]): number {
  const session = new AdapterSession({ randomFactory: seededFactory });
  let id = 0;
  const t0 = now();
  for (const e of exchanges) JSON.parse(session.handleLine(JSON.stringify({ id: ++id, type: e.type, ...e.fields })));
  return now() - t0;
}

function stdioPass(
  client: AdapterClient,
  exchanges: readonly Exchange[],
  check: boolean,
): { ms: number; match: boolean } {
  let match = true;
  const t0 = now();
  for (const e of exchanges) {
    const a = client.request(e.type, e.fields);
    if (check && expectOf({ ok: a.ok, ...a.fields }) !== e.expect) match = false;
  }
  return { ms: now() - t0, match };
}

export function measureOracle(options: OracleOptions, log: (line: string) => void = () => {}): OracleFigures {
  const exchanges = recordExchanges(benchSchedules(options.seed, options.schedules));
  const t0 = now();
  const client = new AdapterClient({ command: SERVE_REFERENCE_COMMAND, cwd: ROOT });
  const echo = new AdapterClient({ command: ECHO_COMMAND, cwd: ROOT });
  let stdio: number[] = [];
  let inProcess: number[] = [];
  const echoed: number[] = [];
  let answersMatch = true;
  let startupMs = 0;
  try {
    const hello = client.request('hello', { protocol: 1 });
    startupMs = now() - t0;
    if (!hello.ok) throw new Error(`bench: serve-reference refused hello: ${hello.error}`);
    // Warm-up (and the faithfulness check), then alternate the two sides.
    answersMatch = stdioPass(client, exchanges, true).match;
    inProcessPass(exchanges);
    echo.request('hello', { protocol: 1 });
    stdioPass(echo, exchanges, false);
    for (let i = 0; i < options.repetitions; i++) {
      stdio.push(stdioPass(client, exchanges, false).ms);
      inProcess.push(inProcessPass(exchanges));
      echoed.push(stdioPass(echo, exchanges, false).ms);
      log(
        `  oracle pass ${i + 1}/${options.repetitions}: stdio ${stdio[i].toFixed(0)} ms, in-process ${inProcess[i].toFixed(0)} ms, echo ${echoed[i].toFixed(0)} ms (${exchanges.length} exchanges)`,
      );
    }
  } finally {
    client.close();
    echo.close();
  }
  const echoMs = median(echoed);
  stdio = stdio.map((x) => round(x));
  inProcess = inProcess.map((x) => round(x));
  const stdioMs = median(stdio);
  const inProcessMs = median(inProcess);
  return {
    seed: options.seed,
    schedules: options.schedules,
    repetitions: options.repetitions,
    exchanges: exchanges.length,
    stdioExchangesPerSecond: round((exchanges.length * 1000) / stdioMs),
    inProcessExchangesPerSecond: round((exchanges.length * 1000) / inProcessMs),
    slowdown: round(stdioMs / inProcessMs),
    usPerExchange: {
      stdio: round((stdioMs * 1000) / exchanges.length),
      inProcess: round((inProcessMs * 1000) / exchanges.length),
    },
    echoUsPerExchange: round((echoMs * 1000) / exchanges.length),
    echoExchangesPerSecond: round((exchanges.length * 1000) / echoMs),
    startupMs: round(startupMs),
    command: SERVE_REFERENCE_COMMAND,
    answersMatch,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const figures = measureOracle(quick ? ORACLE_QUICK : ORACLE_FULL, (l) => console.error(l));
  console.log(JSON.stringify(figures, null, 2));
}
