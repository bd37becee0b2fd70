#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (9) Echo under loss, against Linux on the same kind of wire (issue 18, done
# means 1). The kernel client (echo_client.py) sits in a namespace with two
# veth wires: one to sluice-echo (net_af_packet on the outer end, ECHO_WIRE=
# afp) and one to a Linux echo server (tools/bench/epoll-echo.c) in a second
# namespace; offloads are off on every veth end. 3 % of the frames are lost
# at random on their way into each receiver's TCP, each way:
#   - what the servers send: iptables on INPUT of the client's namespace;
#   - what the client sends: iptables on INPUT of the Linux server's
#     namespace, and sluice's impair stage in front of tcpip (loss=3): the
#     frame reached the port and never reaches the stack.
# Not on OUTPUT of the client: a packet iptables drops there is a local
# send error, which Linux's TCP retries at once or at its probe timer (the
# ss "persist" timer) without any loss recovery, and it is dropped as one
# GSO skb of several segments whose size depends on the peer's pacing: the
# same rule cost the two wires different losses (459 drops of 7.4 kB on one
# wire, 1 258 of 3.4 kB on the other, in one run).
#  a. one connection echoes 100 MiB: sluice's time over Linux's (issue 18's
#     target: <= 1.25)
#  b. 100 concurrent connections echo 1 MiB each: the same ratio (<= 1.25)
#  c. no iptables loss, but sluice's impair stage on both sides of tcpip
#     (3 % loss, 3 % reordering, 1 % duplication): one 100 MiB echo, against
#     Linux's time for (a) under loss (target <= 2)
# Every transfer must come back byte-exact (sha256) within a bounded time.
# What is asserted by default is a bound that catches a return of the old
# behaviour (before SACK, (a) and (c) did not finish in 30 s: ratios over
# 100; (b) was 7), with room for this machine's noise: a <= 15, b <= 5,
# c <= 15. The issue's targets are printed beside each result as met or NOT
# MET; LOSS_STRICT=1 asserts them instead.
# Linux runs while sluice-echo is stopped (its worker busy-polls a core of
# the two), five times, and its median counts. A sluice ratio over its limit
# (but within twice it) is measured twice more and the median of the three
# counts: the machine is shared, and a ratio is what is asserted, never a
# raw time. All parts run and print their numbers before the test fails on
# any of them.
# Usage: echo_tcp_loss.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
# Environment: LOSS_TCPIP_ARGS (tcpip args for sluice, default
# "tcp_echo=7,msl_ms=500"), LOSS_APP_LINES ([app] lines, e.g.
# "stage_mbufs = 65536"), LOSS_TIMEOUT (s per sluice transfer, default 30),
# LOSS_LINUX_CC (the Linux server's congestion control, e.g. cubic, like
# sluice's; default the machine's, BBR on Debian 12 here). Results and what
# limits them: docs/tcp.md "Under loss against Linux".
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2034  # read by echo_lib.sh
ECHO_WIRE=afp
source "$(dirname "$0")/echo_lib.sh"
echo_init
command -v iptables >/dev/null || it_skip "iptables is not installed (tools/setup.sh installs it)"

TCPIP_ARGS=${LOSS_TCPIP_ARGS:-tcp_echo=7,msl_ms=500}
# shellcheck disable=SC2034  # read by echo_lib.sh
ECHO_APP_LINES=${LOSS_APP_LINES:-}
TIMEOUT=${LOSS_TIMEOUT:-30}
BIG=$((100 << 20)) EACH=$((1 << 20)) MANY=100
TARGET_LOSS=1.25 TARGET_IMPAIR=2
if [[ ${LOSS_STRICT:-0} == 1 ]]; then
	LIMIT_A=$TARGET_LOSS LIMIT_B=$TARGET_LOSS LIMIT_C=$TARGET_IMPAIR
else
	LIMIT_A=15 LIMIT_B=5 LIMIT_C=15
fi
FAILS=()

# loss on|off: 3 % random drop of what enters the client's namespace and
# the Linux server's (sluice's own share is its impair stage, SLUICE_IN).
loss() {
	local op=-A ns
	[[ $1 == on ]] || op=-D
	for ns in "$ECHO_NS" "$LINUX_NS"; do
		ip netns exec "$ns" iptables "$op" INPUT -m statistic --mode random --probability 0.03 -j DROP ||
			it_fail "iptables $op INPUT (statistic match) failed in $ns"
	done
}
SLUICE_IN="wire_in = loss=3,seed=11"

# xfer HOST CONNS BYTES TIMEOUT: one stream run; sets T (elapsed s, empty on
# failure) and BACK (bytes echoed back).
xfer() {
	local out=$IT_TMP/xfer.out
	T="" BACK=$(($2 * $3))
	if echo_ns /usr/bin/python3 "$ECHO_CLIENT" --host "$1" stream --conns "$2" --bytes "$3" \
		--timeout "$4" >"$out" 2>&1; then
		T=$(sed -n 's/.*elapsed=\([0-9.]*\).*/\1/p' "$out")
	else
		BACK=$(sed -n 's/.* \([0-9]*\) bytes back.*/\1/p' "$out")
		BACK=${BACK:-0}
	fi
	cat "$out" >&2
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# linux_times CONNS BYTES: five runs against the Linux server (about a
# second each; their spread on a shared machine is wide); sets LT.
linux_times() {
	local t=() i
	for i in 1 2 3 4 5; do
		xfer "$LINUX_IP" "$1" "$2" 60
		[[ -n $T ]] || it_fail "the Linux server did not echo $1 x $2 B under loss: the wire, not sluice"
		t+=("$T")
	done
	LT=$(median "${t[@]}")
	it_say "linux $1 x $2 B: ${t[*]} s, median $LT s"
}

# sluice_vs PART CONNS BYTES LINUX_T LIMIT: sluice's run(s), ratio check.
sluice_vs() {
	local part=$1 conns=$2 bytes=$3 lt=$4 limit=$5 target=$6 t=() r i met
	xfer "$ECHO_IP" "$conns" "$bytes" "$TIMEOUT"
	if [[ -z $T ]]; then
		# Not done in time: what it would need at the goodput it reached.
		r=$(awk -v b="$BACK" -v n=$((conns * bytes)) -v s="$TIMEOUT" -v l="$lt" \
			'BEGIN {if (b > 0) printf ">= %.1f", n / b * s / l; else print "inf"}')
		FAILS+=("$part: sluice echoed $BACK of $((conns * bytes)) B in ${TIMEOUT} s (ratio $r at that goodput; Linux ${lt} s)")
		it_say "$part: sluice timeout, $BACK B back; ratio $r"
		return
	fi
	t+=("$T")
	r=$(ratio "$T" "$lt")
	# Noise can double a time on this machine, not more: a ratio over twice
	# its limit is not run again (that keeps the test's time bounded).
	if ! le "$r" "$limit" && le "$r" "$(awk -v l="$limit" 'BEGIN {print 2 * l}')"; then
		it_say "$part: ratio $r over $limit: two more runs, the median counts"
		for i in 2 3; do
			xfer "$ECHO_IP" "$conns" "$bytes" "$TIMEOUT"
			[[ -n $T ]] || { FAILS+=("$part: sluice run $i did not finish in ${TIMEOUT} s ($BACK B back)"); return; }
			t+=("$T")
		done
	fi
	T=$(median "${t[@]}")
	r=$(ratio "$T" "$lt")
	met="met"
	le "$r" "$target" || met="NOT MET"
	echo "RESULT $part: sluice ${t[*]} s (median $T) / linux $lt s = $r (asserted limit $limit; issue target $target: $met)" >&2
	le "$r" "$limit" || FAILS+=("$part: sluice/linux = $r, over $limit")
}

# counters: the stack's loss-recovery counters and the port's rx_missed (the
# af_packet ring's own drops, a loss on top of the 3 %).
counters() {
	echo_counters | grep -E '^(tcp_(retrans|fast_re|rto|ooo|sack|dup|pool|partial|snd_buf|pressure)|lost|reordered)' |
		grep -v '=0$' | tr '\n' ' ' >&2
	grep -o 'rx_missed [0-9]*' "$IT_TMP/echo.log" | head -1 >&2
}

# ---- Linux under iptables loss -------------------------------------------
echo_linux_start 200
if [[ -n ${LOSS_LINUX_CC:-} ]]; then
	# Per route: a namespace may only pick an "allowed" default.
	ip -n "$LINUX_NS" route replace "${LINUX_IP%.*}.0/24" dev "$LINUX_IF" congctl "$LOSS_LINUX_CC" ||
		it_fail "cannot set congctl $LOSS_LINUX_CC on $LINUX_NS's route"
	ip -n "$LINUX_NS" route show >&2
fi
loss on
linux_times 1 "$BIG"
lt_big=$LT
linux_times "$MANY" "$EACH"
lt_many=$LT
echo_linux_stop

# ---- a, b: sluice under the same iptables loss ----------------------------
echo_start "$TCPIP_ARGS" "impair:wire_in tcpip" "$SLUICE_IN" $((6 * TIMEOUT + 30))
sluice_vs a 1 "$BIG" "$lt_big" "$LIMIT_A" "$TARGET_LOSS"
sluice_vs b "$MANY" "$EACH" "$lt_many" "$LIMIT_B" "$TARGET_LOSS"
echo_stop
counters

# ---- c: sluice's impair stage, no iptables loss ---------------------------
loss off
echo_start "$TCPIP_ARGS" "impair:wire_in tcpip impair:wire_out" \
	"wire_in = loss=3,reorder=3,dup=1,seed=11
wire_out = loss=3,reorder=3,dup=1,seed=23" $((3 * TIMEOUT + 30))
sluice_vs c 1 "$BIG" "$lt_big" "$LIMIT_C" "$TARGET_IMPAIR"
echo_stop
counters

if ((${#FAILS[@]})); then
	for f in "${FAILS[@]}"; do echo "$IT_NAME: FAIL: $f" >&2; done
	exit 1
fi
it_say "PASS"
