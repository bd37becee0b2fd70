#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sluice-gen (tx only, unpaced) against dpdk-testpmd --forward-mode=txonly as
# the sender on the same memif link, side by side in one run. The receiver
# is the same for both: testpmd rxonly (memif server) on cpu 0; the sender
# (memif client) runs on cpu 1. The rate is what the sender's tx_burst
# accepted: memif puts an accepted packet in the shared ring, which the
# receiver drains, and refuses the rest (testpmd counts those as TX-dropped,
# sluice-gen retries them), so accepted = delivered. testpmd: median of its
# per-second Tx-pps lines (first and last dropped); sluice-gen: tx_pps of
# its --json (sent / exact send time). The receiver's own Rx-pps lines are
# not used: its stats thread shares a core with a busy poller and prints
# irregularly.
# Prints each run, both medians and the ratio sluice-gen / testpmd.
#
# Usage: tools/bench/gen-vs-txonly.sh [BUILD_DIR] (env: RUNS=3 SECS=6 SIZE=64)
set -euo pipefail

BUILD=${1:-build}
GEN=$BUILD/apps/sluice-gen
TESTPMD=${TESTPMD:-dpdk-testpmd}
RUNS=${RUNS:-3}
SECS=${SECS:-6}
SIZE=${SIZE:-64} # frame size incl. FCS; testpmd's --txpkts is without it
[[ -x $GEN ]] || {
	echo "gen-vs-txonly: no $GEN. Fix: build first (meson setup build && ninja -C build)" >&2
	exit 1
}
command -v "$TESTPMD" >/dev/null || {
	echo "gen-vs-txonly: $TESTPMD not found. Fix: apt-get install dpdk" >&2
	exit 1
}
TMP=$(mktemp -d /tmp/gen-vs-txonly.XXXXXX)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
	sleep 1
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	if [[ ${KEEP:-0} == 1 ]]; then echo "logs kept in $TMP"; else rm -rf "$TMP"; fi
	rm -rf /var/run/dpdk/gvt$$-*
}
trap cleanup EXIT

eal() { echo "--no-pci --in-memory --file-prefix gvt$$-$1 --log-level=*:warning"; }

# receiver LOG SOCK: testpmd rxonly, memif server, forwarding lcore on cpu 0;
# its main lcore (which prints the stats and otherwise sleeps) on cpu 1, or
# the busy poller starves it and the per-second lines stop.
receiver() {
	# shellcheck disable=SC2046
	"$TESTPMD" --lcores 0@1,1@0 $(eal "rx$RANDOM") --vdev "net_memif0,role=server,socket=$2" -- \
		--forward-mode=rxonly --stats-period 1 --rxd 1024 --txd 1024 --burst 32 \
		>"$1" 2>&1 </dev/null &
	RX_PID=$!
	PIDS+=("$RX_PID")
	sleep 2
}

# median of the PPS lines (Tx-pps or Rx-pps) of a testpmd log, the first
# non-zero one dropped (the sender started part way through it). Each line is
# an average over its own interval (testpmd divides by the TSC difference),
# so a line printed late is still right.
pps_median() { # LOG FIELD
	grep -o "$2: *[0-9]*" "$1" | awk '$2 > 0 {print $2}' | sed '1d' | sort -n |
		awk '{a[NR]=$1} END {print NR ? a[int((NR+1)/2)] : 0}'
}

run_one() { # KIND IDX
	local kind=$1 i=$2 sock="@gvt$$-$1-$2" log=$TMP/$1-$2
	receiver "$log.rx" "$sock"
	if [[ $kind == testpmd ]]; then
		# shellcheck disable=SC2046
		timeout -s INT $((SECS + 5)) "$TESTPMD" --lcores 0@1,1@1 $(eal "tx$i") \
			--vdev "net_memif0,role=client,socket=$sock" -- \
			--forward-mode=txonly --txpkts $((SIZE - 4)) --stats-period 1 \
			--rxd 1024 --txd 1024 --burst 32 >"$log.tx" 2>&1 </dev/null &
		local tx=$!
		sleep "$SECS"
		kill -INT "$tx" 2>/dev/null || true
		wait "$tx" 2>/dev/null || true
	else
		# shellcheck disable=SC2046
		"$GEN" -l 1 $(eal "gen$i") --vdev "net_memif0,role=client,socket=$sock" -- \
			--ports net_memif0 --tx-only --size "$SIZE" --duration "$SECS" \
			--burst 32 --stats-interval 1 --json "$log.json" >"$log.tx" 2>&1 </dev/null || true
	fi
	sleep 1.5
	kill -INT "$RX_PID" 2>/dev/null || true
	wait "$RX_PID" 2>/dev/null || true
	if [[ $kind == testpmd ]]; then
		pps_median "$log.tx" Tx-pps
	else
		python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["tx_pps"]))' \
			"$log.json" 2>/dev/null || echo 0
	fi
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

gen_r=() tp_r=()
echo "gen-vs-txonly: $(date -u +%FT%TZ), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
echo "  receiver: testpmd rxonly (memif server) on cpu 0; sender (memif client) on cpu 1"
echo "  frames $SIZE B incl. FCS, $SECS s per run, $RUNS runs, alternating"
for ((i = 1; i <= RUNS; i++)); do
	tp=$(run_one testpmd "$i")
	gen=$(run_one gen "$i")
	tp_r+=("$tp")
	gen_r+=("$gen")
	printf '  run %d: testpmd txonly %10d pps   sluice-gen %10d pps   ratio %s\n' "$i" "$tp" \
		"$gen" "$(echo "if ($tp > 0) $gen / $tp else 0" | bc -l | cut -c1-5)"
done
tp_m=$(median "${tp_r[@]}")
gen_m=$(median "${gen_r[@]}")
printf 'median: testpmd txonly %.3f Mpps, sluice-gen %.3f Mpps, ratio %.3f\n' \
	"$(echo "$tp_m / 1000000" | bc -l)" "$(echo "$gen_m / 1000000" | bc -l)" \
	"$(echo "if ($tp_m > 0) $gen_m / $tp_m else 0" | bc -l)"
