#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Device-bound benchmark (docs/PERFORMANCE.md, design notes section 7): one
# process, one forwarding core, no generator. Each contender runs in turn on
# the same virtual devices and the same core, R rounds, side by side:
#
#   macswap group (net_null and net_pcap): dpdk-testpmd macswap (baseline),
#     DPDK's l2fwd example, sluice-fwd macswap
#   routing group (net_pcap only, net_null frames are not IPv4):
#     DPDK's l3fwd example in LPM mode (baseline), sluice-fwd ip4_lpm
#
# Rate = growth of the sum of the ports' tx packets over T seconds, read from
# each process's DPDK telemetry socket: the same meter for every contender.
#
# Usage: sudo tools/bench/device-bound.sh [-t SECONDS] [-r RUNS] [--kinds null,pcap]
#            [--flows N] [--size BYTES] [--groups macswap,route] [--md FILE]
#            [--csv FILE] [--examples-link static|shared] [--keep]
#   --size: frame size incl. FCS for the net_pcap replay (default 64;
#           net_null frames are always 64 B)
#   --groups: which comparisons (default both; route runs on net_pcap only)
#   --csv: append one line per run: section,size,group,label,run,pps,cycles,baseline
#          (tools/bench/run.sh reads it to build docs/PERFORMANCE.md)
#   --examples-link: how l2fwd/l3fwd link DPDK (default static, as sluice's apps
#          do by default). testpmd is $TESTPMD: Debian's, linked shared, unless
#          TESTPMD names another build (tools/bench/build-testpmd.sh: static)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration=10 runs=3 kinds=null,pcap flows=256 md="" size=64 groups=macswap,route csv="" examples_link=static
cmdline="tools/bench/device-bound.sh $*"
sl_common_opts time runs size csv md keep
sl_opt --kinds kinds
sl_opt --flows flows
sl_opt --groups groups
sl_opt --examples-link examples_link
sl_parse_opts "$@"
want_macswap=0 want_route=0
IFS=, read -ra group_list <<<"$groups"
for g in "${group_list[@]}"; do
	case $g in
	macswap) want_macswap=1 ;;
	route) want_route=1 ;;
	*) sl_die "--groups takes macswap and/or route, not '$g'" ;;
	esac
done

bench_init device-bound
cd "$REPO"

[[ $examples_link == static || $examples_link == shared ]] || sl_die "--examples-link wants static or shared"
bin=$("$BENCH_DIR/build-dpdk-examples.sh" --link "$examples_link" "$EXAMPLES_DIR" | tail -n 1)
L2FWD=$bin/l2fwd L3FWD=$bin/l3fwd
have_sluice=1
if [[ ! -x $SLUICE_FWD ]]; then
	have_sluice=0
	sl_say "note: $SLUICE_FWD not built yet: skipping the sluice rows (ninja -C build)"
fi

pcap=$SL_TMP/udp$size.pcap
routes=$BENCH_DIR/configs/routes.txt
"$BENCH_DIR/make-pcap.py" -o "$pcap" -n "$flows" --size "$size" --dst-prefix 10.1.0.0/16 2>/dev/null ||
	sl_die "make-pcap.py failed (apt-get install python3-scapy)"

# l3fwd gets the same routes as sluice, in its own rule format.
rule4=$SL_TMP/l3fwd-rules.v4 rule6=$SL_TMP/l3fwd-rules.v6
eth_dest=()
while read -r prefix port mac; do
	[[ -z $prefix || $prefix == \#* ]] && continue
	echo "R$prefix ${port#p}" >>"$rule4"
	[[ " ${eth_dest[*]} " == *" --eth-dest=${port#p},"* ]] || eth_dest+=("--eth-dest=${port#p},$mac")
done <"$routes"
echo "R2001:db8::/32 0" >"$rule6" # l3fwd loads rule files only as a v4+v6 pair

vdevs() { # KIND -> EAL args for two ports
	case $1 in
	null) echo "--vdev net_null0 --vdev net_null1" ;;
	# No tx_pcap/tx_iface: net_pcap then drops (and counts) what it is given
	# to send, the cheapest tx and the same for every contender.
	pcap) echo "--vdev net_pcap0,rx_pcap=$pcap,infinite_rx=1 --vdev net_pcap1,rx_pcap=$pcap,infinite_rx=1" ;;
	esac
}

base_of() { # macswap group vs testpmd, routing vs l3fwd
	local group=${1%%|*} label=${1#*|}
	case $label in
	testpmd) echo "" ;;
	sluice-ip4_lpm) echo "$group|l3fwd-lpm" ;;
	*) echo "$group|testpmd" ;;
	esac
}

BENCH_TEL_CPU=0          # the rate sampler stays off the forwarding core
limit=$((duration + 45)) # hard stop per run: EAL start + warm-up + T + margin
tsc_mhz=""

# run_one GROUP LABEL KIND RUN: one contender, one run; records its rate.
run_one() {
	local group=$1 label=$2 kind=$3 run=$4 prefix log pps cyc=""
	local -a dev
	read -ra dev <<<"$(vdevs "$kind")"
	prefix=$(sl_prefix "$label-$kind-$run")
	log=$SL_TMP/$label-$kind-$run.log
	local -a eal=("${EAL_MEM[@]}" --file-prefix "$prefix" --no-pci "${dev[@]}")
	sl_lock
	case $label in
	testpmd) # main lcore on core 0, forwarding lcore on core 1
		sl_start "$log" "$limit" "$TESTPMD" -l 0-1 "${eal[@]}" -- --forward-mode=macswap \
			--record-core-cycles --no-mlockall --stats-period 3600 ;;
	l2fwd) # l2fwd forwards on every lcore including main: one lcore, core 1
		sl_start "$log" "$limit" "$L2FWD" -l 1 "${eal[@]}" -- -p 0x3 -q 2 -T 0 ;;
	l3fwd-lpm) # one lcore (net_pcap has one tx queue, l3fwd wants one per lcore)
		sl_start "$log" "$limit" "$L3FWD" -l 1 "${eal[@]}" -- -p 0x3 -L --parse-ptype \
			--config '(0,0,1),(1,0,1)' --rule_ipv4 "$rule4" --rule_ipv6 "$rule6" "${eth_dest[@]}" ;;
	sluice-macswap)
		sl_start "$log" "$limit" "$SLUICE_FWD" -l 0-1 "${eal[@]}" -- \
			--config "tools/bench/configs/macswap-$kind.ini" --stats-interval 0 ;;
	sluice-ip4_lpm)
		sl_start "$log" "$limit" "$SLUICE_FWD" -l 0-1 "${eal[@]}" -- \
			--config "tools/bench/configs/ip4-lpm-$kind.ini" --stats-interval 0 ;;
	esac
	local pid=$SL_PID
	pps=$(bench_rate "$prefix" 1 "$duration")
	sl_stop "$pid" "$label" "$log"
	sl_unlock
	rm -rf "/var/run/dpdk/${prefix:?}"
	cyc=$(parse_cycles "$label" "$log")
	[[ $label != testpmd || -n $tsc_mhz ]] || tsc_mhz=$(parse_testpmd_tsc_mhz "$log")
	if [[ -z $pps ]]; then
		sl_say "$label on net_$kind run $run: no rate; last lines of $log:"
		tail -n 5 "$log" >&2
		SL_KEEP=1
	fi
	printf '%s: run %d  %-16s net_%-5s %8s Mpps  %s\n' "$SL_NAME" "$run" "$label" "$kind" \
		"$(awk -v p="${pps:-0}" 'BEGIN {printf "%.2f", p / 1e6}')" "${cyc:+$cyc cycles/pkt}" >&2
	bench_record "$group" "$label" "$pps" "$cyc"
	if [[ -n $csv ]]; then
		local fsize=$size
		[[ $kind == null ]] && fsize=64
		echo "device-bound,$fsize,$group,$label,$run,${pps:-},${cyc:-},$(base_of "$group|$label" | sed 's/.*|//')" >>"$csv"
	fi
	return 0
}

IFS=, read -ra kind_list <<<"$kinds"
for k in "${kind_list[@]}"; do
	[[ $k == null || $k == pcap ]] || sl_die "--kinds takes null and/or pcap, not '$k'"
done

sl_say "T=${duration}s x ${runs} runs, $size B frames, $flows flows; forwarding core 1; EAL ${EAL_MEM[*]}"
for ((r = 1; r <= runs; r++)); do
	for k in "${kind_list[@]}"; do
		if ((want_macswap)); then
			run_one "net_$k" testpmd "$k" "$r"
			run_one "net_$k" l2fwd "$k" "$r"
			((have_sluice)) && run_one "net_$k" sluice-macswap "$k" "$r"
		fi
		if [[ $k == pcap ]] && ((want_route)); then
			run_one "net_$k" l3fwd-lpm "$k" "$r"
			((have_sluice)) && run_one "net_$k" sluice-ip4_lpm "$k" "$r"
		fi
	done
done


echo
echo "Device-bound, $size B (net_pcap; net_null: 64 B), one forwarding core (core 1), median of $runs x ${duration}s"
echo "ratio: of medians, vs testpmd macswap (l3fwd-lpm: vs testpmd; sluice-ip4_lpm: vs l3fwd-lpm);"
echo "paired: median over rounds of the ratio to the baseline's run in the same round"
echo "cyc/pkt: the app's own figure (testpmd --record-core-cycles, sluice summary);"
echo "DPDK linked: testpmd $(testpmd_link_desc), l2fwd/l3fwd $examples_link, sluice $(sluice_link_mode)"
echo "core c/p: TSC ${tsc_mhz:-?} MHz / rate (the core polls 100% of the time)"
bench_md_header "$md" "Device-bound forwarding (tools/bench/device-bound.sh)" "$cmdline"
bench_table base_of "$tsc_mhz" "$md"
((have_sluice)) || echo "(sluice rows skipped: $SLUICE_FWD not built)"
[[ -z $md ]] || { echo >>"$md"; sl_say "markdown appended to $md"; }
