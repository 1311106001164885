#!/usr/bin/env python3
"""Says hello and accepts reset, then answers ok: false to every request."""
from iut import UNSUPPORTED, serve


def answer(request):
    if request["type"] == "reset":
        return {"ok": True}
    if request["type"] == "state":
        return UNSUPPORTED
    return {"ok": False, "error": "refused"}


serve("refuse-all", [], answer)
