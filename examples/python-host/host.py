#!/usr/bin/env python3
"""A Homeless Mobile IPv6 host (draft-nikander-mobileip-homelessv6-01) behind the adapter
protocol, in Python with the standard library only: an example to copy when connecting your
own implementation to the hmip6 conformance oracle.

    hmip6 oracle --impl "python3 examples/python-host/host.py"

It reads one JSON request per line on stdin and writes one JSON answer per line on stdout
(docs/adapter-protocol.md); logs go to stderr. It follows the draft and HOST.md (the rule
numbers in the comments are HOST.md's, the section numbers the draft's) for what the oracle
exercises: the wire format of WIRE.md, AH with hmac-sha1-96 and hmac-sha256-128 and its
anti-replay window, the host cache with tentative, active and deprecated addresses,
challenges and responses, conflicting claims, the timers, and the observable state.

It announces the features `state`, `anonymous-sa` and `alternate-prefixes`. It does not
emulate a standard mobile node toward standard MIPv6 peers (`standard-compat`) nor implement
Appendix B (`bu-optimization`): the oracle then skips what needs them and says so.

`--bug NAME` plants one realistic bug, to see the oracle catch it (README.md lists them).
"""

import copy
import hashlib
import hmac
import ipaddress
import json
import os
import struct
import sys

PROTOCOL = 1
NAME = "hmip6-python-example"
VERSION = "1.0"
FEATURES = ["state", "anonymous-sa", "alternate-prefixes"]

BUGS = {
    "no-challenge": "activates a claimed address at once, without a challenge (Appendix C)",
    "challenge-to-source": "sends the challenge to the BU's source instead of the tentative address",
    "clock-time": "uses the clock as the challenge's TIME, so a peer can compute it",
    "no-replay-check": "skips the AH anti-replay check",
    "anon-data": "reports data under an anonymous SA as authenticated",
    "no-expiry": "never removes deprecated addresses",
    "accept-unauthenticated-bu": "processes a BU without AH as if the source's entry had sent it",
    # Written from the draft and HOST.md alone (README.md "Bugs nobody planned").
    "replay-window-before-icv": "moves the anti-replay window before the ICV is verified",
    "bu-sequence-no-wrap": "compares BU sequence numbers as plain integers, not modulo 2^16",
    "response-any-challenge": "accepts a Response that matches any live Challenge of the entry, not the named address's",
    "challenge-lifetime-from-last": "restarts the Challenge's lifetime at each retransmission",
    "response-only-at-challenge-source": "ignores a Response that reaches another of Alice's addresses than the Challenge's source",
    "recheck-claimant-sa": "sends a holder's re-check Challenge under the claimant's SA",
    "conflict-no-recheck": "does not re-check the holder of a claimed address: an answering claimant takes it",
    "deprecated-reactivated": "a BU naming a deprecated address makes it active again without a Challenge",
    "activity-any-packet": "refreshes an address's activity on any packet from it, authenticated or not",
    "deprecation-from-now": "counts a deprecated address's removal from when the expiry was noticed",
    "data-to-newest": "sends to the entry's newest address that is not deprecated, tentative ones included",
    "stale-source": "keeps sending data from the source it used before, after Alice lost that address",
    "anon-data-ah": "protects data with an anonymous SA",
    "hao-without-ah-delivered": "delivers data from a packet with a Home Address option and no AH",
    "authenticated-any-source": "reports data under a generic SA as authenticated whatever its source",
    "port-wraps": "accepts a UDP port above 65535 in send and keeps its low 16 bits",
    "reserved-spi": "accepts a reserved SPI (0..255) in addSA",
    "homeless-downgrade": "moves a homeless peer to standard-mobile on a BU without Homeless Support",
    "evict-oldest": "evicts the entry's oldest address to make room for a new one",
    "challenge-extra-attempt": "transmits a Challenge once more than challengeAttemptsMax",
    "no-response": "never answers a peer's Challenge (rule 11: every host answers)",
}
BUG = None

# ---------------------------------------------------------------------------------------------
# Parameters (WIRE.md "Protocol parameters"): name -> (default, minimum, maximum); None = boolean.

PARAMS = {
    "defaultLifetimeSeconds": (600, 1, 0xFFFFFFFF),
    "maximumExpiredLifetimeSeconds": (1800, 0, 0xFFFFFFFF),
    "bindingLifetimeSecondsMax": (3600, 1, 0xFFFFFFFF),
    "challengeRetransmitMs": (1000, 1, 2**53 - 1),
    "challengeAttemptsMax": (3, 1, 1_000_000),
    "challengeLifetimeMs": (5000, 1, 2**53 - 1),
    "compatProbeTimeoutMs": (3000, 1, 2**53 - 1),
    "bindingRefreshSeconds": (300, 1, 0xFFFFFFFF),
    "buOptimization": (False, None, None),
    "foreignEntriesCountMax": (256, 0, 1_000_000),
    "addressesPerEntryCountMax": (16, 1, 1_000_000),
    "tentativePerEntryCountMax": (4, 0, 1_000_000),
    "antiReplayWindowPackets": (64, 1, 4096),
}

SPI_MIN, SPI_MAX = 256, 0xFFFFFFFF
UDP_PORT_DEFAULT = 5000
SENT_REMEMBERED = 16  # packets with Mobile IPv6 options remembered per peer (rule 15)
QUOTE_MAX = 1280 - 40 - 8  # the most of a packet an ICMPv6 error quotes (RFC 4443)

ALGORITHMS = {  # name -> (hash, ICV bytes, key bytes, Authentication Data bytes)
    "hmac-sha1-96": (hashlib.sha1, 12, 20, 12),
    "hmac-sha256-128": (hashlib.sha256, 16, 32, 20),
}

# Header and option numbers (WIRE.md).
NH_ROUTING, NH_DEST, NH_AH, NH_UDP, NH_ICMP, NH_NONE = 43, 60, 51, 17, 58, 59
NH_REFUSED = (0, 44, 50)  # hop-by-hop, fragment, ESP: undecodable here
OPT_PAD1, OPT_PADN, OPT_BA, OPT_BR, OPT_BU, OPT_HAO = 0, 1, 7, 8, 0xC6, 0xC9
SUB_UNIQUE_ID, SUB_ALT_COA, SUB_HOMELESS, SUB_ALT_PREFIXES, SUB_SECURITY = 2, 4, 128, 129, 130
ICMP_UNREACHABLE, ICMP_PARAM_PROBLEM, ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY = 1, 4, 128, 129
PARAM_PROBLEM_UNRECOGNIZED_OPTION = 2
BA_ACCEPTED, BA_INSUFFICIENT_RESOURCES = 0, 131


class Malformed(Exception):
    """Bytes that do not decode (WIRE.md): the packet is dropped silently."""


class Refused(Exception):
    """A request answered ok: false; it has no effect at all (rule 24)."""


def log(*words):
    print("host.py:", *words, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Addresses: RFC 5952 text outside, 16 bytes on the wire.


def parse_address(text):
    """RFC 5952 text of an IPv6 address given in any form, or None."""
    if not isinstance(text, str) or "%" in text:
        return None
    try:
        a = ipaddress.IPv6Address(text)
    except ValueError:
        return None
    return address_text(a.packed)


def address_text(b):
    a = ipaddress.IPv6Address(bytes(b))
    if a.ipv4_mapped is not None:
        return "::ffff:" + str(a.ipv4_mapped)
    return a.compressed


def address_bytes(text):
    return ipaddress.IPv6Address(text).packed


def scope_of(text):
    """'global', 'link-local', 'site-local', 'loopback' or 'unusable' (rule 5's definitions)."""
    b = address_bytes(text)
    if b[0] == 0xFE and b[1] & 0xC0 == 0x80:
        return "link-local"
    if b[0] == 0xFE and b[1] & 0xC0 == 0xC0:
        return "site-local"
    if b == bytes(15) + b"\x01":
        return "loopback"
    if b == bytes(16) or b[0] == 0xFF or b[:12] == bytes(10) + b"\xff\xff":
        return "unusable"
    return "global"


def is_global(text):
    return scope_of(text) == "global"


# ---------------------------------------------------------------------------------------------
# Decoding (WIRE.md): every length checked; anything malformed raises Malformed.


class Packet:
    """A decoded packet. `layout` keeps what AH needs: where the mutable bytes are."""

    def __init__(self):
        self.source = self.destination = None
        self.routing = None  # (segments_left, [addresses])
        self.options = None  # list of dicts, in order
        self.ah = None  # (spi, sequence, auth_data)
        self.upper = ("none",)
        self.routing_offset = None
        self.mutable = []  # [start, end) of option data with the C bit (RFC 2460 §4.2)
        self.ah_auth = None  # [start, end) of the AH Authentication Data


def u16(b, o):
    return struct.unpack_from("!H", b, o)[0]


def u32(b, o):
    return struct.unpack_from("!I", b, o)[0]


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def pseudo_header(src, dst, length, nh):
    return address_bytes(src) + address_bytes(dst) + struct.pack("!IxxxB", length, nh)


def decode_suboptions(b, start, end):
    subs = []
    q = start
    while q < end:
        t = b[q]
        if t == OPT_PAD1:
            q += 1
            continue
        if q + 2 > end or q + 2 + b[q + 1] > end:
            raise Malformed("sub-option overruns its option")
        length, data = b[q + 1], q + 2
        if t == SUB_ALT_COA:
            if length != 16:
                raise Malformed("Alternate CoA length")
            subs.append({"kind": "alt-coa", "address": address_text(b[data:data + 16])})
        elif t == SUB_HOMELESS:
            if length != 0:
                raise Malformed("Homeless Support length")
            subs.append({"kind": "homeless-support"})
        elif t == SUB_SECURITY:
            if length != 16:
                raise Malformed("Security Challenge/Response length")
            subs.append({"kind": "security", "value": bytes(b[data:data + 16])})
        elif t == SUB_ALT_PREFIXES:
            # WIRE.md's erratum: length == 1 + 4 * (PL + 1) * count.
            if length < 1:
                raise Malformed("Alternate Prefixes length")
            pl, count = b[data] >> 6, b[data] & 0x3F
            size = 4 * (pl + 1)
            if (length - 1) % size or (length - 1) // size != count:
                raise Malformed("Alternate Prefixes count")
            prefixes = [bytes(b[data + 1 + k * size:data + 1 + (k + 1) * size]) for k in range(count)]
            subs.append({"kind": "alt-prefixes", "pl": pl, "prefixes": prefixes})
        elif t == SUB_UNIQUE_ID:
            if length != 2:
                raise Malformed("Unique Identifier length")
            subs.append({"kind": "unique-id"})
        elif t != OPT_PADN:
            subs.append({"kind": "unknown", "type": t})  # skipped (draft-13 §5.5)
        q = data + length
    return subs


def decode_options(b, start, end, p):
    options, saw_hao, saw_br = [], False, False
    o = start
    while o < end:
        t = b[o]
        if t == OPT_PAD1:
            o += 1
            continue
        if o + 2 > end or o + 2 + b[o + 1] > end:
            raise Malformed("option overruns its header")
        length, data = b[o + 1], o + 2
        if t & 0x20:
            p.mutable.append((data, data + length))
        if t == OPT_HAO:
            if length != 16 or saw_hao:
                raise Malformed("Home Address option")
            saw_hao = True
            options.append({"kind": "hao", "address": address_text(b[data:data + 16])})
        elif t == OPT_BU:
            if length < 8:
                raise Malformed("Binding Update length")
            options.append({"kind": "bu", "ack": bool(b[data] & 0x80), "sequence": u16(b, data + 2),
                            "lifetime": u32(b, data + 4), "subs": decode_suboptions(b, data + 8, data + length)})
        elif t == OPT_BA:
            if length < 11:
                raise Malformed("Binding Acknowledgement length")
            options.append({"kind": "ba", "status": b[data], "sequence": u16(b, data + 1),
                            "lifetime": u32(b, data + 3), "subs": decode_suboptions(b, data + 11, data + length)})
        elif t == OPT_BR:
            if saw_br:
                raise Malformed("second Binding Request")
            saw_br = True
            options.append({"kind": "br", "subs": decode_suboptions(b, data, data + length)})
        elif t != OPT_PADN:
            options.append({"kind": "unknown", "type": t})
        o = data + length
    return options


def decode(b):
    """The packet in `b` (WIRE.md layout), or raises Malformed."""
    p = Packet()
    if len(b) < 40 or b[0] >> 4 != 6:
        raise Malformed("not an IPv6 packet")
    end = 40 + u16(b, 4)
    if end != len(b):
        raise Malformed("Payload Length disagrees with the bytes")
    p.source, p.destination = address_text(b[8:24]), address_text(b[24:40])
    nh, off, stage = b[6], 40, 0
    while True:
        if nh in NH_REFUSED:
            raise Malformed("unsupported extension header")
        header_stage = {NH_ROUTING: 1, NH_DEST: 2, NH_AH: 3}.get(nh)
        if header_stage is None:
            break
        if header_stage <= stage:
            raise Malformed("extension header repeated or out of order")
        stage = header_stage
        if nh == NH_AH:
            if end - off < 12:
                raise Malformed("AH truncated")
            length = 4 * (b[off + 1] + 2)
            if length < 12 or length % 8 or off + length > end:
                raise Malformed("AH length")
            p.ah = (u32(b, off + 4), u32(b, off + 8), bytes(b[off + 12:off + length]))
            p.ah_auth = (off + 12, off + length)
        else:
            if end - off < 8:
                raise Malformed("extension header truncated")
            length = 8 * (b[off + 1] + 1)
            if off + length > end:
                raise Malformed("extension header overruns the packet")
            if nh == NH_ROUTING:
                if b[off + 2] != 0 or b[off + 1] % 2 or b[off + 3] > b[off + 1] // 2:
                    raise Malformed("routing header")
                p.routing_offset = off
                count = b[off + 1] // 2
                p.routing = (b[off + 3], [address_text(b[off + 8 + 16 * i:off + 24 + 16 * i]) for i in range(count)])
            else:
                options = decode_options(b, off + 2, off + length, p)
                p.options = options or None
        nh, off = b[off], off + length
    final = p.routing[1][-1] if p.routing and p.routing[0] > 0 and p.routing[1] else p.destination
    if nh in (NH_UDP, NH_ICMP):
        body = bytes(b[off:end])
        if checksum(pseudo_header(p.source, final, len(body), nh) + body) != 0xFFFF:
            raise Malformed("wrong checksum")
    if nh == NH_UDP:
        if end - off < 8 or u16(b, off + 4) != end - off or u16(b, off + 6) == 0:
            raise Malformed("UDP header")
        p.upper = ("udp", u16(b, off), u16(b, off + 2), bytes(b[off + 8:end]))
    elif nh == NH_ICMP:
        if end - off < 4:
            raise Malformed("ICMPv6 truncated")
        t, code = b[off], b[off + 1]
        if t in (ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY, ICMP_PARAM_PROBLEM, ICMP_UNREACHABLE) and end - off < 8:
            raise Malformed("ICMPv6 message truncated")
        if t in (ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY):
            p.upper = ("echo-request" if t == ICMP_ECHO_REQUEST else "echo-reply", u16(b, off + 4), u16(b, off + 6), bytes(b[off + 8:end]))
        elif t == ICMP_PARAM_PROBLEM:
            p.upper = ("param-problem", code, u32(b, off + 4), bytes(b[off + 8:end]))
        else:
            p.upper = ("icmp-other",)
    elif nh != NH_NONE:
        p.upper = ("raw",)
    return p


# ---------------------------------------------------------------------------------------------
# Encoding (WIRE.md canonical form) and AH.


def pad_to(buf, x, y):
    """Pad1 / PadN so that the next byte sits at offset xn+y of the Destination Options header."""
    need = (y - len(buf)) % x
    if need == 1:
        buf.append(OPT_PAD1)
    elif need > 1:
        buf += bytes([OPT_PADN, need - 2]) + bytes(need - 2)


def alternate_prefixes(others, suffix_source):
    """WIRE.md canonical Alternate Prefixes: each address under the smallest PL whose suffix matches."""
    suffix = address_bytes(suffix_source)
    by_pl, seen = {0: [], 1: [], 2: [], 3: []}, {suffix_source}
    for a in others:
        if a in seen:
            continue
        seen.add(a)
        b = address_bytes(a)
        pl = next(pl for pl in range(4) if pl == 3 or b[4 * (pl + 1):] == suffix[4 * (pl + 1):])
        by_pl[pl].append(b[:4 * (pl + 1)])
    return [{"kind": "alt-prefixes", "pl": pl, "prefixes": by_pl[pl]} for pl in range(4) if by_pl[pl]]


def encode_suboptions(buf, subs):
    for s in subs:
        if s["kind"] == "homeless-support":
            buf += bytes([SUB_HOMELESS, 0])
        elif s["kind"] == "alt-coa":
            pad_to(buf, 8, 6)
            buf += bytes([SUB_ALT_COA, 16]) + address_bytes(s["address"])
        elif s["kind"] == "alt-prefixes":
            pad_to(buf, 4, 1)
            body = b"".join(s["prefixes"])
            buf += bytes([SUB_ALT_PREFIXES, 1 + len(body), (s["pl"] << 6) | len(s["prefixes"])]) + body
        elif s["kind"] == "security":
            pad_to(buf, 4, 2)
            buf += bytes([SUB_SECURITY, 16]) + s["value"]


def encode_options(options, next_header):
    """The Destination Options header and the [start, end) of each Mobile IPv6 option in it."""
    buf, spans = bytearray([next_header, 0]), []
    for o in options:
        if o["kind"] == "hao":
            pad_to(buf, 8, 6)
            start = len(buf)
            buf += bytes([OPT_HAO, 16]) + address_bytes(o["address"])
        elif o["kind"] == "bu":
            pad_to(buf, 4, 2)
            start = len(buf)
            buf += bytes([OPT_BU, 0, 0x80 if o["ack"] else 0, 0]) + struct.pack("!HI", o["sequence"], o["lifetime"])
            encode_suboptions(buf, o["subs"])
            buf[start + 1] = len(buf) - start - 2
        else:  # a BA; Alice sends no BR
            pad_to(buf, 4, 3)
            start = len(buf)
            buf += bytes([OPT_BA, 0, o["status"]]) + struct.pack("!HII", o["sequence"], o["lifetime"], o["lifetime"])
            encode_suboptions(buf, o["subs"])
            buf[start + 1] = len(buf) - start - 2
        spans.append((start, len(buf)))
    pad_to(buf, 8, 0)
    buf[1] = len(buf) // 8 - 1
    return bytes(buf), spans


def icv_input(b, p):
    """The packet as the ICV covers it (WIRE.md "AH"): mutable fields zeroed, routing in arrival form."""
    out = bytearray(b)
    out[0] &= 0xF0
    out[1:4] = bytes(3)
    out[7] = 0
    if p.routing_offset is not None:
        r = p.routing_offset
        n, k = out[r + 1] // 2, min(out[r + 3], out[r + 1] // 2)
        out[r + 3] = 0
        if k:
            at = lambda i: r + 8 + 16 * i  # noqa: E731 (address i of the list)
            sent_destination, visited = bytes(out[24:40]), bytes(out[at(n - k):at(n)])
            out[24:40] = visited[16 * (k - 1):]
            out[at(n - k):at(n - k) + 16] = sent_destination
            out[at(n - k + 1):at(n)] = visited[:16 * (k - 1)]
    for start, end in p.mutable:
        out[start:end] = bytes(end - start)
    start, end = p.ah_auth
    out[start:end] = bytes(end - start)
    return bytes(out)


def icv(sa, data):
    digest, icv_bytes = ALGORITHMS[sa.alg][0], ALGORITHMS[sa.alg][1]
    return hmac.new(sa.key, data, digest).digest()[:icv_bytes]


def encode(source, destination, options=None, upper=("none",), sa=None):
    """Bytes of a packet Alice sends, under AH with `sa` when given; and its Mobile IPv6 option spans."""
    kind = upper[0]
    if kind == "udp":
        _, sport, dport, payload = upper
        body = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        nh = NH_UDP
    elif kind in ("echo-request", "echo-reply"):
        _, ident, seq, data = upper
        body = struct.pack("!BBHHH", ICMP_ECHO_REQUEST if kind == "echo-request" else ICMP_ECHO_REPLY, 0, 0, ident, seq) + data
        nh = NH_ICMP
    else:
        body, nh = b"", NH_NONE
    if nh != NH_NONE:
        c = 0xFFFF - checksum(pseudo_header(source, destination, len(body), nh) + body)
        c = 0xFFFF if c == 0 and nh == NH_UDP else c  # a UDP checksum of 0 is sent as 0xFFFF
        at = 6 if nh == NH_UDP else 2
        body = body[:at] + struct.pack("!H", c) + body[at + 2:]
    ah = b""
    if sa is not None:
        auth_bytes = ALGORITHMS[sa.alg][3]
        ah = struct.pack("!BBHII", nh, (12 + auth_bytes) // 4 - 2, 0, sa.outbound_spi, sa.next_sequence) + bytes(auth_bytes)
        sa.next_sequence += 1
        nh = NH_AH
    dest, spans = b"", []
    if options:
        dest, spans = encode_options(options, nh)
        nh = NH_DEST
    payload = dest + ah + body
    b = bytearray(struct.pack("!IHBB", 6 << 28, len(payload), nh, 64) + address_bytes(source) + address_bytes(destination) + payload)
    spans = [(40 + s, 40 + e) for s, e in spans]
    if sa is not None:
        p = Packet()
        start = 40 + len(dest) + 12
        p.ah_auth = (start, start + ALGORITHMS[sa.alg][3])
        b[start:start + ALGORITHMS[sa.alg][1]] = icv(sa, icv_input(b, p))
    return bytes(b), spans


# ---------------------------------------------------------------------------------------------
# The SAs, the anti-replay window, challenges.


class ReplayWindow:
    """RFC 2402 §3.4.3: sequence 0, one left of the window or one seen is a replay."""

    def __init__(self, size):
        self.size, self.top, self.seen = size, 0, set()

    def check(self, seq):
        if BUG == "no-replay-check":
            return seq != 0
        return seq > self.top or (0 < seq and self.top - seq < self.size and seq not in self.seen)

    def update(self, seq):
        self.top = max(self.top, seq)
        self.seen = {s for s in self.seen | {seq} if self.top - s < self.size}


class Sa:
    def __init__(self, request, entry, window):
        self.peer = request["peer"]
        self.inbound_spi, self.outbound_spi = request["inboundSpi"], request["outboundSpi"]
        self.alg, self.key, self.kind = request["alg"], request["key"], request["kind"]
        self.window, self.next_sequence, self.entry = ReplayWindow(window), 1, entry

    def protects_data(self):
        """§3.4.1: an anonymous SA protects BUs and BAs only (INV-ANON-SCOPE)."""
        return self.kind == "generic"


def make_challenge(sa, address, time):
    return hmac.new(sa.key, address_bytes(address) + time, ALGORITHMS[sa.alg][0]).digest()[:16]


def make_response(sa, challenge, address):
    return hmac.new(sa.key, challenge + address_bytes(address), ALGORITHMS[sa.alg][0]).digest()[:16]


def seeded_random(seed):
    """n bytes per call: SHA-256 in counter mode over the seed (deterministic runs, rule 24)."""
    state = {"counter": 0, "pool": b""}

    def draw(n):
        while len(state["pool"]) < n:
            block = struct.pack("!qQ", seed, state["counter"])
            state["pool"] += hashlib.sha256(b"hmip6 python example" + block).digest()
            state["counter"] += 1
        out, state["pool"] = state["pool"][:n], state["pool"][n:]
        return out

    return draw


# ---------------------------------------------------------------------------------------------
# The host cache.


class Challenge:
    def __init__(self, value, sa, ba, now):
        self.value, self.sa, self.ba = value, sa, ba  # ba: (source, destination, options)
        self.first_ms = self.last_ms = now
        self.attempts, self.answered_ms = 0, None

    def live(self):
        return self.answered_ms is None


class Address:
    def __init__(self, address, entry, status):
        self.address, self.entry, self.status = address, entry, status
        self.kind, self.expires, self.remove_at = "absolute", 0, 0
        self.challenge, self.granted = None, 0

    def live(self):
        return self.challenge is not None and self.challenge.live()

    def answered(self):
        return self.challenge is not None and not self.challenge.live()


class Entry:
    def __init__(self, number):
        self.id, self.kind, self.sa = "e%d" % number, "unknown", None
        self.addresses = []
        self.home = self.care_of = None  # standard mobile peers only (rule 15)
        self.last_bu_sequence, self.next_bu_sequence = None, 1
        self.last_source, self.acknowledged = None, False
        self.probe_deadline = self.next_refresh = None
        self.announced = set()
        self.sent = []  # (bytes, spans) of packets with Mobile IPv6 options (rule 15)

    def find(self, address):
        return next((r for r in self.addresses if r.address == address), None)

    def format(self):
        """How Alice's BUs to this peer look: 'homeless' (§3.2.2), 'initial' (HAO = source, §3.2.1) or None."""
        return {"homeless": "homeless", "unknown": "initial"}.get(self.kind)


def newer(a, b):
    """WIRE.md: a is newer than b when (a - b) mod 2^16 is in 1..32767."""
    if BUG == "bu-sequence-no-wrap":
        return a > b  # breaks HOST.md rule 7 (WIRE.md: compared modulo 2^16): 0 is never newer than 65535
    return 1 <= (a - b) % 0x10000 <= 0x7FFF


class Host:
    def __init__(self, local, params, random, now):
        self.local, self.params, self.random = local, params, random
        self.entries, self.sas, self.number = [], {}, 0
        self.last_now, self.echo_sequence = now, 0
        self.out, self.delivered = [], []

    # ---- lookups --------------------------------------------------------------------------

    def records(self, address):
        return [r for e in self.entries for r in e.addresses if r.address == address]

    def find(self, address, status):
        return next((r for r in self.records(address) if r.status == status), None)

    def oldest_local(self, destination):
        """§1.4: the source must have the destination's scope; Alice's oldest such address."""
        scope = scope_of(destination)
        return next((a for a in self.local if scope_of(a) == scope), None)

    def challenges(self, entry):
        return sum(1 for r in entry.addresses if r.status == "tentative" or (r.status == "active" and r.live()))

    def fits(self, what, entry=None):
        """Rule 8: the bounds; nothing is ever evicted to make room."""
        p = self.params
        if what == "entry":
            return len(self.entries) < p["foreignEntriesCountMax"]
        if what == "address":
            return len(entry.addresses) < p["addressesPerEntryCountMax"]
        return self.challenges(entry) < p["tentativePerEntryCountMax"]

    def granted(self, seconds):
        return min(seconds, self.params["bindingLifetimeSecondsMax"])

    # ---- entries and addresses ----------------------------------------------------------------

    def new_entry(self, first, now):
        """Rule 17: the entry's first address is active with an activity-related lifetime."""
        self.number += 1
        entry = Entry(self.number)
        self.entries.append(entry)
        r = Address(first, entry, "active")
        r.kind, r.expires = "activity", now + self.params["defaultLifetimeSeconds"] * 1000
        entry.addresses.append(r)
        return entry

    def remove(self, r):
        r.challenge = None
        r.entry.addresses.remove(r)
        if r.entry.sa is None and not r.entry.addresses:  # rule 18
            self.entries.remove(r.entry)

    def activate(self, r, kind, expires):
        r.status, r.kind, r.expires, r.remove_at = "active", kind, expires, 0

    # ---- transmission ---------------------------------------------------------------------------

    def transmit(self, source, destination, options=None, upper=("none",), sa=None, entry=None):
        b, spans = encode(source, destination, options, upper, sa)
        self.out.append(b)
        if spans and entry is not None:
            entry.sent = (entry.sent + [(b, spans)])[-SENT_REMEMBERED:]

    def next_bu_sequence(self, entry):
        n = entry.next_bu_sequence
        entry.next_bu_sequence = (n + 1) % 0x10000
        return n

    def destination(self, entry):
        """Rule 21: the last source received if active, else the oldest active address (never tentative)."""
        if entry.kind == "standard-mobile" and entry.home and getattr(entry.find(entry.home), "status", None) == "active":
            return entry.home
        if BUG == "data-to-newest":
            # Breaks R1.4-10, R2.4.1-5 and HOST.md rule 21 (active addresses only): the peer "just moved" there, unverified.
            return next((r.address for r in reversed(entry.addresses) if r.status != "deprecated"), None)
        last = entry.find(entry.last_source) if entry.last_source else None
        if last is not None and last.status == "active":
            return last.address
        return next((r.address for r in entry.addresses if r.status == "active"), None)

    def address_list_bu(self, entry, destination, source, ack, others=None):
        """Initial (rule 14), periodic and BR-answering (rule 16) BUs: the source and Alice's other global addresses.

        A BU option holds 255 bytes: addresses that do not fit one go on in further BUs, one per
        packet, each with its own sequence number (the draft: a packet MAY carry several BUs)."""
        if others is None:
            others = [a for a in self.local if is_global(a) and a != source]
            entry.announced = {source, *others}

        def options_for(chunk, sequence):
            subs = [{"kind": "homeless-support"}] if not entry.acknowledged else []
            subs += alternate_prefixes(chunk, source)
            options = [{"kind": "hao", "address": source}] if entry.format() == "initial" else []
            options.append({"kind": "bu", "ack": ack, "sequence": sequence,
                            "lifetime": self.params["defaultLifetimeSeconds"], "subs": subs})
            return options

        def fits(chunk):
            try:
                encode_options(options_for(chunk, 0), NH_NONE)
                return True
            except ValueError:  # an option's length byte overflows: more than 255 bytes
                return False

        chunks, current = [], []
        for a in others:
            if current and not fits(current + [a]):
                chunks.append(current)
                current = []
            current.append(a)
        chunks.append(current)
        for chunk in chunks:
            self.transmit(source, destination, options_for(chunk, self.next_bu_sequence(entry)), sa=entry.sa, entry=entry)

    def care_of_bu(self, entry, destination, source, care_of, lifetime):
        """Rule 20: a BU naming one address in an Alternate CoA (lifetime 0 deletes it)."""
        subs = [{"kind": "homeless-support"}] if not entry.acknowledged else []
        subs.append({"kind": "alt-coa", "address": care_of})
        options = [{"kind": "hao", "address": source}] if entry.format() == "initial" else []
        options.append({"kind": "bu", "ack": True, "sequence": self.next_bu_sequence(entry), "lifetime": lifetime, "subs": subs})
        self.transmit(source, destination, options, sa=entry.sa, entry=entry)

    def refresh_bu(self, entry):
        """Rule 16: the periodic BU (no A bit), also the answer to a BR."""
        destination = self.destination(entry)
        if entry.sa is None or entry.format() is None or destination is None:
            return
        source = self.oldest_local(destination)
        if source is not None:
            self.address_list_bu(entry, destination, source, ack=False)

    # ---- the timers (rule 16) ----------------------------------------------------------------

    def next_due(self, now):
        """The earliest expiry due by `now`: (time, order, entry, record) or None."""
        best = None
        for i, e in enumerate(self.entries):
            for j, r in enumerate(e.addresses):
                due = []
                if r.live():
                    # challenge-lifetime-from-last breaks HOST.md rule 9: the Challenge lives from its FIRST transmission.
                    started = r.challenge.last_ms if BUG == "challenge-lifetime-from-last" else r.challenge.first_ms
                    due.append((started + self.params["challengeLifetimeMs"], 0, "challenge-end"))
                if r.status == "active":
                    due.append((r.expires, 1, "lifetime-end"))
                elif r.status == "deprecated" and BUG != "no-expiry":
                    due.append((r.remove_at, 2, "deprecation-end"))
                for at, order, kind in due:
                    key = (at, order, i, j)
                    if at <= now and (best is None or key < best[0]):
                        best = (key, kind, r)
            if e.kind == "unknown" and e.probe_deadline is not None and e.probe_deadline <= now:
                key = (e.probe_deadline, 3, i, -1)
                if best is None or key < best[0]:
                    best = (key, "probe-end", e)
        return best

    def expire(self, now):
        """Rule 16: every expiry due at `now`, each at its own instant, in the order they fell due."""
        while True:
            due = self.next_due(now)
            if due is None:
                return
            (at, _, _, _), kind, what = due
            if kind == "challenge-end":
                self.remove(what)  # a tentative address, or a holder silent on its re-check (rule 13)
                self.settle(what.address, at)
            elif kind == "lifetime-end":
                settle = what.challenge is not None
                what.status, what.challenge = "deprecated", None
                # deprecation-from-now breaks R2.1.4-7 and HOST.md rule 16 (removal counts from the expiry instant).
                noticed = now if BUG == "deprecation-from-now" else at
                what.expires, what.remove_at = at, noticed + self.params["maximumExpiredLifetimeSeconds"] * 1000
                if settle:
                    self.settle(what.address, at)
            elif kind == "deprecation-end":
                self.remove(what)
            else:
                what.probe_deadline = None
                self.compat(what, "probe-timeout")

    # ---- reachability verification (§3.4.2, rules 6, 8, 9, 12, 13) -----------------------------

    def admit(self, entry, address, claim):
        """Rule 6 for one address a BU names with lifetime > 0. Returns 'challenged', 'refused' or None."""
        r = entry.find(address)
        if r is not None and r.status == "tentative":
            return None
        if r is not None and r.status == "active":
            r.kind, r.expires = "absolute", claim["now"] + claim["lifetime"] * 1000
            return None
        if BUG == "deprecated-reactivated" and r is not None and r.status == "deprecated":
            # Breaks HOST.md rule 6 and R3.4.2-1: a deprecated address named again is tentative, not active.
            self.activate(r, "absolute", claim["now"] + claim["lifetime"] * 1000)
            return None
        if r is None and not self.fits("address", entry):
            if BUG != "evict-oldest":
                return "refused"
            self.remove(entry.addresses[0])  # breaks HOST.md rule 8: nothing is evicted
        if BUG == "no-challenge":
            if r is None:
                r = Address(address, entry, "active")
                entry.addresses.append(r)
            self.activate(r, "absolute", claim["now"] + claim["lifetime"] * 1000)
            return None
        if not self.fits("challenge", entry):
            return "refused"
        # Rule 13: an active copy in another entry is re-checked there; a holder at its bound refuses the claim.
        holders = [h for h in self.records(address) if h.entry is not entry and h.status == "active" and h.challenge is None
                   and h.entry.sa is not None and h.entry.kind != "legacy"]
        if any(not self.fits("challenge", h.entry) for h in holders):
            return "refused"
        if BUG == "conflict-no-recheck":
            holders = []  # breaks HOST.md rule 13 and R3.4.2-4: the holder is never re-checked
        for h in holders:
            self.recheck(h, claim["now"], claim["local"], claim["sa"])
        if r is None:
            r = Address(address, entry, "tentative")
            entry.addresses.append(r)
        r.status = "tentative"
        self.challenge(r, claim)
        return "challenged"

    def recheck(self, holder, now, local, claimant_sa=None):
        """Rule 13: the holder's re-check BA: its SA, its last BU number, the remaining lifetime in whole seconds."""
        remaining = max(-(-(holder.expires - now) // 1000), 1)
        sa = holder.entry.sa
        if BUG == "recheck-claimant-sa" and claimant_sa is not None:
            sa = claimant_sa  # breaks HOST.md rule 13: the re-check uses the holder's SA
        claim = {"now": now, "sa": sa, "sequence": holder.entry.last_bu_sequence or 0,
                 "lifetime": min(remaining, 0xFFFFFFFF), "local": local, "source": None}
        self.challenge(holder, claim)

    def challenge(self, r, claim):
        """Rule 9: a fresh Challenge, in a BA to the address being checked, under the claim's SA."""
        if BUG == "clock-time":
            time = struct.pack("!Q", claim["now"])
        else:
            time = self.random(8)  # TIME: random, never the clock (WIRE.md)
        value = make_challenge(claim["sa"], r.address, time)
        local = claim["local"]
        source = local if local in self.local else self.oldest_local(r.address)
        destination = r.address
        if BUG == "challenge-to-source" and claim.get("source"):
            destination = claim["source"]
        options = [{"kind": "ba", "status": BA_ACCEPTED, "sequence": claim["sequence"], "lifetime": claim["lifetime"],
                    "subs": [{"kind": "security", "value": value}]}]
        r.challenge = Challenge(value, claim["sa"], (source, destination, options), claim["now"])
        if r.status == "tentative":
            r.kind, r.expires = "absolute", claim["now"] + self.params["challengeLifetimeMs"]
        if source is not None and r.entry.kind != "legacy":
            self.transmit(source, destination, options, sa=claim["sa"], entry=r.entry)
            r.challenge.attempts = 1

    def retransmit(self, r, now):
        """Rule 9: the same BA but for its AH sequence number (from another address if Alice lost its source)."""
        c = r.challenge
        source, destination, options = c.ba
        if source not in self.local:
            source = self.oldest_local(r.address)
            if source is None:
                return
            c.ba = (source, destination, options)
        self.transmit(source, destination, options, sa=c.sa, entry=r.entry)
        c.attempts += 1
        c.last_ms = now
        if BUG == "challenge-lifetime-from-last" and r.status == "tentative":
            r.expires = now + self.params["challengeLifetimeMs"]

    def settle(self, address, now):
        """Rule 13: two that answered are flushed; else, once no check is live, the one that answered wins."""
        rivals = [r for r in self.records(address) if r.status in ("tentative", "active")]
        answered = [r for r in rivals if r.answered()]
        if len(answered) >= 2:
            affected = set()
            for entry in {id(r.entry): r.entry for r in answered}.values():
                for r in list(entry.addresses):
                    affected.add(r.address)
                    self.remove(r)
            for a in affected:
                self.settle(a, now)
            return
        if any(r.live() for r in rivals) or not answered:
            return
        winner = answered[0]
        for r in rivals:
            if r is not winner:
                self.remove(r)
        winner.challenge = None
        if winner.status == "tentative":
            self.activate(winner, "absolute", winner.granted)

    def recheck_first_address(self, r, now):
        """Rule 13 through rule 17: a new first address tentative in another entry re-checks its holder."""
        if r.status != "active" or r.challenge is not None:
            return
        if not any(x is not r and x.status == "tentative" for x in self.records(r.address)):
            return
        if r.entry.sa is None or r.entry.kind == "legacy" or not self.fits("challenge", r.entry):
            return
        self.recheck(r, now, None)

    # ---- peer kinds (rule 15; the draft's Appendix D as HOST.md fixes it) ------------------------

    def compat(self, entry, event):
        kind = entry.kind
        if event == "homeless-support":
            kind = "homeless"
        elif event == "mobile-signal" and kind in ("unknown", "standard"):
            kind = "standard-mobile"
        elif event == "mobile-signal" and BUG == "homeless-downgrade" and kind == "homeless":
            kind = "standard-mobile"  # breaks HOST.md rule 15: a homeless peer never moves down
        elif event == "probe-timeout" and kind == "unknown":
            kind = "standard"
        elif event == "parameter-problem" and kind in ("unknown", "standard"):
            kind = "legacy"
        if kind != entry.kind:
            entry.kind = kind
            if kind != "unknown":
                entry.probe_deadline = None
            if kind != "standard-mobile":
                entry.home = entry.care_of = None

    # ---- receiving (§2.3, rules 1-4, 10-13, 15, 22, 23) -------------------------------------------

    def receive(self, b, now):
        try:
            p = decode(b)
        except (Malformed, ValueError, struct.error):
            return
        # Rule 22: every destination must be Alice's (no forwarding through a routing header).
        if p.destination not in self.local or (p.routing and not all(a in self.local for a in p.routing[1])):
            return
        local = p.routing[1][-1] if p.routing and p.routing[0] > 0 and p.routing[1] else p.destination
        # RFC 2460 §4.2: an unknown option whose action bits are not "skip" discards the packet.
        if any(o["kind"] == "unknown" and o["type"] >> 6 for o in p.options or []):
            return
        sa = None
        if p.ah is not None:
            spi, seq, auth = p.ah
            sa = self.sas.get(spi)
            # Rule 2: unknown SPI, replay or bad ICV drops the whole packet; the window moves only after the ICV.
            if sa is None or not sa.window.check(seq):
                return
            if BUG == "replay-window-before-icv":
                # Breaks rule 3 (WIRE.md "AH", RFC 2402 §3.4.3): a forged packet moves the window.
                sa.window.update(seq)
            if not self.verify(b, p, sa, auth):
                return
            sa.window.update(seq)
        options = p.options or []
        hao = next((o["address"] for o in options if o["kind"] == "hao"), None)
        if hao is not None:
            if sa is not None:
                h = sa.entry.find(hao)
                if h is None or h.status not in ("active", "deprecated"):
                    return
            elif BUG == "hao-without-ah-delivered":
                pass  # breaks R2.3.1-1 and HOST.md rule 2: an HAO without valid AH drops the packet
            elif not any(e.kind == "standard-mobile" and e.home == hao for e in self.entries):
                return
        if BUG == "activity-any-packet":
            # Breaks HOST.md rules 3 and 4: activity is refreshed only by packets that pass AH with the entry's SA.
            for r in self.records(p.source):
                if r.status == "active" and r.kind == "activity":
                    r.expires = now + self.params["defaultLifetimeSeconds"] * 1000
        if sa is not None:
            self.authenticated(p, sa, hao, local, now)
        elif BUG == "accept-unauthenticated-bu" and any(o["kind"] == "bu" for o in options):
            holder = self.find(p.source, "active")
            if holder is not None and holder.entry.sa is not None:
                self.authenticated(p, holder.entry.sa, None, local, now)
        self.data(p, sa, hao, local)

    def verify(self, b, p, sa, auth):
        """WIRE.md: the Authentication Data fits the algorithm, zero padding, and the ICV (constant-time compare)."""
        _, icv_bytes, _, auth_bytes = ALGORITHMS[sa.alg]
        if len(auth) != auth_bytes or any(auth[icv_bytes:]):
            return False
        return hmac.compare_digest(icv(sa, icv_input(b, p)), auth[:icv_bytes])

    def authenticated(self, p, sa, hao, local, now):
        """Everything a packet whose AH verified does to the SA's entry (rule 1), in option order."""
        entry = sa.entry
        options = p.options or []
        signalling = [o for o in options if o["kind"] in ("bu", "br")]
        bus = [o for o in options if o["kind"] == "bu"]
        if any(s["kind"] == "homeless-support" for o in signalling for s in o["subs"]):
            self.compat(entry, "homeless-support")
        elif hao is not None or bus:
            self.compat(entry, "mobile-signal")
            if entry.kind == "standard-mobile" and hao is not None:
                entry.home = hao
        # Rule 4: activity, only for an active source, by signalling or by data under a generic SA.
        data = p.upper[0] != "none" and sa.protects_data()
        if any(o["kind"] in ("bu", "ba", "br") for o in options) or data:
            r = entry.find(p.source)
            if r is not None and r.status == "active":
                if r.kind == "activity":
                    r.expires = now + self.params["defaultLifetimeSeconds"] * 1000
                entry.last_source = r.address
        previous = None
        for o in options:
            if o["kind"] == "bu":
                increasing = previous is None or newer(o["sequence"], previous)  # §3.2.2
                previous = o["sequence"]
                if increasing:
                    self.binding_update(p, entry, o, hao, local, now)
            elif o["kind"] == "ba":
                self.binding_ack(p, entry, o, local)
            elif o["kind"] == "br":
                self.refresh_bu(entry)

    @staticmethod
    def care_of(bu, source):
        """Rule 5: the last Alternate CoA, else the IPv6 Source as on the wire."""
        return next((s["address"] for s in reversed(bu["subs"]) if s["kind"] == "alt-coa"), source)

    def named(self, bu, source):
        """Rule 5: the care-of address and the Alternate Prefixes' addresses; never Alice's own nor non-global ones."""
        addresses, suffix = [self.care_of(bu, source)], address_bytes(source)
        for s in bu["subs"]:
            if s["kind"] == "alt-coa":
                suffix = address_bytes(s["address"])
            elif s["kind"] == "alt-prefixes":
                addresses += [address_text(prefix + suffix[len(prefix):]) for prefix in s["prefixes"]]
        named = []
        for a in addresses:
            if a not in named and is_global(a) and a not in self.local:
                named.append(a)
        return named

    def note_care_of(self, p, entry, bu):
        """Rule 15: only an accepted BU (newer sequence; a Response that verifies) from a standard
        mobile peer sets its care-of address; lifetime 0 or care-of = home deletes it (draft-13 §8.3)."""
        if entry.kind != "standard-mobile":
            return
        coa = self.care_of(bu, p.source)
        entry.care_of = None if bu["lifetime"] == 0 or coa == entry.home else coa

    def binding_update(self, p, entry, bu, hao, local, now):
        """Rules 5-8, 10, 12: sequence first; a Response; else add, refresh or delete the named addresses."""
        if entry.last_bu_sequence is not None and not newer(bu["sequence"], entry.last_bu_sequence):
            return
        if any(s["kind"] == "security" for s in bu["subs"]):
            self.response(p, entry, bu, hao, local, now)
            return
        entry.last_bu_sequence = bu["sequence"]
        self.note_care_of(p, entry, bu)
        named = self.named(bu, p.source)
        granted = self.granted(bu["lifetime"])
        challenged = refused = False
        if bu["lifetime"] == 0:
            for a in named:
                r = entry.find(a)
                if r is not None:
                    self.remove(r)
                    self.settle(a, now)
        else:
            claim = {"now": now, "sa": entry.sa, "sequence": bu["sequence"], "lifetime": granted, "local": local, "source": p.source}
            for a in named:
                result = self.admit(entry, a, claim)
                challenged = challenged or result == "challenged"
                refused = refused or result == "refused"
        if bu["ack"] and not challenged:
            self.plain_ba(entry, p.source, hao, local, BA_INSUFFICIENT_RESOURCES if refused else BA_ACCEPTED, bu["sequence"], granted)

    def response(self, p, entry, bu, hao, local, now):
        """Rule 12: only the Response (and at most one Alternate CoA); a live Challenge; a matching value."""
        kinds = [s["kind"] for s in bu["subs"]]
        if kinds.count("security") != 1 or kinds.count("alt-coa") > 1 or len(kinds) != kinds.count("security") + kinds.count("alt-coa"):
            return
        if bu["lifetime"] == 0:
            return
        address = self.care_of(bu, p.source)
        r = entry.find(address)
        started = r.challenge.last_ms if BUG == "challenge-lifetime-from-last" and r is not None and r.live() else None
        if r is None or not r.live() or now - (started if started is not None else r.challenge.first_ms) >= self.params["challengeLifetimeMs"]:
            return
        if BUG == "response-only-at-challenge-source" and local != r.challenge.ba[0]:
            return  # breaks R3.4.2-7 and R2.4.1-2: the Response MAY go to any of Alice's addresses
        value = next(s["value"] for s in bu["subs"] if s["kind"] == "security")
        if BUG == "response-any-challenge":
            # Breaks HOST.md rule 12 (WIRE.md: only for the latest Challenge sent to that address):
            # a Response computed for another tentative address of the entry activates this one.
            if not any(hmac.compare_digest(make_response(x.challenge.sa, x.challenge.value, x.address), value)
                       for x in entry.addresses if x.live()):
                return
        elif not hmac.compare_digest(make_response(r.challenge.sa, r.challenge.value, address), value):
            return
        entry.last_bu_sequence = bu["sequence"]
        self.note_care_of(p, entry, bu)
        r.challenge.answered_ms = now
        r.granted = now + self.granted(bu["lifetime"]) * 1000
        if r.status == "active":
            r.kind, r.expires = "absolute", r.granted
        self.settle(address, now)
        if bu["ack"]:
            self.plain_ba(entry, p.source, hao, local, BA_ACCEPTED, bu["sequence"], self.granted(bu["lifetime"]))

    def plain_ba(self, entry, source, hao, local, status, sequence, lifetime):
        """Rule 10: to the source if it is active or deprecated in the entry, else to the HAO, else nowhere."""
        if entry.sa is None or entry.kind == "legacy":
            return
        known = entry.find(source)
        destination = source if known is not None and known.status in ("active", "deprecated") else hao
        if destination is None:
            return
        src = local if local in self.local else self.oldest_local(destination)
        if src is not None:
            options = [{"kind": "ba", "status": status, "sequence": sequence, "lifetime": lifetime, "subs": []}]
            self.transmit(src, destination, options, sa=entry.sa, entry=entry)

    def binding_ack(self, p, entry, ba, local):
        """A BA with status 0 acknowledges the peer (rule 14); a Challenge in it is answered (rule 11)."""
        if ba["status"] != BA_ACCEPTED:
            return
        entry.acknowledged = True
        value = next((s["value"] for s in ba["subs"] if s["kind"] == "security"), None)
        if value is None or entry.sa is None or entry.kind == "legacy" or BUG == "no-response":
            return
        checked = local  # ADDR: the BA's destination as it arrived
        source = checked if checked in self.local else self.oldest_local(p.source)
        if source is None:
            return
        subs = [] if source == checked else [{"kind": "alt-coa", "address": checked}]
        subs.append({"kind": "security", "value": make_response(entry.sa, value, checked)})
        options = [{"kind": "bu", "ack": False, "sequence": self.next_bu_sequence(entry), "lifetime": ba["lifetime"], "subs": subs}]
        self.transmit(source, p.source, options, sa=entry.sa, entry=entry)

    def data(self, p, sa, hao, local):
        """Rule 22: upper-layer data and its entry; rule 23: echo requests answered without the host cache."""
        kind = p.upper[0]
        if kind == "param-problem":
            self.parameter_problem(p)
            return
        if kind not in ("udp", "echo-request", "echo-reply"):
            return
        source = hao or p.source
        if sa is not None and (sa.protects_data() or BUG == "anon-data"):
            r = sa.entry.find(source)
            entry, authenticated = (sa.entry.id, True) if r is not None and r.status in ("active", "deprecated") else (None, False)
            if BUG == "authenticated-any-source":
                entry, authenticated = sa.entry.id, True  # breaks HOST.md rule 22: the source must be active or deprecated there
        else:
            r = self.find(source, "active") or self.find(source, "deprecated")
            entry, authenticated = (r.entry.id if r else None), False
        if kind == "udp":
            _, sport, dport, payload = p.upper
            self.delivered.append({"entry": entry, "proto": "udp", "payload": payload.hex(), "authenticated": authenticated,
                                   "sport": sport, "dport": dport})
            return
        _, ident, seq, body = p.upper
        self.delivered.append({"entry": entry, "proto": "icmp", "payload": body.hex(), "authenticated": authenticated})
        if kind == "echo-request":
            self.transmit(local, p.source, upper=("echo-reply", ident, seq, body))

    def parameter_problem(self, p):
        """Rule 15: code 2 about a Mobile IPv6 option of a packet Alice sent, quoted byte for byte: a legacy peer."""
        _, code, pointer, invoking = p.upper
        if code != PARAM_PROBLEM_UNRECOGNIZED_OPTION:
            return
        for entry in self.entries:
            if entry.kind not in ("unknown", "standard"):
                continue
            for sent, spans in entry.sent:
                if (invoking == sent[:QUOTE_MAX] and p.source == address_text(sent[24:40])
                        and p.destination == address_text(sent[8:24]) and any(pointer == s for s, _ in spans)):
                    self.compat(entry, "parameter-problem")
                    return

    # ---- the requests --------------------------------------------------------------------------

    def begin(self, now):
        self.last_now, self.out, self.delivered = now, [], []
        self.expire(now)

    def reusable(self, peer):
        """Rule 17: the entry a `send` created, holding `peer` active (else deprecated), without an SA."""
        active = self.find(peer, "active")
        if active is not None:
            return active.entry if active.entry.sa is None else None
        return next((r.entry for r in self.records(peer) if r.status == "deprecated" and r.entry.sa is None), None)

    def add_sa(self, sa_request, now):
        peer = sa_request["peer"]
        if sa_request["inboundSpi"] in self.sas:
            raise Refused("sa.inboundSpi is already in use")
        view = self
        if self.next_due(now) is not None:  # judge on the state after this request's expiries (rule 24)
            view = copy.deepcopy(self)
            view.expire(now)
        active = view.find(peer, "active")
        if active is not None and active.entry.sa is not None:
            raise Refused("sa.peer is already active in an entry with an SA (rule 17)")
        if view.reusable(peer) is None and not view.fits("entry"):
            raise Refused("foreignEntriesCountMax reached (rule 8)")
        self.begin(now)
        entry = self.reusable(peer) or self.new_entry(peer, now)
        first = entry.find(peer)
        if first.status == "deprecated":
            self.activate(first, "activity", now + self.params["defaultLifetimeSeconds"] * 1000)
        elif first.kind == "activity":
            first.expires = now + self.params["defaultLifetimeSeconds"] * 1000
        entry.sa = Sa(sa_request, entry, self.params["antiReplayWindowPackets"])
        self.sas[entry.sa.inbound_spi] = entry.sa
        entry.next_refresh = now + self.params["bindingRefreshSeconds"] * 1000
        # Rule 14: the Initial BU, from Alice's oldest address of the peer's scope.
        source = self.oldest_local(peer)
        if source is not None and entry.kind != "legacy":
            self.address_list_bu(entry, peer, source, ack=True)
            if entry.kind == "unknown":
                entry.probe_deadline = now + self.params["compatProbeTimeoutMs"]
        self.recheck_first_address(first, now)

    def tick(self, now):
        self.begin(now)
        for entry in self.entries:
            if entry.kind == "legacy":
                continue
            for r in list(entry.addresses):
                c = r.challenge
                attempts_max = self.params["challengeAttemptsMax"] + (1 if BUG == "challenge-extra-attempt" else 0)  # breaks HOST.md rule 9
                if r.live() and c.attempts < attempts_max and now >= c.last_ms + self.params["challengeRetransmitMs"]:
                    self.retransmit(r, now)
        for entry in self.entries:
            if entry.sa is not None and entry.next_refresh is not None and now >= entry.next_refresh:
                self.refresh_bu(entry)
                entry.next_refresh = now + self.params["bindingRefreshSeconds"] * 1000

    def send(self, to, proto, payload, sport, dport, now):
        """Rule 21: returns False when nothing can be sent (`unreachable`)."""
        self.begin(now)
        r = self.find(to, "active") or self.find(to, "deprecated")
        if r is not None:
            entry = r.entry
        else:
            if not self.fits("entry"):
                return False
            entry = self.new_entry(to, now)
            self.recheck_first_address(entry.addresses[0], now)
        destination = self.destination(entry)
        source = self.oldest_local(destination) if destination else None
        if BUG == "stale-source" and source is not None:
            # Breaks HOST.md rule 21 and R1.4-13 (a source from Alice's own addresses): the remembered one outlives removeLocalAddress.
            source = entry.data_source = getattr(entry, "data_source", None) or source
        if source is None:
            return False
        if proto == "udp":
            upper = ("udp", sport, dport, payload)
        else:
            self.echo_sequence = (self.echo_sequence + 1) % 0x10000
            upper = ("echo-request", 0, self.echo_sequence, payload)
        sa = entry.sa if entry.sa is not None and entry.sa.protects_data() else None
        if BUG == "anon-data-ah" and entry.sa is not None:
            sa = entry.sa  # breaks R3.4.1-4 and HOST.md rule 21: never data under an anonymous SA
        self.transmit(source, destination, upper=upper, sa=sa, entry=entry)
        return True

    def add_local(self, address, now):
        """§2.1.3, rule 20: a BU announcing it to each peer with an SA and an active address."""
        self.begin(now)
        if address in self.local:
            return
        self.local.append(address)
        for entry in self.entries:
            destination = self.destination(entry)
            if entry.sa is None or entry.format() is None or destination is None or scope_of(destination) != scope_of(address):
                continue
            registered = next((a for a in self.local if a != address and a in entry.announced and scope_of(a) == scope_of(address)), None)
            if registered is not None:
                self.care_of_bu(entry, destination, registered, address, self.params["defaultLifetimeSeconds"])
            else:
                self.address_list_bu(entry, destination, address, ack=True, others=[])
            entry.announced.add(address)

    def remove_local(self, address, now):
        """§2.1.2 MUST, rule 20: a deleting BU (lifetime 0) from a remaining address."""
        self.begin(now)
        if address not in self.local:
            return
        self.local.remove(address)
        for entry in self.entries:
            entry.announced.discard(address)
            destination = self.destination(entry)
            if entry.sa is None or entry.format() is None or destination is None or scope_of(destination) != scope_of(address):
                continue
            source = self.oldest_local(destination)
            if source is not None:
                self.care_of_bu(entry, destination, source, address, 0)

    def state(self):
        """The observable state (rule 19), in insertion order."""
        entries = []
        for e in self.entries:
            addresses = [{"address": r.address, "status": r.status,
                          "lifetime": {"kind": "absolute" if r.status == "tentative" else r.kind, "expiresAt": r.expires},
                          "challengeOutstanding": r.live()} for r in e.addresses]
            mobile = e.kind == "standard-mobile"
            entries.append({"id": e.id, "peerKind": e.kind,
                            "sa": {"inboundSpi": e.sa.inbound_spi, "kind": e.sa.kind} if e.sa else None,
                            "addresses": addresses, "homeAddress": e.home if mobile else None,
                            "careOfAddress": e.care_of if mobile else None})
        return {"entries": entries, "local": list(self.local)}


# ---------------------------------------------------------------------------------------------
# The adapter protocol (docs/adapter-protocol.md): checks each request, then calls the host.


def integer(value, name, low, high):
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Refused("%s must be an integer in %d..%d" % (name, low, high))
    return value


def address_field(value, name, usable=True):
    a = parse_address(value)
    if a is None or (usable and scope_of(a) == "unusable"):
        raise Refused("%s must be a unicast IPv6 address" % name)
    return a


def hex_field(value, name):
    try:
        if not isinstance(value, str) or len(value) % 2:
            raise ValueError
        return bytes.fromhex(value)
    except ValueError:
        raise Refused("%s must be a hex string" % name) from None


def resolve_params(given):
    params = {name: default for name, (default, _, _) in PARAMS.items()}
    if given is None:
        return params
    if not isinstance(given, dict):
        raise Refused("config.params must be an object")
    for name, value in given.items():
        if name not in PARAMS:
            raise Refused("unknown parameter %r" % name)  # rule 24
        _, low, high = PARAMS[name]
        if low is None:
            if not isinstance(value, bool):
                raise Refused("parameter %s must be a boolean" % name)
            if value:
                raise Refused("buOptimization (Appendix B) is not implemented here")
        else:
            integer(value, "parameter " + name, low, high)
        params[name] = value
    return params


class Adapter:
    def __init__(self):
        self.host = None
        self.done = False

    def handle(self, line):
        try:
            request = json.loads(line)
        except ValueError:
            return {"id": None, "ok": False, "error": "not JSON"}
        if not isinstance(request, dict):
            return {"id": None, "ok": False, "error": "a request must be a JSON object"}
        rid = request.get("id")
        if not isinstance(rid, int) or isinstance(rid, bool):
            return {"id": None, "ok": False, "error": "id must be an integer"}
        try:
            return {"id": rid, "ok": True, **self.dispatch(request)}
        except Refused as e:
            if str(e) == "unsupported":
                return {"id": rid, "ok": False, "error": "unsupported", "unsupported": True}
            return {"id": rid, "ok": False, "error": str(e)}

    def now(self, r):
        if "now" not in r:
            raise Refused("now is missing")
        now = integer(r["now"], "now", 0, 2**53 - 1)
        if self.host is not None and r.get("type") != "reset" and now < self.host.last_now:
            raise Refused("now %d is before the last accepted now %d" % (now, self.host.last_now))
        return now

    def dispatch(self, r):
        t = r.get("type")
        if t == "hello":
            if r.get("protocol") != PROTOCOL:
                raise Refused("this host speaks protocol %d" % PROTOCOL)
            return {"name": NAME + (" --bug " + BUG if BUG else ""), "version": VERSION, "features": FEATURES}
        if t == "shutdown":
            self.done = True
            return {}
        if t == "reset":
            return self.reset(r)
        if t not in ("addSA", "receive", "tick", "send", "addLocalAddress", "removeLocalAddress", "state"):
            raise Refused("unsupported")
        if self.host is None:
            raise Refused("%s before the first reset" % t)
        host = self.host
        if t == "state":
            return {"state": host.state()}
        now = self.now(r)
        if t == "addSA":
            sa = r.get("sa")
            if not isinstance(sa, dict):
                raise Refused("sa must be an object")
            peer = address_field(sa.get("peer"), "sa.peer")
            if peer in host.local:
                raise Refused("sa.peer is one of Alice's addresses")
            alg = sa.get("alg")
            if alg not in ALGORITHMS or sa.get("kind") not in ("generic", "anonymous"):
                raise Refused("sa.alg or sa.kind is not one of the protocol's")
            key = hex_field(sa.get("key"), "sa.key")
            if len(key) != ALGORITHMS[alg][2]:
                raise Refused("%s needs a %d-byte key" % (alg, ALGORITHMS[alg][2]))
            spi_min = 0 if BUG == "reserved-spi" else SPI_MIN  # reserved-spi breaks HOST.md rule 24 (WIRE.md: SPIs >= 256)
            request = {"peer": peer, "alg": alg, "key": key, "kind": sa["kind"],
                       "inboundSpi": integer(sa.get("inboundSpi"), "sa.inboundSpi", spi_min, SPI_MAX),
                       "outboundSpi": integer(sa.get("outboundSpi"), "sa.outboundSpi", spi_min, SPI_MAX)}
            host.add_sa(request, now)
            return {"sent": [b.hex() for b in host.out]}
        if t == "receive":
            packet = hex_field(r.get("packet"), "packet")
            host.begin(now)
            host.receive(packet, now)
            return {"sent": [b.hex() for b in host.out], "delivered": host.delivered}
        if t == "tick":
            host.tick(now)
            return {"sent": [b.hex() for b in host.out]}
        if t == "send":
            to = address_field(r.get("to"), "to")
            if to in host.local:
                raise Refused("to is one of Alice's addresses")
            proto = r.get("proto")
            if proto not in ("udp", "icmp"):
                raise Refused('proto must be "udp" or "icmp"')
            payload = hex_field(r.get("payload"), "payload")
            port_max = 2**53 - 1 if BUG == "port-wraps" else 0xFFFF  # port-wraps breaks HOST.md rule 24
            sport = integer(r.get("sport", UDP_PORT_DEFAULT), "sport", 0, port_max) & 0xFFFF if proto == "udp" else 0
            dport = integer(r.get("dport", UDP_PORT_DEFAULT), "dport", 0, port_max) & 0xFFFF if proto == "udp" else 0
            sent = host.send(to, proto, payload, sport, dport, now)
            answer = {"sent": [b.hex() for b in host.out]}
            if not sent:
                answer["unreachable"] = True
            return answer
        if t == "addLocalAddress":
            host.add_local(address_field(r.get("address"), "address"), now)
        else:
            host.remove_local(address_field(r.get("address"), "address", usable=False), now)
        return {"sent": [b.hex() for b in host.out]}

    def reset(self, r):
        now = self.now(r)
        config = r.get("config")
        if not isinstance(config, dict) or not isinstance(config.get("localAddresses"), list):
            raise Refused("config.localAddresses must be an array of addresses")
        local = []
        for i, a in enumerate(config["localAddresses"]):
            a = address_field(a, "config.localAddresses[%d]" % i)
            if a not in local:
                local.append(a)
        params = resolve_params(config.get("params"))
        seed = config.get("seed")
        random = os.urandom if seed is None else seeded_random(integer(seed, "config.seed", -(2**53) + 1, 2**53 - 1))
        self.host = Host(local, params, random, now)
        return {}


def main():
    global BUG
    args = sys.argv[1:]
    if args[:1] == ["--bug"] and len(args) == 2 and args[1] in BUGS:
        BUG = args[1]
        log("planted bug:", BUG, "-", BUGS[BUG])
    elif args:
        sys.exit("usage: host.py [--bug NAME]\nbugs:\n" + "\n".join("  %-26s %s" % kv for kv in BUGS.items()))
    adapter = Adapter()
    for line in sys.stdin:
        answer = adapter.handle(line)
        sys.stdout.write(json.dumps(answer, separators=(",", ":")) + "\n")
        sys.stdout.flush()
        if adapter.done:
            break


if __name__ == "__main__":
    main()
