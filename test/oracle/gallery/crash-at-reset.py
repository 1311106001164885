#!/usr/bin/env python3
"""Announces every feature, then exits with status 1 at its first reset."""
import sys
from iut import ALL_FEATURES, serve


def answer(request):
    if request["type"] == "reset":
        sys.exit(1)
    return {"ok": True}


serve("crash-at-reset", ALL_FEATURES, answer)
