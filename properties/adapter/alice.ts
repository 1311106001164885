// An implementation under test (IUT) as Alice: the same `AliceFactory` the reference host and
// the mutants are, so every property of the suite runs against it unchanged.
//
// One IUT process serves a whole check: each run's `create` is a `reset` (a fresh Alice with
// the run's addresses, parameters and seed, on a new timeline starting at START_MS), which is
// far cheaper than a process per run. The `Host` methods map one to one onto the protocol's
// requests; each answer is checked (validate.ts) before the world sees it. A protocol failure
// throws AdapterError from the method (the world records it as Alice's crash, the runner as
// verdict `error`) and stays sticky on the factory, so nothing after it can pass.

import type {
  Host,
  HostParams,
  HostState,
  ReceiveAnswer,
  SaConfig,
  SendAnswer,
  SendRequest,
  SentAnswer,
} from '../../impl/host/types.js';
import { toHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { START_MS } from '../world/constants.js';
import type { AliceFactory, Feature } from '../world/types.js';
import { ADAPTER_PROTOCOL, AdapterClient, type AdapterClientOptions, type RawAnswer } from './client.js';
import type { CallObserver } from './checks.js';
import { AdapterError } from './errors.js';
import { parseDelivered, parseHello, parseSent, parseState, parseUnreachable, ShapeError } from './validate.js';

/** Features the oracle knows (ADAPTER-PROTOCOL.md "Features an IUT may announce"). */
export const KNOWN_FEATURES: readonly Feature[] = [
  'state',
  'standard-compat',
  'alternate-prefixes',
  'bu-optimization',
  'anonymous-sa',
];

export interface AdapterAliceOptions extends AdapterClientOptions {
  /** Ignore the `state` feature: judge the IUT only by what it sends and delivers. */
  blackBox?: boolean;
}

export interface IutIdentity {
  command: string;
  name: string;
  version: string;
  /** Every feature the IUT announced, known or not. */
  announced: string[];
}

function isFeature(f: string): f is Feature {
  return (KNOWN_FEATURES as readonly string[]).includes(f);
}

export class AdapterAlice implements AliceFactory {
  readonly name: string;
  readonly features: readonly Feature[];
  /** The oracle's packet checks (checks.ts) watch an IUT's exchanges: REFINES-SIGNALLING leaves them to it. */
  readonly oracleChecks = true as const;
  readonly identity: IutIdentity;
  /** Runs started (`reset`s sent). */
  runs = 0;
  /** Told of every run and every accepted request with what Alice sent (checks.ts). */
  readonly observers: CallObserver[] = [];

  private constructor(
    readonly client: AdapterClient,
    identity: IutIdentity,
    blackBox: boolean,
  ) {
    this.identity = identity;
    this.name = `${identity.name} ${identity.version}${blackBox ? ' (black box)' : ''}`;
    const known = identity.announced.filter(isFeature);
    this.features = blackBox ? known.filter((f) => f !== 'state') : known;
  }

  /** Starts the IUT and says `hello`. Throws AdapterError (the IUT is then already stopped). */
  static start(options: AdapterAliceOptions): AdapterAlice {
    const client = new AdapterClient(options);
    try {
      const answer = client.request('hello', { protocol: ADAPTER_PROTOCOL });
      if (!answer.ok) throw client.fail('refused', `refused hello (protocol ${ADAPTER_PROTOCOL}): ${answer.error}`);
      let hello: ReturnType<typeof parseHello>;
      try {
        hello = parseHello(answer.fields);
      } catch (e) {
        throw client.fail('invalid-answer', (e as Error).message);
      }
      return new AdapterAlice(
        client,
        { command: options.command, name: hello.name, version: hello.version, announced: hello.features },
        options.blackBox ?? false,
      );
    } catch (e) {
      client.close({ shutdown: false });
      throw e;
    }
  }

  /** The IUT's protocol failure, if any: sticky, so a check can never pass after one. */
  get failure(): AdapterError | null {
    return this.client.failure;
  }

  create(localAddresses: Address[], params: HostParams, seed: number): Host {
    this.runs += 1;
    try {
      // Named by the world's seed: the IUT cannot know the check's run index, and a count of
      // its own (shrinking and shards reset it too) would be a second numbering of runs.
      const answer = this.client.request(
        'reset',
        { now: START_MS, config: { localAddresses, params, seed } },
        `world seed ${seed}`,
      );
      if (!answer.ok) {
        throw this.client.fail('refused', `refused reset: ${answer.error}`);
      }
      // Findings count resets from 0, as runs are counted everywhere.
      for (const o of this.observers) o.beginRun(this.runs - 1, seed, localAddresses, params);
      return new AdapterHost(this);
    } catch (e) {
      if (e instanceof AdapterError) return new FailedHost(e);
      throw e;
    }
  }

  /** `shutdown`, then the IUT's process group is gone. Never throws. */
  close(): string[] {
    return this.client.close();
  }

  /** One request whose answer must be `ok` (a refusal is a protocol failure), fields checked by `parse`. */
  required<T>(type: string, fields: Record<string, unknown>, parse: (f: Record<string, unknown>) => T): T {
    const answer = this.client.request(type, fields);
    if (!answer.ok) {
      const message = answer.unsupported
        ? `answered unsupported, but the oracle needs ${type}`
        : `refused ${type}: ${answer.error}`;
      throw this.client.fail('refused', message);
    }
    return this.checked(type, answer, parse);
  }

  /** One request that Alice may refuse (`ok: false` passes to the world, HOST.md rule 24). */
  answer<T extends object>(
    type: string,
    fields: Record<string, unknown>,
    parse: (f: Record<string, unknown>) => T,
  ): ({ ok: true } & T) | { ok: false; error: string } {
    const answer = this.client.request(type, fields, typeof fields.now === 'number' ? `now ${fields.now}` : undefined);
    if (!answer.ok) {
      if (answer.unsupported) {
        throw this.client.fail(
          'refused',
          `answered unsupported, but the oracle needs every request of the protocol except state`,
        );
      }
      return { ok: false, error: answer.error };
    }
    const parsed = this.checked(type, answer, parse);
    const sent = (parsed as { sent?: unknown }).sent;
    if (Array.isArray(sent)) for (const o of this.observers) o.call(type, fields, sent as Uint8Array[]);
    return { ok: true, ...parsed };
  }

  private checked<T>(type: string, answer: RawAnswer, parse: (f: Record<string, unknown>) => T): T {
    try {
      return parse(answer.fields);
    } catch (e) {
      if (e instanceof ShapeError) {
        throw this.client.fail('invalid-answer', `${e.message} (in the answer to ${type})`);
      }
      throw e;
    }
  }
}

const sentOnly = (f: Record<string, unknown>): { sent: Uint8Array[] } => ({ sent: parseSent(f) });

/**
 * Bytes as the protocol's hex; anything else as it is. The world's malformed requests (HOST.md
 * rule 24) hand the host a field's JSON value where bytes belong (a payload of "zz"), and the
 * IUT must read that same value, not a conversion of it.
 */
function hexOrAsIs(v: unknown): unknown {
  return v instanceof Uint8Array ? toHex(v) : v;
}

/** Alice behind the protocol, for one run (one `reset`). */
class AdapterHost implements Host {
  constructor(private readonly iut: AdapterAlice) {}

  addSA(sa: SaConfig, nowMs: number): SentAnswer {
    // An `sa` that is no object (a malformed request of the world's, rule 24) goes as it is.
    if (typeof sa !== 'object' || sa === null || Array.isArray(sa))
      return this.iut.answer('addSA', { now: nowMs, sa: sa as unknown }, sentOnly);
    const fields = {
      now: nowMs,
      sa: {
        peer: sa.peer,
        inboundSpi: sa.inboundSpi,
        outboundSpi: sa.outboundSpi,
        alg: sa.alg,
        key: hexOrAsIs(sa.key),
        kind: sa.kind,
      },
    };
    return this.iut.answer('addSA', fields, sentOnly);
  }

  receive(bytes: Uint8Array, nowMs: number): ReceiveAnswer {
    return this.iut.answer('receive', { now: nowMs, packet: hexOrAsIs(bytes) }, (f) => ({
      sent: parseSent(f),
      delivered: parseDelivered(f),
    }));
  }

  tick(nowMs: number): SentAnswer {
    return this.iut.answer('tick', { now: nowMs }, sentOnly);
  }

  send(request: SendRequest, nowMs: number): SendAnswer {
    const fields: Record<string, unknown> = {
      now: nowMs,
      to: request.to,
      proto: request.proto,
      payload: hexOrAsIs(request.payload),
    };
    if (request.sport !== undefined) fields.sport = request.sport;
    if (request.dport !== undefined) fields.dport = request.dport;
    return this.iut.answer('send', fields, (f): { sent: Uint8Array[]; unreachable?: true } => {
      const out: { sent: Uint8Array[]; unreachable?: true } = { sent: parseSent(f) };
      if (parseUnreachable(f)) out.unreachable = true;
      return out;
    });
  }

  addLocalAddress(address: Address, nowMs: number): SentAnswer {
    return this.iut.answer('addLocalAddress', { now: nowMs, address }, sentOnly);
  }

  removeLocalAddress(address: Address, nowMs: number): SentAnswer {
    return this.iut.answer('removeLocalAddress', { now: nowMs, address }, sentOnly);
  }

  snapshot(): HostState {
    return this.iut.required('state', {}, parseState);
  }
}

/**
 * The Alice of a run whose `reset` failed: every request throws the failure, so the world
 * records it as Alice's crash at its first call. `snapshot()` before that first call (the
 * world reads the initial state outside any call) shows an empty state instead of throwing.
 */
class FailedHost implements Host {
  private called = false;

  constructor(private readonly error: AdapterError) {}

  private fail(): never {
    this.called = true;
    throw this.error;
  }

  addSA(): SentAnswer {
    return this.fail();
  }
  receive(): ReceiveAnswer {
    return this.fail();
  }
  tick(): SentAnswer {
    return this.fail();
  }
  send(): SendAnswer {
    return this.fail();
  }
  addLocalAddress(): SentAnswer {
    return this.fail();
  }
  removeLocalAddress(): SentAnswer {
    return this.fail();
  }
  snapshot(): HostState {
    if (!this.called) return { entries: [], local: [] };
    return this.fail();
  }
}
