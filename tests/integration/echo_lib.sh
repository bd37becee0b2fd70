# SPDX-License-Identifier: BSD-3-Clause
# Helpers for the sluice-echo tests: sourced after lib.sh, not run.
#
# sluice-echo runs the tcpip stage on a net_tap port; once it is up, the
# tap netdev moves into a network namespace of the test's own, where the
# Linux kernel (ping, python sockets, scapy) is the peer. Removing the
# namespace at exit also removes the netdev if sluice left it there.
#
# ECHO_WIRE=afp instead puts sluice-echo on net_af_packet at the outer end
# of a veth pair whose other end ($ECHO_IF) is in the namespace: the kind of
# wire a Linux server gets in echo_linux_start, so the two can be compared.
# Offloads are off on both ends (af_packet would see unchecksummed and
# 64 KB GSO frames otherwise). The veth outlives a stopped sluice-echo, so
# echo_start may run again in the same test.
# shellcheck shell=bash

ECHO_NS=sl-echo-$$
ECHO_IF=sle$$
ECHO_HOST_IF=slh$$
ECHO_IP=10.77.0.2
PEER_IP=10.77.0.1
ECHO_CLIENT=$IT_DIR/echo_client.py
ECHO_WIRE=${ECHO_WIRE:-tap}
# net_af_packet devargs beyond the interface (ECHO_WIRE=afp).
ECHO_AFP_ARGS=${ECHO_AFP_ARGS:-qpairs=1}

# echo_init: it_init, and sluice-echo is built.
echo_init() {
	it_init
	[[ -x $SLUICE_ECHO ]] || it_fail "no sluice-echo at $SLUICE_ECHO (build first)"
}

echo_ns() { ip netns exec "$ECHO_NS" "$@"; }

# echo_ns_up: the client namespace (once per test).
echo_ns_up() {
	[[ -e /run/netns/$ECHO_NS ]] && return 0
	sl_netns "$ECHO_NS"
	echo_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 >/dev/null 2>&1 || true
	echo_ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1 || true
}

# echo_veth_up: the af_packet wire (once per test).
echo_veth_up() {
	ip link show "$ECHO_HOST_IF" >/dev/null 2>&1 && return 0
	command -v ethtool >/dev/null || it_skip "ethtool is not installed (tools/setup.sh installs it)"
	sl_veth "$ECHO_HOST_IF" "$ECHO_IF" "$ECHO_NS"
	sl_offloads_off "$ECHO_HOST_IF"
	sl_offloads_off "$ECHO_NS" "$ECHO_IF"
	# The worker (lcore 1 of the default "-l 0-1") owns CPU 1: the client's
	# kernel receive work for what it sends goes to the other CPU.
	sl_rps_away "$ECHO_NS" "$ECHO_IF" "${ECHO_WORKER_CPU:-1}"
	echo_ns ip addr add "$PEER_IP/24" dev "$ECHO_IF"
}

# echo_start TCPIP_ARGS [STAGES] [EXTRA_PIPELINE_LINES] [LIMIT_S]
# Starts sluice-echo (SIGINT after LIMIT_S, default 100) and wires the tap
# into the namespace (or the veth, ECHO_WIRE=afp). Sets ECHO_PID. Optional
# globals: ECHO_APP_LINES and ECHO_PORT_LINES (more lines for [app] and
# [port p0]), ECHO_LCORES (EAL core list, default "-l 0-1").
echo_start() {
	local args=$1 stages=${2:-tcpip} extra=${3:-} limit=${4:-100} dev vdev
	echo_ns_up
	case $ECHO_WIRE in
	tap) dev=net_tap0 vdev="net_tap0,iface=$ECHO_IF" ;;
	afp)
		echo_veth_up
		dev=net_af_packet0 vdev="net_af_packet0,iface=$ECHO_HOST_IF,$ECHO_AFP_ARGS" ;;
	*) it_fail "ECHO_WIRE=$ECHO_WIRE: want tap or afp" ;;
	esac
	it_write "$IT_TMP/echo.ini" <<EOT
[app]
stats_interval = 0
${ECHO_APP_LINES:-}
[port p0]
dev = $dev
pipeline = host
${ECHO_PORT_LINES:-}
[pipeline host]
stages = $stages
tcpip = ip=$ECHO_IP/24,gw=$PEER_IP,$args
$extra
EOT
	rm -f "$IT_TMP/echo.json"
	# shellcheck disable=SC2046,SC2086
	it_start "$IT_TMP/echo.log" "$limit" "$SLUICE_ECHO" ${ECHO_LCORES:--l 0-1} $(it_eal echo) \
		--vdev "$vdev" -- --config "$IT_TMP/echo.ini" \
		--stats-json "$IT_TMP/echo.json" --quiet
	ECHO_PID=$IT_PID
	it_wait_for "$IT_TMP/echo.log" "running:" 30 || {
		it_show "$IT_TMP/echo.log"
		it_fail "sluice-echo did not start"
	}
	[[ $ECHO_WIRE == tap ]] || return 0
	sl_tap_into "$ECHO_NS" "$ECHO_IF" "$PEER_IP/24"
}

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
echo_counters() { /usr/bin/python3 "$IT_REPO/tools/lib/tcpip_counters.py" "$IT_TMP/echo.json"; }

# echo_counter NAME: one counter's value.
echo_counter() { echo_counters | awk -F= -v k="$1" '$1 == k {print $2}'; }

# echo_expect NAME OP VALUE: fail unless counter NAME OP VALUE (-gt, -eq...).
echo_expect() {
	local v
	v=$(echo_counter "$1")
	[[ -n $v ]] || it_fail "no counter $1 in the stats JSON"
	test "$v" "$2" "$3" || { echo_counters >&2; it_fail "counter $1 = $v, want $2 $3"; }
	it_say "ok: $1 = $v ($2 $3)"
}


# echo_fail MSG: stop sluice-echo, print its log and non-zero counters, fail.
echo_fail() {
	it_stop "$ECHO_PID"
	it_show "$IT_TMP/echo.log"
	[[ -s $IT_TMP/echo.json ]] && echo_counters | grep -v '=0$' >&2
	it_fail "$*"
}

# ---- a Linux echo server beside sluice-echo ---------------------------------
# echo_linux_start: tools/bench/epoll-echo.c (built into the scratch dir) in
# a namespace of its own, reached from the client namespace over a second
# veth pair (offloads off on both ends, as on the afp wire), so the same
# kernel client, with the same iptables rules in its namespace, can echo
# through either server. Linux's TCP defaults stay (SACK, RACK, CUBIC).
# Sets LINUX_PID; the client reaches it at $LINUX_IP.
LINUX_NS=sl-lnx-$$
LINUX_IF=sll$$
LINUX_PEER_IF=slc$$
LINUX_IP=10.78.0.2
LINUX_PEER_IP=10.78.0.1
echo_linux_start() {
	local limit=${1:-300}
	command -v gcc >/dev/null || it_skip "gcc is not installed (tools/setup.sh installs it)"
	command -v ethtool >/dev/null || it_skip "ethtool is not installed (tools/setup.sh installs it)"
	echo_ns_up
	if [[ ! -e /run/netns/$LINUX_NS ]]; then
		[[ -x $IT_TMP/epoll-echo ]] || gcc -O2 -o "$IT_TMP/epoll-echo" "$IT_REPO/tools/bench/epoll-echo.c" ||
			it_fail "cannot build tools/bench/epoll-echo.c"
		sl_veth "$LINUX_PEER_IF" "$LINUX_IF" "$LINUX_NS" "$ECHO_NS"
		sl_offloads_off "$ECHO_NS" "$LINUX_PEER_IF"
		sl_offloads_off "$LINUX_NS" "$LINUX_IF"
		ip -n "$ECHO_NS" addr add "$LINUX_PEER_IP/24" dev "$LINUX_PEER_IF"
		ip -n "$LINUX_NS" addr add "$LINUX_IP/24" dev "$LINUX_IF"
	fi
	it_start "$IT_TMP/linux-echo.log" "$limit" ip netns exec "$LINUX_NS" "$IT_TMP/epoll-echo" -p 7
	LINUX_PID=$IT_PID
	it_wait_for "$IT_TMP/linux-echo.log" "listening" 10 || {
		it_show "$IT_TMP/linux-echo.log"
		it_fail "epoll-echo did not start"
	}
}

# echo_linux_stop: stop the Linux echo server.
echo_linux_stop() { it_stop "$LINUX_PID"; }

# echo_live_counters: the tcpip stage's counters now, summed over workers
# (telemetry /sluice/stages), as NAME=VALUE lines.
echo_live_counters() {
	"$IT_DIR/tel_client.py" "sl$$-echo" /sluice/stages 5 | /usr/bin/python3 -c '
import json, sys
tot = {}
skip = {"calls", "objs", "cycles", "cycles_per_pkt"}
for stages in json.load(sys.stdin).values():
    for name, c in stages.items():
        if name.split("/")[-1].split("_")[0] != "tcpip":
            continue
        for k, v in c.items():
            if k not in skip and isinstance(v, int):
                tot[k] = tot.get(k, 0) + v
for k, v in tot.items():
    print(f"{k}={v}")
'
}

# echo_live_counter NAME: one counter's value now.
echo_live_counter() { echo_live_counters | awk -F= -v k="$1" '$1 == k {print $2}'; }
