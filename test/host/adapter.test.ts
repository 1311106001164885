// The adapter protocol v1 (ADAPTER-PROTOCOL.md, HOST.md rule 24) as AdapterSession speaks it:
// every refusal answered `ok: false` with no effect, and the encodings at the edge.

import { describe, expect, it } from 'vitest';
import { AdapterSession, REFERENCE_FEATURES, type AdapterAnswer } from '../../impl/host/adapter.js';
import { ReferenceHost, seededRandom, type HostOptions } from '../../impl/host/index.js';
import { toHex } from '../../impl/wire/index.js';
import { A1, A2, B1, HandPeer, KEY_SHA1, decode, packet, udp } from './helpers.js';

function session(hostFactory?: (o: HostOptions) => ReferenceHost): AdapterSession {
  return new AdapterSession({ randomFactory: (seed) => seededRandom(seed ?? 0), hostFactory });
}

/** Sends `request` as a line and parses the answer line. */
function ask(s: AdapterSession, request: object | string): AdapterAnswer {
  const line = s.handleLine(typeof request === 'string' ? request : JSON.stringify(request));
  expect(line.includes('\n')).toBe(false);
  return JSON.parse(line) as AdapterAnswer;
}

const RESET = { type: 'reset', now: 0, config: { localAddresses: [A1], seed: 7 } };
const SA = { peer: B1, inboundSpi: 300, outboundSpi: 400, alg: 'hmac-sha1-96', key: toHex(KEY_SHA1), kind: 'generic' };

describe('hello and framing', () => {
  it('hello_with_protocol_1_announces_name_version_and_features', () => {
    expect(ask(session(), { id: 1, type: 'hello', protocol: 1 })).toEqual({
      id: 1,
      ok: true,
      name: 'hmip6-reference',
      version: '0.1.0',
      features: [...REFERENCE_FEATURES],
    });
    expect(REFERENCE_FEATURES).toEqual([
      'state',
      'standard-compat',
      'alternate-prefixes',
      'bu-optimization',
      'anonymous-sa',
    ]);
  });

  it('hello_with_another_protocol_is_refused', () => {
    expect(ask(session(), { id: 1, type: 'hello', protocol: 2 })).toMatchObject({ id: 1, ok: false });
  });

  it('a_line_that_is_not_a_json_object_is_answered_with_id_null', () => {
    const s = session();
    expect(ask(s, 'not json')).toMatchObject({ id: null, ok: false });
    expect(ask(s, '[1,2]')).toMatchObject({ id: null, ok: false });
    expect(ask(s, '{"type":"hello","protocol":1}')).toMatchObject({ id: null, ok: false });
  });

  it('an_unknown_type_is_unsupported', () => {
    expect(ask(session(), { id: 4, type: 'teleport' })).toEqual({
      id: 4,
      ok: false,
      error: 'unsupported',
      unsupported: true,
    });
  });

  it('shutdown_is_answered_and_ends_the_session', () => {
    const s = session();
    expect(ask(s, { id: 9, type: 'shutdown' })).toEqual({ id: 9, ok: true });
    expect(s.done).toBe(true);
  });
});

describe('rule 24: refusals have no effect', () => {
  it('every_request_but_hello_and_shutdown_is_refused_before_the_first_reset', () => {
    const s = session();
    for (const type of ['addSA', 'receive', 'tick', 'send', 'addLocalAddress', 'removeLocalAddress', 'state']) {
      expect(ask(s, { id: 1, type, now: 0 }), type).toMatchObject({ id: 1, ok: false });
    }
    expect(ask(s, { id: 2, type: 'hello', protocol: 1 }).ok).toBe(true);
  });

  it('a_reset_with_an_unknown_or_invalid_parameter_is_refused_and_keeps_the_old_host', () => {
    const s = session();
    ask(s, { id: 1, ...RESET });
    ask(s, { id: 2, type: 'send', now: 5, to: B1, proto: 'udp', payload: '01' });
    const before = ask(s, { id: 3, type: 'state' });
    expect(
      ask(s, { id: 4, type: 'reset', now: 0, config: { localAddresses: [A2], params: { noSuchParam: 1 } } }),
    ).toMatchObject({ ok: false });
    expect(
      ask(s, { id: 5, type: 'reset', now: 0, config: { localAddresses: [A2], params: { challengeAttemptsMax: 0 } } }),
    ).toMatchObject({ ok: false });
    expect(
      ask(s, { id: 6, type: 'reset', now: 0, config: { localAddresses: [A2], params: { buOptimization: 'yes' } } }),
    ).toMatchObject({ ok: false });
    expect(ask(s, { id: 7, type: 'reset', now: 0, config: { localAddresses: ['not an address'] } })).toMatchObject({
      ok: false,
    });
    expect(ask(s, { id: 8, type: 'reset', now: 0, config: { localAddresses: [A2], seed: 1.5 } })).toMatchObject({
      ok: false,
    });
    expect(ask(s, { id: 9, type: 'state' }).state).toEqual(before.state);
  });

  it('a_now_before_the_last_accepted_or_missing_is_refused_and_runs_no_expiry', () => {
    const s = session();
    ask(s, { id: 1, ...RESET });
    ask(s, { id: 2, type: 'send', now: 1000, to: B1, proto: 'udp', payload: '01' });
    const before = ask(s, { id: 3, type: 'state' });
    expect(ask(s, { id: 4, type: 'tick', now: 999 })).toMatchObject({ id: 4, ok: false });
    expect(ask(s, { id: 5, type: 'tick' })).toMatchObject({ id: 5, ok: false });
    expect(ask(s, { id: 6, type: 'tick', now: -1 })).toMatchObject({ id: 6, ok: false });
    expect(ask(s, { id: 7, type: 'addSA', now: 10_000_000, sa: { ...SA, key: '00' } })).toMatchObject({ ok: false }); // bad key length
    expect(ask(s, { id: 8, type: 'state' }).state).toEqual(before.state);
    // The refused now 10 000 000 was not taken as the last accepted one.
    expect(ask(s, { id: 9, type: 'tick', now: 1001 }).ok).toBe(true);
    // A reset starts a new timeline: a smaller now is fine again.
    expect(ask(s, { id: 10, ...RESET, now: 0 }).ok).toBe(true);
    expect(ask(s, { id: 11, type: 'tick', now: 5 }).ok).toBe(true);
  });

  it('every_field_is_checked_with_a_clear_error', () => {
    const s = session();
    ask(s, { id: 1, ...RESET });
    const refusals: Array<[object, RegExp]> = [
      [{ type: 'addSA', now: 1, sa: { ...SA, peer: 'x' } }, /sa\.peer/],
      [{ type: 'addSA', now: 1, sa: { ...SA, inboundSpi: 255 } }, /inboundSpi/],
      [{ type: 'addSA', now: 1, sa: { ...SA, alg: 'md5' } }, /sa\.alg/],
      [{ type: 'addSA', now: 1, sa: { ...SA, kind: 'weak' } }, /sa\.kind/],
      [{ type: 'addSA', now: 1, sa: { ...SA, key: 'zz' } }, /sa\.key/],
      [{ type: 'addSA', now: 1, sa: { ...SA, peer: A1 } }, /own/],
      [{ type: 'receive', now: 1, packet: 'abc' }, /packet/],
      [{ type: 'send', now: 1, to: B1, proto: 'tcp', payload: '' }, /proto/],
      [{ type: 'send', now: 1, to: B1, proto: 'udp', payload: '', sport: 70000 }, /sport/],
      [{ type: 'send', now: 1, to: 'ff02::1', proto: 'udp', payload: '' }, /unicast/],
      [{ type: 'addLocalAddress', now: 1, address: 42 }, /address/],
    ];
    refusals.forEach(([request, error], i) => {
      const answer = ask(s, { id: 100 + i, ...request });
      expect(answer.ok, JSON.stringify(request)).toBe(false);
      expect(String(answer.error)).toMatch(error);
    });
    expect((ask(s, { id: 200, type: 'state' }).state as { entries: unknown[] }).entries).toEqual([]);
  });

  it('an_internal_error_drops_the_host_so_nothing_half_changed_survives', () => {
    class BrokenHost extends ReferenceHost {
      override tick(): never {
        throw new Error('broken on purpose');
      }
    }
    const s = session((o) => new BrokenHost(o));
    ask(s, { id: 1, ...RESET });
    expect(ask(s, { id: 2, type: 'tick', now: 1 })).toMatchObject({
      ok: false,
      error: 'internal error: broken on purpose',
    });
    expect(ask(s, { id: 3, type: 'state' })).toMatchObject({ ok: false });
  });
});

describe('encodings at the edge', () => {
  it('hex_in_either_case_comes_back_lowercase_and_addresses_come_back_rfc5952', () => {
    const s = session();
    ask(s, { id: 1, type: 'reset', now: 0, config: { localAddresses: ['2001:DB8:A:0:0:0:0:1'] } });
    const answer = ask(s, { id: 2, type: 'send', now: 1, to: '2001:0DB8:000B::1', proto: 'udp', payload: 'ABCD' });
    const sent = answer.sent as string[];
    expect(sent[0]).toBe(sent[0].toLowerCase());
    expect(sent[0].endsWith('abcd')).toBe(true);
    expect(answer.unreachable).toBeUndefined(); // only when true
    expect(ask(s, { id: 3, type: 'state' }).state).toMatchObject({
      local: [A1],
      entries: [{ addresses: [{ address: B1 }] }],
    });
  });

  it('delivered_carries_ports_for_udp_and_unreachable_appears_when_true', () => {
    const s = session();
    ask(s, { id: 1, ...RESET });
    ask(s, { id: 2, type: 'addSA', now: 0, sa: SA });
    const bob = new HandPeer(300);
    const answer = ask(s, {
      id: 3,
      type: 'receive',
      now: 1,
      packet: toHex(bob.protect(packet(B1, A1, undefined, udp(new Uint8Array([0xab]), 1234, 80)))),
    });
    expect(answer.delivered).toEqual([
      { entry: 'e1', proto: 'udp', payload: 'ab', authenticated: true, sport: 1234, dport: 80 },
    ]);
    ask(s, { id: 4, type: 'tick', now: 600_001 });
    expect(ask(s, { id: 5, type: 'send', now: 600_002, to: B1, proto: 'icmp', payload: '' })).toEqual({
      id: 5,
      ok: true,
      sent: [],
      unreachable: true,
    });
  });

  it('the_same_seed_gives_the_same_challenges', () => {
    const run = (): string[] => {
      const s = session();
      ask(s, { id: 1, ...RESET });
      ask(s, { id: 2, type: 'addSA', now: 0, sa: SA });
      const bob = new HandPeer(300);
      const claim = bob.protect(
        packet(B1, A1, [
          {
            kind: 'bu',
            flags: { ack: false, home: false, router: false, dad: false },
            prefixLength: 0,
            sequence: 1,
            lifetimeSeconds: 600,
            subOptions: [{ kind: 'alternate-coa', address: '2001:db8:b2::1' }],
          },
        ]),
      );
      return ask(s, { id: 3, type: 'receive', now: 1, packet: toHex(claim).toUpperCase() }).sent as string[];
    };
    const first = run();
    expect(first).toHaveLength(1);
    expect(decode(Uint8Array.from(Buffer.from(first[0], 'hex'))).ipv6.destination).toBe('2001:db8:b2::1');
    expect(run()).toEqual(first);
  });
});
