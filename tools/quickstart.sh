#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Quick start: set the machine up (packages, hugepages, build), then run
# sluice-fwd for a few seconds against a traffic generator over net_memif,
# a shared-memory link between two processes, so no NIC is needed.
#
#   generator: sluice-gen, memif server on CPU 1: sends 64 B UDP frames at a
#              steady 2 Mpps and checks that each one comes back once, MACs
#              swapped; its summary is printed at the end. It allows 0.1 % loss:
#              on 2 cores it shares CPU 1 with sluice-fwd's main and control
#              threads, and while it stalls sluice-fwd's transmit ring fills.
#              The rings have 4096 slots (rsize=12; the PMD's default 1024
#              held only 0.5 ms at 2 Mpps) so a stall of up to 2 ms costs
#              nothing (the tests, at lower rates, allow no loss)
#   sluice:    sluice-fwd with drivers-config/examples/quickstart-memif.ini,
#              memif client, its worker on CPU 0, per-second lines + summary
#
# The generator stops polling when its run is over and waits for sluice-fwd
# to leave before it closes its port: DPDK 22.11's memif PMD can crash a
# process that is mid-burst when its peer disconnects (docs/sluice-gen.md).
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
gen=${SLUICE_GEN:-build/apps/sluice-gen}
for app in "$fwd" "$gen"; do
	[[ -x $app ]] || die "$app is missing: build it with 'ninja -C build' (or run tools/setup.sh)"
done

# shellcheck source-path=SCRIPTDIR source=eal-mem.sh
source "$repo/tools/eal-mem.sh"
# shellcheck source-path=SCRIPTDIR source=wait-line.sh
source "$repo/tools/wait-line.sh"
sock=/tmp/sluice-quickstart-$$.sock
gen_prefix=sluice-qs-gen-$$ fwd_prefix=sluice-qs-fwd-$$
gen_log=$(mktemp /tmp/sluice-quickstart-gen.XXXXXX.log)
gen_pid="" fwd_pid=""

stop_proc() { # PID: SIGINT, wait up to 10 s, then SIGKILL
	[[ -n $1 ]] && kill -0 "$1" 2>/dev/null || return 0
	kill -INT "$1" 2>/dev/null || true
	for _ in {1..100}; do kill -0 "$1" 2>/dev/null || break; sl_nap 0.1; done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
cleanup() {
	stop_proc "$fwd_pid"
	stop_proc "$gen_pid"
	rm -rf "$sock" "/var/run/dpdk/$gen_prefix" "/var/run/dpdk/$fwd_prefix"
	rm -f "$gen_log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One DPDK run at a time on small shared machines (tests and benchmarks
# take the same lock).
exec {lock_fd}>/tmp/sluice-run.lock
flock -w 600 "$lock_fd" || die "another DPDK run holds /tmp/sluice-run.lock for 10 min; try again later"

say "starting the generator (sluice-gen, memif server $sock, CPU 1)"
timeout -k 10 -s INT $((seconds + 90)) "$gen" -l 1 "${SL_EAL_MEM[@]}" --file-prefix "$gen_prefix" \
	--no-pci --vdev "net_memif0,role=server,socket=$sock,socket-abstract=no,rsize=12" -- \
	--ports net_memif0 --duration "$seconds" --rate 2M --flows 16 --expect macswap --max-loss 0.1% \
	--link-wait 30 --linger 60 --stats-interval 0 >"$gen_log" 2>&1 </dev/null &
gen_pid=$!
sl_wait_line "$gen_log" "waiting up to" 30 "$gen_pid" || { tail -n 20 "$gen_log" >&2; die "the generator did not start (its log is above)"; }

say "running sluice-fwd for $seconds s (worker on CPU 0); per-second lines, then a summary"
echo
"$fwd" --lcores '0@1,1@0' "${SL_EAL_MEM[@]}" --file-prefix "$fwd_prefix" \
	--no-pci --vdev "net_memif0,role=client,socket=$sock,socket-abstract=no,rsize=12" -- \
	--config drivers-config/examples/quickstart-memif.ini --stats-interval 1 </dev/null &
fwd_pid=$!
# The generator's run ends after $seconds s of traffic (it waits for the
# link first); then sluice-fwd gets Ctrl-C (SIGINT) like a user would give it.
sl_wait_line "$gen_log" "^run over:" $((seconds + 60)) "$gen_pid" "$fwd_pid" || true
rc=0
if kill -0 "$fwd_pid" 2>/dev/null; then
	kill -INT "$fwd_pid"
	wait "$fwd_pid" || rc=$?
else
	wait "$fwd_pid" || rc=$?
	((rc == 0)) && rc=1 # it left before being asked to
fi
fwd_pid=""
echo
# It leaves by itself once sluice-fwd has closed the link.
for _ in {1..300}; do kill -0 "$gen_pid" 2>/dev/null || break; sl_nap 0.1; done
stop_proc "$gen_pid"
gen_pid=""
say "the generator's view (sluice-gen; full output: sluice-gen --help):"
sed -n '/^=== sluice-gen summary/,/^result:/p' "$gen_log" | grep -E "^(tx|rx|stalls|sequence|result)" | sed 's/^/  /'
((rc == 0)) || die "sluice-fwd exited with status $rc"
grep -q "^result:" "$gen_log" || { tail -n 20 "$gen_log" >&2; die "the generator did not finish its run (its log is above)"; }
grep -q "^result: pass" "$gen_log" || die "the generator's checks failed (its summary is above): more loss than its --max-loss, or frames that came back wrong"
say "done. Next: 'sudo tools/test.sh', and tools/bench/ for benchmarks"
