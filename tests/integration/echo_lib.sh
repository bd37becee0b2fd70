# SPDX-License-Identifier: BSD-3-Clause
# Helpers for the sluice-echo tests: sourced after lib.sh, not run.
#
# sluice-echo runs the tcpip stage on a net_tap port; once it is up, the
# tap netdev moves into a network namespace of the test's own, where the
# Linux kernel (ping, python sockets, scapy) is the peer. Removing the
# namespace at exit also removes the netdev if sluice left it there.
# shellcheck shell=bash

ECHO_NS=sl-echo-$$
ECHO_IF=sle$$
ECHO_IP=10.77.0.2
PEER_IP=10.77.0.1
ECHO_CLIENT=$IT_DIR/echo_client.py

# echo_start TCPIP_ARGS [STAGES] [EXTRA_PIPELINE_LINES] [LIMIT_S]
# Starts sluice-echo (SIGINT after LIMIT_S, default 100) and wires the tap
# into the namespace. Sets ECHO_PID. Optional globals: ECHO_PORT_LINES (more
# lines for [port p0]), ECHO_LCORES (EAL core list, default "-l 0-1").
echo_start() {
	local args=$1 stages=${2:-tcpip} extra=${3:-} limit=${4:-100} i
	ip netns add "$ECHO_NS" || it_fail "cannot create network namespace $ECHO_NS"
	IT_CLEANUPS+=("ip netns del $ECHO_NS")
	it_write "$IT_TMP/echo.ini" <<EOT
[app]
stats_interval = 0
[port p0]
dev = net_tap0
pipeline = host
${ECHO_PORT_LINES:-}
[pipeline host]
stages = $stages
tcpip = ip=$ECHO_IP/24,gw=$PEER_IP,$args
$extra
EOT
	# shellcheck disable=SC2046,SC2086
	it_start "$IT_TMP/echo.log" "$limit" "$SLUICE_ECHO" ${ECHO_LCORES:--l 0-1} $(it_eal echo) \
		--vdev "net_tap0,iface=$ECHO_IF" -- --config "$IT_TMP/echo.ini" \
		--stats-json "$IT_TMP/echo.json" --quiet
	ECHO_PID=$IT_PID
	it_wait_for "$IT_TMP/echo.log" "running:" 30 || {
		it_show "$IT_TMP/echo.log"
		it_fail "sluice-echo did not start"
	}
	for ((i = 0; i < 50; i++)); do
		ip link show "$ECHO_IF" >/dev/null 2>&1 && break
		sl_nap 0.1
	done
	ip link set "$ECHO_IF" netns "$ECHO_NS" || it_fail "cannot move $ECHO_IF into $ECHO_NS"
	echo_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 >/dev/null 2>&1 || true
	echo_ns ip link set lo up
	echo_ns ip addr add "$PEER_IP/24" dev "$ECHO_IF"
	echo_ns ip link set "$ECHO_IF" up
}

echo_ns() { ip netns exec "$ECHO_NS" "$@"; }

# echo_client ARGS...: the python client inside the namespace.
echo_client() { echo_ns /usr/bin/python3 "$ECHO_CLIENT" --host "$ECHO_IP" "$@"; }

# echo_stop: SIGINT sluice-echo, which must exit 0 and write its JSON.
echo_stop() {
	it_stop "$ECHO_PID"
	[[ $IT_RC -eq 0 ]] || { it_show "$IT_TMP/echo.log"; it_fail "sluice-echo exited $IT_RC on SIGINT"; }
	[[ -s $IT_TMP/echo.json ]] || it_fail "sluice-echo wrote no stats JSON"
}

# echo_counters: print the tcpip stage's counters (summed over workers) as
# NAME=VALUE lines, from the final stats JSON.
echo_counters() {
	/usr/bin/python3 - "$IT_TMP/echo.json" <<'PY'
import json, sys
tot = {}
for w in json.load(open(sys.argv[1]))["workers"]:
    for st in w["stages"]:
        if st["stage"] == "tcpip":
            for k, v in st["counters"].items():
                tot[k] = tot.get(k, 0) + v
for k, v in tot.items():
    print(f"{k}={v}")
PY
}

# echo_counter NAME: one counter's value.
echo_counter() { echo_counters | awk -F= -v k="$1" '$1 == k {print $2}'; }

# echo_expect NAME OP VALUE: fail unless counter NAME OP VALUE (-gt, -eq...).
echo_expect() {
	local v
	v=$(echo_counter "$1")
	[[ -n $v ]] || it_fail "no counter $1 in the stats JSON"
	# shellcheck disable=SC2086
	[ "$v" $2 "$3" ] || { echo_counters >&2; it_fail "counter $1 = $v, want $2 $3"; }
	it_say "ok: $1 = $v ($2 $3)"
}


# echo_fail MSG: stop sluice-echo, print its log and non-zero counters, fail.
echo_fail() {
	it_stop "$ECHO_PID"
	it_show "$IT_TMP/echo.log"
	[[ -s $IT_TMP/echo.json ]] && echo_counters | grep -v '=0$' >&2
	it_fail "$*"
}
