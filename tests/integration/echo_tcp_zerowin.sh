#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (6) Zero window: the client (SO_RCVBUF 32 KiB) keeps sending but stops
# reading. Our echo fills its window, sluice holds the rest (its own
# window closes in turn, so the client's send stalls) and probes the zero
# window; when the client reads again, every byte arrives (sha256).
# Usage: echo_tcp_zerowin.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
it_init
[[ -x $SLUICE_ECHO ]] || it_fail "no sluice-echo at $SLUICE_ECHO (build first)"

echo_start "tcp_echo=7,msl_ms=500,rcv_buf=65536,snd_buf=65536"
echo_client zerowin --bytes $((16 << 20)) --hold 4 --timeout 60 || echo_fail "zero-window echo"
sleep 1.5 # 2 MSL
echo_stop
echo_counters | grep -E '^tcp_(zero_window|persist|retransmits|rto_expired|conns_timeout)' >&2
echo_expect tcp_zero_window_probes -gt 0
echo_expect tcp_conns_timeout -eq 0
echo_expect tcp_conns -eq 0
it_say "PASS"
