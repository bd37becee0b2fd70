#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Resource pinning (issue 18): 48 connections each push ~588 KB without
# ever reading (a tiny receive buffer: their window closes, the echo holds
# what it cannot send back and stops reading), then go silent (iptables
# drops everything on their ports, so no ACK and no answer to probes).
# Meanwhile a legitimate client ping-pongs on one connection and opens a
# new one every second: it must be served throughout. The stack sheds the
# stalled connections under memory pressure and gives up on unanswered
# zero-window probes (zw_probes), all counted; the pool never runs low.
# Usage: echo_tcp_pinning.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
# Environment: PIN_EXTRA_ARGS, appended to the tcpip args (e.g.
# ",tcp_mem=1073741824,conn_mem=1073741824" takes the caps away: the
# legitimate client then stops being served and the test fails).
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init
command -v iptables >/dev/null || it_skip "iptables is not installed"

ATTACKERS=48
SPORT=40000
# zw_probes=3: the persist backoff has grown while the attackers still
# answered, so their unanswered probes come seconds apart; the default 8
# would take minutes.
echo_start "tcp_echo=7,msl_ms=500,zw_probes=3${PIN_EXTRA_ARGS:-}" tcpip "" 200
grep -o 'connections may hold [0-9]* mbufs' "$IT_TMP/echo.log" >&2 || true

echo_client serve --seconds 20 --max-stall-ms 1000 --bytes $((256 << 10)) \
	>"$IT_TMP/serve.log" 2>&1 &
serve=$!
sl_on_exit "kill $serve"
sleep 1
echo_client pin --conns $ATTACKERS --sport $SPORT --bytes 588000 --hold 15 \
	>"$IT_TMP/pin.log" 2>&1 &
pin=$!
sl_on_exit "kill $pin"
sl_wait_for "$IT_TMP/pin.log" pinned 20 || { cat "$IT_TMP/pin.log" >&2; echo_fail "the attackers never pinned"; }
cat "$IT_TMP/pin.log" >&2
# Silent from now on: no ACK, no answer to probes, no FIN or RST when they close.
echo_ns iptables -A OUTPUT -p tcp --sport $SPORT:$((SPORT + ATTACKERS - 1)) -j DROP
echo_ns iptables -A INPUT -p tcp --dport $SPORT:$((SPORT + ATTACKERS - 1)) -j DROP
silent_at=$SECONDS
wait "$serve" || { cat "$IT_TMP/serve.log" >&2; echo_fail "the legitimate client was not served"; }
cat "$IT_TMP/serve.log" >&2
wait "$pin" || true
# The attackers left below the pressure mark are given up by their probes.
for ((i = 0; i < 120; i++)); do
	shed=$(echo_live_counter tcp_conns_shed) given_up=$(echo_live_counter tcp_zero_window_give_up)
	gone=$((${shed:-0} + ${given_up:-0}))
	((gone >= ATTACKERS)) && break
	sleep 1
done
it_say "$gone attackers dropped $((SECONDS - silent_at)) s after they went silent"
echo_client stream --conns 4 --bytes $((1 << 20)) --timeout 30 || echo_fail "echo after the attack"
sleep 1.5 # 2 MSL
echo_stop
echo_counters | grep -E '^tcp_(conns_shed|zero_window|pressure|conn_cap|mem_held|pool_low|conns_timeout|conns$)' >&2
shed=$(echo_counter tcp_conns_shed)
gave_up=$(echo_counter tcp_zero_window_give_up)
it_say "attackers shed under pressure: $shed, given up after unanswered probes: $gave_up"
((shed + gave_up >= ATTACKERS)) || it_fail "only $((shed + gave_up)) of $ATTACKERS attackers were dropped"
echo_expect tcp_conns_shed -gt 0
echo_expect tcp_pool_low_drops -eq 0
echo_expect tcp_conns -eq 0
echo_expect tcp_mem_held_mbufs -eq 0
it_say "PASS"
