#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (33) Linux variations: a byte-exact echo (sha256) against the kernel with
# each of net.ipv4.tcp_timestamps 0/1, tcp_sack 0/1, tcp_window_scaling 0/1,
# tcp_syncookies=2 and an MTU of 1280 / 1500 on the kernel side, and with
# all of the "off" settings at once. The sysctls are per network namespace:
# they are set inside the test's namespace only.
# tcp_syncookies=2 changes Linux's listeners only (Linux is the client
# here), so it checks that the setting does not disturb the client side.
# MTU 9000 is not tested: sluice's mbuf pools hold 2 KiB frames (no
# multi-segment jumbo rx yet), see docs/tcp.md.
# Usage: echo_tcp_linux_variants.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init

echo_start "tcp_echo=7,msl_ms=500"

# variant NAME BYTES SETTING...: SETTING is sysctl=value or mtu=N.
variant() {
	local name=$1 bytes=$2 kv
	shift 2
	# Linux defaults first, so each variant changes only what it says.
	echo_ns sysctl -qw net.ipv4.tcp_timestamps=1 net.ipv4.tcp_sack=1 \
		net.ipv4.tcp_window_scaling=1 net.ipv4.tcp_syncookies=1
	echo_ns ip link set dev "$ECHO_IF" mtu 1500
	for kv in "$@"; do
		case $kv in
		mtu=*) echo_ns ip link set dev "$ECHO_IF" mtu "${kv#mtu=}" ;;
		*) echo_ns sysctl -qw "net.ipv4.$kv" ;;
		esac
	done
	echo_client stream --conns 2 --bytes "$bytes" --timeout 60 ||
		echo_fail "variant $name ($*): echo failed"
	it_say "ok: variant $name ($*)"
	TOTAL=$((TOTAL + 2 * bytes))
}

TOTAL=0
variant ts0 $((2 << 20)) tcp_timestamps=0
variant ts1 $((2 << 20)) tcp_timestamps=1
variant sack0 $((2 << 20)) tcp_sack=0
variant sack1 $((2 << 20)) tcp_sack=1
variant ws0 $((4 << 20)) tcp_window_scaling=0
variant ws1 $((4 << 20)) tcp_window_scaling=1
variant syncookies2 $((1 << 20)) tcp_syncookies=2
variant mtu1280 $((4 << 20)) mtu=1280
variant mtu1500 $((4 << 20)) mtu=1500
variant all-off $((4 << 20)) tcp_timestamps=0 tcp_sack=0 tcp_window_scaling=0 mtu=1280
sleep 1.5 # 2 MSL
echo_stop
echo_counters | grep -E '^tcp_(retransmits|rto_expired|out_of_window|bad_|paws|challenge)' >&2 || true
echo_expect echo_tcp_bytes -eq "$TOTAL"
echo_expect tcp_passive_opens -eq 20
echo_expect tcp_conns_timeout -eq 0
echo_expect tcp_conns -eq 0
it_say "PASS"
