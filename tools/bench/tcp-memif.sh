#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# TCP echo over net_memif, sluice on both ends (issue 3's matrix): one
# sluice-echo worker on CPU 0, sluice-gen's TCP client on CPU 1. Per point:
# transactions/s, echoed goodput, latency p50/p99, the server worker's busy
# fraction while the client ran (median of its per-second lines), the
# server's busy cycles per transaction and the rate they imply at 100 %.
# Points: 1, 64 and 10000 connections x 64 B and 1448 B messages (depth 64
# for one connection, 8 for 64, 1 for 10000: 10000 x 8 segments in one
# burst overflow any ring and turn into RTOs), 64 B ping-pong (1 connection,
# depth 1), one connection with 64 KiB messages, and new connections/s
# (open + one 64 B echo each, held: --hold). memif rings of 16384 (rsize=14)
# on both sides and 16384 descriptors in sluice-echo's port.
# Baseline, same invocation and wire: testpmd macswap forwarding sluice-gen's
# 1518 B UDP frames (what the memif wire carries at full-size frames); the
# goodput ratio is TCP echoed goodput / that wire's payload rate.
#
# Usage: sudo tools/bench/tcp-memif.sh [-t SECONDS] [--quick]
#   --quick: 2 s per point and no 10000-connection rows
# shellcheck source-path=SCRIPTDIR source=lib.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration=5 quick=0
sl_common_opts time
sl_flag --quick 'quick=1 duration=2'
sl_parse_opts "$@"
bench_init tcp-memif
[[ -x $SLUICE_ECHO && -x $SLUICE_GEN ]] || sl_die "build first (tools/setup.sh): no $SLUICE_ECHO or $SLUICE_GEN"
tsc_hz=$(awk '/^cpu MHz/ {printf "%d", $4 * 1e6; exit}' /proc/cpuinfo)

# point NAME GEN_ARGS...: one server, one client run; prints a result line.
point() {
	local name=$1 sock pe pg limit=$((duration + 60))
	shift
	sock=$SL_TMP/$name.sock
	cat >"$SL_TMP/echo.ini" <<EOT
[app]
stage_mbufs = 131072
[port p0]
dev = net_memif0
pipeline = host
rx_desc = 16384
tx_desc = 16384
[pipeline host]
stages = tcpip
tcpip = ip=10.0.0.2/24,tcp_echo=7,tcp_echo_ports=20,udp_echo=0,max_conns=524288,timestamps=on,mss=1460
EOT
	sl_lock
	pe=$(sl_prefix "echo-$name")
	sl_start "$SL_TMP/$name.echo.log" "$limit" "$SLUICE_ECHO" --lcores 0@1,1@0 "${EAL_MEM[@]}" \
		--file-prefix "$pe" --no-pci --vdev "net_memif0,role=server,socket=$sock,rsize=14" -- \
		--config "$SL_TMP/echo.ini" --stats-interval 1
	local echo_pid=$SL_PID
	sleep 3
	pg=$(sl_prefix "gen-$name")
	sl_run "$SL_TMP/$name.gen.log" "$limit" "$SLUICE_GEN" -l 1 "${EAL_MEM[@]}" --file-prefix "$pg" --no-pci \
		--vdev "net_memif0,role=client,socket=$sock,rsize=14" -- --ports net_memif0 --local-ip 10.0.0.1 \
		--stats-interval 0 --json "$SL_TMP/$name.json" "$@"
	sl_stop "$echo_pid" sluice-echo "$SL_TMP/$name.echo.log"
	sl_unlock
	/usr/bin/python3 - "$name" "$SL_TMP/$name.json" "$SL_TMP/$name.echo.log" "$tsc_hz" <<'PY'
import json, re, statistics, sys
name, jf, log, hz = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4] or 0)
try:
    g = json.load(open(jf))
except Exception:
    print(f"{name:<14} no result (see the logs)"); sys.exit()
busy = [float(m.group(1)) / 100 for m in re.finditer(r"lcore1 busy\s+([0-9.]+)%", open(log).read())]
busy = [b for b in busy if b > 0.01]
b = statistics.median(busy) if busy else 0
mem = re.search(r"(\d+) B per connection", open(log).read())
tps = g["transactions_per_s"]
cyc = b * hz / tps if tps and hz else 0
conn = g["conns_established"] / g["duration_s"] if g["duration_s"] else 0
print(f"{name:<14} {tps:>12,.0f} {g['goodput_gbps']:>7.2f} {g['latency_us']['p50']:>9.1f} "
      f"{g['latency_us']['p99']:>9.1f} {b:>6.2f} {cyc:>8.0f} {hz / cyc if cyc else 0:>14,.0f} "
      f"{conn:>10,.0f} {mem.group(1) if mem else '-':>6} {g['result']}")
PY
}

# baseline: testpmd macswap on the same memif wire, sluice-gen sending 1518 B frames unpaced
baseline() {
	local sock=$SL_TMP/base.sock pt pg limit=$((duration + 60))
	sl_lock
	pt=$(sl_prefix testpmd)
	sl_start "$SL_TMP/testpmd.log" "$limit" "$TESTPMD" --lcores 0@1,1@0 "${EAL_MEM[@]}" \
		--file-prefix "$pt" --no-pci --vdev "net_memif0,role=server,socket=$sock" -- \
		--forward-mode=macswap --no-mlockall --stats-period 3600
	local tp=$SL_PID
	sleep 3
	pg=$(sl_prefix gen-base)
	sl_run "$SL_TMP/base.gen.log" "$limit" "$SLUICE_GEN" -l 1 "${EAL_MEM[@]}" --file-prefix "$pg" --no-pci \
		--vdev "net_memif0,role=client,socket=$sock" -- --ports net_memif0 --size 1518 \
		--duration "$duration" --stats-interval 0 --json "$SL_TMP/base.json"
	sl_stop "$tp" testpmd "$SL_TMP/testpmd.log"
	sl_unlock
	/usr/bin/python3 - "$SL_TMP/base.json" <<'PY'
import json, sys
try:
    g = json.load(open(sys.argv[1]))
except Exception:
    print("0"); sys.exit()
print(f"{g['rx_pps']:.0f}")
PY
}

echo "tcp-memif: $(date -u '+%F %H:%M UTC'), $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), ${duration} s per point; server CPU 0, client CPU 1"
base_pps=$(baseline)
# 1518 B frames carry 1518 - 4 (FCS) - 14 - 20 - 8 = 1472 B of UDP payload
base_gbps=$(awk -v p="$base_pps" 'BEGIN {printf "%.2f", p * 1472 * 8 / 1e9}')
echo "baseline: testpmd macswap returns sluice-gen's 1518 B frames at $(awk -v p="$base_pps" 'BEGIN {printf "%.2f", p / 1e6}') Mpps = $base_gbps Gbps of payload"
printf '%-14s %12s %7s %9s %9s %6s %8s %14s %10s %6s %s\n' point trans/s Gbps "p50 us" "p99 us" busy "cyc/tr" "rate@100%" "conn/s" "B/conn" result
t=$duration
point pingpong-64 --tcp 10.0.0.2:7 --conns 1 --msg 64 --depth 1 --duration "$t"
point c1-1448 --tcp 10.0.0.2:7 --conns 1 --msg 1448 --depth 64 --duration "$t"
point c1-64k --tcp 10.0.0.2:7 --conns 1 --msg 65536 --depth 4 --duration "$t"
point c64-64 --tcp 10.0.0.2:7 --conns 64 --msg 64 --depth 8 --duration "$t"
point c64-1448 --tcp 10.0.0.2:7 --conns 64 --msg 1448 --depth 8 --duration "$t"
if ((!quick)); then
	point c10k-64 --tcp 10.0.0.2:7-26 --conns 10000 --msg 64 --depth 1 --duration "$t"
	point c10k-1448 --tcp 10.0.0.2:7-26 --conns 10000 --msg 1448 --depth 1 --duration "$t"
fi
point new-conns --tcp 10.0.0.2:7-26 --conns 300000 --msg 64 --msgs-per-conn 1 --hold --duration 1
c1=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["goodput_gbps"])' \
	"$SL_TMP/c1-1448.json" 2>/dev/null || echo 0)
echo "ratio: one connection, 1448 B messages: $c1 Gbps echoed / $base_gbps Gbps wire = $(awk -v a="$c1" -v b="$base_gbps" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
echo "(new-conns reports 'fail' when connections were still in their handshake as its 1 s ended: those count as failed)"
echo "(busy: the server worker's median per-second busy fraction while the client ran; cyc/tr: busy cycles per transaction; conn/s: established / duration; B/conn: TCP state per connection from the server's start-up line)"
