#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (11) ACK floods (issue 18, done means 4), hping3 --flood from the client's
# namespace while a kernel client ping-pongs 64 B messages on one connection
# and opens a new one every second:
#  A. ACKs from random source ports to the listening port: each would earn a
#     RST. RSTs sent must stay far below the segments taken in (a tenth),
#     and the rate limit must be counted (RST_LIMIT_COUNTER).
#  B. ACKs on the legitimate connection's own 4-tuple with a sequence number
#     outside the window: each would earn an ACK (RFC 9293 3.10.7.4; RFC 5961
#     5 throttles them). Segments sent must stay far below those taken in.
# In both, no round trip of the legitimate client may take over 100 ms (a
# liveness bound, far above a round trip on this wire: it shows a server that
# stopped serving) and every new connection must open; a phase whose client
# check fails runs once more before the test fails.
# Usage: echo_tcp_ackflood.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
# Environment: RST_LIMIT_COUNTER (default tcp_rst_rate_limited).
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2034  # read by echo_lib.sh
ECHO_WIRE=afp
source "$(dirname "$0")/echo_lib.sh"
echo_init
command -v hping3 >/dev/null || it_skip "hping3 is not installed (tools/setup.sh installs it)"

RST_LIMIT_COUNTER=${RST_LIMIT_COUNTER:-tcp_rst_rate_limited}
FLOOD_S=6 LOCAL_PORT=45678
FAILS=()

echo_start "tcp_echo=7,msl_ms=500" tcpip "" 150

# phase NAME HPING3_ARGS...: ping-pong across a flood; sets IN, OUT, RST
# (deltas of tcp_segs_in, tcp_segs_out, tcp_rst_sent) and PP_OK.
phase() {
	local name=$1 pp c0 c1
	shift
	c0=$(echo_live_counters | tr '\n' ' ')
	echo_ns /usr/bin/python3 "$ECHO_CLIENT" --host "$ECHO_IP" pingpong --duration $((FLOOD_S + 2)) \
		--size 64 --interval-ms 5 --max-gap-ms 100 --connect-every 1 --connect-timeout 3 \
		--local-port "$LOCAL_PORT" >"$IT_TMP/pp-$name.log" 2>&1 &
	pp=$!
	sleep 1
	echo_ns timeout -s INT "$FLOOD_S" hping3 --flood "$@" "$ECHO_IP" >"$IT_TMP/hping3-$name.log" 2>&1 || true
	PP_OK=1
	wait "$pp" || PP_OK=0
	c1=$(echo_live_counters | tr '\n' ' ')
	cat "$IT_TMP/pp-$name.log" >&2
	grep -E 'packets (transmitted|tramitted)' "$IT_TMP/hping3-$name.log" >&2 || true
	read -r IN OUT RST < <(/usr/bin/python3 -c '
import sys
a, b = (dict(kv.split("=") for kv in x.split()) for x in sys.argv[1:3])
d = lambda k: int(b.get(k, 0)) - int(a.get(k, 0))
print(d("tcp_segs_in"), d("tcp_segs_out"), d("tcp_rst_sent"))' "$c0" "$c1")
	it_say "$name: segments in $IN, out $OUT, RSTs sent $RST during the flood"
	# The next phase's client binds the same local port: let this one's
	# TIME_WAIT (on the client, Linux's 60 s) not stand in the way.
	sleep 0.5
}

# check NAME WHAT OUT: OUT must be at most a tenth of IN, IN large enough to
# say so (a flood that did not reach sluice proves nothing).
check() {
	if ((IN < 20000)); then
		FAILS+=("$1: only $IN segments reached sluice: the flood was too weak to judge")
	elif ((${3} * 10 > IN)); then
		FAILS+=("$1: $2 = ${3} for $IN segments in: not rate-limited")
	else
		it_say "ok: $1: $2 = ${3} for $IN segments in"
	fi
}

echo_ns sysctl -qw net.ipv4.tcp_tw_reuse=1 >/dev/null 2>&1 || true
for name in A B; do
	for try in 1 2; do
		LOCAL_PORT=$((LOCAL_PORT + 1))
		if [[ $name == A ]]; then
			phase "$name$try" -A -p 7
		else
			phase "$name$try" -A -p 7 -s "$LOCAL_PORT" -k -M 12345 -L 54321
		fi
		((PP_OK)) && break
		it_say "$name: the legitimate client missed its bound (try $try)"
	done
	((PP_OK)) || FAILS+=("$name: the legitimate client stalled: $(tail -n 1 "$IT_TMP/pp-$name$try.log")")
	if [[ $name == A ]]; then check A "RSTs sent" "$RST"; else check B "segments sent" "$OUT"; fi
done

echo_client stream --conns 4 --bytes $((1 << 20)) --timeout 30 || FAILS+=("a 4 x 1 MiB echo after the floods failed")
echo_stop
echo_counters | grep -E '^tcp_(segs_|rst_|challenge|closed_port|syn_cookies_bad|out_of_window|pool)' >&2
r=$(echo_counter "$RST_LIMIT_COUNTER")
if [[ -z $r ]]; then
	FAILS+=("no counter $RST_LIMIT_COUNTER (RSTs not sent for the rate limit; set RST_LIMIT_COUNTER)")
elif ((r == 0)); then
	FAILS+=("$RST_LIMIT_COUNTER = 0 after an ACK flood")
fi
if ((${#FAILS[@]})); then
	for f in "${FAILS[@]}"; do echo "$IT_NAME: FAIL: $f" >&2; done
	exit 1
fi
it_say "PASS"
