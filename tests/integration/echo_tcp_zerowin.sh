#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (6) Zero and small windows.
# a. The client (SO_RCVBUF 32 KiB: Linux advertises window 0 once its
#    buffer is full) keeps sending but stops reading. Our echo fills its
#    window, sluice holds the rest (its own window closes in turn, so the
#    client's send stalls) and probes the zero window; when the client reads
#    again, every byte arrives (sha256).
# b. A client with SO_RCVBUF 4 KiB (window 2920, no window scaling, so the
#    window opens by less than two segments at a time) echoes 16 MiB.
# Retransmissions must stay rare: they were the recovery (hundreds, with
# RTOs instead of probes) when an ACK that also closed the window let
# on_sent send past the new right edge (docs/tcp.md, "Window edge bugs").
# Usage: echo_tcp_zerowin.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init

echo_start "tcp_echo=7,msl_ms=500,rcv_buf=65536,snd_buf=65536"
echo_client zerowin --bytes $((16 << 20)) --rcvbuf 32768 --hold 4 --timeout 60 ||
	echo_fail "zero-window echo"
echo_client stream --conns 1 --bytes $((16 << 20)) --rcvbuf 4096 --timeout 60 ||
	echo_fail "16 MiB echo to a 4 KiB SO_RCVBUF"
sleep 1.5 # 2 MSL
echo_stop
echo_counters | grep -E '^tcp_(zero_window|persist|retransmits|rto_expired|fast_re|dup_acks|snd_buf|conns_timeout)' >&2
echo_expect tcp_snd_buf_full -gt 0       # the echo could not queue: sluice held data
echo_expect tcp_zero_window_probes -gt 0 # and probed the client's zero window
# The window bug showed ~18 RTOs and hundreds of retransmissions per run.
# Not -eq 0: the kernel's tap queue can still drop a packet now and then
# when sluice's worker is descheduled on a busy 2-core machine (see the
# echo-tcp-500 note in docs/tcp.md), and a lost ACK costs one RTO.
echo_expect tcp_rto_expired -le 3
echo_expect tcp_retransmits -le 20
echo_expect tcp_conns_timeout -eq 0
echo_expect echo_tcp_bytes -eq $((32 << 20))
echo_expect tcp_conns -eq 0
it_say "PASS"
