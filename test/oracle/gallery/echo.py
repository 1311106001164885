#!/usr/bin/env python3
"""Answers every receive by sending the same packet back. The packet was addressed to
Alice, so the world hands it to her again, and again: a packet storm (docs/properties.md, "Storms")."""
from iut import quiet, serve


def answer(request):
    if request["type"] == "receive":
        return {"ok": True, "sent": [request["packet"]], "delivered": []}
    return quiet(request)


serve("echo", [], answer)
