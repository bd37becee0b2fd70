# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers for the integration tests: sourced, not run.
#
# Every test runs real processes (sluice-fwd, sluice-gen, dpdk-testpmd) on
# virtual wires. They share a 2-core machine with benchmarks, so each test
# holds /tmp/sluice-run.lock while its DPDK processes run, gives every
# process a unique --file-prefix and --in-memory (or --no-huge when
# hugepages are short), never probes PCI, and pins busy pollers to
# different cores. Everything started is stopped on exit.
# shellcheck shell=bash

set -euo pipefail

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../../tools/lib/proc.sh
source "$IT_DIR/../../tools/lib/proc.sh"
# shellcheck disable=SC2034 # used by the tests
IT_REPO=$SL_REPO
IT_NAME=$SL_NAME
IT_SKIP=77
SL_KEEP=${IT_KEEP:-}

it_say() { sl_say "$@"; }
it_fail() {
	echo "$IT_NAME: FAIL: $*" >&2
	exit 1
}
it_skip() {
	echo "$IT_NAME: SKIP: $*" >&2
	exit "$IT_SKIP"
}

# it_init: the apps are built, root (else skip), tools/lib/proc.sh's sl_init,
# and the run lock held until exit.
it_init() {
	[[ -x $SLUICE_FWD ]] || it_fail "no sluice-fwd at $SLUICE_FWD (build first)"
	[[ -x $SLUICE_GEN ]] || it_fail "no sluice-gen at $SLUICE_GEN (build first)"
	[[ $(id -u) -eq 0 ]] || it_skip "DPDK processes need root here (hugepages, memif sockets)"
	sl_init "$IT_NAME"
	IT_TMP=$SL_TMP
	SL_LOCK_WAIT=${IT_LOCK_WAIT:-60} sl_lock
}

# The process helpers are tools/lib/proc.sh's; these names set IT_PID/IT_RC.
it_prefix() { sl_prefix "$@"; }
it_eal() { sl_eal "$@"; }
# it_start LOG LIMIT CMD...: sl_start with stdin from $IT_STDIN; sets IT_PID.
it_start() {
	SL_STDIN=${IT_STDIN:-} sl_start "$@"
	IT_PID=$SL_PID
}
it_reap() {
	sl_reap "$1"
	IT_RC=$SL_RC
}
it_stop() {
	sl_stop "$1"
	IT_RC=$SL_RC
}
# it_wait_for FILE ERE SECONDS: a line of FILE matches ERE.
it_wait_for() { sl_wait_line "$@"; }

# it_show LOG...: print logs (on failure, to explain it).
it_show() {
	local f
	for f in "$@"; do
		echo "----- $f" >&2
		tail -n 40 "$f" >&2 || true
	done
}

# it_py: run an inline python3 check with the scratch dir as cwd.
it_py() {
	(cd "$IT_TMP" && /usr/bin/python3 - "$@")
}

# it_fwd_config FILE: write a sluice-fwd config from stdin.
it_write() { cat >"$1"; }

# Ending a memif run without a crash. DPDK 22.11's memif PMD (and DPDK main
# as of 2026-11) unmaps the peer's rings from its control thread when the
# peer disconnects, without waiting for a burst in progress on them: a
# process still polling when its peer leaves dies of SIGSEGV if its worker
# is preempted inside a burst at that moment (docs/sluice-gen.md, "Ending a
# memif run"). So nobody may poll a memif port while its peer leaves: the
# generator runs with --linger (stops polling, keeps its ports open), the
# DUT is stopped next, and the generator leaves when it sees the link go
# down. With dpdk-testpmd, "stop" (forwarding) comes before either leaves.
IT_LINGER=(--linger 30)

# memif rings of 4096 slots instead of the PMD's 1024, for tests that allow
# no loss. On a shared 2-core VM a busy-polling process can be descheduled
# for several milliseconds (a CI run saw 4-9 ms latency spikes); 1024 slots
# hold about 7 ms at the tests' highest rate (1 Gbps of 64..1518 B frames,
# 153 kpps) and 5 ms at 200 kpps, 4096 hold four times that. Ring sizes are
# the client's to choose; both sides get it so either may be the client.
# With tools/noisy.py taking CPU 0 (the DUT's) 8 ms in every 100 the whole
# suite passes; gen-packet's sweep lost 160 frames that way with 1024 slots.
IT_MEMIF_RING=rsize=12

# it_gen_wait_over LOG PID [SECS]: wait until a sluice-gen started with
# --linger says its run is over (or it has exited already).
it_gen_wait_over() {
	sl_wait_line "$1" '^run over:' "${3:-90}" "$2" || ! kill -0 "$2" 2>/dev/null
}

# it_gen_then_stop GEN_LOG GEN_PID DUT_PID: the generator's run is over (it
# lingers, polling nothing), then the DUT stops (SIGINT), then the generator,
# which leaves when its links go down. Sets GEN_RC and DUT_RC.
it_gen_then_stop() {
	local log=$1 gen=$2 dut=$3
	it_gen_wait_over "$log" "$gen" || it_say "sluice-gen's run is not over after 90 s: stopping anyway"
	it_stop "$dut"
	DUT_RC=$IT_RC
	it_reap "$gen"
	# shellcheck disable=SC2034 # read by the tests that source this file
	GEN_RC=$IT_RC
}

# it_two_port RUN_NAME CONFIG GEN_ARGS...: sluice-fwd on two memif ports
# (servers, MACs 02:00:00:00:aa:0N, ethdev ids 0 and 1 as p0 and p1) wired to
# sluice-gen's two ports in the same order. Leaves $IT_TMP/RUN_NAME-fwd.json
# and -gen.json; sets GEN_RC and FWD_RC.
it_two_port() {
	local name=$1 cfg=$2 fwd
	shift 2
	# shellcheck disable=SC2046
	# Worker alone on cpu 0, main and control threads on cpu 1.
	it_start "$IT_TMP/$name-fwd.log" 90 "$SLUICE_FWD" --lcores 0@1,1@0 $(it_eal "$name-fwd") \
		--vdev "net_memif0,role=server,socket=$IT_TMP/$name-a.sock,$IT_MEMIF_RING,mac=02:00:00:00:aa:00" \
		--vdev "net_memif1,role=server,socket=$IT_TMP/$name-b.sock,$IT_MEMIF_RING,mac=02:00:00:00:aa:01" -- \
		--config "$cfg" --stats-json "$IT_TMP/$name-fwd.json" --quiet
	fwd=$IT_PID
	it_wait_for "$IT_TMP/$name-fwd.log" "running:" 20 || { it_show "$IT_TMP/$name-fwd.log"; it_fail "sluice-fwd did not start"; }
	# shellcheck disable=SC2046
	it_start "$IT_TMP/$name-gen.log" 60 "$SLUICE_GEN" -l 1 $(it_eal "$name-gen") \
		--vdev "net_memif0,role=client,socket=$IT_TMP/$name-a.sock,$IT_MEMIF_RING" \
		--vdev "net_memif1,role=client,socket=$IT_TMP/$name-b.sock,$IT_MEMIF_RING" -- \
		--ports net_memif0,net_memif1 --dut-mac 02:00:00:00:aa:00,02:00:00:00:aa:01 \
		--json "$IT_TMP/$name-gen.json" "${IT_LINGER[@]}" "$@"
	it_gen_then_stop "$IT_TMP/$name-gen.log" "$IT_PID" "$fwd"
	FWD_RC=$DUT_RC
	cat "$IT_TMP/$name-gen.log"
	[[ $FWD_RC -eq 0 ]] || { it_show "$IT_TMP/$name-fwd.log"; it_fail "sluice-fwd exited $FWD_RC on SIGINT"; }
}
