#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the quick start, the integration tests and the benchmarks:
#
#   sl_wait_line LOG ERE SECONDS PID...
#   sl_log_has LOG ERE
#   sl_nap SECONDS
#
# Waiting loops here start no process. They poll ten times a second while a
# generator and a device under test busy-poll both cores, and every `grep`
# or `sleep` they start is a fork and an exec that the scheduler may put on
# the generator's core: on a 2-core VM a 10 Hz grep + sleep loop took 540 ms
# of 5 s from sluice-gen (its "stalls", docs/sluice-gen.md) against 36 ms
# without it, and its 1 Gbps fell to 0.92.

# sl_nap SECONDS: sleep without starting a process (a read that times out on
# a pipe nobody writes to; the pipe is made once per shell).
sl_nap() {
	local _
	[[ -n ${SL_NAP_FD:-} ]] || exec {SL_NAP_FD}<> <(:)
	read -r -t "$1" -u "$SL_NAP_FD" _ || true
}

# sl_log_has LOG ERE: whether a line of LOG matches the extended regex ERE.
sl_log_has() {
	local line
	[[ -r $1 ]] || return 1
	while IFS= read -r line || [[ -n $line ]]; do
		[[ $line =~ $2 ]] && return 0
	done <"$1"
	return 1
}

# sl_wait_line LOG ERE SECONDS PID...: wait until LOG has a line matching ERE
# (return 0), or one of the PIDs has exited or SECONDS have passed (return
# 1). Used to wait for a process to say it is ready, or for a lingering
# sluice-gen to say "run over" before its memif peer is stopped
# (docs/sluice-gen.md).
sl_wait_line() {
	local log=$1 ere=$2 secs=$3 i p
	shift 3
	for ((i = 0; i < secs * 10; i++)); do
		sl_log_has "$log" "$ere" && return 0
		for p in "$@"; do kill -0 "$p" 2>/dev/null || return 1; done
		sl_nap 0.1
	done
	return 1
}
