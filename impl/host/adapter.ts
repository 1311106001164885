// The adapter protocol v1 (ADAPTER-PROTOCOL.md, HOST.md rule 24) over a host, without I/O:
// one JSON line in, one JSON line out. `hmip6 serve-reference` wraps it in stdin/stdout.
//
// Every request is checked completely before it reaches the host, and a refused request
// (`ok: false`) has no effect at all. Hex is accepted in either case and sent lowercase;
// addresses are accepted in any IPv6 text form and sent in RFC 5952 form.

import { fromHex, normalizeAddress, toHex } from '../wire/index.js';
import { createHost } from './index.js';
import type { AhAlgorithm, Delivered, Host, HostOptions, HostState, SaKind } from './types.js';
import { resolveParams } from './params.js';

export const ADAPTER_PROTOCOL_VERSION = 1;
export const REFERENCE_NAME = 'hmip6-reference';
export const REFERENCE_VERSION = '0.1.0';
export const REFERENCE_FEATURES: readonly string[] = [
  'state',
  'standard-compat',
  'alternate-prefixes',
  'bu-optimization',
  'anonymous-sa',
];

/** The host's random source for a `reset`: seeded (deterministic) or, without a seed, cryptographic. */
export type RandomFactory = (seed?: number) => (n: number) => Uint8Array;

export interface AdapterSessionOptions {
  /** Supplied by the caller: impl/ does no I/O, so cryptographic randomness comes from outside. */
  randomFactory: RandomFactory;
  /** The host behind the protocol; the reference by default (a subclass or another host for tests). */
  hostFactory?: (options: HostOptions) => Host;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type AdapterAnswer = { [key: string]: Json };

const ALGORITHMS: readonly AhAlgorithm[] = ['hmac-sha1-96', 'hmac-sha256-128'];
const SA_KINDS: readonly SaKind[] = ['generic', 'anonymous'];
const REQUESTS_NEEDING_NOW: ReadonlySet<string> = new Set([
  'reset',
  'addSA',
  'receive',
  'tick',
  'send',
  'addLocalAddress',
  'removeLocalAddress',
]);

/** A refused request: its reason, answered `ok: false`. */
class Refusal extends Error {}

/** A request type this implementation does not know (ADAPTER-PROTOCOL.md "Framing"). */
class UnsupportedRequest extends Refusal {
  constructor() {
    super('unsupported');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function address(v: unknown, field: string): string {
  const a = typeof v === 'string' ? normalizeAddress(v) : null;
  if (a === null) throw new Refusal(`${field} must be an IPv6 address`);
  return a;
}

function hex(v: unknown, field: string): Uint8Array {
  const bytes = typeof v === 'string' ? fromHex(v) : null;
  if (bytes === null) throw new Refusal(`${field} must be a hex string (an even number of hex digits)`);
  return bytes;
}

function integer(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    throw new Refusal(`${field} must be an integer in ${min}..${max}`);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new Refusal(`${field} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return v as T;
}

function hexList(packets: readonly Uint8Array[]): Json[] {
  return packets.map((p) => toHex(p));
}

function deliveredJson(d: Delivered): Json {
  const out: { [key: string]: Json } = {
    entry: d.entry,
    proto: d.proto,
    payload: toHex(d.payload),
    authenticated: d.authenticated,
  };
  if (d.sport !== undefined) out.sport = d.sport;
  if (d.dport !== undefined) out.dport = d.dport;
  return out;
}

function stateJson(s: HostState): Json {
  return JSON.parse(JSON.stringify(s)) as Json;
}

export class AdapterSession {
  private host: Host | null = null;
  /** The `now` of the last accepted request since the last `reset` (rule 24). */
  private lastNowMs = 0;
  /** True once `shutdown` was answered: the caller then exits 0. */
  done = false;

  constructor(private readonly options: AdapterSessionOptions) {}

  /** One request line in, one answer line out (without the newline). */
  handleLine(line: string): string {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      return JSON.stringify({ id: null, ok: false, error: 'not JSON: each line must be one JSON object' });
    }
    // Turned into text at once, so the state goes in as the snapshot is: its text is that of
    // the JSON copy handleRequest hands out.
    return JSON.stringify(this.answer(request, false));
  }

  handleRequest(request: unknown): AdapterAnswer {
    return this.answer(request, true);
  }

  private answer(request: unknown, copyState: boolean): AdapterAnswer {
    if (!isObject(request)) return { id: null, ok: false, error: 'a request must be a JSON object' };
    const id = typeof request.id === 'number' && Number.isSafeInteger(request.id) ? request.id : null;
    if (id === null) return { id: null, ok: false, error: 'id must be an integer' };
    try {
      return { id, ok: true, ...this.dispatch(request, copyState) };
    } catch (e) {
      if (e instanceof UnsupportedRequest) return { id, ok: false, error: 'unsupported', unsupported: true };
      if (e instanceof Refusal) return { id, ok: false, error: e.message };
      // A programmer error inside the host: its state can no longer be trusted, so it is
      // dropped (the next request needs a `reset`) rather than left half changed.
      this.host = null;
      return { id, ok: false, error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  private dispatch(r: Record<string, unknown>, copyState: boolean): AdapterAnswer {
    if (typeof r.type !== 'string') throw new Refusal('type must be a string');
    const type = r.type;
    if (type === 'hello') return this.hello(r);
    if (type === 'shutdown') {
      this.done = true;
      return {};
    }
    if (type === 'reset') return this.reset(r, this.now(r));
    const known = REQUESTS_NEEDING_NOW.has(type) || type === 'state';
    if (!known) return this.unsupported();
    const host = this.host;
    if (host === null) throw new Refusal(`${type} before the first reset`);
    if (type === 'state') {
      const state = host.snapshot();
      return { state: copyState ? stateJson(state) : (state as unknown as Json) };
    }
    const now = this.now(r);
    if (now < this.lastNowMs) throw new Refusal(`now ${now} is before the last accepted now ${this.lastNowMs}`);
    const answer = this.call(host, type, r, now);
    this.lastNowMs = now;
    return answer;
  }

  /** `unsupported` is a refusal with a flag (ADAPTER-PROTOCOL.md "Framing"). */
  private unsupported(): never {
    throw new UnsupportedRequest();
  }

  private now(r: Record<string, unknown>): number {
    if (r.now === undefined) throw new Refusal('now is missing');
    return integer(r.now, 'now', 0, Number.MAX_SAFE_INTEGER);
  }

  private hello(r: Record<string, unknown>): AdapterAnswer {
    if (r.protocol !== ADAPTER_PROTOCOL_VERSION)
      throw new Refusal(
        `protocol ${JSON.stringify(r.protocol ?? null)} is not supported; this implementation speaks protocol ${ADAPTER_PROTOCOL_VERSION}`,
      );
    return { name: REFERENCE_NAME, version: REFERENCE_VERSION, features: [...REFERENCE_FEATURES] };
  }

  private reset(r: Record<string, unknown>, now: number): AdapterAnswer {
    if (!isObject(r.config)) throw new Refusal('config must be an object');
    const config = r.config;
    if (!Array.isArray(config.localAddresses)) throw new Refusal('config.localAddresses must be an array of addresses');
    const localAddresses: string[] = [];
    config.localAddresses.forEach((a, i) => {
      const normalized = address(a, `config.localAddresses[${i}]`);
      if (!localAddresses.includes(normalized)) localAddresses.push(normalized);
    });
    const params = resolveParams(config.params);
    if (!params.ok) throw new Refusal(`config.params: ${params.error}`);
    const seed =
      config.seed === undefined
        ? undefined
        : integer(config.seed, 'config.seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    let host: Host;
    try {
      host = (this.options.hostFactory ?? createHost)({
        localAddresses,
        params: params.params,
        random: this.options.randomFactory(seed),
        nowMs: now,
      });
    } catch (e) {
      throw new Refusal(`config: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.host = host;
    this.lastNowMs = now;
    return {};
  }

  private call(host: Host, type: string, r: Record<string, unknown>, now: number): AdapterAnswer {
    switch (type) {
      case 'addSA': {
        if (!isObject(r.sa)) throw new Refusal('sa must be an object');
        const sa = r.sa;
        const answer = host.addSA(
          {
            peer: address(sa.peer, 'sa.peer'),
            inboundSpi: integer(sa.inboundSpi, 'sa.inboundSpi', 0, 0xffffffff),
            outboundSpi: integer(sa.outboundSpi, 'sa.outboundSpi', 0, 0xffffffff),
            alg: oneOf(sa.alg, 'sa.alg', ALGORITHMS),
            key: hex(sa.key, 'sa.key'),
            kind: oneOf(sa.kind, 'sa.kind', SA_KINDS),
          },
          now,
        );
        if (!answer.ok) throw new Refusal(answer.error);
        return { sent: hexList(answer.sent) };
      }
      case 'receive': {
        const answer = host.receive(hex(r.packet, 'packet'), now);
        if (!answer.ok) throw new Refusal(answer.error);
        return { sent: hexList(answer.sent), delivered: answer.delivered.map(deliveredJson) };
      }
      case 'tick': {
        const answer = host.tick(now);
        if (!answer.ok) throw new Refusal(answer.error);
        return { sent: hexList(answer.sent) };
      }
      case 'send': {
        const proto = oneOf(r.proto, 'proto', ['udp', 'icmp'] as const);
        const answer = host.send(
          {
            to: address(r.to, 'to'),
            proto,
            payload: hex(r.payload, 'payload'),
            // Ports are UDP's; an ICMP request's ports, if any, are ignored.
            sport: proto === 'udp' && r.sport !== undefined ? integer(r.sport, 'sport', 0, 0xffff) : undefined,
            dport: proto === 'udp' && r.dport !== undefined ? integer(r.dport, 'dport', 0, 0xffff) : undefined,
          },
          now,
        );
        if (!answer.ok) throw new Refusal(answer.error);
        const out: AdapterAnswer = { sent: hexList(answer.sent) };
        if (answer.unreachable === true) out.unreachable = true;
        return out;
      }
      case 'addLocalAddress': {
        const answer = host.addLocalAddress(address(r.address, 'address'), now);
        if (!answer.ok) throw new Refusal(answer.error);
        return { sent: hexList(answer.sent) };
      }
      case 'removeLocalAddress': {
        const answer = host.removeLocalAddress(address(r.address, 'address'), now);
        if (!answer.ok) throw new Refusal(answer.error);
        return { sent: hexList(answer.sent) };
      }
      default:
        return this.unsupported();
    }
  }
}
