#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# On-a-wire benchmark (design notes section 7): a generator and the device
# under test (DUT) joined by net_memif, each with a core of its own:
#   generator: dpdk-testpmd, memif server, forwarding lcore on core 1
#   DUT:       memif client, forwarding lcore on core 0 (--lcores 0@1,1@0)
# Contenders as DUT, side by side, R rounds: dpdk-testpmd macswap (baseline),
# DPDK's l2fwd example (one port, forwarding back out of it; built from
# Debian's dpdk-doc like device-bound.sh's) and sluice-fwd macswap; the order
# rotates by round. On 2 cores the generator is usually the limit, so beside
# the DUT's rate this reports its busy cycles per packet (cycles of polls that
# got packets / packets), which testpmd (--record-core-cycles) and sluice
# measure themselves; l2fwd has no such figure, only its rate.
#
# Generator mode: flowgen (default) sends and also receives and frees what
# comes back, like a real tester. txonly never reads its rx ring, so once it
# fills every DUT transmit fails and the DUT is measured on its drop path;
# with --gen-mode txonly the rate shown is the DUT's rx rate.
#
# --rate R: the generator is sluice-gen instead, paced at R packets/s (e.g.
# 8M) and checking every returned frame (--expect macswap; l2fwd rewrites
# the MACs its own way, so with l2fwd as DUT nothing is checked). An unpaced
# generator's rate swings 2x between runs on a shared machine, and busy
# cycles per packet grow as bursts shrink, so DUTs compared at different
# offered loads differ for reasons of their own. At one fixed rate both DUTs
# see the same arrivals; but the burst sizes each DUT sees still come from
# how the two processes' loops interleave (in closed loop, 8-packet bursts
# cost a DUT ~100 busy cycles a packet where 32-packet bursts cost 73-97).
#
# --window N: the generator is sluice-gen in closed loop, keeping at most N
# packets in flight and sending only whole bursts (--burst, default 32): with
# N = 32 one burst goes out, comes back, and the next goes. Every busy poll
# of the DUT then takes one whole burst, so busy cycles per packet compare
# what each DUT spends on a burst of that size, free of loop dynamics. With
# --rate as well the window caps a paced load.
#
# Usage: sudo tools/bench/memif.sh [-t SECONDS] [-r RUNS] [--gen-mode flowgen|txonly]
#            [--rate PPS] [--window N] [--burst N] [--size BYTES] [--md FILE]
#            [--duts testpmd,l2fwd,sluice] [--examples-link static|shared]
#            [--csv FILE] [--keep]
#   --duts: which DUTs to run (default all three; testpmd, the baseline, is required)
#   --examples-link: how l2fwd links DPDK (default static, as sluice's apps)
#   --burst: sluice-gen's burst (with --rate or --window; default 32)
#   --size: frame size incl. FCS (default 64)
#   --csv: append one line per run: section,size,group,label,run,pps,cycles,baseline
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration=10 runs=3 gen_mode=flowgen md="" size=64 csv="" rate="" window="" burst=32
duts=testpmd,l2fwd,sluice examples_link=static
cmdline="tools/bench/memif.sh $*"
sl_common_opts time runs size csv md keep
sl_opt --gen-mode gen_mode
sl_opt --rate rate
sl_opt --window window
sl_opt --burst burst
sl_opt --duts duts
sl_opt --examples-link examples_link
sl_parse_opts "$@"
[[ $gen_mode == flowgen || $gen_mode == txonly ]] || sl_die "--gen-mode is flowgen or txonly"
counter=opackets
[[ $gen_mode == txonly ]] && counter=ipackets
GEN=$REPO/build/apps/sluice-gen
use_gen=0
if [[ -n $rate || -n $window ]]; then
	use_gen=1
	[[ -z $rate || $rate =~ ^[0-9]+(\.[0-9]+)?[kKmM]?$ ]] || sl_die "--rate wants packets/s, e.g. 8M"
	[[ -z $window || $window =~ ^[1-9][0-9]*$ ]] || sl_die "--window wants packets, e.g. 32"
	[[ $burst =~ ^[1-9][0-9]*$ && $burst -le 256 ]] || sl_die "--burst wants 1..256"
	[[ -z $window || $window -ge $burst ]] || sl_die "--window must hold one --burst ($burst)"
	[[ $gen_mode == flowgen ]] || sl_die "--rate/--window and --gen-mode do not mix (they use sluice-gen)"
	[[ -x $GEN ]] || sl_die "--rate/--window need $GEN (ninja -C build)"
fi
((use_gen)) || [[ $burst == 32 ]] || sl_die "--burst is sluice-gen's: use it with --rate or --window"
[[ $examples_link == static || $examples_link == shared ]] || sl_die "--examples-link wants static or shared"
labels=() want_l2fwd=0 want_sluice=0
IFS=, read -ra dut_list <<<"$duts"
for d in "${dut_list[@]}"; do
	case $d in
	testpmd) labels+=(testpmd) ;;
	l2fwd) labels+=(l2fwd) want_l2fwd=1 ;;
	sluice) labels+=(sluice-macswap) want_sluice=1 ;;
	*) sl_die "--duts takes testpmd, l2fwd and sluice, not '$d'" ;;
	esac
done
[[ " ${labels[*]} " == *" testpmd "* ]] || sl_die "--duts must include testpmd (the baseline of every ratio)"
gen_load=(--burst "$burst")
[[ -n $rate ]] && gen_load+=(--rate "$rate")
[[ -n $window ]] && gen_load+=(--window "$window")

bench_init memif
cd "$REPO"
have_sluice=$want_sluice
if ((want_sluice)) && [[ ! -x $SLUICE_FWD ]]; then
	have_sluice=0
	sl_say "note: $SLUICE_FWD not built yet: skipping the sluice row (ninja -C build)"
fi
((have_sluice)) || labels=("${labels[@]/sluice-macswap/}")
if ((want_l2fwd)); then
	bin=$("$BENCH_DIR/build-dpdk-examples.sh" --link "$examples_link" "$EXAMPLES_DIR" | tail -n 1)
	L2FWD=$bin/l2fwd
fi

limit=$((duration + 45))
tsc_mhz=""

# run_pair LABEL RUN: generator + one DUT; records the DUT's rate.
run_pair() {
	local label=$1 run=$2 sock gprefix dprefix glog dlog pps cyc="" gpid dpid f gfd
	local expect=macswap
	[[ $label == l2fwd ]] && expect=none
	sock=$SL_TMP/memif-$label-$run.sock
	gprefix=$(sl_prefix "gen-$label-$run")
	dprefix=$(sl_prefix "dut-$label-$run")
	glog=$SL_TMP/gen-$label-$run.log
	dlog=$SL_TMP/$label-$run.log
	sl_lock
	if ((use_gen)); then # one lcore, on core 1, sends and receives
		# Sends from link up for the DUT's warm-up and measurement plus a
		# margin, then lingers unpolled so that the DUT leaves first
		# (docs/sluice-gen.md: a memif peer must not be polled while the
		# other side leaves).
		sl_start "$glog" $((limit + 10)) "$GEN" -l 1 "${EAL_MEM[@]}" --file-prefix "$gprefix" --no-pci \
			--vdev "net_memif0,role=server,socket=$sock,socket-abstract=no" -- \
			--ports net_memif0 "${gen_load[@]}" --size "$size" --flows 256 --expect "$expect" \
			--max-loss 100% --duration $((duration + 6)) --linger 30 --stats-interval 0
	else
		# Interactive: it stops forwarding before the DUT leaves.
		bench_testpmd_interactive "$SL_TMP/gen-$label-$run.in" "$glog" $((limit + 10)) -l 0-1 \
			"${EAL_MEM[@]}" --file-prefix "$gprefix" --no-pci \
			--vdev "net_memif0,role=server,socket=$sock,socket-abstract=no" -- \
			-i --forward-mode="$gen_mode" --txpkts=$((size - 4)) --no-mlockall
		gfd=$TP_FD
	fi
	gpid=$SL_PID
	bench_wait_socket "$sock" "$gpid" "the generator (see $glog)"
	# testpmd and sluice: main lcore 0 on core 1, forwarding lcore 1 on core 0.
	local -a eal=("${EAL_MEM[@]}" --file-prefix "$dprefix" --no-pci
		--vdev "net_memif0,role=client,socket=$sock,socket-abstract=no")
	case $label in
	testpmd)
		sl_start "$dlog" "$limit" "$TESTPMD" --lcores '0@1,1@0' "${eal[@]}" -- \
			--forward-mode=macswap --record-core-cycles --no-mlockall --stats-period 3600 ;;
	l2fwd) # forwards on every lcore, main included: one lcore, on core 0; no stats timer
		sl_start "$dlog" "$limit" "$L2FWD" --lcores '0@0' "${eal[@]}" -- -p 0x1 -q 1 -T 0 ;;
	sluice-macswap)
		sl_start "$dlog" "$limit" "$SLUICE_FWD" --lcores '0@1,1@0' "${eal[@]}" -- \
			--config tools/bench/configs/macswap-memif.ini --stats-interval 0 ;;
	esac
	dpid=$SL_PID
	((use_gen)) || echo start >&"$gfd"
	pps=$(bench_rate "$dprefix" 2 "$duration" "$counter")
	# Nobody may poll a memif port while its peer leaves (docs/sluice-gen.md):
	# the generator stops polling before the DUT is stopped.
	if ((use_gen)); then
		sl_wait_line "$glog" '^run over' 30 "$gpid" ||
			sl_say "warning: sluice-gen's run is not over after 30 s: stopping anyway"
	else
		bench_testpmd_stop "$gfd" "$gpid" "$glog" "the testpmd generator"
	fi
	sl_stop "$dpid" "$label (DUT)" "$dlog"
	# sluice-gen, lingering, leaves when the DUT has gone; testpmd on "quit".
	if ((use_gen)); then
		sl_stop "$gpid" "generator" "$glog"
	else
		bench_testpmd_quit "$gfd" "$gpid" "$glog" "the generator"
	fi
	sl_unlock
	rm -rf "/var/run/dpdk/${dprefix:?}" "/var/run/dpdk/${gprefix:?}" "$sock"
	cyc=$(parse_cycles "$label" "$dlog")
	[[ $label != testpmd || -n $tsc_mhz ]] || tsc_mhz=$(parse_testpmd_tsc_mhz "$dlog")
	if [[ -z $pps ]]; then
		sl_say "$label run $run: no rate; last lines of $dlog and $glog:"
		for f in "$dlog" "$glog"; do echo "--- $f" >&2; tail -n 5 "$f" >&2; done
		SL_KEEP=1
	fi
	printf '%s: run %d  %-16s %8s Mpps  %s\n' "$SL_NAME" "$run" "$label" \
		"$(awk -v p="${pps:-0}" 'BEGIN {printf "%.2f", p / 1e6}')" "${cyc:+$cyc busy cycles/pkt}" >&2
	bench_record net_memif "$label" "$pps" "$cyc"
	[[ -z $csv ]] || echo "memif,$size,net_memif,$label,$run,${pps:-},${cyc:-},$([[ $label == testpmd ]] || echo testpmd)" >>"$csv"
	return 0
}

gen_desc="testpmd $gen_mode"
((use_gen)) && gen_desc="sluice-gen${rate:+ paced at $rate pkt/s}${window:+, window $window}, burst $burst"
sl_say "T=${duration}s x ${runs} runs, $size B, generator $gen_desc on core 1, DUT on core 0; EAL ${EAL_MEM[*]}"
# Which contender goes first rotates by round (with two: ABBA...): a machine
# that drifts during the run then favours none of them in the per-round pairs.
read -ra labels <<<"${labels[*]}" # drop the empty slot of a skipped DUT
for ((r = 1; r <= runs; r++)); do
	for ((i = 0; i < ${#labels[@]}; i++)); do
		run_pair "${labels[(r - 1 + i) % ${#labels[@]}]}" "$r"
	done
done

base_of() { [[ ${1#*|} == testpmd ]] && echo "" || echo "${1%%|*}|testpmd"; }

echo
echo "net_memif, $size B: DUT on core 0, generator ($gen_desc) on core 1, median of $runs x ${duration}s"
if [[ $counter == opackets ]]; then
	echo "Mpps: packets the DUT transmitted per second; ratio vs testpmd as DUT"
else
	echo "Mpps: packets the DUT received per second (a txonly generator never drains its rx ring); ratio vs testpmd as DUT"
fi
echo "cyc/pkt: DUT busy cycles per packet (the generator is usually the limit, so compare these)"
echo "core c/p: TSC ${tsc_mhz:-?} MHz / rate, idle polls included"
linked="testpmd $(testpmd_link_desc)${L2FWD:+, l2fwd $examples_link}"
((have_sluice)) && linked+=", sluice $(sluice_link_mode)"
echo "DPDK linked: $linked"
bench_md_header "$md" "net_memif, generator vs device under test (tools/bench/memif.sh)" "$cmdline"
bench_table base_of "$tsc_mhz" "$md"
# The target is on busy cycles/packet: pair them by round too.
if ((have_sluice)); then
	pc=$(paired_ratio "net_memif|sluice-macswap" "net_memif|testpmd" cycles)
	if [[ -n $pc ]]; then
		line=$(awk -v r="$pc" 'BEGIN {printf "busy cycles/pkt, sluice / testpmd in the same round (median over rounds): %.3f (target <= 1: %s)", r, r <= 1 ? "met" : "NOT met"}')
		line+=$'\n'"busy cycles/pkt, sluice: $(paired_signs "net_memif|sluice-macswap" "net_memif|testpmd" cycles)"
		echo "$line"
		[[ -z $md ]] || { echo >>"$md"; echo "$line" >>"$md"; }
	fi
fi
((want_sluice && !have_sluice)) && echo "(sluice row skipped: $SLUICE_FWD not built)"
[[ -z $md ]] || { echo >>"$md"; sl_say "markdown appended to $md"; }
