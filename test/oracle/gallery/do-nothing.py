#!/usr/bin/env python3
"""Answers ok to everything, sends and delivers nothing. With --state it announces every
feature and reports an empty host cache (and Alice's addresses as `local`)."""
import sys
from iut import ALL_FEATURES, quiet, serve

with_state = "--state" in sys.argv
local = []


def answer(request):
    global local
    if request["type"] == "reset":
        local = request["config"]["localAddresses"]
    if request["type"] == "state" and with_state:
        return {"ok": True, "state": {"entries": [], "local": local}}
    return quiet(request)


serve("do-nothing" + (" --state" if with_state else ""), ALL_FEATURES if with_state else [], answer)
