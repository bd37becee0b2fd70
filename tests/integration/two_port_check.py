#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Checks shared by the two-port memif tests (it_two_port in lib.sh).

sluice-gen sent N packets in 16 flows alternating between its two ports, so
each port sent half and, whether the DUT bounces a packet (macswap) or sends
it to the other port of the pair (l2fwd), each port gets half back. Nothing
may be lost or fail a check, and sluice-fwd's JSON must count the same: N in
and out of one worker, half from each receive queue, no drops, and the
stage's COUNTER at N (each --zero counter at 0).

Usage, in the test's scratch dir: it_py PREFIX N STAGE COUNTER [--zero NAME]... <two_port_check.py
Exit 0 when everything holds, 1 with one MISMATCH line per difference.
"""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("prefix", help="it_two_port's NAME: reads NAME-gen.json and NAME-fwd.json")
    ap.add_argument("n", type=int)
    ap.add_argument("stage")
    ap.add_argument("counter")
    ap.add_argument("--zero", action="append", default=[], help="a stage counter that must be 0")
    a = ap.parse_args()
    n, half = a.n, a.n // 2
    g = json.load(open(f"{a.prefix}-gen.json"))
    f = json.load(open(f"{a.prefix}-fwd.json"))
    errs = []

    def want(what, got, exp):
        if got != exp:
            errs.append(f"{what}: got {got}, want {exp}")

    want("gen sent", g["sent"], n)
    want("gen unique", g["unique"], n)
    want("gen lost", g["lost"], 0)
    want("gen verify", g["verify"], {k: 0 for k in g["verify"]})
    for p in g["ports"]:
        want(f"gen {p['name']} tx", p["tx"], half)
        want(f"gen {p['name']} rx", p["rx"], half)
    w = f["workers"][0]
    want("fwd rx", w["rx"], n)
    want("fwd tx", w["tx"], n)
    want("fwd drops", (w["tx_full_drops"], w["stage_drops"], w["bad_port"]), (0, 0, 0))
    counters = {s["stage"]: s for s in w["stages"]}[a.stage]["counters"]
    want(f"{a.stage} {a.counter}", counters[a.counter], n)
    for z in a.zero:
        want(f"{a.stage} {z}", counters[z], 0)
    want("rx queues", sorted((q["port"], q["packets"]) for q in w["rx_queues"]),
         [("p0", half), ("p1", half)])
    print(f"{a.stage}: gen sent {g['sent']} got {g['unique']} back, per port "
          f"{[(p['name'], p['tx'], p['rx']) for p in g['ports']]}; "
          f"{a.counter} {counters[a.counter]}")
    for e in errs:
        print("MISMATCH", e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
