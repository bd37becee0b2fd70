#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Latency under load over net_memif: sluice-gen (memif client, CPU 1) sends
# timestamped UDP frames to a macswap DUT (memif server, forwarding lcore on
# CPU 0) and measures the round trip of each. Per DUT: one unpaced run finds
# its max rate (what comes back per second), then runs at 10%, 50% and 90% of
# that rate report the latency percentiles sluice-gen gives (p50/p99/p999
# when its --json has them, else min/avg/max). DUTs, side by side in each
# round: dpdk-testpmd macswap (baseline), sluice-fwd macswap.
#
# Usage: sudo tools/bench/latency.sh [-t SECONDS] [-r RUNS] [--size BYTES]
#            [--loads 10,50,90] [--csv FILE] [--keep]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration=2 runs=3 size=64 loads=10,50,90 csv=""
sl_common_opts time runs size csv keep
sl_opt --loads loads
sl_parse_opts "$@"
bench_init latency
cd "$REPO"
[[ -x $SLUICE_GEN ]] || sl_die "$SLUICE_GEN not built (ninja -C build)"
IFS=, read -ra load_list <<<"$loads"
duts=(testpmd)
[[ -x $SLUICE_FWD ]] && duts+=(sluice-macswap)

# gen_run DUT RUN LOAD RATE: one sluice-gen run against a DUT started for it;
# prints "rx_pps p50 p99 p999 min avg max". The DUT is started per run, not
# once per round, because a memif port must not be polled while its peer
# leaves (docs/sluice-gen.md, "Ending a memif run"): sluice-gen lingers
# unpolled when its run is over, the DUT is stopped, then sluice-gen leaves.
gen_run() {
	local dut=$1 run=$2 load=$3 rate=$4 prefix json log dprefix dlog dpid gpid i
	local sock=$SL_TMP/lat-$dut-$run-$load.sock
	prefix=$(sl_prefix "lgen-$dut-$run-$load")
	dprefix=$(sl_prefix "ldut-$dut-$run-$load")
	json=$SL_TMP/gen-$dut-$run-$load.json
	log=$SL_TMP/gen-$dut-$run-$load.log
	dlog=$SL_TMP/dut-$dut-$run-$load.log
	local -a eal=(--lcores '0@1,1@0' "${EAL_MEM[@]}" --file-prefix "$dprefix" --no-pci
		--vdev "net_memif0,role=server,socket=$sock,socket-abstract=no")
	case $dut in
	testpmd) sl_start "$dlog" $((duration + 90)) "$TESTPMD" "${eal[@]}" -- --forward-mode=macswap \
		--no-mlockall --stats-period 3600 ;;
	sluice-macswap) sl_start "$dlog" $((duration + 90)) "$SLUICE_FWD" "${eal[@]}" -- \
		--config tools/bench/configs/macswap-memif.ini --stats-interval 0 ;;
	esac
	dpid=$SL_PID
	for ((i = 0; i < 100; i++)); do [[ -S $sock ]] && break; sl_nap 0.1; done
	sl_start "$log" $((duration + 60)) "$SLUICE_GEN" -l 1 "${EAL_MEM[@]}" --file-prefix "$prefix" --no-pci \
		--vdev "net_memif0,role=client,socket=$sock,socket-abstract=no" -- --ports net_memif0 \
		--size "$size" --rate "$rate" --duration "$duration" --flows 16 --max-loss 100% \
		--stats-interval 0 --json "$json" --linger 30
	gpid=$SL_PID
	sl_wait_line "$log" '^run over' $((duration + 30)) "$gpid" ||
		sl_say "$dut load $load: sluice-gen's run is not over: stopping the DUT anyway"
	sl_stop "$dpid" "$dut (DUT)" "$dlog"
	sl_reap "$gpid"
	rm -rf "/var/run/dpdk/${prefix:?}" "/var/run/dpdk/${dprefix:?}" "$sock"
	[[ -s $json ]] || { sl_say "$dut load $load: sluice-gen wrote no JSON (log $log)"; tail -n 3 "$log" >&2; echo ""; return 0; }
	/usr/bin/python3 - "$json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
us = j.get("latency_us", {})
def g(*keys):
    for k in keys:
        if k in us:
            return str(us[k])
    return ""
rx = j.get("unique", j.get("received", 0)) / j["send_s"] if j.get("send_s") else 0
print(f"{rx:.0f} {g('p50', 'median') or '-'} {g('p99') or '-'} {g('p999', 'p99.9') or '-'} "
      f"{g('min') or '-'} {g('avg', 'mean') or '-'} {g('max') or '-'}")
PY
}

sl_say "T=${duration}s x $runs runs, $size B; sluice-gen on CPU 1, DUT on CPU 0; loads ${loads}% of each DUT's unpaced rate"
for ((r = 1; r <= runs; r++)); do
	for dut in "${duts[@]}"; do
		sl_lock
		read -r max _ <<<"$(gen_run "$dut" "$r" max 0)"
		printf '%s: run %d %-15s unpaced: %s pps back\n' "$SL_NAME" "$r" "$dut" "${max:-?}" >&2
		[[ -z $csv || -z $max ]] || echo "latency,$size,$dut,max,$r,$max,,,,,,,,$([[ $dut == testpmd ]] || echo testpmd)" >>"$csv"
		if [[ -n ${max:-} && ${max%.*} -gt 0 ]]; then
			for l in "${load_list[@]}"; do
				rate=$((${max%.*} * l / 100))
				read -r rx p50 p99 p999 mn avg mx <<<"$(gen_run "$dut" "$r" "$l" "$rate")"
				printf '%s: run %d %-15s %3s%% (%s pps): rx %s pps, latency us p50 %s p99 %s p999 %s min %s avg %s max %s\n' \
					"$SL_NAME" "$r" "$dut" "$l" "$rate" "${rx:-?}" "${p50:--}" "${p99:--}" "${p999:--}" "${mn:--}" "${avg:--}" "${mx:--}" >&2
				[[ -z $csv ]] || echo "latency,$size,$dut,$l,$r,$rx,$rate,$p50,$p99,$p999,$mn,$avg,$mx,$([[ $dut == testpmd ]] || echo testpmd)" >>"$csv"
			done
		fi
		sl_unlock
	done
done
