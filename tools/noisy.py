#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A noisy neighbour: keep one CPU busy for BUSY ms out of every PERIOD ms.

Shared VMs (CI machines among them) lose their cores for milliseconds at a
time. Run this beside the test suite to check that a test allowing no loss
does not fail on such a stall, e.g. (the DUT's worker is on CPU 0):

    python3 tools/noisy.py --cpu 0 --busy-ms 8 --period-ms 100 --seconds 900 &
    tools/test.sh

It stops by itself after --seconds. It only burns CPU time on this machine.
"""
import argparse
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cpu", type=int, default=0, help="CPU to share (default 0)")
    ap.add_argument("--busy-ms", type=float, default=8, help="busy time per period (default 8)")
    ap.add_argument("--period-ms", type=float, default=100, help="period (default 100)")
    ap.add_argument("--seconds", type=float, default=600, help="stop after this long (default 600)")
    a = ap.parse_args()
    if not 0 < a.busy_ms <= a.period_ms:
        sys.exit("noisy: --busy-ms must be > 0 and <= --period-ms")
    if a.cpu not in os.sched_getaffinity(0):
        sys.exit(f"noisy: CPU {a.cpu} is not available here (have {sorted(os.sched_getaffinity(0))})")
    os.sched_setaffinity(0, {a.cpu})
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        busy_until = time.monotonic() + a.busy_ms / 1000
        while time.monotonic() < busy_until:
            pass
        time.sleep((a.period_ms - a.busy_ms) / 1000)


if __name__ == "__main__":
    main()
