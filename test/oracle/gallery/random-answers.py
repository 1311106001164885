#!/usr/bin/env python3
"""Well-formed answers drawn at random (seeded by reset's seed, so runs replay): packets it has
seen, sent on, sometimes with a byte flipped; delivered items with seen payloads, random entry
ids and a random `authenticated`."""
import random
from iut import quiet, serve

rng, seen = random.Random(0), []


def is_hex(value):
    if not isinstance(value, str):
        return False
    try:
        bytes.fromhex(value)
        return True
    except ValueError:
        return False


def some_packets(counts):
    out = []
    for _ in range(rng.choice(counts)):
        if not seen:
            break
        packet = bytearray(bytes.fromhex(rng.choice(seen)))
        if rng.random() < 0.3:
            packet[rng.randrange(len(packet))] ^= 1 << rng.randrange(8)
        out.append(packet.hex())
    return out


def some_delivered():
    return [{"entry": rng.choice([None, "e1", "e2"]), "proto": rng.choice(["udp", "icmp"]),
             "payload": rng.choice(seen)[-16:] if seen else "00", "authenticated": rng.random() < 0.5}
            for _ in range(rng.choice([0, 0, 1]))]


def answer(request):
    global rng, seen
    kind = request["type"]
    if kind == "reset":
        rng, seen = random.Random(request["config"].get("seed", 0)), []
        return {"ok": True}
    if kind == "receive":
        # A malformed `receive` (its packet not hex, rule 24) is answered like any other, not kept.
        if is_hex(request.get("packet")):
            seen = (seen + [request["packet"]])[-32:]
        return {"ok": True, "sent": some_packets([0, 0, 1, 1, 2]), "delivered": some_delivered()}
    if kind == "state":
        return quiet(request)
    # Ticks come every 250 ms: mostly quiet, or the runs would be long.
    return {"ok": True, "sent": some_packets([0, 0, 0, 0, 1])}


serve("random-answers", [], answer)
