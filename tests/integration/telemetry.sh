#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (e) While sluice-fwd forwards, its telemetry socket answers /sluice/stages
# with the macswap stage's calls/objs and cycles_per_pkt (and /sluice/ports,
# /sluice/workers); once the traffic has stopped, the graph counters and the
# stages' own agree exactly. The socket exists with --in-memory too.
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
kill -INT "$gen" # ends its run; it lingers, polling nothing, until sluice-fwd has left
it_gen_wait_over "$IT_TMP/gen.log" "$gen" || it_say "sluice-gen's run is not over after 90 s"

# A snapshot taken under traffic is not atomic: the telemetry thread reads a
# stage's graph counters and its own counters one after the other, and may be
# preempted in between (it shares a core with a busy poller here), so they
# agree exactly only once the traffic has stopped. Two idle snapshots that
# are equal to each other are what the exact checks below are made on.
idle_ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$IT_DIR/tel_client.py" "$prefix" /sluice/stages >"$IT_TMP/idle$i.json" || it_fail "/sluice/stages did not answer (idle)"
	if ((i > 1)) && cmp -s "$IT_TMP/idle$((i - 1)).json" "$IT_TMP/idle$i.json"; then
		cp "$IT_TMP/idle$i.json" "$IT_TMP/idle.json"
		idle_ok=1
		break
	fi
	sl_nap 0.3
done
((idle_ok)) || it_fail "/sluice/stages kept changing after the generator stopped"
it_stop "$fwd"
[[ $IT_RC -eq 0 ]] || it_fail "sluice-fwd exited $IT_RC on SIGINT"
it_reap "$gen"

it_py <<'PY' || it_fail "telemetry answers are wrong"
import json, sys
stages = json.load(open("stages.json"))["/sluice/stages"]
idle = json.load(open("idle.json"))["/sluice/stages"]
workers = json.load(open("workers.json"))["/sluice/workers"]
ports = json.load(open("ports.json"))["/sluice/ports"]
print("stages under traffic:", json.dumps(stages))
print("stages idle:", json.dumps(idle))
errs = []


def one(snap, name, what):
    hits = {k: v for k, v in (snap or {}).items() if name in k}
    if len(hits) != 1:
        errs.append(f"{what}: want one {name} entry in /sluice/stages, got {list((snap or {}).keys())}")
        return {}
    return next(iter(hits.values()))


mac = one(stages, "macswap", "under traffic")
if "cycles_per_pkt" not in mac:
    errs.append(f"under traffic: macswap has no cycles_per_pkt: {mac}")
elif float(mac["cycles_per_pkt"]) <= 0:
    errs.append(f"under traffic: macswap cycles_per_pkt {mac['cycles_per_pkt']}")
if mac.get("objs", 0) <= 0 or mac.get("swapped", 0) <= 0:
    errs.append(f"under traffic: macswap objs {mac.get('objs')} swapped {mac.get('swapped')}")
# Idle: every packet macswap saw was swapped (no runts are sent) and went on
# to count, and the graph counters say the same as the stages' own.
imac, icount = one(idle, "macswap", "idle"), one(idle, "count", "idle")
n = imac.get("objs", 0)
if n < mac.get("objs", 0) or n <= 0:
    errs.append(f"idle: macswap objs {n}, fewer than under traffic ({mac.get('objs')})")
for what, got in (("macswap swapped", imac.get("swapped")), ("count objs", icount.get("objs")),
                  ("count packets", icount.get("packets"))):
    if got != n:
        errs.append(f"idle: {what} {got}, macswap objs {n}")
if not workers or not all(w.get("rx", 0) > 0 for w in workers.values()):
    errs.append(f"/sluice/workers: {workers}")
if not ports or ports.get("p0", {}).get("rx", 0) <= 0:
    errs.append(f"/sluice/ports: {ports}")
for e in errs:
    print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
