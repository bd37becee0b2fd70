#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# TCP echo benchmark (issue 3's matrix): the same client against four
# servers, side by side, each server on CPU 0 and the client on CPU 1:
#   sluice-echo   the sluice stack on net_af_packet over a veth pair (worker
#                 lcore on CPU 0 with --lcores 0@1,1@0), the far end in the
#                 client's network namespace (the same kind of wire as the
#                 kernel servers'; net_tap, one read() per packet, halved
#                 the rate at 64 connections)
#   epoll         tools/bench/epoll-echo.c (one thread, Linux sockets), the
#                 baseline of every row, over a veth pair between two namespaces
#   asyncio, uvloop  tools/bench/py-echo.py on /usr/bin/python3, same veth wire
# Client: sluice-gen's TCP mode once it has one; today tools/bench/tcp-client.c
# (Linux sockets, one thread, epoll, pinned to CPU 1), so the kernel's TCP is
# the client side of every row. Rounds interleave the servers (A B C D A B ...).
#
# Per point: transactions/s, goodput, latency percentiles; the server's busy
# fraction (sluice: worker busy cycles / all cycles from telemetry; kernel
# servers: process CPU time / wall time, softirq work on CPU 0 excluded) and
# the client's. Extra: connections/s (connect, echo 64 B, RST) and 64 B
# ping-pong latency on one connection.
#
# Usage: sudo tools/bench/tcp-echo.sh [-t SECONDS] [-r RUNS] [--conns 1,64]
#            [--sizes 64,1448] [--servers sluice,epoll,asyncio,uvloop]
#            [--csv FILE] [--keep]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration=3 runs=3 conns_list=1,64 sizes=64,1448 servers=sluice,epoll,asyncio,uvloop csv=""
sl_common_opts time runs csv keep
sl_opt --conns conns_list
sl_opt --sizes sizes
sl_opt --servers servers
sl_parse_opts "$@"

bench_init tcp-echo
cd "$REPO"
command -v gcc >/dev/null || sl_die "gcc not found: apt-get install gcc"
gcc -O2 -o "$SL_TMP/epoll-echo" "$BENCH_DIR/epoll-echo.c" || sl_die "building epoll-echo.c failed"
gcc -O2 -o "$SL_TMP/tcp-client" "$BENCH_DIR/tcp-client.c" || sl_die "building tcp-client.c failed"
CLIENT=$SL_TMP/tcp-client

IFS=, read -ra server_list <<<"$servers"
IFS=, read -ra conn_counts <<<"$conns_list"
IFS=, read -ra size_list <<<"$sizes"
if [[ " ${server_list[*]} " == *" sluice "* && ! -x $SLUICE_ECHO ]]; then
	sl_say "note: $SLUICE_ECHO not built: skipping sluice-echo"
	server_list=("${server_list[@]/sluice/}")
fi
if ! /usr/bin/python3 -c 'import uvloop' 2>/dev/null; then
	sl_say "note: python3-uvloop missing (apt-get install python3-uvloop): skipping uvloop"
	server_list=("${server_list[@]/uvloop/}")
fi

# Two namespaces joined by veth for the kernel servers, one more namespace
# for the client of sluice's veth. Names carry our pid; removed at exit.
NS_S=slb-s$$ NS_C=slb-c$$ NS_T=slb-t$$ TAP=slbt$$
KSRV_IP=10.91.0.2 KCLI_IP=10.91.0.1 SL_IP=10.92.0.2 TCLI_IP=10.92.0.1
sl_netns "$NS_S"
sl_veth "vs$$" "vc$$" "$NS_C" "$NS_S"
ip -n "$NS_S" addr add "$KSRV_IP/24" dev "vs$$"
ip -n "$NS_C" addr add "$KCLI_IP/24" dev "vc$$"
# sluice's wire: a veth whose near end ($TAP) stays in our namespace for
# net_af_packet, the far end in the client's, offloads off on both ends.
sl_veth "$TAP" "tc$$" "$NS_T"
ip -n "$NS_T" addr add "$TCLI_IP/24" dev "tc$$"
sl_offloads_off "$TAP"
sl_offloads_off "$NS_T" "tc$$"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

proc_cpu() { # PID -> utime+stime in seconds
	awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0
}

SRV_PID="" SRV_PREFIX="" SRV_KIND="" SRV_LOG=""
TARGET=()
start_server() {
	local kind=$1 run=$2 i
	SRV_KIND=$kind SRV_LOG=$SL_TMP/srv-$kind-$run.log SRV_PREFIX=""
	case $kind in
	sluice)
		bench_echo_start "$SRV_LOG" 900 "net_af_packet0,iface=$TAP,qpairs=1" \
			"ip=$SL_IP/24,gw=$TCLI_IP,tcp_echo=7,udp_echo=7,max_conns=65536,rto_min_ms=200,msl_ms=1000,timestamps=on,mss=1460" ||
			true
		TARGET=("$NS_T" "$SL_IP") ;;
	epoll)
		sl_start "$SRV_LOG" 900 ip netns exec "$NS_S" "$SL_TMP/epoll-echo" -p 7 -c 0
		SRV_PID=$SL_PID
		TARGET=("$NS_C" "$KSRV_IP") ;;
	asyncio | uvloop)
		sl_start "$SRV_LOG" 900 ip netns exec "$NS_S" /usr/bin/python3 "$BENCH_DIR/py-echo.py" \
			--loop "$kind" --port 7 --cpu 0
		SRV_PID=$SL_PID
		TARGET=("$NS_C" "$KSRV_IP") ;;
	esac
	# wait until it answers a connection
	for ((i = 0; i < 100; i++)); do
		ip netns exec "${TARGET[0]}" "$CLIENT" -H "${TARGET[1]}" -c 1 -s 8 -d 0.05 2>/dev/null |
			grep -q '"transactions": [1-9]' && return 0
		sl_nap 0.2
	done
	sl_say "$kind: server does not answer (log: $SRV_LOG)"
	tail -n 5 "$SRV_LOG" >&2
	# shellcheck disable=SC2034  # read by lib.sh
	SL_KEEP=1
	return 1
}
stop_server() {
	sl_stop "$SRV_PID" "$SRV_KIND" "$SRV_LOG"
	[[ -z $SRV_PREFIX ]] || rm -rf "/var/run/dpdk/${SRV_PREFIX:?}"
}

# the real pid of the server process (timeout -> [ip netns exec ->] server)
server_pid() {
	local p=$SRV_PID c
	for _ in 1 2 3; do
		c=$(pgrep -P "$p" | head -n 1) || break
		[[ -n $c ]] || break
		p=$c
	done
	echo "$p"
}

# measure RUN TEST CONNS SIZE: one client run; appends a CSV line.
measure() {
	local run=$1 test=$2 conns=$3 size=$4 spid out b0 i0 b1 i1 c0 c1 busy t0 t1 mode=echo d=$duration
	[[ $test == connect ]] && mode=connect
	spid=$(server_pid)
	if [[ $SRV_KIND == sluice ]]; then read -r b0 i0 <<<"$(bench_sluice_busy "$SRV_PREFIX")"; fi
	c0=$(proc_cpu "$spid") t0=$(date +%s.%N)
	out=$(ip netns exec "${TARGET[0]}" "$CLIENT" -H "${TARGET[1]}" -m "$mode" -c "$conns" -s "$size" \
		-d "$d" -C 1 2>"$SL_TMP/client.err") || true
	c1=$(proc_cpu "$spid") t1=$(date +%s.%N)
	if [[ $SRV_KIND == sluice ]]; then
		read -r b1 i1 <<<"$(bench_sluice_busy "$SRV_PREFIX")"
		busy=$(awk -v b="$((b1 - b0))" -v i="$((i1 - i0))" 'BEGIN {if (b + i > 0) printf "%.3f", b / (b + i)}')
	else
		busy=$(awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.3f", (c1 - c0) / (t1 - t0)}')
	fi
	[[ -n $out ]] || { sl_say "$SRV_KIND $test c=$conns s=$size: client failed: $(tail -n 2 "$SL_TMP/client.err")"; out="{}"; }
	local line
	line=$(/usr/bin/python3 -c 'import json,sys
j = json.loads(sys.argv[1]); l = j.get("lat_us", {})
print(",".join(str(x) for x in (j.get("tps", ""), j.get("goodput_bps", ""), j.get("cps", ""),
      l.get("p50", ""), l.get("p99", ""), j.get("client_cpu", ""),
      j.get("errors", 0) + j.get("connect_failures", 0) + j.get("bad_bytes", 0), j.get("conns_up", ""))))' "$out")
	local label=$SRV_KIND
	[[ $label == sluice ]] && label=sluice-echo
	printf '%s: run %d %-11s %-8s conns %-5s size %-5s tps,goodput,cps,p50,p99,client_cpu,errors,up=%s server_busy=%s\n' \
		"$SL_NAME" "$run" "$label" "$test" "$conns" "$size" "$line" "$busy" >&2
	[[ -z $csv ]] || echo "tcp-echo,$test,$conns,$size,$label,$run,$line,$busy,$([[ $label == epoll ]] || echo epoll)" >>"$csv"
}

sl_say "T=${duration}s x $runs runs; servers ${server_list[*]} on CPU 0, client on CPU 1; EAL ${EAL_MEM[*]}"
for ((r = 1; r <= runs; r++)); do
	for s in "${server_list[@]}"; do
		[[ -n $s ]] || continue
		if [[ $s == sluice ]]; then sl_lock; fi
		if start_server "$s" "$r"; then
			for size in "${size_list[@]}"; do
				for c in "${conn_counts[@]}"; do
					measure "$r" echo "$c" "$size"
				done
			done
			measure "$r" connect 64 64
		fi
		stop_server
		if [[ $s == sluice ]]; then sl_unlock; fi
	done
done
