#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (c3) macswap + count on two memif ports polled by one worker: every packet
# must come back on the port it was sent on, MACs swapped, none lost. One
# worker receiving from two ports cannot send a whole vector by its receive
# port (a one-port pipeline of port-keeping stages does, lib/stage/chain.c):
# here transmit goes by each mbuf's port, and this checks that it does.
# Usage: memif_macswap_two_port.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
it_init

N=20000
it_write "$IT_TMP/swap.ini" <<EOT
[app]
vector = 64
[port p0]
dev = net_memif0
pipeline = echo
[port p1]
dev = net_memif1
pipeline = echo
[pipeline echo]
stages = macswap count
EOT
it_two_port sw "$IT_TMP/swap.ini" --tx-port net_memif0,net_memif1 --count $N \
	--rate 200000 --flows 16 --expect macswap
[[ $GEN_RC -eq 0 ]] || { it_show "$IT_TMP/sw-fwd.log"; it_fail "sluice-gen exited $GEN_RC (2 = a check failed or loss)"; }
it_py "$N" <<'PY' || it_fail "counters disagree"
import json, sys
n = int(sys.argv[1])
g = json.load(open("sw-gen.json")); f = json.load(open("sw-fwd.json"))
errs = []
def want(what, got, exp):
    if got != exp: errs.append(f"{what}: got {got}, want {exp}")
want("gen sent", g["sent"], n); want("gen unique", g["unique"], n); want("gen lost", g["lost"], 0)
want("gen verify", g["verify"], {k: 0 for k in g["verify"]})
# 16 flows alternate between the two ports: each port's half comes back on it.
for p in g["ports"]:
    want(f"gen {p['name']} tx", p["tx"], n // 2); want(f"gen {p['name']} rx", p["rx"], n // 2)
w = f["workers"][0]
want("fwd rx", w["rx"], n); want("fwd tx", w["tx"], n)
want("fwd drops", (w["tx_full_drops"], w["stage_drops"], w["bad_port"]), (0, 0, 0))
st = {s["stage"]: s for s in w["stages"]}
want("macswap swapped", st["macswap"]["counters"]["swapped"], n)
want("rx queues", sorted((q["port"], q["packets"]) for q in w["rx_queues"]), [("p0", n // 2), ("p1", n // 2)])
print(f"two-port macswap: gen sent {g['sent']} got {g['unique']} back, per port {[(p['name'], p['tx'], p['rx']) for p in g['ports']]}")
for e in errs: print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
