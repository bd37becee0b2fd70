#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (3) 500 concurrent TCP connections each echo 256 KiB byte-exact (sha256).
# Usage: echo_tcp_500.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init

echo_start "tcp_echo=7,msl_ms=500,rcv_buf=32768,snd_buf=32768"
echo_client stream --conns 500 --bytes $((256 << 10)) --timeout 150 ||
	echo_fail "500 x 256 KiB echo"
sleep 1.5 # 2 MSL: TIME_WAIT ends
echo_stop
echo_counters | grep -E '^(tcp_(retransmits|conns_|passive|rst|syn)|echo_|tcp_pool)' >&2 || true
echo_expect tcp_passive_opens -eq 500
echo_expect echo_tcp_bytes -eq $((500 * (256 << 10)))
echo_expect tcp_conns -eq 0
it_say "PASS"
