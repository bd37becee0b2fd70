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

usage() { awk 'NR > 2 && !/^#/ {exit} NR > 2 {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}"; }

duration=3 runs=3 conns_list=1,64 sizes=64,1448 servers=sluice,epoll,asyncio,uvloop csv=""
SLUICE_ECHO=${SLUICE_ECHO:-$REPO/build/apps/sluice-echo}
while (($#)); do
	case $1 in
	-t | --time) duration=${2:?}; shift ;;
	-r | --runs) runs=${2:?}; shift ;;
	--conns) conns_list=${2:?}; shift ;;
	--sizes) sizes=${2:?}; shift ;;
	--servers) servers=${2:?}; shift ;;
	--csv) csv=${2:?}; shift ;;
	--keep) BENCH_KEEP=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; bench_die "unknown option '$1'" ;;
	esac
	shift
done
bench_check_runs "$runs"

bench_init tcp-echo
cd "$REPO"
command -v gcc >/dev/null || bench_die "gcc not found: apt-get install gcc"
gcc -O2 -o "$BENCH_SCRATCH/epoll-echo" "$BENCH_DIR/epoll-echo.c" || bench_die "building epoll-echo.c failed"
gcc -O2 -o "$BENCH_SCRATCH/tcp-client" "$BENCH_DIR/tcp-client.c" || bench_die "building tcp-client.c failed"
CLIENT=$BENCH_SCRATCH/tcp-client

IFS=, read -ra server_list <<<"$servers"
IFS=, read -ra conn_counts <<<"$conns_list"
IFS=, read -ra size_list <<<"$sizes"
if [[ " ${server_list[*]} " == *" sluice "* && ! -x $SLUICE_ECHO ]]; then
	bench_say "note: $SLUICE_ECHO not built: skipping sluice-echo"
	server_list=("${server_list[@]/sluice/}")
fi
if ! /usr/bin/python3 -c 'import uvloop' 2>/dev/null; then
	bench_say "note: python3-uvloop missing (apt-get install python3-uvloop): skipping uvloop"
	server_list=("${server_list[@]/uvloop/}")
fi

# Two namespaces joined by veth for the kernel servers, one more namespace
# for the client of sluice's veth. Names carry our pid; removed at exit.
NS_S=slb-s$$ NS_C=slb-c$$ NS_T=slb-t$$ TAP=slbt$$
KSRV_IP=10.91.0.2 KCLI_IP=10.91.0.1 SL_IP=10.92.0.2 TCLI_IP=10.92.0.1
net_cleanup() {
	local ns
	for ns in "$NS_S" "$NS_C" "$NS_T"; do ip netns del "$ns" 2>/dev/null || true; done
	ip link del "$TAP" 2>/dev/null || true
}
trap 'bench_cleanup; net_cleanup' EXIT
for ns in "$NS_S" "$NS_C" "$NS_T"; do
	ip netns add "$ns"
	ip -n "$ns" link set lo up
done
ip link add "vs$$" netns "$NS_S" type veth peer name "vc$$" netns "$NS_C"
# sluice's wire: a veth whose near end ($TAP) stays in our namespace for
# net_af_packet, the far end in the client's. The kernel must hand af_packet
# whole, checksummed frames: no TSO/GSO (64 KB super-frames) and no
# checksum offload (CHECKSUM_PARTIAL) on either end.
ip link add "$TAP" type veth peer name "tc$$" netns "$NS_T"
ip link set "$TAP" up
ip -n "$NS_T" addr add "$TCLI_IP/24" dev "tc$$"
ip -n "$NS_T" link set "tc$$" up
ethtool -K "$TAP" tx off tso off gso off gro off >/dev/null 2>&1 || bench_say "warning: ethtool -K $TAP failed (apt-get install ethtool)"
ip netns exec "$NS_T" ethtool -K "tc$$" tx off tso off gso off gro off >/dev/null 2>&1 || true
ip -n "$NS_S" addr add "$KSRV_IP/24" dev "vs$$"
ip -n "$NS_C" addr add "$KCLI_IP/24" dev "vc$$"
ip -n "$NS_S" link set "vs$$" up
ip -n "$NS_C" link set "vc$$" up
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

proc_cpu() { # PID -> utime+stime in seconds
	awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0
}

SRV_PID="" SRV_PREFIX="" SRV_KIND="" SRV_LOG=""
TARGET=()
start_server() {
	local kind=$1 run=$2 i
	SRV_KIND=$kind SRV_LOG=$BENCH_SCRATCH/srv-$kind-$run.log SRV_PREFIX=""
	case $kind in
	sluice)
		SRV_PREFIX=$(bench_prefix "echo-$run")
		cat >"$BENCH_SCRATCH/echo.ini" <<EOT
[app]
stats_interval = 0
[port p0]
dev = net_af_packet0
pipeline = host
[pipeline host]
stages = tcpip
tcpip = ip=$SL_IP/24,gw=$TCLI_IP,tcp_echo=7,udp_echo=7,max_conns=65536,rto_min_ms=200,msl_ms=1000,timestamps=on,mss=1460
[workers]
lcores = 1
EOT
		bench_start "$SRV_LOG" 900 "$SLUICE_ECHO" --lcores '0@1,1@0' "${EAL_MEM[@]}" \
			--file-prefix "$SRV_PREFIX" --no-pci --vdev "net_af_packet0,iface=$TAP,qpairs=1" -- \
			--config "$BENCH_SCRATCH/echo.ini"
		SRV_PID=$BENCH_LAST_PID
		for ((i = 0; i < 100; i++)); do
			sl_log_has "$SRV_LOG" running && break
			sl_nap 0.1
		done
		TARGET=("$NS_T" "$SL_IP") ;;
	epoll)
		bench_start "$SRV_LOG" 900 ip netns exec "$NS_S" "$BENCH_SCRATCH/epoll-echo" -p 7 -c 0
		SRV_PID=$BENCH_LAST_PID
		TARGET=("$NS_C" "$KSRV_IP") ;;
	asyncio | uvloop)
		bench_start "$SRV_LOG" 900 ip netns exec "$NS_S" /usr/bin/python3 "$BENCH_DIR/py-echo.py" \
			--loop "$kind" --port 7 --cpu 0
		SRV_PID=$BENCH_LAST_PID
		TARGET=("$NS_C" "$KSRV_IP") ;;
	esac
	# wait until it answers a connection
	for ((i = 0; i < 100; i++)); do
		ip netns exec "${TARGET[0]}" "$CLIENT" -H "${TARGET[1]}" -c 1 -s 8 -d 0.05 2>/dev/null |
			grep -q '"transactions": [1-9]' && return 0
		sl_nap 0.2
	done
	bench_say "$kind: server does not answer (log: $SRV_LOG)"
	tail -n 5 "$SRV_LOG" >&2
	# shellcheck disable=SC2034  # read by lib.sh
	BENCH_KEEP=1
	return 1
}
stop_server() {
	bench_stop "$SRV_PID" "$SRV_KIND" "$SRV_LOG"
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
		-d "$d" -C 1 2>"$BENCH_SCRATCH/client.err") || true
	c1=$(proc_cpu "$spid") t1=$(date +%s.%N)
	if [[ $SRV_KIND == sluice ]]; then
		read -r b1 i1 <<<"$(bench_sluice_busy "$SRV_PREFIX")"
		busy=$(awk -v b="$((b1 - b0))" -v i="$((i1 - i0))" 'BEGIN {if (b + i > 0) printf "%.3f", b / (b + i)}')
	else
		busy=$(awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.3f", (c1 - c0) / (t1 - t0)}')
	fi
	[[ -n $out ]] || { bench_say "$SRV_KIND $test c=$conns s=$size: client failed: $(tail -n 2 "$BENCH_SCRATCH/client.err")"; out="{}"; }
	local line
	line=$(/usr/bin/python3 -c 'import json,sys
j = json.loads(sys.argv[1]); l = j.get("lat_us", {})
print(",".join(str(x) for x in (j.get("tps", ""), j.get("goodput_bps", ""), j.get("cps", ""),
      l.get("p50", ""), l.get("p99", ""), j.get("client_cpu", ""),
      j.get("errors", 0) + j.get("connect_failures", 0) + j.get("bad_bytes", 0), j.get("conns_up", ""))))' "$out")
	local label=$SRV_KIND
	[[ $label == sluice ]] && label=sluice-echo
	printf '%s: run %d %-11s %-8s conns %-5s size %-5s tps,goodput,cps,p50,p99,client_cpu,errors,up=%s server_busy=%s\n' \
		"$BENCH_NAME" "$run" "$label" "$test" "$conns" "$size" "$line" "$busy" >&2
	[[ -z $csv ]] || echo "tcp-echo,$test,$conns,$size,$label,$run,$line,$busy,$([[ $label == epoll ]] || echo epoll)" >>"$csv"
}

bench_say "T=${duration}s x $runs runs; servers ${server_list[*]} on CPU 0, client on CPU 1; EAL ${EAL_MEM[*]}"
for ((r = 1; r <= runs; r++)); do
	for s in "${server_list[@]}"; do
		[[ -n $s ]] || continue
		[[ $s == sluice ]] && bench_lock
		if start_server "$s" "$r"; then
			for size in "${size_list[@]}"; do
				for c in "${conn_counts[@]}"; do
					measure "$r" echo "$c" "$size"
				done
			done
			measure "$r" connect 64 64
		fi
		stop_server
		[[ $s == sluice ]] && bench_unlock
	done
done
