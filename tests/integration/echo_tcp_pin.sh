#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (10) Resource pinning (issue 18, done means 3): 48 raw connections
# (echo_pin_attack.py) each push up to 588 KB to the echo while advertising
# a zero window, then go silent (never an ACK, never an answer to a probe),
# so everything the echo queued for them stays held. Meanwhile a kernel
# client keeps echoing 64 B messages on one connection and opens a new one
# every second (echo_client.py pingpong). Asserted:
#  - the legitimate client is served the whole time: no gap between round
#    trips over 1 s (a liveness bound, far above a round trip), every new
#    connection opens and echoes;
#  - after the configured give-up on unanswered zero-window probes the
#    attackers' connections are gone: tcp_conns is back to the legitimate
#    client's, and a counter says why (some tcp_* counter about the
#    give-up, named by PIN_GIVEUP_COUNTER);
#  - a fresh 1 MiB echo works afterwards.
# The kernel would answer sluice's segments to the attackers' ports with
# RSTs (it knows no socket there): iptables drops them.
# Usage: echo_tcp_pin.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
# Environment: PIN_TCPIP_ARGS (extra tcpip args: the give-up setting,
# default zw_probes=4: the default 8 unanswered probes take minutes),
# PIN_GIVEUP_S (seconds the give-up may take after the attack, default 20),
# PIN_GIVEUP_COUNTER (counters whose sum must reach the attackers, joined
# by +; default tcp_zero_window_give_up+tcp_conns_shed: under memory
# pressure most attackers are shed before their probes run out).
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2034  # read by echo_lib.sh
ECHO_WIRE=afp
source "$(dirname "$0")/echo_lib.sh"
echo_init
command -v iptables >/dev/null || it_skip "iptables is not installed (tools/setup.sh installs it)"

ATTACKERS=48 SPORT=21000
GIVEUP_S=${PIN_GIVEUP_S:-20}
GIVEUP_COUNTER=${PIN_GIVEUP_COUNTER:-tcp_zero_window_give_up+tcp_conns_shed}
PIN_TCPIP_ARGS=${PIN_TCPIP_ARGS-zw_probes=4}
ARGS="tcp_echo=7,msl_ms=500${PIN_TCPIP_ARGS:+,$PIN_TCPIP_ARGS}"
FAILS=()

echo_start "$ARGS" tcpip "" $((GIVEUP_S + 90))
echo_ns iptables -A OUTPUT -p tcp --sport "$SPORT:$((SPORT + ATTACKERS - 1))" --tcp-flags RST RST -j DROP ||
	it_fail "iptables could not drop the kernel's RSTs"

# The legitimate client, for the whole attack and the give-up after it.
duration=$((25 + GIVEUP_S))
echo_ns /usr/bin/python3 "$ECHO_CLIENT" --host "$ECHO_IP" pingpong --duration "$duration" \
	--size 64 --interval-ms 5 --max-gap-ms 1000 --connect-every 1 --connect-timeout 3 \
	>"$IT_TMP/pingpong.log" 2>&1 &
pp=$!
sl_on_exit "kill $pp"
sleep 1
echo_ns timeout 60 /usr/bin/python3 "$IT_DIR/echo_pin_attack.py" --dst "$ECHO_IP" --src "$PEER_IP" \
	--conns "$ATTACKERS" --bytes 588000 --sport "$SPORT" --push-timeout 20 >"$IT_TMP/attack.log" 2>&1 ||
	{ cat "$IT_TMP/attack.log" >&2; echo_fail "the attack script failed"; }
cat "$IT_TMP/attack.log" >&2
t_attack=$SECONDS
conns=$(echo_live_counter tcp_conns) || true
it_say "after the attack: tcp_conns=$conns, tcp_pool_low_drops=$(echo_live_counter tcp_pool_low_drops)"
((${conns:-0} >= ATTACKERS)) || it_say "note: fewer than $ATTACKERS attackers' connections were open"

# The give-up: tcp_conns back to the legitimate client's (its one connection;
# the once-a-second ones come and go).
gone=""
while ((SECONDS - t_attack <= GIVEUP_S)); do
	conns=$(echo_live_counter tcp_conns) || true
	if [[ -n $conns ]] && ((conns <= 2)); then
		gone=$((SECONDS - t_attack))
		break
	fi
	sleep 1
done
if [[ -n $gone ]]; then
	it_say "ok: the attackers' connections were gone ${gone} s after the attack (tcp_conns=$conns)"
else
	FAILS+=("tcp_conns still $conns ${GIVEUP_S} s after the attack: the attackers' connections were not dropped")
fi

wait "$pp" && pp_rc=0 || pp_rc=$?
cat "$IT_TMP/pingpong.log" >&2
((pp_rc == 0)) || FAILS+=("the legitimate client was not served throughout: $(tail -n 1 "$IT_TMP/pingpong.log")")
xfer_ok=1
echo_client stream --conns 1 --bytes $((1 << 20)) --timeout 20 || xfer_ok=0
((xfer_ok)) || FAILS+=("a 1 MiB echo after the attack failed")
sleep 1.5 # 2 MSL
echo_stop
echo_counters | grep -E '^tcp_(conns|pool|persist|zero_window|snd_buf|rcv|giveup|give_up|abort|keepalive|mem|cap)' >&2
c=$(echo_counter tcp_conns)
[[ $c == 0 ]] || FAILS+=("tcp_conns = $c at the end, want 0")
g=0
for name in ${GIVEUP_COUNTER//+/ }; do
	v=$(echo_counter "$name")
	[[ -n $v ]] || { g=""; break; }
	g=$((g + v))
done
if [[ -z $g ]]; then
	FAILS+=("no counter $GIVEUP_COUNTER (set PIN_GIVEUP_COUNTER to the give-up counter's name)")
elif ((g < ATTACKERS)); then
	FAILS+=("$GIVEUP_COUNTER = $g, want >= $ATTACKERS")
fi
if ((${#FAILS[@]})); then
	for f in "${FAILS[@]}"; do echo "$IT_NAME: FAIL: $f" >&2; done
	exit 1
fi
it_say "PASS"
