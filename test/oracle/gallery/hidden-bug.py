#!/usr/bin/env python3
"""The reference host with a bug its state hides: it never sends a Challenge (every packet
carrying one is dropped from `sent`), while `state` still shows the check under way, as if
the Challenge had gone out."""
from iut import challenges_in, proxy


def rewrite(request, answer):
    if answer.get("ok") and "sent" in answer:
        answer["sent"] = [p for p in answer["sent"] if not challenges_in(p)]
    return answer


proxy("hidden-bug drop-challenges", rewrite)
