#!/usr/bin/env python3
"""The reference host, correct in everything it sends and delivers, whose `state` lies:
--lie all-active reports every address active; --lie hide-tentative leaves tentative
addresses out."""
import sys
from iut import proxy

lie = sys.argv[sys.argv.index("--lie") + 1]


def rewrite(request, answer):
    if request["type"] != "state" or not answer.get("ok"):
        return answer
    for entry in answer["state"]["entries"]:
        if lie == "all-active":
            for address in entry["addresses"]:
                address["status"] = "active"
        elif lie == "hide-tentative":
            entry["addresses"] = [a for a in entry["addresses"] if a["status"] != "tentative"]
    return answer


proxy(f"lying-state --lie {lie}", rewrite)
