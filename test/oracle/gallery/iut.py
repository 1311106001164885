"""Plumbing shared by the gallery's IUTs (test/oracle/gallery.test.ts): the adapter protocol's
framing (docs/adapter-protocol.md: one JSON object per line, each answered with its id) and
the reference host behind a proxy. Standard library only."""

import json
import subprocess
import sys
from pathlib import Path

ALL_FEATURES = ["state", "standard-compat", "alternate-prefixes", "bu-optimization", "anonymous-sa"]
UNSUPPORTED = {"ok": False, "error": "unsupported", "unsupported": True}
# test/oracle/gallery/iut.py -> the project's root, where `node cli/bin.mjs` runs.
PROJECT_ROOT = Path(__file__).resolve().parents[3]


def quiet(request):
    """An answer of the right shape that does nothing: nothing sent, nothing delivered."""
    kind = request["type"]
    if kind == "receive":
        return {"ok": True, "sent": [], "delivered": []}
    if kind == "reset":
        return {"ok": True}
    if kind == "state":
        return UNSUPPORTED
    return {"ok": True, "sent": []}


def serve(name, features, answer):
    """Answers hello and shutdown itself, every other request with answer(request)."""
    for line in sys.stdin:
        request = json.loads(line)
        kind = request.get("type")
        if kind == "hello":
            fields = {"ok": True, "name": name, "version": "0", "features": features}
        elif kind == "shutdown":
            fields = {"ok": True}
        else:
            fields = answer(request)
        print(json.dumps({"id": request.get("id"), **fields}), flush=True)
        if kind == "shutdown":
            return


class Reference:
    """The reference host (`node cli/bin.mjs serve-reference`) as a child that a proxy asks."""

    def __init__(self):
        self.child = subprocess.Popen(
            ["node", "cli/bin.mjs", "serve-reference"],
            cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )

    def ask(self, request):
        self.child.stdin.write(json.dumps(request) + "\n")
        self.child.stdin.flush()
        line = self.child.stdout.readline()
        if line == "":
            sys.exit("the reference host behind the proxy exited")
        return json.loads(line)


def proxy(name, rewrite):
    """The reference host, each answer passed through rewrite(request, answer) on its way out."""
    reference = Reference()
    for line in sys.stdin:
        request = json.loads(line)
        answer = reference.ask(request)
        if request.get("type") == "hello":
            answer["name"] = name
        else:
            answer = rewrite(request, answer)
        print(json.dumps(answer), flush=True)
        if request.get("type") == "shutdown":
            reference.child.wait()
            return


def challenges_in(packet_hex):
    """Whether a packet carries a Challenge: a BA (option 7) with a Security Challenge/Response
    sub-option (130) in its Destination Options header (WIRE.md)."""
    try:
        data = bytes.fromhex(packet_hex)
    except (TypeError, ValueError):  # a malformed `receive` of the world's (rule 24)
        return False
    if len(data) < 40:
        return False
    next_header, at = data[6], 40
    while next_header in (43, 60) and at + 2 <= len(data):
        end = at + (data[at + 1] + 1) * 8
        if next_header == 60:
            i = at + 2
            while i < min(end, len(data)):
                kind = data[i]
                if kind == 0:
                    i += 1
                    continue
                if i + 1 >= len(data):
                    return False
                length = data[i + 1]
                if kind == 7 and _has_security(data[i + 2 + 11:i + 2 + length]):
                    return True
                i += 2 + length
        next_header, at = data[at], end
    return False


def _has_security(sub_options):
    i = 0
    while i < len(sub_options):
        kind = sub_options[i]
        if kind == 0:
            i += 1
            continue
        if kind == 130:
            return True
        if i + 1 >= len(sub_options):
            return False
        i += 2 + sub_options[i + 1]
    return False
