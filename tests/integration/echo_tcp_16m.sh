#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (2) One TCP connection echoes 16 MiB of random data byte-exact (sha256),
# the kernel client sending and reading at once, then half-closing.
# Usage: echo_tcp_16m.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init

echo_start "tcp_echo=7,msl_ms=500"
echo_client stream --conns 1 --bytes $((16 << 20)) --timeout 60 ||
	echo_fail "16 MiB echo"
sleep 1.5 # 2 MSL: TIME_WAIT ends
echo_stop
echo_expect tcp_passive_opens -eq 1
echo_expect echo_tcp_bytes -eq $((16 << 20))
echo_expect tcp_conns -eq 0
echo_expect out_fifo_full -eq 0
it_say "PASS"
