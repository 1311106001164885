// Costs of the wire and crypto layers on a typical packet: the Initial BU (HAO, BU with
// Homeless Support and Alternate Prefixes, AH hmac-sha1-96), 120 bytes.
// Run: npx tsx bench/wire.ts   (prints one line per operation: µs per call and calls/s)

import { protect, verifyAh } from '../impl/crypto/index.js';
import { alternatePrefixesFor, decodePacket, encodePacket, fromHex, type Packet } from '../impl/wire/index.js';

const ALICE = '2001:db8:a::1';
const BOB = '2001:db8:b::1';
const KEY = fromHex('0102030405060708090a0b0c0d0e0f1011121314') as Uint8Array;
/** Wall time each measurement runs for. */
const MEASURE_MS = 1500;

const packet: Packet = {
  ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: ALICE, destination: BOB },
  destOptions: [
    { kind: 'hao', homeAddress: ALICE },
    {
      kind: 'bu',
      flags: { ack: true, home: false, router: false, dad: false },
      prefixLength: 0,
      sequence: 1,
      lifetimeSeconds: 600,
      subOptions: [{ kind: 'homeless-support' }, ...alternatePrefixesFor(['2001:db8:a2::1'], ALICE)],
    },
  ],
  upper: { kind: 'none' },
};
const sa = { alg: 'hmac-sha1-96' as const, key: KEY, spi: 0x100, sequence: 1 };
const bytes = protect(packet, sa);
const decoded = decodePacket(bytes);
if (!decoded.ok || decoded.packet.ah === undefined) throw new Error('bench packet does not decode');
const { layout } = decoded;
const ah = decoded.packet.ah;

function measure(name: string, fn: () => unknown): void {
  for (let i = 0; i < 20_000; i++) fn(); // warm up the JIT
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < MEASURE_MS) {
    for (let i = 0; i < 1000; i++) fn();
    calls += 1000;
    now = performance.now();
  }
  const us = ((now - start) * 1000) / calls;
  console.log(
    `${name.padEnd(28)} ${us.toFixed(2).padStart(7)} µs  ${Math.round(1e6 / us)
      .toLocaleString('en')
      .padStart(10)} /s`,
  );
}

console.log(`packet: ${bytes.length} bytes (Initial BU under AH hmac-sha1-96)`);
measure('decodePacket', () => decodePacket(bytes));
measure('encodePacket', () => encodePacket(packet));
measure('protect (encode + ICV)', () => protect(packet, sa));
measure('verifyAh', () => verifyAh(bytes, layout, ah, sa));
