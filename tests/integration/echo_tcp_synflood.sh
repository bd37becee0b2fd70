#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (8) SYN flood: 20000 SYNs from random sources (hping3) while a real
# client connects and echoes. The SYN backlog fills, sluice answers with SYN
# cookies (syn_cookies_sent > 0), and the real connections still complete.
# Usage: echo_tcp_synflood.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init
command -v hping3 >/dev/null || it_skip "hping3 is not installed (tools/setup.sh installs it)"

echo_start "tcp_echo=7,msl_ms=500,syn_backlog=64"
# 20000 SYNs at about 10000/s from random (off-link) sources: our SYN-ACKs
# go to the gateway (the kernel), which drops them.
echo_ns timeout 30 hping3 -q -S -p 7 --rand-source -i u100 -c 20000 "$ECHO_IP" \
	>"$IT_TMP/hping3.log" 2>&1 &
flood=$!
sl_on_exit "kill $flood"
sleep 0.5
ok=0
for i in 1 2 3; do
	echo_client stream --conns 10 --bytes $((64 << 10)) --timeout 30 || echo_fail "client echo during the flood (round $i)"
	ok=$((ok + 1))
done
wait "$flood" || true
echo_client stream --conns 1 --bytes $((1 << 20)) --timeout 30 || echo_fail "client echo after the flood"
echo_stop
cat "$IT_TMP/hping3.log" >&2
echo_counters | grep -E '^tcp_(syn_|passive|conns_established)' >&2
echo_expect tcp_syn_cookies_sent -gt 0
echo_expect tcp_syn_backlog_full -gt 0
echo_expect echo_tcp_bytes -eq $((30 * (64 << 10) + (1 << 20)))
it_say "PASS ($ok rounds of 10 connections during the flood)"
