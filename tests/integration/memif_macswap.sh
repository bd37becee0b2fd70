#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (a) sluice-fwd (memif server, macswap + count) <-> sluice-gen (client):
# N packets at a moderate rate all come back with MACs swapped, and
# sluice-fwd's own JSON counts the same N in and out.
# Usage: memif_macswap.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
it_init

N=20000
RATE=200000
FLOWS=64
sock=$IT_TMP/memif.sock
it_write "$IT_TMP/fwd.ini" <<EOT
[app]
stats_interval = 1
[port p0]
dev = net_memif0
pipeline = echo
[pipeline echo]
stages = macswap count
count = flows=1024
EOT

# DUT's worker (lcore 1) on cpu 0, the generator on cpu 1.
# shellcheck disable=SC2046
it_start "$IT_TMP/fwd.log" 60 "$SLUICE_FWD" --lcores 0@1,1@0 $(it_eal fwd) \
	--vdev "net_memif0,role=server,socket=$sock,$IT_MEMIF_RING" -- \
	--config "$IT_TMP/fwd.ini" --stats-json "$IT_TMP/fwd.json" --quiet
fwd=$IT_PID
it_wait_for "$IT_TMP/fwd.log" "running:" 20 || { it_show "$IT_TMP/fwd.log"; it_fail "sluice-fwd did not start"; }

# shellcheck disable=SC2046
it_start "$IT_TMP/gen.log" 40 "$SLUICE_GEN" -l 1 $(it_eal gen) \
	--vdev "net_memif0,role=client,socket=$sock,$IT_MEMIF_RING" -- \
	--ports net_memif0 --count $N --rate $RATE --flows $FLOWS --expect macswap \
	--dst-mac 02:00:00:00:00:aa --json "$IT_TMP/gen.json" "${IT_LINGER[@]}"
it_gen_then_stop "$IT_TMP/gen.log" "$IT_PID" "$fwd"
gen_rc=$GEN_RC fwd_rc=$DUT_RC
cat "$IT_TMP/gen.log"
[[ $gen_rc -eq 0 ]] || { it_show "$IT_TMP/fwd.log"; it_fail "sluice-gen exited $gen_rc (0 = all back and verified)"; }
[[ $fwd_rc -eq 0 ]] || { it_show "$IT_TMP/fwd.log"; it_fail "sluice-fwd exited $fwd_rc on SIGINT"; }

it_py "$N" "$FLOWS" <<'PY' || it_fail "counters disagree (see above)"
import json, sys
n, flows = int(sys.argv[1]), int(sys.argv[2])
gen = json.load(open("gen.json"))
fwd = json.load(open("fwd.json"))
errs = []
def want(what, got, exp):
    if got != exp:
        errs.append(f"{what}: got {got}, want {exp}")
want("gen sent", gen["sent"], n)
want("gen received", gen["received"], n)
want("gen unique", gen["unique"], n)
want("gen lost", gen["lost"], 0)
want("gen bad", gen["bad"], 0)
want("gen verify_failed", gen["verify_failed"], 0)
want("gen dst/src MAC checks", gen["verify"]["dst_mac"] + gen["verify"]["src_mac"], 0)
w = fwd["workers"]
want("fwd workers", len(w), 1)
w = w[0]
want("fwd worker rx", w["rx"], n)
want("fwd worker tx", w["tx"], n)
want("fwd tx_full_drops", w["tx_full_drops"], 0)
want("fwd stage_drops", w["stage_drops"], 0)
want("fwd rx queue p0:0", [q["packets"] for q in w["rx_queues"] if q["port"] == "p0"], [n])
st = {s["stage"]: s for s in w["stages"]}
want("macswap swapped", st["macswap"]["counters"]["swapped"], n)
want("count packets", st["count"]["counters"]["packets"], n)
want("count flows", st["count"]["counters"]["flows"], flows)
want("count flow list length", len(st["count"].get("flows", [])), flows)
# The memif PMD reports ethdev counters only while its peer is connected;
# the generator lingers until sluice-fwd has left, so they must be there.
p0 = [p for p in fwd["ports"] if p["name"] == "p0"][0]
want("fwd ethdev p0 rx", p0["rx"], n)
want("fwd ethdev p0 tx", p0["tx"], n)
print(f"gen: sent {gen['sent']} received {gen['received']} lost {gen['lost']} "
      f"latency avg {gen['latency_us']['avg']:.1f} us; fwd: rx {w['rx']} tx {w['tx']} "
      f"flows {st['count']['counters']['flows']}")
for e in errs:
    print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
