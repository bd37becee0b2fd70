#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Two sluice-echo workers, shared-nothing, on one two-queue net_tap port:
# the kernel's tun driver picks the queue of each packet it hands the tap by
# a symmetric flow hash, so every connection lands on one worker, which owns
# it in its own table. 64 connections each echo 64 KiB byte-exact; then both
# workers must have accepted connections, and each worker's echoed bytes must
# be 64 KiB times the connections it accepted (a connection split over two
# workers would break that, and the other worker would answer with RSTs).
# Each worker resolves the client's MAC itself (docs/net.md, ARP).
# Usage: echo_tcp_workers.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init

CONNS=64 BYTES=$((64 << 10))
# Main lcore and worker 1 on CPU 0, worker 2 on CPU 1.
# shellcheck disable=SC2034  # read by echo_start (echo_lib.sh)
ECHO_LCORES="--lcores 0@0,1@0,2@1"
# shellcheck disable=SC2034
ECHO_PORT_LINES="rx_queues = 2"
echo_start "tcp_echo=7,msl_ms=500" tcpip $'[workers]\nlcores = 1,2' 120
echo_client stream --conns "$CONNS" --bytes "$BYTES" --timeout 90 ||
	echo_fail "$CONNS x $BYTES B echo over two workers"
sleep 1.5 # 2 MSL: TIME_WAIT ends
echo_stop

/usr/bin/python3 - "$IT_TMP/echo.json" "$CONNS" "$BYTES" <<'PY' || echo_fail "per-worker check"
import json, sys
stats, conns, size = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
per = []
for w in stats["workers"]:
    for st in w["stages"]:
        if st["stage"] == "tcpip":
            c = st["counters"]
            per.append((w.get("lcore"), c.get("tcp_passive_opens", 0), c.get("echo_tcp_bytes", 0),
                        c.get("tcp_conns", 0), c.get("tcp_closed_port_rst", 0)))
for lcore, opens, nbytes, left, rst in per:
    print(f"worker lcore {lcore}: accepted {opens}, echoed {nbytes} B, left {left}, closed-port RSTs {rst}",
          file=sys.stderr)
ok = len(per) == 2
ok = ok and sum(p[1] for p in per) == conns
ok = ok and all(p[1] > 0 for p in per)
ok = ok and all(p[2] == p[1] * size for p in per)
ok = ok and all(p[3] == 0 and p[4] == 0 for p in per)
sys.exit(0 if ok else 1)
PY
it_say "PASS"
