// Two requirements that docs/traceability.md once listed as untested: when an entry made by
// sending gets its Initial BU (§2.1.2, R2.1.2-2), and where a Response goes (§3.4.2, R3.4.2-7).

import { describe, expect, it } from 'vitest';
import type { BindingAck } from '../../impl/wire/types.js';
import {
  A1,
  B1,
  B2,
  HandPeer,
  KEY_SHA1,
  bus,
  decode,
  hao,
  host,
  okSent,
  packet,
  plain,
  security,
  udp,
} from './helpers.js';

/** An address nobody has told Alice about. */
const STRANGER = '2001:db8:7:1::1';
const SPI_ALICE_FROM_BOB = 300;
const SPI_BOB_FROM_ALICE = 400;
const CHALLENGE = Uint8Array.from({ length: 16 }, (_, i) => 0xc0 + i);

describe('§2.1.2: an entry made by sending gets its Initial BU only later', () => {
  it('an_entry_creating_send_carries_no_binding_update_until_an_sa_is_added (R2.1.2-2, rule 14)', () => {
    const alice = host([A1]);
    // Alice's application sends to an unknown host: a new entry (§2.1.1, rule 17), and plain data.
    const sent = okSent(alice.send({ to: STRANGER, proto: 'udp', payload: new Uint8Array([1]) }, 0)).map(decode);
    expect(sent).toHaveLength(1);
    expect(sent[0].upper.kind).toBe('udp');
    expect(sent[0].destOptions ?? []).toEqual([]);
    expect(alice.snapshot().entries).toMatchObject([
      { sa: null, addresses: [{ address: STRANGER, status: 'active' }] },
    ]);
    // The host replies: still no BU (there is no SA to protect one, §2.4).
    const reply = okSent(alice.receive(plain(packet(STRANGER, A1, undefined, udp(new Uint8Array([2])))), 10)).map(
      decode,
    );
    expect(reply.filter((p) => bus(p).length > 0)).toEqual([]);
    // Once the two have an SA (Appendix A), the Initial BU goes out at once (rule 14).
    const initial = okSent(
      alice.addSA(
        {
          peer: STRANGER,
          inboundSpi: SPI_ALICE_FROM_BOB,
          outboundSpi: SPI_BOB_FROM_ALICE,
          alg: 'hmac-sha1-96',
          key: KEY_SHA1,
          kind: 'generic',
        },
        20,
      ),
    ).map(decode);
    expect(initial).toHaveLength(1);
    expect(initial[0].ipv6.destination).toBe(STRANGER);
    expect(bus(initial[0])[0].subOptions[0].kind).toBe('homeless-support');
    expect(alice.snapshot().entries).toHaveLength(1);
  });
});

describe('§3.4.2: the Response goes to the Challenge', () => {
  it('the_response_goes_to_the_challenges_source_not_to_the_entrys_usual_destination (R3.4.2-7, rule 11)', () => {
    const alice = host([A1]);
    const bob = new HandPeer(SPI_ALICE_FROM_BOB);
    okSent(
      alice.addSA(
        {
          peer: B1,
          inboundSpi: SPI_ALICE_FROM_BOB,
          outboundSpi: SPI_BOB_FROM_ALICE,
          alg: 'hmac-sha1-96',
          key: KEY_SHA1,
          kind: 'generic',
        },
        0,
      ),
    );
    // Bob checks A1 from B2, an address Alice's entry for him does not hold: her data would go
    // to B1 (rule 21), her Response goes to the Challenge's source (rule 11).
    const challenge: BindingAck = {
      kind: 'ba',
      status: 0,
      sequence: 1,
      lifetimeSeconds: 600,
      refreshSeconds: 600,
      subOptions: [{ kind: 'security', value: CHALLENGE }],
    };
    const sent = okSent(alice.receive(bob.protect(packet(B2, A1, [challenge])), 10)).map(decode);
    const responses = sent.filter((p) => bus(p).some((b) => security(b.subOptions) !== null));
    expect(responses).toHaveLength(1);
    expect(responses[0].ipv6.destination).toBe(B2);
    expect(responses[0].ipv6.source).toBe(A1); // first form: from ADDR itself
    expect(hao(responses[0])).toBeNull();
    expect(responses[0].ah?.spi).toBe(SPI_BOB_FROM_ALICE);
    const data = okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 20)).map(decode);
    expect(data.map((p) => p.ipv6.destination)).toEqual([B1]);
  });
});
