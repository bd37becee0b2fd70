#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (c1) Two-port l2fwd over two memif ports: sluice-gen sends on both ports
# (flows alternate), every packet must come back on the other port with
# src = the DUT's output port MAC and dst = 02:00:00:00:00:<output port id>,
# none lost; sluice-fwd's counters agree.
# Usage: memif_l2fwd.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
it_init

N=20000
it_write "$IT_TMP/l2fwd.ini" <<EOT
[port p0]
dev = net_memif0
pipeline = fwd
[port p1]
dev = net_memif1
pipeline = fwd
[pipeline fwd]
stages = l2fwd count
l2fwd = pairs=p0:p1
EOT
it_two_port l2 "$IT_TMP/l2fwd.ini" --tx-port net_memif0,net_memif1 --count $N \
	--rate 200000 --flows 16 --expect l2fwd
[[ $GEN_RC -eq 0 ]] || { it_show "$IT_TMP/l2-fwd.log"; it_fail "sluice-gen exited $GEN_RC (2 = a check failed or loss)"; }
it_py "$N" <<'PY' || it_fail "counters disagree"
import json, sys
n = int(sys.argv[1])
g = json.load(open("l2-gen.json")); f = json.load(open("l2-fwd.json"))
errs = []
def want(what, got, exp):
    if got != exp: errs.append(f"{what}: got {got}, want {exp}")
want("gen sent", g["sent"], n); want("gen unique", g["unique"], n); want("gen lost", g["lost"], 0)
want("gen verify", g["verify"], {k: 0 for k in g["verify"]})
# 16 flows alternate between the two ports: half out of each, half back on the other.
for p in g["ports"]:
    want(f"gen {p['name']} tx", p["tx"], n // 2); want(f"gen {p['name']} rx", p["rx"], n // 2)
w = f["workers"][0]
want("fwd rx", w["rx"], n); want("fwd tx", w["tx"], n)
want("fwd drops", (w["tx_full_drops"], w["stage_drops"], w["bad_port"]), (0, 0, 0))
st = {s["stage"]: s for s in w["stages"]}
want("l2fwd forwarded", st["l2fwd"]["counters"]["forwarded"], n)
want("l2fwd no_pair", st["l2fwd"]["counters"]["no_pair"], 0)
want("rx queues", sorted((q["port"], q["packets"]) for q in w["rx_queues"]), [("p0", n // 2), ("p1", n // 2)])
print(f"l2fwd: gen sent {g['sent']} got {g['unique']} back, per port {[(p['name'], p['tx'], p['rx']) for p in g['ports']]}; fwd forwarded {st['l2fwd']['counters']['forwarded']}")
for e in errs: print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
