#!/usr/bin/env python3
"""Does nothing, but reports a plausible state that never changes: from the first addSA on,
one entry for that peer, under its SA, with the peer's address active."""
from iut import ALL_FEATURES, quiet, serve

local, entry = [], None


def answer(request):
    global local, entry
    kind = request["type"]
    if kind == "reset":
        local, entry = request["config"]["localAddresses"], None
    elif kind == "addSA" and entry is None:
        sa = request["sa"]
        entry = {
            "id": "e1", "peerKind": "homeless", "sa": {"inboundSpi": sa["inboundSpi"], "kind": sa["kind"]},
            "addresses": [{"address": sa["peer"], "status": "active",
                           "lifetime": {"kind": "activity", "expiresAt": request["now"] + 420_000},
                           "challengeOutstanding": False}],
            "homeAddress": None, "careOfAddress": None,
        }
    elif kind == "state":
        return {"ok": True, "state": {"entries": [] if entry is None else [entry], "local": local}}
    return quiet(request)


serve("static-state", ALL_FEATURES, answer)
