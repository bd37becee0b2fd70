#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sluice-gen (tx only, unpaced) against dpdk-testpmd --forward-mode=txonly as
# the sender on the same memif link, side by side in one run.
#
# The receiver is the same for both: testpmd rxonly (memif server), its
# forwarding lcore on cpu 0; the sender (memif client) runs on cpu 1. The rate
# is the sender's ethdev opackets per second over the measured window, read
# through its telemetry socket (the same sampler for both senders): memif puts
# an accepted packet in the shared ring, which the receiver drains, and
# refuses the rest (testpmd drops those, sluice-gen retries them), so
# accepted = delivered.
#
# Each run ends in the memif-safe order (docs/sluice-gen.md, Ending a memif
# run): the sender stops polling (testpmd "stop", sluice-gen's --linger),
# then the receiver ("stop"), then both leave.
#
# Usage: sudo tools/bench/gen-vs-txonly.sh [-t SECONDS] [-r RUNS] [--size BYTES] [--keep]
#   -t SECONDS  measured seconds per run, after a 2 s warm-up (default 5)
#   -r RUNS     rounds, each running both senders (default 3)
#   --size B    frame size incl. FCS, 64..1518 (default 64)
#   --keep      keep the logs (printed path)
# env: SLUICE_GEN (default build/apps/sluice-gen), TESTPMD
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration=5 runs=3 size=64 warmup=2
GEN=${SLUICE_GEN:-$REPO/build/apps/sluice-gen}
sl_common_opts time runs size keep
sl_parse_opts "$@"
[[ -x $GEN ]] || sl_die "no $GEN: build first (meson setup build && ninja -C build)"

bench_init gen-vs-txonly
cd "$REPO"
limit=$((warmup + duration + 60)) # hard stop per process

# run_one KIND RUN: one sender, one run; sets RUN_PPS (empty on error).
run_one() {
	local kind=$1 run=$2 sock rprefix sprefix rlog slog rfd rpid sfd="" spid pps
	sock=$SL_TMP/memif-$kind-$run.sock
	rprefix=$(sl_prefix "rx-$kind-$run")
	sprefix=$(sl_prefix "tx-$kind-$run")
	rlog=$SL_TMP/rx-$kind-$run.log
	slog=$SL_TMP/$kind-$run.log
	sl_lock
	bench_testpmd_interactive "$SL_TMP/rx-$kind-$run.in" "$rlog" "$limit" --lcores 0@1,1@0 \
		"${EAL_MEM[@]}" --file-prefix "$rprefix" --no-pci \
		--vdev "net_memif0,role=server,socket=$sock,socket-abstract=no" -- \
		-i --forward-mode=rxonly --burst 32 --no-mlockall
	rfd=$TP_FD rpid=$TP_PID
	echo start >&"$rfd"
	bench_wait_socket "$sock" "$rpid" "the receiver (see $rlog)"
	local -a eal=("${EAL_MEM[@]}" --file-prefix "$sprefix" --no-pci
		--vdev "net_memif0,role=client,socket=$sock,socket-abstract=no")
	if [[ $kind == testpmd ]]; then
		bench_testpmd_interactive "$SL_TMP/$kind-$run.in" "$slog" "$limit" --lcores 0@1,1@1 "${eal[@]}" -- \
			-i --forward-mode=txonly --txpkts $((size - 4)) --burst 32 --no-mlockall
		sfd=$TP_FD spid=$TP_PID
		echo start >&"$sfd"
	else
		# Sends for the warm-up and the window plus a margin, then holds the
		# port unpolled until the receiver has stopped and it is told to go.
		sl_start "$slog" "$limit" "$GEN" -l 1 "${eal[@]}" -- --ports net_memif0 --tx-only \
			--size "$size" --burst 32 --duration $((warmup + duration + 4)) --linger 30 \
			--stats-interval 0
		spid=$SL_PID
	fi
	pps=$(bench_rate "$sprefix" "$warmup" "$duration" opackets)
	if [[ $kind == testpmd ]]; then
		bench_testpmd_stop "$sfd" "$spid" "$slog" "the testpmd sender"
	else
		sl_wait_line "$slog" '^run over' 30 "$spid" ||
			sl_say "warning: sluice-gen's run is not over after 30 s: stopping anyway"
	fi
	bench_testpmd_stop "$rfd" "$rpid" "$rlog" "the receiver"
	if [[ $kind == testpmd ]]; then
		bench_testpmd_quit "$sfd" "$spid" "$slog" "the testpmd sender"
	else
		sl_stop "$spid" sluice-gen "$slog"
	fi
	bench_testpmd_quit "$rfd" "$rpid" "$rlog" "the receiver"
	sl_unlock
	rm -rf "/var/run/dpdk/${rprefix:?}" "/var/run/dpdk/${sprefix:?}" "$sock"
	[[ -n $pps ]] || { SL_KEEP=1; sl_say "$kind run $run: no rate (log: $slog)"; }
	RUN_PPS=$pps
}

gen_r=() tp_r=()
echo "gen-vs-txonly: $(date -u +%FT%TZ), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "  receiver: testpmd rxonly (memif server) on cpu 0; sender (memif client) on cpu 1"
echo "  frames $size B incl. FCS, ${warmup} s warm-up + ${duration} s measured, $runs rounds, alternating"
echo "  DPDK linked: testpmd $(testpmd_link_desc), sluice-gen $(bench_link_mode "$GEN")"
for ((r = 1; r <= runs; r++)); do
	run_one testpmd "$r"
	tp=$RUN_PPS
	run_one gen "$r"
	gen=$RUN_PPS
	tp_r+=("${tp:--}")
	gen_r+=("${gen:--}")
	tp_int=${tp%.*} gen_int=${gen%.*}
	printf '  run %d: testpmd txonly %10s pps   sluice-gen %10s pps   ratio %s\n' "$r" "${tp_int:--}" \
		"${gen_int:--}" "$(awk -v a="${gen:-0}" -v b="${tp:-0}" 'BEGIN {if (a > 0 && b > 0) printf "%.3f", a / b; else print "-"}')"
done
tp_m=$(median "${tp_r[@]}")
gen_m=$(median "${gen_r[@]}")
[[ -n $tp_m && -n $gen_m ]] || sl_die "no rate from one of the senders (logs kept: $SL_TMP)"
awk -v t="$tp_m" -v g="$gen_m" 'BEGIN {printf "median: testpmd txonly %.3f Mpps, sluice-gen %.3f Mpps, ratio %.3f\n", t / 1e6, g / 1e6, g / t}'
