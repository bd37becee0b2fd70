#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (1) sluice-echo on net_tap, the kernel in a namespace: ARP resolves our
# address, ping gets replies (up to 1472 B of payload), UDP echo returns
# each datagram byte-exact, and the counters agree.
# Usage: echo_basic.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init

echo_start "udp_echo=7,tcp_echo=7"
echo_ns ping -c 5 -i 0.2 -W 2 "$ECHO_IP" || { it_show "$IT_TMP/echo.log"; it_fail "no ping replies"; }
echo_ns ping -c 3 -i 0.2 -W 2 -s 1472 -M "do" "$ECHO_IP" || it_fail "no replies to 1472-byte pings"
mac=$(echo_ns ip neigh show "$ECHO_IP" | awk '{for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1)}')
[[ $mac =~ ^([0-9a-f]{2}:){5}[0-9a-f]{2}$ ]] || it_fail "the kernel did not resolve $ECHO_IP (neigh: $mac)"
it_say "ARP: $ECHO_IP is at $mac"
echo_client udp --count 50 --size 1 || it_fail "UDP echo (1 B)"
echo_client udp --count 50 --size 1472 || it_fail "UDP echo (1472 B)"
# A datagram to a port nobody serves is counted, not answered.
echo_ns /usr/bin/python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('$ECHO_IP', 9))"
sleep 0.3
echo_stop

echo_expect arp_requests_in -ge 1
echo_expect arp_replies_out -ge 1
echo_expect icmp_echo_requests -eq 8
echo_expect icmp_echo_replies -eq 8
echo_expect udp_echoed -eq 100
echo_expect udp_no_port -eq 1
echo_expect ip_bad_checksum -eq 0
echo_expect udp_bad -eq 0
it_say "PASS"
