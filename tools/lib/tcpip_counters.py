#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Print the tcpip stage's counters from a sluice app's --stats-json file,
summed over workers, as NAME=VALUE lines (in the file's order).

Usage: tools/lib/tcpip_counters.py STATS_JSON
Used by the sluice-echo tests (tests/integration/echo_lib.sh) and
tools/bench/tcp-loss.sh."""
import json
import sys


def main():
    tot = {}
    with open(sys.argv[1]) as f:
        for w in json.load(f)["workers"]:
            for st in w["stages"]:
                if st["stage"] == "tcpip":
                    for k, v in st["counters"].items():
                        tot[k] = tot.get(k, 0) + v
    for k, v in tot.items():
        print(f"{k}={v}")


if __name__ == "__main__":
    main()
