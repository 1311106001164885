#!/usr/bin/env python3
"""Raw IPv6 I/O for hmip6's kernel peer (properties/kernel/, docs/findings.md).

Node has no raw sockets, so the TypeScript side builds every packet with the project's wire
layer and this small helper (Python 3 standard library only) puts the exact bytes on a
network interface and hands back what the kernel answers. It runs inside a network
namespace the test created (`ip netns exec <ns> python3 raw6.py ...`) and never touches
anything outside it.

Two modes:

  raw6.py relay --ifname IF [--absorb-udp PORT ...]
      Sends packets given as hex, header included, and captures the IPv6 packets that
      arrive on IF. JSON Lines on stdin/stdout:
        out  {"ready": true, "send": "...", "capture": "..."}      once, at start
        in   {"op": "exchange", "send": [hex...], "waitMs": N, "expect": K}
        out  {"ok": true, "sent": n, "received": [{"hex": ..., "ms": t}], "late": [...]}
        in   {"op": "quit"}
      `received` holds what arrived after the first send, until K packets have arrived or
      waitMs has passed; `late` what was already queued before (answers to an earlier
      exchange that came after its deadline).

  raw6.py echo --port P [--connect]
      A UDP echo service (the kernel's own UDP socket on [::]:P): prints {"ready": true},
      then one JSON line per datagram it echoes: {"from": addr, "port": p, "hex": data}.
      With --connect, the socket connects to its first sender and is from then on one
      connection, as a TCP socket or a connected UDP socket would be: the kernel delivers it
      only datagrams from that address and port.

Mechanisms, and why:
- Sending: socket(AF_INET6, SOCK_RAW, IPPROTO_RAW). On Linux an IPv6 raw socket with
  protocol IPPROTO_RAW is header-included (IPV6_HDRINCL, set explicitly too): the kernel
  sends the 40-byte IPv6 header and every extension header exactly as given, without
  adding or checking options, so the peer sees the bytes hmip6's host would send. The
  destination passed to sendto() is the packet's own IPv6 destination (it only picks the
  route and the neighbour).
- Capturing: socket(AF_PACKET, SOCK_DGRAM, ETH_P_IPV6) bound to IF. An AF_INET6 raw socket
  would strip the IPv6 header and see only one upper-layer protocol; a packet socket sees
  whole IPv6 packets (header, extension headers, ICMPv6 or UDP) exactly as the peer's
  kernel sent them, which is what hmip6's host.receive() takes. Our own outgoing packets
  (PACKET_OUTGOING) and Neighbour Discovery / MLD traffic are left out.
- Checksums: veth offloads them, so a packet socket sees the kernel's UDP replies before
  their checksum is filled in (the packet is CHECKSUM_PARTIAL; PACKET_AUXDATA reports
  TP_STATUS_CSUMNOTREADY). For such packets only, the relay completes the UDP or ICMPv6
  checksum (RFC 8200 §8.1), as a NIC would on the wire, and marks the packet
  "csumCompleted"; every other byte is as captured.
- --absorb-udp binds UDP sockets on the namespace's side so that the namespace's own kernel
  does not answer the peer's UDP replies with Port Unreachable; the packet socket still
  sees those replies.

Every loop is bounded: at most MAX_SEND_PACKETS per exchange, MAX_WAIT_MS of waiting, and
MAX_RECEIVED_PACKETS kept. The helper exits when its stdin closes, so a crashed parent
leaves no process behind.
"""

import argparse
import json
import os
import select
import socket
import struct
import sys
import time

ETH_P_IPV6 = 0x86DD
PACKET_OUTGOING = 4
# <linux/if_packet.h>; Python's socket module does not name them.
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_CSUMNOTREADY = 1 << 3
AUXDATA_FORMAT = "=IIIHHHH"
# Linux's value; Python's socket module does not always name it.
IPV6_HDRINCL = getattr(socket, "IPV6_HDRINCL", 36)

MAX_SEND_PACKETS = 64
MAX_WAIT_MS = 5000
MAX_RECEIVED_PACKETS = 256
MAX_LINE_BYTES = 1 << 20
SNAP_BYTES = 65535

IPV6_HEADER_BYTES = 40
NEXT_HEADER_ICMPV6 = 58
NEXT_HEADER_UDP = 17
# Extension headers measured in 8-octet units (hop-by-hop, routing, destination options).
EIGHT_OCTET_HEADERS = {0, 43, 60}
NEXT_HEADER_AH = 51
# Neighbour Discovery (133-137) and MLD (130-132, 143): link chatter, not answers.
ICMPV6_LINK_CHATTER = {130, 131, 132, 133, 134, 135, 136, 137, 143}


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def is_answer(packet):
    """An IPv6 packet worth returning: unicast, and not ND/MLD chatter."""
    if len(packet) < IPV6_HEADER_BYTES or packet[0] >> 4 != 6:
        return False
    if packet[24] == 0xFF:
        return False
    if packet[6] == NEXT_HEADER_ICMPV6 and len(packet) > IPV6_HEADER_BYTES:
        return packet[IPV6_HEADER_BYTES] not in ICMPV6_LINK_CHATTER
    return True


def ones_complement_sum(data, total=0):
    if len(data) % 2:
        data += b"\0"
    for (word,) in struct.iter_unpack("!H", data):
        total += word
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def complete_checksum(packet):
    """The packet with its UDP or ICMPv6 checksum computed in full, or None if neither is found."""
    next_header = packet[6]
    offset = IPV6_HEADER_BYTES
    for _ in range(8):
        if next_header in EIGHT_OCTET_HEADERS and offset + 2 <= len(packet):
            next_header, offset = packet[offset], offset + (packet[offset + 1] + 1) * 8
        elif next_header == NEXT_HEADER_AH and offset + 2 <= len(packet):
            next_header, offset = packet[offset], offset + (packet[offset + 1] + 2) * 4
        else:
            break
    if next_header == NEXT_HEADER_UDP:
        field = offset + 6
    elif next_header == NEXT_HEADER_ICMPV6:
        field = offset + 2
    else:
        return None
    if field + 2 > len(packet):
        return None
    upper = bytearray(packet[offset:])
    upper[field - offset:field - offset + 2] = b"\0\0"
    pseudo = packet[8:40] + struct.pack("!IxxxB", len(upper), next_header)
    checksum = 0xFFFF ^ ones_complement_sum(pseudo + bytes(upper))
    if checksum == 0 and next_header == NEXT_HEADER_UDP:
        checksum = 0xFFFF
    return packet[:field] + struct.pack("!H", checksum) + packet[field + 2:]


def read_answers(capture, into, limit):
    """Read whatever the packet socket has queued, without blocking."""
    aux_space = socket.CMSG_SPACE(struct.calcsize(AUXDATA_FORMAT))
    for _ in range(MAX_RECEIVED_PACKETS):
        try:
            data, ancillary, _flags, addr = capture.recvmsg(SNAP_BYTES, aux_space)
        except BlockingIOError:
            return
        if addr[2] == PACKET_OUTGOING or not is_answer(data):
            continue
        entry = {"ms": round(time.monotonic() * 1000)}
        for level, kind, value in ancillary:
            if level != SOL_PACKET or kind != PACKET_AUXDATA:
                continue
            status = struct.unpack_from("=I", value)[0]
            if status & TP_STATUS_CSUMNOTREADY:
                completed = complete_checksum(data)
                if completed is not None:
                    data = completed
                    entry["csumCompleted"] = True
        entry["hex"] = data.hex()
        if len(into) < limit:
            into.append(entry)


def relay(args):
    sender = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sender.setsockopt(socket.IPPROTO_IPV6, IPV6_HDRINCL, 1)
    capture = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IPV6))
    capture.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    capture.bind((args.ifname, ETH_P_IPV6))
    capture.setblocking(False)
    absorbers = []
    for port in args.absorb_udp:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.bind(("::", port))
        s.setblocking(False)
        absorbers.append(s)
    emit({
        "ready": True,
        "send": "AF_INET6/SOCK_RAW/IPPROTO_RAW with IPV6_HDRINCL",
        "capture": "AF_PACKET/SOCK_DGRAM/ETH_P_IPV6 on " + args.ifname,
    })

    for line in sys.stdin:
        if len(line) > MAX_LINE_BYTES:
            emit({"ok": False, "error": "line too long"})
            continue
        try:
            req = json.loads(line)
        except ValueError as e:
            emit({"ok": False, "error": "bad json: %s" % e})
            continue
        op = req.get("op")
        if op == "quit":
            break
        if op != "exchange":
            emit({"ok": False, "error": "unknown op %r" % op})
            continue
        packets = req.get("send", [])[:MAX_SEND_PACKETS]
        wait_ms = min(max(int(req.get("waitMs", 200)), 0), MAX_WAIT_MS)
        expect = int(req.get("expect", MAX_RECEIVED_PACKETS))

        late = []
        read_answers(capture, late, MAX_RECEIVED_PACKETS)
        for s in absorbers:
            drain(s)

        sent = 0
        errors = []
        for hx in packets:
            try:
                pkt = bytes.fromhex(hx)
                if len(pkt) < IPV6_HEADER_BYTES:
                    raise ValueError("shorter than an IPv6 header")
                dst = socket.inet_ntop(socket.AF_INET6, pkt[24:40])
                sender.sendto(pkt, (dst, 0))
                sent += 1
            except (OSError, ValueError) as e:
                errors.append(str(e))

        received = []
        deadline = time.monotonic() + wait_ms / 1000.0
        while len(received) < expect:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([capture] + absorbers, [], [], left)
            for s in ready:
                if s is capture:
                    read_answers(capture, received, MAX_RECEIVED_PACKETS)
                else:
                    drain(s)
        emit({"ok": True, "sent": sent, "errors": errors, "received": received, "late": late})
    return 0


def drain(sock):
    for _ in range(MAX_RECEIVED_PACKETS):
        try:
            sock.recvfrom(SNAP_BYTES)
        except BlockingIOError:
            return


def echo(args):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", args.port))
    emit({"ready": True, "port": args.port, "connect": args.connect})
    stdin_fd = sys.stdin.fileno()
    connected = False
    while True:
        ready, _, _ = select.select([s, stdin_fd], [], [])
        if stdin_fd in ready:
            if not os.read(stdin_fd, 4096):
                return 0
        if s in ready:
            try:
                data, addr = s.recvfrom(SNAP_BYTES)
            except OSError as e:
                # A connected socket reports ICMP errors about its peer here.
                emit({"error": str(e)})
                continue
            # Logged before the echo leaves, so the log never trails what Alice sees by much.
            emit({"from": addr[0], "port": addr[1], "hex": data.hex()})
            if args.connect and not connected:
                # From now on this socket is one connection: the kernel hands it only
                # datagrams from this address and port, and answers any other source with
                # Port Unreachable (there is no other socket on the port).
                s.connect(addr[:2])
                connected = True
            if connected:
                s.send(data)
            else:
                s.sendto(data, addr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("relay")
    r.add_argument("--ifname", required=True)
    r.add_argument("--absorb-udp", type=int, action="append", default=[])
    e = sub.add_parser("echo")
    e.add_argument("--port", type=int, required=True)
    e.add_argument("--connect", action="store_true", help="connect to the first sender: one connection")
    args = parser.parse_args()
    try:
        return relay(args) if args.mode == "relay" else echo(args)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
