#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (f) Ctrl-C mid-run: sluice-fwd, forwarding traffic, gets SIGINT and exits
# 0 after printing its "final stats" block; sluice-gen, stopped the same way,
# prints its summary too. Then the reverse order (generator first).
# Last, a fatal signal: each app prints the signal and a backtrace that
# addr2line maps to its functions, and still dies of the signal (exit 139).
# The wire is a veth pair under net_af_packet, not memif: DPDK 22.11's memif
# PMD unmaps its rings on peer disconnect while the peer may be mid-burst,
# so "stop one side while the other polls" would test that PMD race.
# Usage: sigint.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
[[ $(id -u) -eq 0 ]] || it_skip "veth pairs need root"
command -v ip >/dev/null || it_skip "iproute2 (ip) not installed"
it_init

va=sls$$a
vb=sls$$b
ns=sls$$
# The generator's end in a namespace of its own: DPDK 22.11's af_packet PMD
# joins a PACKET_FANOUT group numbered (pid ^ ifindex) & 0xffff, and the
# numbers are per namespace; two processes on the two ends of one veth pair
# in one namespace collide when pid_a ^ ifindex_a == pid_b ^ ifindex_b, and
# the second then fails to probe ("could not set PACKET_FANOUT": 2 runs in
# ~60 here).
sl_veth "$va" "$vb" "$ns"

it_write "$IT_TMP/fwd.ini" <<EOT
[port p0]
dev = net_af_packet0
pipeline = echo
[pipeline echo]
stages = macswap count
EOT

run_once() { # FIRST_TO_STOP: fwd | gen
	local fwd gen fwd_rc gen_rc
	# shellcheck disable=SC2046
	it_start "$IT_TMP/fwd-$1.log" 60 "$SLUICE_FWD" --lcores 0@1,1@0 $(it_eal "fwd$1") \
		--vdev "net_af_packet0,iface=$va" -- --config "$IT_TMP/fwd.ini"
	fwd=$IT_PID
	it_wait_for "$IT_TMP/fwd-$1.log" "running:" 20 || { it_show "$IT_TMP/fwd-$1.log"; it_fail "sluice-fwd did not start"; }
	# shellcheck disable=SC2046
	it_start "$IT_TMP/gen-$1.log" 60 ip netns exec "$ns" "$SLUICE_GEN" -l 1 $(it_eal "gen$1") \
		--vdev "net_af_packet0,iface=$vb" -- \
		--ports net_af_packet0 --rate 20000 --flows 4 --expect macswap --max-loss 100%
	gen=$IT_PID
	# Mid-run: packets are flowing (the per-second line shows rx).
	it_wait_for "$IT_TMP/fwd-$1.log" "p0 rx 0\.[0-9]*[1-9]" 20 ||
		{ it_show "$IT_TMP/fwd-$1.log" "$IT_TMP/gen-$1.log"; it_fail "no traffic through sluice-fwd"; }
	if [[ $1 == fwd ]]; then
		it_stop "$fwd"; fwd_rc=$IT_RC
		it_stop "$gen"; gen_rc=$IT_RC
	else
		it_stop "$gen"; gen_rc=$IT_RC
		sleep 1
		it_stop "$fwd"; fwd_rc=$IT_RC
	fi
	sed -n '/=== final stats/,$p' "$IT_TMP/fwd-$1.log"
	[[ $fwd_rc -eq 0 ]] || { it_show "$IT_TMP/fwd-$1.log"; it_fail "sluice-fwd exited $fwd_rc on SIGINT ($1 stopped first)"; }
	grep -q "=== final stats" "$IT_TMP/fwd-$1.log" || it_fail "sluice-fwd printed no final stats"
	grep -Eq "lcore 1 +rx [1-9][0-9]* +tx [1-9]" "$IT_TMP/fwd-$1.log" || it_fail "final stats show no rx/tx on the worker"
	grep -q "=== sluice-gen summary" "$IT_TMP/gen-$1.log" || { it_show "$IT_TMP/gen-$1.log"; it_fail "sluice-gen printed no summary on SIGINT"; }
	# --max-loss 100%: in-flight packets may be lost when the DUT stops first,
	# but nothing may come back wrong.
	[[ $gen_rc -eq 0 ]] || { it_show "$IT_TMP/gen-$1.log"; it_fail "sluice-gen exited $gen_rc on SIGINT"; }
	it_say "stopped $1 first: sluice-fwd exit $fwd_rc, sluice-gen exit $gen_rc"
}
run_once fwd
run_once gen

it_write "$IT_TMP/null.ini" <<EOT
[port p0]
dev = net_null0
pipeline = echo
[pipeline echo]
stages = macswap
EOT
crash_once() { # NAME BINARY ARGS...: SIGSEGV once running; checks the report
	local name=$1 bin=$2 log=$IT_TMP/crash-$1.log frames
	shift 2
	it_start "$log" 60 "$bin" "$@"
	it_wait_for "$log" "$([[ $name == fwd ]] && echo running: || echo 'ports ready')" 20 ||
		{ it_show "$log"; it_fail "$name did not start"; }
	pkill -SEGV -P "$IT_PID" # the app, not timeout(1) above it
	it_reap "$IT_PID"
	[[ $IT_RC -eq 139 ]] || { it_show "$log"; it_fail "$name exited $IT_RC on SIGSEGV, not 139 (128 + 11)"; }
	grep -q "^fatal signal 11 (SIGSEGV)" "$log" || { it_show "$log"; it_fail "$name printed no fatal-signal line"; }
	if command -v addr2line >/dev/null; then
		frames=$(grep -o "$(basename "$bin")(+0x[0-9a-f]*)" "$log" | sed 's/.*(+\(0x[0-9a-f]*\))/\1/')
		[[ -n $frames ]] || { it_show "$log"; it_fail "$name's backtrace has no frame in $bin"; }
		# shellcheck disable=SC2086
		[[ $'\n'$(addr2line -f -e "$bin" $frames)$'\n' == *$'\non_fatal_signal\n'* ]] ||
			{ it_show "$log"; it_fail "addr2line does not find on_fatal_signal in $name's backtrace"; }
	fi
	it_say "$name: SIGSEGV reported with a backtrace, exit 139"
}
# shellcheck disable=SC2046
crash_once fwd "$SLUICE_FWD" --lcores 0@1,1@0 $(it_eal crashfwd) --vdev net_null0 -- --config "$IT_TMP/null.ini"
# shellcheck disable=SC2046
crash_once gen "$SLUICE_GEN" -l 1 $(it_eal crashgen) --vdev net_null0 -- --ports net_null0 --tx-only --rate 1000
it_say "PASS"
