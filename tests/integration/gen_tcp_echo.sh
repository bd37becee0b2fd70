#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sluice-gen TCP client mode against sluice-echo (the tcpip stage's TCP echo)
# over memif: N connections with pipelined requests for a few seconds, every
# echoed byte verified by sluice-gen; then the same with reconnects
# (--msgs-per-conn) for connections/s.
# Usage: gen_tcp_echo.sh SLUICE_ECHO SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
SLUICE_FWD=${SLUICE_FWD:-$SLUICE_ECHO}
source "$(dirname "$0")/lib.sh"
it_init

sock=$IT_TMP/memif.sock
it_write "$IT_TMP/echo.ini" <<EOT
[port p0]
dev = net_memif0
pipeline = host
[pipeline host]
stages = tcpip
tcpip = ip=10.0.0.2/24,tcp_echo=7,udp_echo=0,max_conns=4096,rto_min_ms=200,msl_ms=1000,timestamps=on,mss=1460
EOT
# One sluice-echo per run: the generator stops polling (--linger) and
# sluice-echo leaves first, so no memif side polls while its peer leaves
# (tests/integration/lib.sh, "Ending a memif run").
tcp() { # NAME ARGS...
	local name=$1 echo_pid
	shift
	# shellcheck disable=SC2046
	it_start "$IT_TMP/echo-$name.log" 60 "$SLUICE_ECHO" --lcores 0@1,1@0 $(it_eal "echo-$name") \
		--vdev "net_memif0,role=server,socket=$sock" -- --config "$IT_TMP/echo.ini"
	echo_pid=$IT_PID
	it_wait_for "$IT_TMP/echo-$name.log" "running:" 20 || { it_show "$IT_TMP/echo-$name.log"; it_fail "sluice-echo did not start"; }
	# shellcheck disable=SC2046
	it_start "$IT_TMP/$name.log" 40 "$SLUICE_GEN" -l 1 $(it_eal "gen-$name") \
		--vdev "net_memif0,role=client,socket=$sock" -- --ports net_memif0 \
		--tcp 10.0.0.2:7 --local-ip 10.0.0.1 --json "$IT_TMP/$name.json" "${IT_LINGER[@]}" "$@"
	it_gen_then_stop "$IT_TMP/$name.log" "$IT_PID" "$echo_pid"
	cat "$IT_TMP/$name.log"
	[[ $GEN_RC -eq 0 ]] || { it_show "$IT_TMP/echo-$name.log"; it_fail "sluice-gen --tcp $name exited $GEN_RC"; }
	[[ $DUT_RC -eq 0 ]] || { it_show "$IT_TMP/echo-$name.log"; it_fail "sluice-echo exited $DUT_RC on SIGINT"; }
}
tcp pipelined --conns 16 --msg 1000 --depth 4 --duration 3
tcp big --conns 2 --msg 100000 --depth 2 --duration 3
tcp reconnect --conns 8 --msg 64 --depth 1 --msgs-per-conn 10 --duration 3

it_py <<'PY' || it_fail "TCP results disagree (see above)"
import json, sys
errs = []
for name in ["pipelined", "big", "reconnect"]:
    r = json.load(open(f"{name}.json"))
    ok = (r["result"] == "pass" and r["verify_errors"] == 0 and r["errors"] == 0
          and r["transactions"] > 0 and r["bytes_verified"] == r["transactions"] * r["msg"])
    print(f"{name}: {r['conns_established']} conns ({r['conns_per_s']:.0f}/s), "
          f"{r['transactions']} transactions ({r['transactions_per_s']:.0f}/s), "
          f"{r['goodput_gbps']:.3f} Gbps, p50 {r['latency_us']['p50']} us p99 "
          f"{r['latency_us']['p99']} us, verify_errors {r['verify_errors']}")
    if not ok:
        errs.append(name)
r = json.load(open("reconnect.json"))
if r["conns_established"] <= 8:
    errs.append("reconnect: no reconnections")
for e in errs:
    print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
