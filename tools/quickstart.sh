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
# shellcheck source-path=SCRIPTDIR source=lib/proc.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/proc.sh"
cd "$SL_REPO"
say() { echo "quickstart: $*"; }

seconds=10 setup=1
sl_opt -t seconds secs
sl_flag --no-setup setup=0
sl_parse_opts "$@"
[[ $(id -u) -eq 0 ]] || sl_die "DPDK needs root here: run 'sudo tools/quickstart.sh'"

((setup)) && tools/setup.sh
for app in "$SLUICE_FWD" "$SLUICE_GEN"; do
	[[ -x $app ]] || sl_die "$app is missing: build it with 'ninja -C build' (or run tools/setup.sh)"
done

# Scratch dir, EAL memory args, everything stopped and removed at exit.
sl_init quickstart
sock=$SL_TMP/memif.sock
gen_log=$SL_TMP/gen.log
# One DPDK run at a time on small shared machines (tests and benchmarks
# take the same lock).
SL_LOCK_WAIT=600 sl_lock

say "starting the generator (sluice-gen, memif server $sock, CPU 1)"
sl_start "$gen_log" $((seconds + 90)) "$SLUICE_GEN" -l 1 "${EAL_MEM[@]}" --file-prefix "$(sl_prefix gen)" \
	--no-pci --vdev "net_memif0,role=server,socket=$sock,socket-abstract=no,rsize=12" -- \
	--ports net_memif0 --duration "$seconds" --rate 2M --flows 16 --expect macswap --max-loss 0.1% \
	--link-wait 30 --linger 60 --stats-interval 0
gen_pid=$SL_PID
sl_wait_for "$gen_log" "waiting up to" 30 "$gen_pid" || { tail -n 20 "$gen_log" >&2; sl_die "the generator did not start (its log is above)"; }

say "running sluice-fwd for $seconds s (worker on CPU 0); per-second lines, then a summary"
echo
"$SLUICE_FWD" --lcores '0@1,1@0' "${EAL_MEM[@]}" --file-prefix "$(sl_prefix fwd)" \
	--no-pci --vdev "net_memif0,role=client,socket=$sock,socket-abstract=no,rsize=12" -- \
	--config drivers-config/examples/quickstart-memif.ini --stats-interval 1 </dev/null &
fwd_pid=$!
sl_track "$fwd_pid"
# The generator's run ends after $seconds s of traffic (it waits for the
# link first); then sluice-fwd gets Ctrl-C (SIGINT) like a user would give it.
sl_wait_for "$gen_log" "^run over:" $((seconds + 60)) "$gen_pid" "$fwd_pid" || true
if kill -0 "$fwd_pid" 2>/dev/null; then
	sl_stop "$fwd_pid"
	rc=$SL_RC
else
	sl_reap "$fwd_pid"
	rc=$SL_RC
	((rc == 0)) && rc=1 # it left before being asked to
fi
echo
# It leaves by itself once sluice-fwd has closed the link.
sl_wait_exit "$gen_pid" 30 || true
sl_stop "$gen_pid"
say "the generator's view (sluice-gen; full output: sluice-gen --help):"
sed -n '/^=== sluice-gen summary/,/^result:/p' "$gen_log" | grep -E "^(tx|rx|stalls|sequence|result)" | sed 's/^/  /'
((rc == 0)) || sl_die "sluice-fwd exited with status $rc"
grep -q "^result:" "$gen_log" || { tail -n 20 "$gen_log" >&2; sl_die "the generator did not finish its run (its log is above)"; }
grep -q "^result: pass" "$gen_log" || sl_die "the generator's checks failed (its summary is above): more loss than its --max-loss, or frames that came back wrong"
say "done. Next: 'sudo tools/test.sh', and tools/bench/ for benchmarks"
