#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (e) While sluice-fwd forwards, its telemetry socket answers /sluice/stages
# with the macswap stage's calls/objs and cycles_per_pkt (and /sluice/ports,
# /sluice/workers). The socket exists with --in-memory too.
# Usage: telemetry.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
it_init

sock=$IT_TMP/memif.sock
it_write "$IT_TMP/fwd.ini" <<EOT
[port p0]
dev = net_memif0
pipeline = echo
[pipeline echo]
stages = macswap count
EOT
prefix=$(it_prefix fwd)
# shellcheck disable=SC2046
it_start "$IT_TMP/fwd.log" 60 "$SLUICE_FWD" --lcores 0@1,1@0 --no-pci --file-prefix "$prefix" \
	"${EAL_MEM[@]}" --vdev "net_memif0,role=server,socket=$sock,$IT_MEMIF_RING" -- \
	--config "$IT_TMP/fwd.ini" --quiet
fwd=$IT_PID
it_wait_for "$IT_TMP/fwd.log" "running:" 20 || { it_show "$IT_TMP/fwd.log"; it_fail "sluice-fwd did not start"; }
# shellcheck disable=SC2046
it_start "$IT_TMP/gen.log" 60 "$SLUICE_GEN" -l 1 $(it_eal gen) \
	--vdev "net_memif0,role=client,socket=$sock,$IT_MEMIF_RING" -- \
	--ports net_memif0 --duration 20 --rate 100000 --expect macswap --quiet "${IT_LINGER[@]}"
gen=$IT_PID
it_wait_for "$IT_TMP/gen.log" "waiting up to" 20 || { it_show "$IT_TMP/gen.log"; it_fail "sluice-gen did not start"; }
sleep 2 # let packets flow

"$IT_DIR/tel_client.py" "$prefix" /sluice/stages >"$IT_TMP/stages.json" ||
	it_fail "no answer on /var/run/dpdk/$prefix/dpdk_telemetry.v2"
"$IT_DIR/tel_client.py" "$prefix" /sluice/workers >"$IT_TMP/workers.json" || it_fail "/sluice/workers did not answer"
"$IT_DIR/tel_client.py" "$prefix" /sluice/ports >"$IT_TMP/ports.json" || it_fail "/sluice/ports did not answer"
kill -INT "$gen" # ends its run; it lingers until sluice-fwd has left
it_gen_then_stop "$IT_TMP/gen.log" "$gen" "$fwd"
[[ $DUT_RC -eq 0 ]] || it_fail "sluice-fwd exited $DUT_RC on SIGINT"

it_py <<'PY' || it_fail "telemetry answers are wrong"
import json, sys
stages = json.load(open("stages.json"))["/sluice/stages"]
workers = json.load(open("workers.json"))["/sluice/workers"]
ports = json.load(open("ports.json"))["/sluice/ports"]
print("stages:", json.dumps(stages))
errs = []
mac = {k: v for k, v in (stages or {}).items() if "macswap" in k}
if len(mac) != 1:
    errs.append(f"want one macswap entry in /sluice/stages, got {list((stages or {}).keys())}")
for k, v in mac.items():
    if "cycles_per_pkt" not in v:
        errs.append(f"{k}: no cycles_per_pkt")
    elif float(v["cycles_per_pkt"]) <= 0:
        errs.append(f"{k}: cycles_per_pkt {v['cycles_per_pkt']} with traffic flowing")
    if v.get("objs", 0) <= 0 or v.get("swapped", 0) != v.get("objs"):
        errs.append(f"{k}: objs {v.get('objs')} swapped {v.get('swapped')}")
if not workers or not all(w.get("rx", 0) > 0 for w in workers.values()):
    errs.append(f"/sluice/workers: {workers}")
if not ports or ports.get("p0", {}).get("rx", 0) <= 0:
    errs.append(f"/sluice/ports: {ports}")
for e in errs:
    print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
