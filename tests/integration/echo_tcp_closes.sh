#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (5) Closes in every order: client first; server first (the echo
# service's idle timeout); FINs crossing (client closes when the server's
# idle timer fires, at several offsets); half-close then data; RST from the
# client (SO_LINGER 0), idle and with data in flight. With msl_ms=500, no
# connection may be left 2 MSL later (tcp_conns gauge in the stats JSON).
# Usage: echo_tcp_closes.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init

echo_start "tcp_echo=7,msl_ms=500,echo_idle_ms=300"
echo_client closes --idle-ms 300 || echo_fail "close scenarios"
# 2 MSL (1 s) plus room for a last FIN/ACK retransmission (RTO >= 200 ms).
sleep 3
echo_stop
echo_counters | grep -E '^(tcp_(conns|rst|passive|conns_)|echo_)' >&2
echo_expect tcp_passive_opens -eq 14
echo_expect tcp_conns_closed -eq 14
echo_expect tcp_rst_received -ge 2
echo_expect echo_tcp_idle_closed -ge 1
echo_expect tcp_conns -eq 0
it_say "PASS"
