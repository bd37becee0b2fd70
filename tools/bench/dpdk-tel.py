#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# /usr/bin/python3, not "env python3": Debian's python3-* packages (scapy) live
# there, and a pyenv or venv python earlier in PATH would not see them.
"""Measure a running DPDK process's packet rate through its telemetry socket.

Every DPDK 22.11 app (testpmd, the examples, sluice) serves /ethdev/stats on
/var/run/dpdk/PREFIX/dpdk_telemetry.v2 unless started with --no-telemetry, so
all contenders are measured the same way: the sum of every port's opackets
(or ipackets) sampled twice, divided by the wall time between the samples.

Usage: dpdk-tel.py rate PREFIX --warmup S --duration S [--timeout S] [--counter opackets]
Prints one line: "pps=<float> packets=<int> seconds=<float>" or exits non-zero.
"""
import argparse
import json
import os
import socket
import sys
import time


def sock_path(prefix):
    base = os.environ.get("RUNTIME_DIRECTORY", "/var/run/dpdk")
    return os.path.join(base, prefix, "dpdk_telemetry.v2")


class Telemetry:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.s.settimeout(2.0)
        self.s.connect(path)
        info = json.loads(self.s.recv(4096).decode())
        self.maxlen = int(info.get("max_output_len", 16384))

    def query(self, cmd):
        self.s.send(cmd.encode())
        return json.loads(self.s.recv(self.maxlen).decode())[cmd.split(",")[0]]

    def total(self, counter):
        ports = self.query("/ethdev/list") or []
        return sum(int(self.query(f"/ethdev/stats,{p}")[counter]) for p in ports)


def connect(prefix, timeout):
    """Wait for the socket to appear (EAL init can take a few seconds)."""
    path = sock_path(prefix)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return Telemetry(path)
        except (OSError, ValueError):
            if time.monotonic() > deadline:
                sys.exit(f"dpdk-tel: no telemetry at {path} after {timeout:.0f} s")
            time.sleep(0.2)


def rate(a):
    t = connect(a.prefix, a.timeout)
    # Wait until packets flow: forwarding starts a little after the socket appears.
    deadline = time.monotonic() + a.timeout
    while t.total(a.counter) == 0:
        if time.monotonic() > deadline:
            sys.exit(f"dpdk-tel: {a.prefix}: no {a.counter} after {a.timeout:.0f} s")
        time.sleep(0.1)
    time.sleep(a.warmup)
    t0, c0 = time.monotonic(), t.total(a.counter)
    time.sleep(a.duration)
    t1, c1 = time.monotonic(), t.total(a.counter)
    print(f"pps={(c1 - c0) / (t1 - t0):.1f} packets={c1 - c0} seconds={t1 - t0:.3f}")


def query(a):
    """One telemetry command, its JSON answer on one line (e.g. /sluice/workers)."""
    t = connect(a.prefix, a.timeout)
    print(json.dumps(t.query(a.command)))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rate")
    r.add_argument("prefix")
    r.add_argument("--warmup", type=float, default=1.0)
    r.add_argument("--duration", type=float, default=10.0)
    r.add_argument("--timeout", type=float, default=20.0)
    r.add_argument("--counter", default="opackets", choices=["opackets", "ipackets"])
    q = sub.add_parser("query")
    q.add_argument("prefix")
    q.add_argument("command")
    q.add_argument("--timeout", type=float, default=10.0)
    a = p.parse_args()
    if a.cmd == "rate":
        rate(a)
    elif a.cmd == "query":
        query(a)


if __name__ == "__main__":
    main()
