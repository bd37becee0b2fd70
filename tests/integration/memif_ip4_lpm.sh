#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (c2) ip4_lpm over two memif ports: routes 10.1.0.0/16 -> p0 and
# 10.2.0.0/16 -> p1. sluice-gen sends four kinds of flows on both ports: to
# each prefix (must come back on the right port, next-hop MAC, src = port MAC,
# TTL 64-1, valid checksum), with TTL 1 and to an unroutable address (must
# not come back: sluice-fwd counts them as ttl_exceeded and no_route).
# Usage: memif_ip4_lpm.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
it_init

N=20000 # 16 flows over 4 destinations: N/4 each
it_write "$IT_TMP/routes.txt" <<EOT
# prefix       port  next-hop MAC
10.1.0.0/16    p0    02:00:00:00:01:00
10.2.0.0/16    p1    02:00:00:00:01:01
EOT
it_write "$IT_TMP/ip4.ini" <<EOT
[port p0]
dev = net_memif0
pipeline = router
[port p1]
dev = net_memif1
pipeline = router
[pipeline router]
stages = ip4_lpm count
ip4_lpm = routes=$IT_TMP/routes.txt
EOT
it_two_port ip4 "$IT_TMP/ip4.ini" --tx-port net_memif0,net_memif1 --count $N \
	--rate 200000 --flows 16 --expect ip4 --routes "$IT_TMP/routes.txt" \
	--dst-ip 10.1.0.1,10.2.0.1,10.1.0.2:1,10.9.0.1 --ttl 64
[[ $GEN_RC -eq 0 ]] || { it_show "$IT_TMP/ip4-fwd.log"; it_fail "sluice-gen exited $GEN_RC (2 = a check failed or loss)"; }
it_py "$N" <<'PY' || it_fail "counters disagree"
import json, sys
n = int(sys.argv[1]); q = n // 4
g = json.load(open("ip4-gen.json")); f = json.load(open("ip4-fwd.json"))
errs = []
def want(what, got, exp):
    if got != exp: errs.append(f"{what}: got {got}, want {exp}")
want("gen sent", g["sent"], n)
want("gen expected back", g["sent_expected_back"], 2 * q)
want("gen expected dropped", g["sent_expected_dropped"], 2 * q)
want("gen unique", g["unique"], 2 * q); want("gen lost", g["lost"], 0)
want("gen verify", g["verify"], {k: 0 for k in g["verify"]})
# 10.1/16 comes back on port 0 and 10.2/16 on port 1, q each.
want("gen per-port rx", [p["rx"] for p in g["ports"]], [q, q])
w = f["workers"][0]
c = {s["stage"]: s for s in w["stages"]}["ip4_lpm"]["counters"]
want("ip4 forwarded", c["forwarded"], 2 * q)
want("ip4 ttl_exceeded", c["ttl_exceeded"], q)
want("ip4 no_route", c["no_route"], q)
want("ip4 other drops", (c["runt"], c["not_ipv4"], c["bad_header"], c["bad_length"]), (0, 0, 0, 0))
want("fwd rx", w["rx"], n); want("fwd tx", w["tx"], 2 * q); want("fwd stage_drops", w["stage_drops"], 2 * q)
want("fwd tx_full_drops", w["tx_full_drops"], 0)
print(f"ip4_lpm: {c}; gen per-port rx {[p['rx'] for p in g['ports']]}, verify {g['verify']}")
for e in errs: print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
