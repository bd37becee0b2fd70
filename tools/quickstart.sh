#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Quick start: set the machine up (packages, hugepages, build), then run
# sluice-fwd for a few seconds against a traffic generator over net_memif,
# a shared-memory link between two processes, so no NIC is needed.
#
#   generator: dpdk-testpmd --forward-mode=flowgen (sends 64 B UDP frames and
#              takes back what returns), memif server, forwarding on CPU 1
#   sluice:    sluice-fwd with drivers-config/examples/quickstart-memif.ini,
#              memif client, its worker on CPU 0
#
# Usage: sudo tools/quickstart.sh [-t SECONDS] [--no-setup]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
say() { echo "quickstart: $*"; }
die() { echo "quickstart: error: $*" >&2; exit 1; }

seconds=10 setup=1
while (($#)); do
	case $1 in
	-t) seconds=${2:?-t needs seconds}; shift ;;
	--no-setup) setup=0 ;;
	-h | --help) awk 'NR > 2 && !/^#/ {exit} NR > 2 {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}"; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
	shift
done
[[ $seconds =~ ^[0-9]+$ && $seconds -ge 1 ]] || die "-t wants whole seconds >= 1"
[[ $(id -u) -eq 0 ]] || die "DPDK needs root here: run 'sudo tools/quickstart.sh'"

((setup)) && tools/setup.sh
fwd=${SLUICE_FWD:-build/apps/sluice-fwd}
[[ -x $fwd ]] || die "$fwd is missing: build it with 'ninja -C build' (or run tools/setup.sh)"
command -v dpdk-testpmd >/dev/null || die "dpdk-testpmd not found: apt-get install dpdk"

# shellcheck source-path=SCRIPTDIR source=eal-mem.sh
source "$repo/tools/eal-mem.sh"
sock=/tmp/sluice-quickstart-$$.sock
gen_prefix=sluice-qs-gen-$$ fwd_prefix=sluice-qs-fwd-$$
gen_log=$(mktemp /tmp/sluice-quickstart-gen.XXXXXX.log)
gen_pid=""

cleanup() {
	if [[ -n $gen_pid ]] && kill -0 "$gen_pid" 2>/dev/null; then
		kill -INT "$gen_pid" 2>/dev/null || true
		for _ in {1..100}; do kill -0 "$gen_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$gen_pid" 2>/dev/null || true
		wait "$gen_pid" 2>/dev/null || true
	fi
	rm -rf "$sock" "/var/run/dpdk/$gen_prefix" "/var/run/dpdk/$fwd_prefix"
	rm -f "$gen_log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One DPDK run at a time on small shared machines (tests and benchmarks
# take the same lock).
exec {lock_fd}>/tmp/sluice-run.lock
flock -w 600 "$lock_fd" || die "another DPDK run holds /tmp/sluice-run.lock for 10 min; try again later"

say "starting the generator (dpdk-testpmd flowgen, memif server $sock, CPU 1)"
timeout -k 10 -s INT $((seconds + 60)) dpdk-testpmd -l 0-1 "${SL_EAL_MEM[@]}" --file-prefix "$gen_prefix" \
	--no-pci --vdev "net_memif0,role=server,socket=$sock,socket-abstract=no" -- \
	--forward-mode=flowgen --txpkts=60 --no-mlockall --stats-period 3600 \
	>"$gen_log" 2>&1 </dev/null &
gen_pid=$!
for _ in {1..300}; do
	[[ -S $sock ]] && break
	kill -0 "$gen_pid" 2>/dev/null || break
	sleep 0.1
done
[[ -S $sock ]] || { tail -n 20 "$gen_log" >&2; die "the generator did not start (its log is above)"; }

say "running sluice-fwd for $seconds s (worker on CPU 0); per-second lines, then a summary"
echo
rc=0
timeout -k 10 -s INT "$seconds" "$fwd" --lcores '0@1,1@0' "${SL_EAL_MEM[@]}" --file-prefix "$fwd_prefix" \
	--no-pci --vdev "net_memif0,role=client,socket=$sock,socket-abstract=no" -- \
	--config drivers-config/examples/quickstart-memif.ini --stats-interval 1 </dev/null || rc=$?
echo
# timeout's 124 means our SIGINT ended the run, which is the normal way out.
if ((rc != 0 && rc != 124)); then
	die "sluice-fwd exited with status $rc"
fi
say "done. Next: 'sudo tools/test.sh', and tools/bench/ for benchmarks"
