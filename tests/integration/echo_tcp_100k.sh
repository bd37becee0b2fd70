#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# 100,000 concurrent TCP connections held by one sluice-echo worker: sluice-gen
# opens them over memif (8 server ports: 16384 source ports each), echoes one
# verified message on each and keeps them all open and idle; sluice-echo's
# stats (tcp_conns, read while they are all open, via telemetry) must show
# every one of them, and its start-up line the memory they take. Then all
# close, and the table must empty.
# Usage: echo_tcp_100k.sh SLUICE_ECHO SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
SLUICE_FWD=${SLUICE_FWD:-$SLUICE_ECHO}
CONNS=${CONNS:-100000}
source "$(dirname "$0")/lib.sh"
it_init

sock=$IT_TMP/memif.sock
it_write "$IT_TMP/echo.ini" <<EOT
[app]
stage_mbufs = 65536
[port p0]
dev = net_memif0
pipeline = host
[pipeline host]
stages = tcpip
tcpip = ip=10.0.0.2/24,tcp_echo=7,tcp_echo_ports=8,udp_echo=0,max_conns=131072,rto_min_ms=200,msl_ms=500,timestamps=on,mss=1460
EOT
prefix=$(it_prefix echo)
it_start "$IT_TMP/echo.log" 150 "$SLUICE_ECHO" --lcores 0@1,1@0 --no-pci --file-prefix "$prefix" "${EAL_MEM[@]}" \
	--vdev "net_memif0,role=server,socket=$sock" -- --config "$IT_TMP/echo.ini" \
	--stats-json "$IT_TMP/echo.json" --stats-interval 0
echo_pid=$IT_PID
it_wait_for "$IT_TMP/echo.log" "running:" 30 || { it_show "$IT_TMP/echo.log"; it_fail "sluice-echo did not start"; }
grep "TCP state for max_conns" "$IT_TMP/echo.log" >&2 || it_fail "sluice-echo printed no TCP memory line"

# The generator holds its connections until --duration ends; while it does,
# read sluice-echo's connection count through telemetry.
# shellcheck disable=SC2046
it_start "$IT_TMP/gen.log" 120 "$SLUICE_GEN" -l 1 $(it_eal gen) \
	--vdev "net_memif0,role=client,socket=$sock" -- --ports net_memif0 \
	--tcp 10.0.0.2:7-14 --local-ip 10.0.0.1 --conns "$CONNS" --msg 64 --msgs-per-conn 1 --hold \
	--duration 10 --stats-interval 2 --json "$IT_TMP/gen.json" "${IT_LINGER[@]}"
gen_pid=$IT_PID
peak=0
for ((i = 0; i < 80; i++)); do
	sleep 0.5
	n=$("$IT_DIR/tel_client.py" "$prefix" /sluice/stages 2>/dev/null |
		/usr/bin/python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except Exception:
    print(0); sys.exit()
def find(o):
    if isinstance(o, dict):
        if "tcp_conns" in o and isinstance(o["tcp_conns"], int):
            return o["tcp_conns"]
        for v in o.values():
            r = find(v)
            if r is not None:
                return r
    elif isinstance(o, list):
        for v in o:
            r = find(v)
            if r is not None:
                return r
print(find(d) or 0)')
	((n > peak)) && peak=$n
	((peak >= CONNS)) && break
done
it_gen_wait_over "$IT_TMP/gen.log" "$gen_pid" || it_fail "sluice-gen's run did not end"
it_say "sluice-echo held $peak connections at once (telemetry)"
sleep 2 # the last TIME_WAITs are on the generator's side; ours go at once
it_gen_then_stop "$IT_TMP/gen.log" "$gen_pid" "$echo_pid"
cat "$IT_TMP/gen.log"
[[ $GEN_RC -eq 0 ]] || { it_show "$IT_TMP/echo.log"; it_fail "sluice-gen exited $GEN_RC"; }
[[ $DUT_RC -eq 0 ]] || { it_show "$IT_TMP/echo.log"; it_fail "sluice-echo exited $DUT_RC"; }
((peak >= CONNS)) || it_fail "sluice-echo never held $CONNS connections (peak seen $peak)"
CONNS=$CONNS it_py <<'PY' || it_fail "results disagree (see above)"
import json, os, sys
conns = int(os.environ["CONNS"])
g = json.load(open("gen.json"))
ok = (g["result"] == "pass" and g["conns_established"] >= conns and g["conns_open_peak"] >= conns
      and g["transactions"] >= conns and g["verify_errors"] == 0
      and g["bytes_verified"] == g["transactions"] * g["msg"])
print(f"gen: established {g['conns_established']}, open at once {g['conns_open_peak']}, "
      f"{g['transactions']} echoes verified, {g['conns_per_s']:.0f} conn/s")
tot = {}
for w in json.load(open("echo.json"))["workers"]:
    for st in w["stages"]:
        if st["stage"] == "tcpip":
            for k, v in st["counters"].items():
                tot[k] = tot.get(k, 0) + v
print(f"echo: accepted {tot['echo_tcp_accepted']}, conns left {tot['tcp_conns']}, "
      f"table full {tot['tcp_conn_table_full']}, no_mbuf {tot['tcp_no_mbuf']}")
ok = ok and tot["echo_tcp_accepted"] >= conns and tot["tcp_conns"] == 0
sys.exit(0 if ok else 1)
PY
it_say "PASS"
