#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the quick start, the integration tests and the benchmarks:
#
#   sl_wait_line LOG ERE SECONDS PID...
#
# Wait until LOG has a line matching the extended regex ERE (return 0), or
# one of the PIDs has exited or SECONDS have passed (return 1). Used to wait
# for a process to say it is ready, or for a lingering sluice-gen to say
# "run over" before its memif peer is stopped (docs/sluice-gen.md).

sl_wait_line() {
	local log=$1 ere=$2 secs=$3 i p
	shift 3
	for ((i = 0; i < secs * 10; i++)); do
		grep -Eq -- "$ere" "$log" 2>/dev/null && return 0
		for p in "$@"; do kill -0 "$p" 2>/dev/null || return 1; done
		sleep 0.1
	done
	return 1
}
